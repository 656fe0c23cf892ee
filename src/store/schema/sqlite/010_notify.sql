-- 010_notify: sending the family portal's e-mails (issue 7). The outbox of
-- 007 gains a sender's state: a row is claimed ('sending', attempts counted)
-- in its own commit before the relay is asked, then marked 'sent' (sent_at)
-- or put back ('queued', with the error and the time of the next try) or
-- given up ('failed'). A row left 'sending' by a crash is never sent again:
-- a family is not e-mailed twice (app/notify.h says why).
ALTER TABLE portal_outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'sending', 'sent', 'failed'));
ALTER TABLE portal_outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0);
ALTER TABLE portal_outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE portal_outbox ADD COLUMN claimed_at INTEGER;
ALTER TABLE portal_outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT ''
    CHECK (length(last_error) <= 256);
UPDATE portal_outbox SET state = 'sent' WHERE sent_at IS NOT NULL;
CREATE INDEX portal_outbox_queued ON portal_outbox (state, next_attempt_at, id);
CREATE INDEX portal_outbox_area ON portal_outbox (la_code, id);

-- Upcoming dates a family account has been told about: one row per account,
-- case, kind of date and date, so each date is e-mailed once (a date that
-- moves, e.g. a review brought forward, is a new date and told again).
CREATE TABLE portal_date_notices (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    la_code    CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    case_id    INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('draft_response', 'annual_review', 'final_plan')),
    due        TEXT NOT NULL CHECK (length(due) = 10),
    queued_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, case_id, kind, due),
    FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id)
);

-- A family member's choice about e-mails of upcoming dates; no row: on.
CREATE TABLE portal_preferences (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    date_emails  SMALLINT NOT NULL CHECK (date_emails IN (0, 1)),
    updated_at   INTEGER NOT NULL
);
