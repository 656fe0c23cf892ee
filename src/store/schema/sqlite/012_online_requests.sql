-- 012_online_requests: requests for an EHC needs assessment made online by a
-- parent, carer or young person without an account (issue 7). The council
-- must decide whether to assess within 6 weeks of RECEIVING a request (SEND
-- Regulations 2014 reg 5(1); send-domain-facts.md section 0 row 1), so the
-- day it arrived (received_on) is the request date of the case a coordinator
-- later starts from it, however many days later they open it.
--
-- send_key: the hash of a random key the check-your-answers page carries,
-- so sending the same page twice (a double click, a refresh) stores one
-- request and shows its confirmation again.
--
-- status: 'open' until a coordinator starts the statutory request from it
-- ('started', case_id set) or closes it with a reason ('closed').

CREATE TABLE online_requests (
    id              INTEGER PRIMARY KEY,
    la_code         CHAR(3) NOT NULL CHECK (length(la_code) = 3) REFERENCES areas (la_code),
    send_key        BLOB NOT NULL UNIQUE CHECK (typeof(send_key) = 'blob' AND length(send_key) = 32),
    received_at     INTEGER NOT NULL,
    received_on     TEXT NOT NULL CHECK (length(received_on) = 10),
    asker_role      TEXT NOT NULL CHECK (asker_role IN ('parent', 'carer', 'young_person')),
    relationship    TEXT NOT NULL CHECK (length(relationship) <= 100),
    asker_name      TEXT NOT NULL CHECK (length(asker_name) BETWEEN 1 AND 100),
    email           TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    phone           TEXT NOT NULL CHECK (length(phone) <= 20),
    forename        TEXT NOT NULL CHECK (length(forename) BETWEEN 1 AND 100),
    surname         TEXT NOT NULL CHECK (length(surname) BETWEEN 1 AND 100),
    date_of_birth   TEXT NOT NULL CHECK (length(date_of_birth) = 10),
    postcode        TEXT NOT NULL CHECK (length(postcode) <= 8),
    setting_name    TEXT NOT NULL CHECK (length(setting_name) <= 200),
    upn             TEXT NOT NULL CHECK (length(upn) IN (0, 13)),
    nhs_number      TEXT NOT NULL CHECK (length(nhs_number) IN (0, 10)),
    needs           TEXT NOT NULL CHECK (length(needs) BETWEEN 1 AND 5000),
    tried           TEXT NOT NULL CHECK (length(tried) <= 5000),
    status          TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'started', 'closed')),
    case_id         INTEGER,
    closed_reason   TEXT CHECK (closed_reason IN ('duplicate', 'not_this_council',
                                                  'withdrawn', 'other')),
    closed_note     TEXT NOT NULL DEFAULT '' CHECK (length(closed_note) <= 1000),
    handled_by      TEXT,
    handled_at      INTEGER,
    FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id)
);
-- The area's open requests, oldest first (the list coordinators work from).
CREATE INDEX online_requests_open ON online_requests (la_code, status, received_at, id);

-- Submissions by client address, for the flood limit; old rows are deleted
-- as new ones go in (nothing but the address and the time is kept here).
CREATE TABLE online_request_senders (
    id      INTEGER PRIMARY KEY,
    remote  TEXT NOT NULL CHECK (length(remote) <= 64),
    at      INTEGER NOT NULL
);
CREATE INDEX online_request_senders_remote ON online_request_senders (remote, at);
