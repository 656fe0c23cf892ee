-- 014_views_requests, PostgreSQL dialect of schema/sqlite/014_views_requests.sql:
-- the council asks a family for their views (issue 7, section A "all about
-- me"). In an EHC needs assessment the local authority must seek advice
-- and information from the child's parent or the young person (SEND
-- Regulations 2014, reg 6(1)(a); reg 7: consult the family), and
-- before an annual review it gathers the views of those invited (reg 20).
-- The law sets no date for the family's reply: reply_by is the council's.
-- A request is open until the family sends their views through the portal
-- (the oldest open request of the case is answered by that submission, in
-- the same transaction) or the council withdraws it, with a reason, if it
-- was asked in error.
CREATE TABLE views_requests (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code          TEXT NOT NULL CHECK (length(la_code) = 3),
    case_id          BIGINT NOT NULL,
    purpose          TEXT NOT NULL CHECK (purpose IN ('assessment', 'review', 'other')),
    message          TEXT NOT NULL CHECK (length(message) <= 1000),
    reply_by         DATE NOT NULL,
    asked_by         TEXT NOT NULL CHECK (length(asked_by) BETWEEN 1 AND 64),
    asked_at         BIGINT NOT NULL,
    submission_id    BIGINT REFERENCES portal_submissions (id),
    answered_at      BIGINT,
    withdrawn_at     BIGINT,
    withdrawn_by     TEXT CHECK (length(withdrawn_by) BETWEEN 1 AND 64),
    withdrawn_reason TEXT CHECK (length(withdrawn_reason) BETWEEN 1 AND 1000),
    FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id)
);
CREATE INDEX views_requests_case ON views_requests (la_code, case_id, id);
