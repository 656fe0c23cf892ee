-- 011_portal_family: the family portal's second round (issue 7): files a
-- family attaches to their views, and a record of family access that was
-- withdrawn.

-- Files attached to a family's views (a PDF, or a photo of a drawing as
-- JPEG or PNG), kept in the database as advice attachments are (004): a
-- backup holds them, and reaching one goes through the same checks as the
-- record. `kind` is what the content showed (core/portal.h), never what the
-- browser said.
CREATE TABLE portal_attachments (
    id             INTEGER PRIMARY KEY,
    la_code        CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    submission_id  INTEGER NOT NULL REFERENCES portal_submissions (id),
    filename       TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 100),
    kind           TEXT NOT NULL CHECK (kind IN ('pdf', 'jpeg', 'png')),
    size           INTEGER NOT NULL CHECK (size BETWEEN 1 AND 5242880),
    content        BLOB NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX portal_attachments_submission ON portal_attachments (submission_id, id);

-- Links between a family account and a child that the council ended
-- (parental responsibility changed, a young person asked that a parent no
-- longer sees their record): the row leaves portal_links, so every check of
-- a family's reach stays a plain lookup there, and is kept here with who
-- ended it, when and why. Who had access, and until when, is not lost.
CREATE TABLE portal_link_history (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    la_code       CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    child_id      INTEGER NOT NULL,
    relationship  TEXT NOT NULL CHECK (relationship IN ('parent', 'carer', 'young_person')),
    since         INTEGER NOT NULL,
    removed_at    INTEGER NOT NULL,
    removed_by    TEXT NOT NULL CHECK (length(removed_by) BETWEEN 1 AND 64),
    reason        TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    FOREIGN KEY (la_code, child_id) REFERENCES children (la_code, id)
);
CREATE INDEX portal_link_history_child ON portal_link_history (la_code, child_id, id);
CREATE INDEX portal_link_history_user ON portal_link_history (user_id, id);

-- An unused invitation the council withdrew with a family's access: it also
-- ends then (expires_at is set to the same moment), so redeeming it fails
-- as an expired code does; revoked_at keeps that it was withdrawn.
ALTER TABLE portal_invitations ADD COLUMN revoked_at INTEGER;
