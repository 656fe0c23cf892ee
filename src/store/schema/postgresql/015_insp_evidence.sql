-- 015_insp_evidence, PostgreSQL dialect of schema/sqlite/015_insp_evidence.sql:
-- documents that evidence an improvement plan's action (issue 9: "updates
-- over time, and evidence (documents, notes)").
--
-- Each document is kept in the database as advice attachments (004) and a
-- family's files (011) are: a backup holds it, and reaching one goes
-- through the same checks as the plan. `kind` is what the content showed
-- (core/filetype.h), never what the name or the browser said. A document
-- is never deleted: one uploaded in error, or superseded, is withdrawn
-- with who withdrew it, when and why, and stays in the plan's record. The
-- trigger refuses a DELETE, any change to what was uploaded, and a second
-- withdrawal.
CREATE TABLE inspection_action_documents (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code          TEXT NOT NULL CHECK (length(la_code) = 3),
    action_id        BIGINT NOT NULL,
    title            TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    evidence_on      DATE NOT NULL,
    filename         TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 100),
    kind             TEXT NOT NULL CHECK (kind IN ('pdf', 'docx', 'xlsx', 'png', 'jpeg', 'csv')),
    size             BIGINT NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    content          BYTEA NOT NULL,
    uploaded_by      TEXT NOT NULL CHECK (length(uploaded_by) BETWEEN 1 AND 64),
    created_at       BIGINT NOT NULL,
    withdrawn_at     BIGINT,
    withdrawn_by     TEXT CHECK (length(withdrawn_by) BETWEEN 1 AND 64),
    withdrawn_reason TEXT CHECK (length(withdrawn_reason) BETWEEN 1 AND 1000),
    CHECK ((withdrawn_at IS NULL AND withdrawn_by IS NULL AND withdrawn_reason IS NULL) OR
           (withdrawn_at IS NOT NULL AND withdrawn_by IS NOT NULL AND
            withdrawn_reason IS NOT NULL)),
    FOREIGN KEY (la_code, action_id) REFERENCES inspection_actions (la_code, id)
);
CREATE INDEX inspection_action_documents_action
    ON inspection_action_documents (la_code, action_id, id);

CREATE FUNCTION inspection_action_documents_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.withdrawn_at IS NOT NULL
       OR (NEW.id, NEW.la_code, NEW.action_id, NEW.title, NEW.evidence_on, NEW.filename,
           NEW.kind, NEW.size, NEW.uploaded_by, NEW.created_at)
          IS DISTINCT FROM (OLD.id, OLD.la_code, OLD.action_id, OLD.title, OLD.evidence_on,
                            OLD.filename, OLD.kind, OLD.size, OLD.uploaded_by, OLD.created_at)
       OR NEW.content IS DISTINCT FROM OLD.content THEN
        RAISE EXCEPTION 'evidence documents are kept: withdraw one instead (% refused)', TG_OP
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER inspection_action_documents_kept BEFORE UPDATE OR DELETE
    ON inspection_action_documents
    FOR EACH ROW EXECUTE FUNCTION inspection_action_documents_kept();
