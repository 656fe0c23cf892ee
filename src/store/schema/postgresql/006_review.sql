-- 006_review: annual review records and phase-transfer consultations
-- (PostgreSQL dialect of schema/sqlite/006_review.sql: same columns, checks,
-- indexes). The journey's events stay the truth for every statutory date;
-- these rows hold what the log does not (invitations, planned meeting date,
-- advice circulation, attendees, the setting's report text).

CREATE TABLE reviews (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code         TEXT NOT NULL CHECK (length(la_code) = 3),
    case_id         BIGINT NOT NULL,
    invited_on      DATE,
    invitees        INTEGER NOT NULL DEFAULT 0 CHECK (invitees BETWEEN 0 AND 31),
    invitees_other  TEXT CHECK (length(invitees_other) <= 500),
    meeting_on      DATE,
    advice_on       DATE,
    attendees       TEXT CHECK (length(attendees) <= 2000),
    report_on       DATE,
    report_text     TEXT CHECK (length(report_text) <= 10000),
    recommendations TEXT CHECK (length(recommendations) <= 10000),
    report_by       TEXT CHECK (length(report_by) <= 64),
    created_at      BIGINT NOT NULL,
    FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id)
);
CREATE INDEX reviews_case ON reviews (la_code, case_id, id);

CREATE TABLE transfer_consultations (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code       TEXT NOT NULL CHECK (length(la_code) = 3),
    case_id       BIGINT NOT NULL,
    setting_name  TEXT NOT NULL CHECK (length(setting_name) BETWEEN 1 AND 100),
    setting_urn   TEXT CHECK (length(setting_urn) BETWEEN 6 AND 7),
    consulted_on  DATE NOT NULL,
    response      TEXT NOT NULL CHECK (response IN ('awaited', 'can_meet', 'cannot_meet',
                      'no_response')),
    response_on   DATE,
    created_at    BIGINT NOT NULL,
    FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id)
);
CREATE INDEX transfer_consultations_case ON transfer_consultations (la_code, case_id, id);
