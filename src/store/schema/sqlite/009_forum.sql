-- 009_forum: the parent carer forum in the improvement plan (issue 9,
-- co-production). A new role, 'forum', for the forum's members, and their
-- comments on the plan's actions with the council's replies (SQLite
-- dialect). Same conventions as 001_init.sql.
--
-- The role list is a CHECK on users (002), and SQLite cannot change a
-- CHECK in place, so users is rebuilt in the order of
-- https://www.sqlite.org/lang_altertable.html#otheralter: create the new
-- table, copy, drop the old one, rename the new one to users. tokens,
-- portal_* and the rest refer to users by name; that text is never touched
-- (renaming users itself would rewrite those references to the old name).
-- The runner (store_sqlite.c migrate_one) applies a migration with
-- foreign keys off and checks them all before it commits: with them on,
-- DROP TABLE users would first delete every row, and ON DELETE CASCADE
-- would take every session, API token and portal link with it.
-- users has no index of its own beyond the UNIQUE username (recreated by
-- the definition) and no trigger.
CREATE TABLE users_009 (
    id              INTEGER PRIMARY KEY,
    la_code         CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    username        TEXT NOT NULL UNIQUE
                        CHECK (length(username) BETWEEN 1 AND 64 AND username = lower(username)),
    display_name    TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    email           TEXT CHECK (length(email) <= 254),
    role            TEXT NOT NULL CHECK (role IN ('coordinator', 'manager', 'health',
                        'social_care', 'setting', 'admin', 'inspector', 'parent', 'system',
                        'forum')),
    organisation    TEXT CHECK (length(organisation) <= 100),
    setting_urn     TEXT CHECK (length(setting_urn) BETWEEN 6 AND 7),
    password_hash   TEXT NOT NULL CHECK (length(password_hash) BETWEEN 1 AND 255),
    disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_sign_ins INTEGER NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
    locked_until    INTEGER,           -- NULL when not locked
    created_at      INTEGER NOT NULL,
    last_sign_in    INTEGER            -- NULL if never
);
INSERT INTO users_009 (id, la_code, username, display_name, email, role, organisation,
                       setting_urn, password_hash, disabled, failed_sign_ins, locked_until,
                       created_at, last_sign_in)
    SELECT id, la_code, username, display_name, email, role, organisation, setting_urn,
           password_hash, disabled, failed_sign_ins, locked_until, created_at, last_sign_in
    FROM users;
DROP TABLE users;
ALTER TABLE users_009 RENAME TO users;

-- Comments on an action of the improvement plan: from the parent carer
-- forum's members and the staff who reply. Kept with the action, never
-- changed or removed (a reply corrects). Who wrote it is kept as it was
-- then: the username, their name, their role and organisation (for the
-- forum, the forum's name), so a later change to the account does not
-- rewrite what the plan's record shows.
CREATE TABLE inspection_action_comments (
    id            INTEGER PRIMARY KEY,
    la_code       CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    action_id     INTEGER NOT NULL,
    body          TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    author        TEXT NOT NULL CHECK (length(author) BETWEEN 1 AND 64),
    author_name   TEXT NOT NULL CHECK (length(author_name) BETWEEN 1 AND 100),
    author_role   TEXT NOT NULL CHECK (length(author_role) BETWEEN 1 AND 32),
    organisation  TEXT CHECK (length(organisation) <= 100),
    created_at    INTEGER NOT NULL,
    FOREIGN KEY (la_code, action_id) REFERENCES inspection_actions (la_code, id)
);
CREATE INDEX inspection_action_comments_action
    ON inspection_action_comments (la_code, action_id, id);

CREATE TRIGGER inspection_action_comments_no_update BEFORE UPDATE ON inspection_action_comments
BEGIN
    SELECT RAISE(ABORT, 'comments on the plan are kept as written');
END;
CREATE TRIGGER inspection_action_comments_no_delete BEFORE DELETE ON inspection_action_comments
BEGIN
    SELECT RAISE(ABORT, 'comments on the plan are kept as written');
END;
