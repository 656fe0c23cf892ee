-- 004_advice (PostgreSQL dialect of schema/sqlite/004_advice.sql: same
-- columns, checks and indexes): requests for advice during an EHC needs
-- assessment (SEND Regulations 2014 regs 6 and 8), the advice given in answer, its PDF
-- attachments, and the reminders (chases) sent about requests falling due.
--
-- The journey log holds the advice_requested / advice_received events that
-- drive the 6-week clock; these rows hold what the log does not: which
-- service or team was asked, by whom, the question, the due date the engine
-- gave, and the advice itself. requested_event / received_event tie a row
-- to its events. Dates are DATE columns (sql.h), agencies by wire name.
CREATE TABLE advice_requests (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code         TEXT NOT NULL CHECK (length(la_code) = 3),
    case_id         BIGINT NOT NULL,
    child_id        BIGINT NOT NULL,
    agency          TEXT NOT NULL CHECK (agency IN ('education', 'health', 'social_care',
                        'psychology', 'other')),
    service         TEXT COLLATE "C" NOT NULL CHECK (length(service) BETWEEN 1 AND 100),
    setting_urn     TEXT CHECK (length(setting_urn) BETWEEN 6 AND 7),
    question        TEXT NOT NULL CHECK (length(question) <= 10000),
    requested_by    TEXT NOT NULL,
    requested_on    DATE NOT NULL,
    due             DATE NOT NULL,
    requested_event BIGINT NOT NULL,
    received_on     DATE,
    received_event  BIGINT,
    submitted_by    TEXT,
    needs           TEXT CHECK (length(needs) <= 10000),
    outcomes        TEXT CHECK (length(outcomes) <= 10000),
    provision       TEXT CHECK (length(provision) <= 10000),
    created_at      BIGINT NOT NULL,
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
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code     TEXT NOT NULL CHECK (length(la_code) = 3),
    request_id  BIGINT NOT NULL,
    filename    TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 100),
    size        INTEGER NOT NULL CHECK (size > 0),
    content     BYTEA NOT NULL,
    created_at  BIGINT NOT NULL,
    FOREIGN KEY (la_code, request_id) REFERENCES advice_requests (la_code, id)
);
CREATE INDEX advice_attachments_request ON advice_attachments (la_code, request_id);

-- Who must be chased: one row per request per day at most (the daily job
-- is idempotent), with the e-mail sent about it: status 'recorded' (no
-- relay configured, or nobody in the service has an address), 'sent' or
-- 'failed' (with the relay's error).
CREATE TABLE advice_chases (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code     TEXT NOT NULL CHECK (length(la_code) = 3),
    request_id  BIGINT NOT NULL,
    chase_on    DATE NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
    recipients  TEXT NOT NULL DEFAULT '' CHECK (length(recipients) <= 2000),
    status      TEXT NOT NULL CHECK (status IN ('recorded', 'sent', 'failed')),
    error       TEXT NOT NULL DEFAULT '' CHECK (length(error) <= 500),
    sent_at     BIGINT,
    UNIQUE (request_id, chase_on),
    FOREIGN KEY (la_code, request_id) REFERENCES advice_requests (la_code, id)
);
CREATE INDEX advice_chases_area ON advice_chases (la_code, chase_on);
