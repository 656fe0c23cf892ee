-- 005_plan: EHC plans (PostgreSQL dialect of schema/sqlite/005_plan.sql:
-- same tables, checks and the same refusal to change an issued version).

CREATE TABLE plan_drafts (
    la_code      TEXT NOT NULL CHECK (length(la_code) = 3),
    case_id      BIGINT NOT NULL,
    document     TEXT NOT NULL CHECK (length(document) <= 2097152),
    updated_at   BIGINT NOT NULL,
    updated_by   TEXT NOT NULL CHECK (length(updated_by) <= 64),
    PRIMARY KEY (la_code, case_id),
    FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id)
);

CREATE TABLE plan_versions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code      TEXT NOT NULL CHECK (length(la_code) = 3),
    case_id      BIGINT NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    kind         TEXT NOT NULL CHECK (kind IN ('draft', 'final', 'proposed', 'amended')),
    issued_on    DATE NOT NULL,
    issued_by    TEXT NOT NULL CHECK (length(issued_by) <= 64),
    event_id     BIGINT NOT NULL,
    document     TEXT NOT NULL CHECK (length(document) <= 2097152),
    UNIQUE (la_code, case_id, version),
    FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id)
);

CREATE FUNCTION plan_versions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'an issued plan version is frozen (% refused)', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER plan_versions_no_update BEFORE UPDATE OR DELETE ON plan_versions
    FOR EACH ROW EXECUTE FUNCTION plan_versions_frozen();
CREATE TRIGGER plan_versions_no_truncate BEFORE TRUNCATE ON plan_versions
    FOR EACH STATEMENT EXECUTE FUNCTION plan_versions_frozen();
