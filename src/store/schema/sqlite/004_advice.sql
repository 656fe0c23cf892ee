-- 004_advice: requests for advice during an EHC needs assessment (SEND
-- Regulations 2014 regs 6 and 8), the advice given in answer, its PDF
-- attachments, and the reminders (chases) sent about requests falling due.
--
-- The journey log holds the advice_requested / advice_received events that
-- drive the 6-week clock; these rows hold what the log does not: which
-- service or team was asked, by whom, the question, the due date the engine
-- gave, and the advice itself. requested_event / received_event tie a row
-- to its events. Dates are ISO text (sql.h), agencies by wire name.
CREATE TABLE advice_requests (
    id              INTEGER PRIMARY KEY,
    la_code         CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    case_id         INTEGER NOT NULL,
    child_id        INTEGER NOT NULL,
    agency          TEXT NOT NULL CHECK (agency IN ('education', 'health', 'social_care',
                        'psychology', 'other')),
    service         TEXT NOT NULL CHECK (length(service) BETWEEN 1 AND 100),
    setting_urn     TEXT CHECK (length(setting_urn) BETWEEN 6 AND 7),
    question        TEXT NOT NULL CHECK (length(question) <= 10000),
    requested_by    TEXT NOT NULL,
    requested_on    TEXT NOT NULL CHECK (length(requested_on) = 10),
    due             TEXT NOT NULL CHECK (length(due) = 10),
    requested_event INTEGER NOT NULL,
    received_on     TEXT CHECK (length(received_on) = 10),
    received_event  INTEGER,
    submitted_by    TEXT,
    needs           TEXT CHECK (length(needs) <= 10000),
    outcomes        TEXT CHECK (length(outcomes) <= 10000),
    provision       TEXT CHECK (length(provision) <= 10000),
    created_at      INTEGER NOT NULL,
    UNIQUE (la_code, id),
    FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id)
);
-- "Advice requested from my service", earliest due first; the open ones
-- are the working list, so they lead the index.
CREATE INDEX advice_requests_due ON advice_requests (la_code, agency, received_on, due);
CREATE INDEX advice_requests_case ON advice_requests (la_code, case_id);

-- PDF attachments to submitted advice, kept in the database so a backup
-- holds them and access goes through the same checks as the record.
CREATE TABLE advice_attachments (
    id          INTEGER PRIMARY KEY,
    la_code     CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    request_id  INTEGER NOT NULL,
    filename    TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 100),
    size        INTEGER NOT NULL CHECK (size > 0),
    content     BLOB NOT NULL,
    created_at  INTEGER NOT NULL,
    FOREIGN KEY (la_code, request_id) REFERENCES advice_requests (la_code, id)
);
CREATE INDEX advice_attachments_request ON advice_attachments (la_code, request_id);

-- Who must be chased: one row per request per day at most (the daily job
-- is idempotent), with the e-mail sent about it: status 'recorded' (no
-- relay configured, or nobody in the service has an address), 'sent' or
-- 'failed' (with the relay's error).
CREATE TABLE advice_chases (
    id          INTEGER PRIMARY KEY,
    la_code     CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    request_id  INTEGER NOT NULL,
    chase_on    TEXT NOT NULL CHECK (length(chase_on) = 10),
    kind        TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
    recipients  TEXT NOT NULL DEFAULT '' CHECK (length(recipients) <= 2000),
    status      TEXT NOT NULL CHECK (status IN ('recorded', 'sent', 'failed')),
    error       TEXT NOT NULL DEFAULT '' CHECK (length(error) <= 500),
    sent_at     INTEGER,
    UNIQUE (request_id, chase_on),
    FOREIGN KEY (la_code, request_id) REFERENCES advice_requests (la_code, id)
);
CREATE INDEX advice_chases_area ON advice_chases (la_code, chase_on);
