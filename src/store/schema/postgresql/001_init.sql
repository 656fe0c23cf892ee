-- 001_init: the first sendhub schema (PostgreSQL dialect).
--
-- Mirrors schema/sqlite/001_init.sql column for column (same names, same
-- NULL conventions, enumerations by wire name), so `sendhub migrate --from
-- sqlite:FILE --to postgresql://...` can copy rows across unchanged. The
-- differences are the dialect's own types:
--  * ids are BIGINT GENERATED ALWAYS AS IDENTITY (never reused, like SQLite's
--    AUTOINCREMENT); the copy tool inserts with OVERRIDING SYSTEM VALUE and
--    moves the sequences past the copied ids;
--  * dates are DATE (read and written as 'YYYY-MM-DD' text by the store);
--  * instants are BIGINT unix seconds, as in SQLite;
--  * la_code is TEXT with a length check, not CHAR(3): a bpchar column
--    compared with a text parameter cannot use its index;
--  * flags are BOOLEAN, within_20_weeks SMALLINT (NULL unknown, 0, 1).
--
-- Partitioning. Every table carries la_code, and the two big tables (events,
-- and audit in 002) have primary keys that begin with la_code, so a national
-- database can declare them PARTITION BY LIST (la_code) or HASH (la_code)
-- without changing a query (docs/OPERATIONS.md; scripts/pg-partitioned.sh
-- checks that the store works on such a variant).
--
-- The schema version is recorded in schema_version, which the store creates
-- itself before applying migrations (store_pg.c), one row per migration.

CREATE TABLE areas (
    la_code TEXT PRIMARY KEY CHECK (length(la_code) = 3),
    name    TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100)
);

-- Schools, colleges and early years settings, by GIAS URN (public reference
-- data keyed by URN alone; la_code is the area the setting is in).
CREATE TABLE settings (
    urn     TEXT PRIMARY KEY CHECK (length(urn) BETWEEN 6 AND 7),
    la_code TEXT NOT NULL CHECK (length(la_code) = 3),
    name    TEXT NOT NULL,
    type    TEXT
);

CREATE TABLE children (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code       TEXT NOT NULL CHECK (length(la_code) = 3),
    forename      TEXT NOT NULL CHECK (length(forename) BETWEEN 1 AND 100),
    surname       TEXT NOT NULL CHECK (length(surname) BETWEEN 1 AND 100),
    date_of_birth DATE NOT NULL,
    upn           TEXT CHECK (length(upn) = 13),
    nhs_number    TEXT CHECK (length(nhs_number) = 10),
    postcode      TEXT CHECK (length(postcode) BETWEEN 5 AND 8),
    sen_need1     TEXT,          -- CBDS SEN type code ('ASD'), NULL for none
    sen_need2     TEXT,
    setting_urn   TEXT,          -- not a foreign key: settings may not be loaded yet
    created_at    BIGINT NOT NULL,
    UNIQUE (la_code, id)
);
CREATE INDEX children_surname ON children (la_code, surname);
CREATE INDEX children_dob ON children (la_code, date_of_birth);
CREATE UNIQUE INDEX children_upn ON children (la_code, upn) WHERE upn IS NOT NULL;
CREATE UNIQUE INDEX children_nhs ON children (la_code, nhs_number) WHERE nhs_number IS NOT NULL;

-- A case is one EHC journey; the columns after opened_at are the summary
-- derived from the event log and cached for listing. The case row is also
-- the per-case lock: every write to a case's log locks it first (store_pg.c).
CREATE TABLE cases (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    la_code          TEXT NOT NULL CHECK (length(la_code) = 3),
    child_id         BIGINT NOT NULL,
    coordinator      TEXT NOT NULL DEFAULT '' CHECK (length(coordinator) <= 100),
    opened_at        BIGINT NOT NULL,
    stage            TEXT NOT NULL CHECK (stage IN ('request', 'assessment', 'refused',
                         'no_plan', 'draft', 'plan', 'review', 'amendment', 'ceased')),
    request_date     DATE,
    final_plan_date  DATE,
    next_due         DATE,
    next_step        TEXT,
    within_20_weeks  SMALLINT CHECK (within_20_weeks IN (0, 1)),
    exceptions_apply BOOLEAN NOT NULL DEFAULT false,
    event_count      INTEGER NOT NULL DEFAULT 0 CHECK (event_count >= 0),
    UNIQUE (la_code, id),
    FOREIGN KEY (la_code, child_id) REFERENCES children (la_code, id)
);
CREATE INDEX cases_due ON cases (la_code, next_due);
CREATE INDEX cases_coordinator_due ON cases (la_code, coordinator, next_due);
CREATE INDEX cases_child ON cases (child_id);

-- The append-only journey log. replacement (corrections only) is the
-- corrected event as JSON text, exactly as in SQLite.
CREATE TABLE events (
    id               BIGINT GENERATED ALWAYS AS IDENTITY,
    la_code          TEXT NOT NULL CHECK (length(la_code) = 3),
    case_id          BIGINT NOT NULL,
    type             TEXT NOT NULL,
    date             DATE NOT NULL,
    agency           TEXT,
    outcome          TEXT,
    exception_reason TEXT,
    cease_reason     INTEGER CHECK (cease_reason BETWEEN 1 AND 9),
    transfer_year    INTEGER,
    transfer_to      TEXT,
    supersedes       BIGINT,
    reason           TEXT,
    replacement      TEXT,
    recorded_by      TEXT NOT NULL,
    recorded_at      BIGINT NOT NULL,
    PRIMARY KEY (la_code, id),
    FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id)
);
CREATE INDEX events_case ON events (case_id, id);
