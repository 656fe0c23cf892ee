-- 005_plan: EHC plans (SQLite). Each case has at most one working draft,
-- edited in place while the coordinator builds it, and every issued
-- version kept for ever (draft served on the family, final, amendment
-- proposed, amended). A plan is a JSON document (app/plan_json.h) so its
-- sections A-K can grow without a migration per field, and an issued
-- version is exactly the document that was served.

CREATE TABLE plan_drafts (
    la_code      CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    case_id      INTEGER NOT NULL,
    document     TEXT NOT NULL CHECK (length(document) <= 2097152),
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT NOT NULL CHECK (length(updated_by) <= 64),
    PRIMARY KEY (la_code, case_id),
    FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id)
);

-- version counts 1, 2, ... per case in issue order; event_id is the
-- journey event that issued it (draft_plan_issued, final_plan_issued,
-- amendment_proposed or amended_plan_issued).
CREATE TABLE plan_versions (
    id           INTEGER PRIMARY KEY,
    la_code      CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    case_id      INTEGER NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    kind         TEXT NOT NULL CHECK (kind IN ('draft', 'final', 'proposed', 'amended')),
    issued_on    TEXT NOT NULL CHECK (length(issued_on) = 10),
    issued_by    TEXT NOT NULL CHECK (length(issued_by) <= 64),
    event_id     INTEGER NOT NULL,
    document     TEXT NOT NULL CHECK (length(document) <= 2097152),
    UNIQUE (la_code, case_id, version),
    FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id)
);

-- An issued version is what was served on the family: the database itself
-- refuses to change or remove it.
CREATE TRIGGER plan_versions_no_update BEFORE UPDATE ON plan_versions
BEGIN
    SELECT RAISE(ABORT, 'an issued plan version is frozen');
END;
CREATE TRIGGER plan_versions_no_delete BEFORE DELETE ON plan_versions
BEGIN
    SELECT RAISE(ABORT, 'an issued plan version is frozen');
END;
