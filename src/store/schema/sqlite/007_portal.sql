-- 007_portal: the family portal (issue 7). A parent, carer or young person
-- gets an account by redeeming an invitation the council made from the
-- child's case; the account is then linked to that child. Only a hash of the
-- invitation's code is kept (as for session and API tokens, 002), so the
-- database alone cannot be used to join.

CREATE TABLE portal_invitations (
    id            INTEGER PRIMARY KEY,
    la_code       CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    child_id      INTEGER NOT NULL,
    hash          BLOB NOT NULL UNIQUE CHECK (typeof(hash) = 'blob' AND length(hash) = 32),
    relationship  TEXT NOT NULL CHECK (relationship IN ('parent', 'carer', 'young_person')),
    invitee_name  TEXT NOT NULL CHECK (length(invitee_name) BETWEEN 1 AND 100),
    created_by    TEXT NOT NULL CHECK (length(created_by) BETWEEN 1 AND 64),
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    used_at       INTEGER,           -- NULL until redeemed; redeemed once only
    used_by       INTEGER REFERENCES users (id),
    FOREIGN KEY (la_code, child_id) REFERENCES children (la_code, id)
);
CREATE INDEX portal_invitations_child ON portal_invitations (la_code, child_id, id);

CREATE TABLE portal_links (
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    la_code       CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    child_id      INTEGER NOT NULL,
    relationship  TEXT NOT NULL CHECK (relationship IN ('parent', 'carer', 'young_person')),
    since         INTEGER NOT NULL,
    PRIMARY KEY (user_id, child_id),
    FOREIGN KEY (la_code, child_id) REFERENCES children (la_code, id)
);
CREATE INDEX portal_links_child ON portal_links (la_code, child_id);

-- Failed redemptions by client address, for the rate limit (the sign-in
-- lock-out's numbers: 5 in 15 minutes). Old rows are deleted as new ones go in.
CREATE TABLE portal_join_failures (
    id      INTEGER PRIMARY KEY,
    remote  TEXT NOT NULL CHECK (length(remote) <= 64),
    at      INTEGER NOT NULL
);
CREATE INDEX portal_join_failures_remote ON portal_join_failures (remote, at);

-- What a family sends through the portal, recorded on the case and shown to
-- staff on the child's record: their views ("all about me", section A) at
-- any time, and their response to a draft plan (comments, the school or
-- college they want, a request for a meeting) within its 15-day window.
CREATE TABLE portal_submissions (
    id            INTEGER PRIMARY KEY,
    la_code       CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    case_id       INTEGER NOT NULL,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    kind          TEXT NOT NULL CHECK (kind IN ('views', 'draft_response')),
    body          TEXT NOT NULL CHECK (length(body) <= 10000),
    school        TEXT NOT NULL CHECK (length(school) <= 200),
    meeting       SMALLINT NOT NULL CHECK (meeting IN (0, 1)),
    created_at    INTEGER NOT NULL,
    FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id)
);
CREATE INDEX portal_submissions_case ON portal_submissions (la_code, case_id, id);

-- Messages between the family and the council about a case: one thread per
-- case, both sides.
CREATE TABLE portal_messages (
    id            INTEGER PRIMARY KEY,
    la_code       CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    case_id       INTEGER NOT NULL,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    from_family   SMALLINT NOT NULL CHECK (from_family IN (0, 1)),
    body          TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    created_at    INTEGER NOT NULL,
    FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id)
);
CREATE INDEX portal_messages_case ON portal_messages (la_code, case_id, id);

-- Email notifications waiting to be sent: a sender (not yet written; the SMTP
-- relay of util/smtp.h is the transport to use) reads unsent rows and sets
-- sent_at. The text never holds personal detail: "there is a new message,
-- sign in".
CREATE TABLE portal_outbox (
    id            INTEGER PRIMARY KEY,
    la_code       CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    to_user_id    INTEGER NOT NULL REFERENCES users (id),
    to_email      TEXT NOT NULL CHECK (length(to_email) BETWEEN 3 AND 254),
    subject       TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    body          TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    created_at    INTEGER NOT NULL,
    sent_at       INTEGER
);
CREATE INDEX portal_outbox_unsent ON portal_outbox (sent_at, id);
