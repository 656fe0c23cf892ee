-- 015_insp_evidence: documents that evidence an improvement plan's action
-- (issue 9: "updates over time, and evidence (documents, notes)"), SQLite
-- dialect. Same conventions as 001_init.sql.
--
-- Each document is kept in the database as advice attachments (004) and a
-- family's files (011) are: a backup holds it, and reaching one goes
-- through the same checks as the plan. `kind` is what the content showed
-- (core/filetype.h), never what the name or the browser said. A document
-- is never deleted: one uploaded in error, or superseded, is withdrawn
-- with who withdrew it, when and why, and stays in the plan's record. The
-- triggers refuse a DELETE, any change to what was uploaded, and a second
-- withdrawal.
CREATE TABLE inspection_action_documents (
    id               INTEGER PRIMARY KEY,
    la_code          CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    action_id        INTEGER NOT NULL,
    title            TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    evidence_on      TEXT NOT NULL CHECK (length(evidence_on) = 10),
    filename         TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 100),
    kind             TEXT NOT NULL CHECK (kind IN ('pdf', 'docx', 'xlsx', 'png', 'jpeg', 'csv')),
    size             INTEGER NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    content          BLOB NOT NULL,
    uploaded_by      TEXT NOT NULL CHECK (length(uploaded_by) BETWEEN 1 AND 64),
    created_at       INTEGER NOT NULL,
    withdrawn_at     INTEGER,
    withdrawn_by     TEXT CHECK (length(withdrawn_by) BETWEEN 1 AND 64),
    withdrawn_reason TEXT CHECK (length(withdrawn_reason) BETWEEN 1 AND 1000),
    CHECK ((withdrawn_at IS NULL AND withdrawn_by IS NULL AND withdrawn_reason IS NULL) OR
           (withdrawn_at IS NOT NULL AND withdrawn_by IS NOT NULL AND
            withdrawn_reason IS NOT NULL)),
    FOREIGN KEY (la_code, action_id) REFERENCES inspection_actions (la_code, id)
);
CREATE INDEX inspection_action_documents_action
    ON inspection_action_documents (la_code, action_id, id);

CREATE TRIGGER inspection_action_documents_no_delete BEFORE DELETE
    ON inspection_action_documents
BEGIN
    SELECT RAISE(ABORT, 'evidence documents are kept: withdraw one instead');
END;
CREATE TRIGGER inspection_action_documents_kept BEFORE UPDATE
    ON inspection_action_documents
    WHEN OLD.withdrawn_at IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.la_code IS NOT OLD.la_code
      OR NEW.action_id IS NOT OLD.action_id OR NEW.title IS NOT OLD.title
      OR NEW.evidence_on IS NOT OLD.evidence_on OR NEW.filename IS NOT OLD.filename
      OR NEW.kind IS NOT OLD.kind OR NEW.size IS NOT OLD.size OR NEW.content IS NOT OLD.content
      OR NEW.uploaded_by IS NOT OLD.uploaded_by OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'evidence documents are kept: withdraw one instead');
END;
