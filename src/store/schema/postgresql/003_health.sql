-- 003_health: health pathways, referrals to them and their clock stops
-- (issue 5; PostgreSQL dialect of schema/sqlite/003_health.sql: same
-- columns, checks and indexes). Types as in 001: BIGINT identities, DATE
-- dates, BIGINT unix seconds, la_code TEXT with a length check; flags are
-- SMALLINT 0/1 (store/sql.h: one SQL text for both backends). Ordered text
-- (pathway names) is COLLATE "C" so both engines order bytewise. The big
-- table, referrals, has a primary key beginning with la_code so a national
-- database can partition it by area.

CREATE TABLE pathways (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code           TEXT NOT NULL CHECK (length(la_code) = 3),
    code              TEXT COLLATE "C" NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
    name              TEXT COLLATE "C" NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    provider          TEXT NOT NULL CHECK (length(provider) BETWEEN 1 AND 100),
    standard_weeks    INTEGER NOT NULL CHECK (standard_weeks BETWEEN 1 AND 104),
    clock_stop        TEXT NOT NULL CHECK (clock_stop IN ('first_contact', 'assessment_started')),
    capacity_per_week INTEGER NOT NULL CHECK (capacity_per_week BETWEEN 0 AND 10000),
    active            SMALLINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    UNIQUE (la_code, code),
    UNIQUE (la_code, id)
);

CREATE TABLE referrals (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY,
    la_code              TEXT NOT NULL CHECK (length(la_code) = 3),
    child_id             BIGINT NOT NULL,
    pathway_id           BIGINT NOT NULL,
    referrer             TEXT NOT NULL CHECK (length(referrer) BETWEEN 1 AND 100),
    referral_date        DATE NOT NULL,
    priority             TEXT NOT NULL CHECK (priority IN ('routine', 'urgent')),
    triage               TEXT NOT NULL CHECK (triage IN ('pending', 'accepted', 'rejected',
                             'redirected')),
    triage_date          DATE CHECK (triage_date >= referral_date),
    triage_reason        TEXT CHECK (length(triage_reason) BETWEEN 1 AND 500),
    first_contact        DATE CHECK (first_contact >= referral_date),
    assessment_started   DATE CHECK (assessment_started >= referral_date),
    assessment_completed DATE CHECK (assessment_completed >= assessment_started),
    outcome              TEXT CHECK (length(outcome) BETWEEN 1 AND 1000),
    outcome_code         TEXT CHECK (length(outcome_code) BETWEEN 1 AND 20),
    discharged           DATE CHECK (discharged >= referral_date),
    created_at           BIGINT NOT NULL,
    CHECK ((triage = 'pending') = (triage_date IS NULL)),
    CHECK (triage NOT IN ('rejected', 'redirected') OR triage_reason IS NOT NULL),
    CHECK (assessment_completed IS NULL OR assessment_started IS NOT NULL),
    PRIMARY KEY (la_code, id),
    FOREIGN KEY (la_code, child_id) REFERENCES children (la_code, id),
    FOREIGN KEY (la_code, pathway_id) REFERENCES pathways (la_code, id)
);
CREATE INDEX referrals_pathway ON referrals (la_code, pathway_id, referral_date, id)
    INCLUDE (priority, triage, triage_date, first_contact, assessment_started, discharged);
CREATE INDEX referrals_child ON referrals (la_code, child_id, referral_date);

CREATE TABLE clock_stops (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code     TEXT NOT NULL CHECK (length(la_code) = 3),
    referral_id BIGINT NOT NULL,
    stopped     DATE NOT NULL,
    restarted   DATE CHECK (restarted > stopped),
    reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    created_at  BIGINT NOT NULL,
    FOREIGN KEY (la_code, referral_id) REFERENCES referrals (la_code, id)
);
CREATE INDEX clock_stops_referral ON clock_stops (la_code, referral_id, stopped);
CREATE UNIQUE INDEX clock_stops_open ON clock_stops (la_code, referral_id)
    WHERE restarted IS NULL;
