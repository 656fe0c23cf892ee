-- 001_init: the first sendhub schema (SQLite dialect).
--
-- Written in standard SQL so the PostgreSQL migration can mirror it line by
-- line; the only SQLite-specific spelling is INTEGER PRIMARY KEY
-- [AUTOINCREMENT] (PostgreSQL: BIGINT GENERATED ALWAYS AS IDENTITY).
--
-- Conventions:
--  * Every table carries la_code, the 3-digit DfE local authority number, so
--    one database can serve many councils and a national one can partition
--    by it. Children, cases and events are keyed (la_code, id) for foreign
--    keys, so a case can only point at a child of its own area and an event
--    only at a case of its own area: tenancy is enforced by the database.
--  * Dates are ISO 8601 'YYYY-MM-DD' TEXT so reports in plain SQL can compare
--    and group them; instants (created_at, ...) are unix seconds.
--  * Absent values are NULL (never '' or 0), except cases.coordinator where
--    '' means "unassigned" so an exact filter can list unassigned cases
--    through the caseload index.
--  * Enumerations are stored by their wire names (core/event.h,
--    core/journey.h, core/ident.h), never by C enum numbers, so reordering an
--    enum cannot silently change stored data.
--
-- The schema version is recorded in the table schema_version, which the
-- store creates itself before applying migrations (store_sqlite.c), one row
-- per applied migration.

CREATE TABLE areas (
    la_code CHAR(3) PRIMARY KEY CHECK (length(la_code) = 3),
    name    TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100)
);

-- Schools, colleges and early years settings, by GIAS URN. Public reference
-- data, so it is keyed by URN alone; la_code is the area the setting is in.
CREATE TABLE settings (
    urn     TEXT PRIMARY KEY CHECK (length(urn) BETWEEN 6 AND 7),
    la_code CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    name    TEXT NOT NULL,
    type    TEXT
);

CREATE TABLE children (
    id            INTEGER PRIMARY KEY,
    la_code       CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    forename      TEXT NOT NULL CHECK (length(forename) BETWEEN 1 AND 100),
    surname       TEXT NOT NULL CHECK (length(surname) BETWEEN 1 AND 100),
    date_of_birth TEXT NOT NULL CHECK (length(date_of_birth) = 10),
    upn           TEXT CHECK (length(upn) = 13),
    nhs_number    TEXT CHECK (length(nhs_number) = 10),
    postcode      TEXT CHECK (length(postcode) BETWEEN 5 AND 8),
    sen_need1     TEXT,          -- CBDS SEN type code ('ASD'), NULL for none
    sen_need2     TEXT,
    setting_urn   TEXT,          -- not a foreign key: settings may not be loaded yet
    created_at    INTEGER NOT NULL,
    UNIQUE (la_code, id)
);
CREATE INDEX children_surname ON children (la_code, surname);
CREATE INDEX children_dob ON children (la_code, date_of_birth);
CREATE UNIQUE INDEX children_upn ON children (la_code, upn) WHERE upn IS NOT NULL;
CREATE UNIQUE INDEX children_nhs ON children (la_code, nhs_number) WHERE nhs_number IS NOT NULL;

-- A case is one EHC journey. The columns after opened_at are the summary
-- derived from the event log by journey_compute() and cached for listing;
-- the log is the truth and can always rebuild them.
CREATE TABLE cases (
    id               INTEGER PRIMARY KEY,
    la_code          CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    child_id         INTEGER NOT NULL,
    coordinator      TEXT NOT NULL DEFAULT '' CHECK (length(coordinator) <= 100),
    opened_at        INTEGER NOT NULL,
    stage            TEXT NOT NULL CHECK (stage IN ('request', 'assessment', 'refused',
                         'no_plan', 'draft', 'plan', 'review', 'amendment', 'ceased')),
    request_date     TEXT CHECK (length(request_date) = 10),
    final_plan_date  TEXT CHECK (length(final_plan_date) = 10),
    next_due         TEXT CHECK (length(next_due) = 10),
    next_step        TEXT,
    within_20_weeks  INTEGER CHECK (within_20_weeks IN (0, 1)),
    exceptions_apply INTEGER NOT NULL DEFAULT 0 CHECK (exceptions_apply IN (0, 1)),
    event_count      INTEGER NOT NULL DEFAULT 0 CHECK (event_count >= 0),
    UNIQUE (la_code, id),
    FOREIGN KEY (la_code, child_id) REFERENCES children (la_code, id)
);
CREATE INDEX cases_due ON cases (la_code, next_due);
CREATE INDEX cases_coordinator_due ON cases (la_code, coordinator, next_due);
CREATE INDEX cases_child ON cases (child_id);

-- The append-only journey log. AUTOINCREMENT so an id is never reused: a
-- correction names the event it supersedes by id, forever.
--
-- replacement (corrections only) is the corrected event as a JSON object of
-- the fields that apply, by wire name, e.g.
--   {"type":"advice_received","date":"2026-02-03","agency":"health"}
-- keys: type, date, agency, outcome, exception, cease_reason, transfer_year,
-- transfer_to. NULL when the superseded event was simply wrong.
CREATE TABLE events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    la_code          CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    case_id          INTEGER NOT NULL,
    type             TEXT NOT NULL,
    date             TEXT NOT NULL CHECK (length(date) = 10),
    agency           TEXT,
    outcome          TEXT,
    exception_reason TEXT,
    cease_reason     INTEGER CHECK (cease_reason BETWEEN 1 AND 9),
    transfer_year    INTEGER,
    transfer_to      TEXT,
    supersedes       INTEGER,
    reason           TEXT,
    replacement      TEXT,
    recorded_by      TEXT NOT NULL,
    recorded_at      INTEGER NOT NULL,
    FOREIGN KEY (la_code, case_id) REFERENCES cases (la_code, id)
);
CREATE INDEX events_case ON events (case_id, id);
