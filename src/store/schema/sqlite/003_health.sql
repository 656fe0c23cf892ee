-- 003_health: health pathways, referrals to them and their clock stops
-- (issue 5; SQLite dialect). Same conventions as 001_init.sql: la_code on
-- every row and in every foreign key (a referral can only name a child and
-- a pathway of its own area), dates ISO 'YYYY-MM-DD' TEXT, absent values
-- NULL, enumerations by wire name (core/wait.h), flags 0/1, instants in
-- unix seconds. Written by store_health.c over store/sql.h.

-- A pathway is a service a child can be referred to and wait for (autism
-- assessment, SLT, CAMHS ...), configured per area. clock_stop says which
-- milestone ends the wait: assessment_started for diagnostic pathways
-- (NICE QS51), first_contact for therapies.
CREATE TABLE pathways (
    id                INTEGER PRIMARY KEY,
    la_code           CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    code              TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
    name              TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    provider          TEXT NOT NULL CHECK (length(provider) BETWEEN 1 AND 100),
    standard_weeks    INTEGER NOT NULL CHECK (standard_weeks BETWEEN 1 AND 104),
    clock_stop        TEXT NOT NULL CHECK (clock_stop IN ('first_contact', 'assessment_started')),
    capacity_per_week INTEGER NOT NULL CHECK (capacity_per_week BETWEEN 0 AND 10000),
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    UNIQUE (la_code, code),
    UNIQUE (la_code, id)
);

-- One referral of a child to a pathway, from referral to discharge. The
-- wait runs from referral_date to the pathway's clock-stop milestone, less
-- the days in clock_stops; it ends unseen when triage rejects or redirects
-- the referral (on triage_date) or the child is discharged first.
CREATE TABLE referrals (
    id                   INTEGER PRIMARY KEY,
    la_code              CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    child_id             INTEGER NOT NULL,
    pathway_id           INTEGER NOT NULL,
    referrer             TEXT NOT NULL CHECK (length(referrer) BETWEEN 1 AND 100),
    referral_date        TEXT NOT NULL CHECK (length(referral_date) = 10),
    priority             TEXT NOT NULL CHECK (priority IN ('routine', 'urgent')),
    triage               TEXT NOT NULL CHECK (triage IN ('pending', 'accepted', 'rejected',
                             'redirected')),
    triage_date          TEXT CHECK (length(triage_date) = 10 AND triage_date >= referral_date),
    triage_reason        TEXT CHECK (length(triage_reason) BETWEEN 1 AND 500),
    first_contact        TEXT CHECK (length(first_contact) = 10
                             AND first_contact >= referral_date),
    assessment_started   TEXT CHECK (length(assessment_started) = 10
                             AND assessment_started >= referral_date),
    assessment_completed TEXT CHECK (length(assessment_completed) = 10
                             AND assessment_completed >= assessment_started),
    outcome              TEXT CHECK (length(outcome) BETWEEN 1 AND 1000),
    outcome_code         TEXT CHECK (length(outcome_code) BETWEEN 1 AND 20),
    discharged           TEXT CHECK (length(discharged) = 10 AND discharged >= referral_date),
    created_at           INTEGER NOT NULL,
    CHECK ((triage = 'pending') = (triage_date IS NULL)),
    CHECK (triage NOT IN ('rejected', 'redirected') OR triage_reason IS NOT NULL),
    CHECK (assessment_completed IS NULL OR assessment_started IS NOT NULL),
    UNIQUE (la_code, id),
    FOREIGN KEY (la_code, child_id) REFERENCES children (la_code, id),
    FOREIGN KEY (la_code, pathway_id) REFERENCES pathways (la_code, id)
);
-- A pathway's list in queue order, covering what waiting statistics read
-- (store_referrals_load, 200,000 rows in bench/waits.sh): the bulk read
-- and the queue-position count never visit the table itself.
CREATE INDEX referrals_pathway ON referrals (la_code, pathway_id, referral_date, id,
    priority, triage, triage_date, first_contact, assessment_started, discharged);
CREATE INDEX referrals_child ON referrals (la_code, child_id, referral_date);

-- Days a referral's clock is stopped (the family declined appointments,
-- ...): from stopped up to restarted; restarted NULL while stopped. Whether
-- a stop is allowed is decided by the application; the database keeps at
-- most one open stop per referral.
CREATE TABLE clock_stops (
    id          INTEGER PRIMARY KEY,
    la_code     CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    referral_id INTEGER NOT NULL,
    stopped     TEXT NOT NULL CHECK (length(stopped) = 10),
    restarted   TEXT CHECK (length(restarted) = 10 AND restarted > stopped),
    reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    created_at  INTEGER NOT NULL,
    FOREIGN KEY (la_code, referral_id) REFERENCES referrals (la_code, id)
);
CREATE INDEX clock_stops_referral ON clock_stops (la_code, referral_id, stopped);
CREATE UNIQUE INDEX clock_stops_open ON clock_stops (la_code, referral_id)
    WHERE restarted IS NULL;
