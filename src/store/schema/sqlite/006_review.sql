-- 006_review: annual review records and phase-transfer consultations
-- (issue 4). The journey's events stay the truth for every statutory date
-- (meeting, report received, decision, proposals, amended plan); these rows
-- hold what the log does not: who was invited and when, the planned meeting
-- date, advice circulation, who attended, and the setting's report text.

CREATE TABLE reviews (
    id              INTEGER PRIMARY KEY,
    la_code         CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    case_id         INTEGER NOT NULL,
    invited_on      TEXT CHECK (length(invited_on) = 10),
    invitees        INTEGER NOT NULL DEFAULT 0 CHECK (invitees BETWEEN 0 AND 31),
    invitees_other  TEXT CHECK (length(invitees_other) <= 500),
    meeting_on      TEXT CHECK (length(meeting_on) = 10),
    advice_on       TEXT CHECK (length(advice_on) = 10),
    attendees       TEXT CHECK (length(attendees) <= 2000),
    report_on       TEXT CHECK (length(report_on) = 10),
    report_text     TEXT CHECK (length(report_text) <= 10000),
    recommendations TEXT CHECK (length(recommendations) <= 10000),
    report_by       TEXT CHECK (length(report_by) <= 64),
    created_at      INTEGER NOT NULL,
    FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id)
);
CREATE INDEX reviews_case ON reviews (la_code, case_id, id);

CREATE TABLE transfer_consultations (
    id            INTEGER PRIMARY KEY,
    la_code       CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    case_id       INTEGER NOT NULL,
    setting_name  TEXT NOT NULL CHECK (length(setting_name) BETWEEN 1 AND 100),
    setting_urn   TEXT CHECK (length(setting_urn) BETWEEN 6 AND 7),
    consulted_on  TEXT NOT NULL CHECK (length(consulted_on) = 10),
    response      TEXT NOT NULL CHECK (response IN ('awaited', 'can_meet', 'cannot_meet',
                      'no_response')),
    response_on   TEXT CHECK (length(response_on) = 10),
    created_at    INTEGER NOT NULL,
    FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id)
);
CREATE INDEX transfer_consultations_case ON transfer_consultations (la_code, case_id, id);
