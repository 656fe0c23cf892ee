-- 009_forum: the parent carer forum in the improvement plan (issue 9,
-- co-production; PostgreSQL dialect of schema/sqlite/009_forum.sql). A new
-- role, 'forum', for the forum's members, and their comments on the plan's
-- actions with the council's replies.
--
-- 002 declared the role list as an unnamed column CHECK, which PostgreSQL
-- names users_role_check (<table>_<column>_check): it is replaced in place,
-- rows and references untouched. The new check is validated against the
-- rows already there.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('coordinator', 'manager', 'health', 'social_care', 'setting', 'admin',
                    'inspector', 'parent', 'system', 'forum'));

-- Comments on an action of the improvement plan: from the forum's members
-- and the staff who reply; never changed or removed. The author is kept as
-- they were then (username, name, role, organisation).
CREATE TABLE inspection_action_comments (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code       TEXT NOT NULL CHECK (length(la_code) = 3),
    action_id     BIGINT NOT NULL,
    body          TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    author        TEXT NOT NULL CHECK (length(author) BETWEEN 1 AND 64),
    author_name   TEXT NOT NULL CHECK (length(author_name) BETWEEN 1 AND 100),
    author_role   TEXT NOT NULL CHECK (length(author_role) BETWEEN 1 AND 32),
    organisation  TEXT CHECK (length(organisation) <= 100),
    created_at    BIGINT NOT NULL,
    FOREIGN KEY (la_code, action_id) REFERENCES inspection_actions (la_code, id)
);
CREATE INDEX inspection_action_comments_action
    ON inspection_action_comments (la_code, action_id, id);

CREATE FUNCTION inspection_action_comments_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'comments on the plan are kept as written (% refused)', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER inspection_action_comments_no_update BEFORE UPDATE OR DELETE
    ON inspection_action_comments
    FOR EACH ROW EXECUTE FUNCTION inspection_action_comments_kept();
