-- 016_outbox_asker: the portal's outbox can hold the acknowledgement
-- e-mailed to someone who asked for an EHC needs assessment online (012),
-- who has no account (issue 7; SQLite dialect). A row is addressed either to
-- an account (to_user_id, as before) or to the person who sent an online
-- request (online_request_id, its e-mail address in to_email), never both
-- and never neither. online_request_id is UNIQUE: one acknowledgement per
-- request, whatever happens (the same page sent twice is one request
-- already, app/ask.h). The same sender sends both kinds, with the same
-- once-only and retry rules (app/notify.h).
--
-- SQLite cannot drop a NOT NULL, so the table is rebuilt: create the new
-- one, copy every row (ids kept), drop the old, rename. No table references
-- portal_outbox by a foreign key (001-015), so dropping it breaks nothing;
-- its three indexes (007, 010) are created again.
CREATE TABLE portal_outbox_new (
    id                 INTEGER PRIMARY KEY,
    la_code            CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    to_user_id         INTEGER REFERENCES users (id),
    to_email           TEXT NOT NULL CHECK (length(to_email) BETWEEN 3 AND 254),
    subject            TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    body               TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    created_at         INTEGER NOT NULL,
    sent_at            INTEGER,
    state              TEXT NOT NULL DEFAULT 'queued'
                       CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts           INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at    INTEGER NOT NULL DEFAULT 0,
    claimed_at         INTEGER,
    last_error         TEXT NOT NULL DEFAULT '' CHECK (length(last_error) <= 256),
    online_request_id  INTEGER UNIQUE REFERENCES online_requests (id),
    CHECK ((to_user_id IS NULL) <> (online_request_id IS NULL))
);
INSERT INTO portal_outbox_new (id, la_code, to_user_id, to_email, subject, body, created_at,
                               sent_at, state, attempts, next_attempt_at, claimed_at,
                               last_error, online_request_id)
    SELECT id, la_code, to_user_id, to_email, subject, body, created_at, sent_at, state,
           attempts, next_attempt_at, claimed_at, last_error, NULL
      FROM portal_outbox;
DROP TABLE portal_outbox;
ALTER TABLE portal_outbox_new RENAME TO portal_outbox;
CREATE INDEX portal_outbox_unsent ON portal_outbox (sent_at, id);
CREATE INDEX portal_outbox_queued ON portal_outbox (state, next_attempt_at, id);
CREATE INDEX portal_outbox_area ON portal_outbox (la_code, id);
