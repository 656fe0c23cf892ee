-- 008_inspection: area SEND inspections and their findings (issue 9;
-- SQLite dialect). Same conventions as 001_init.sql: la_code on every row
-- and in every foreign key, dates ISO 'YYYY-MM-DD' TEXT, absent values NULL,
-- enumerations by wire name (core/inspection.h), instants in unix seconds.
-- The follow-up dates (WSoA due, revisit and monitoring windows, next full
-- inspection) are not stored: core/inspection.c computes them from these
-- dates, so a corrected date moves them. Written by store_inspection.c over
-- store/sql.h.

-- One inspection of the area: its framework and outcome, when it started
-- (the notification), when fieldwork ended, when the outcome letter or
-- report was published (the clocks run from it), the priority action plan's
-- due date as the 2023 letter states it, and the day a 2016 written
-- statement of action was accepted as fit for purpose.
CREATE TABLE inspections (
    id            INTEGER PRIMARY KEY,
    la_code       CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    framework     TEXT NOT NULL CHECK (framework IN ('2016', '2023')),
    outcome       TEXT NOT NULL CHECK (outcome IN ('no_wsoa', 'wsoa', 'positive',
                      'inconsistent', 'widespread')),
    started_on    TEXT NOT NULL CHECK (length(started_on) = 10),
    ended_on      TEXT NOT NULL CHECK (length(ended_on) = 10),
    published_on  TEXT NOT NULL CHECK (length(published_on) = 10),
    plan_due_on   TEXT CHECK (length(plan_due_on) = 10),
    accepted_on   TEXT CHECK (length(accepted_on) = 10),
    created_by    TEXT NOT NULL CHECK (length(created_by) BETWEEN 1 AND 64),
    created_at    INTEGER NOT NULL,
    UNIQUE (la_code, id)
);
CREATE INDEX inspections_area ON inspections (la_code, published_on);

-- A finding of the report: an area of significant weakness, an area for
-- priority action, an area for improvement or a strength, with a short name
-- and the report's own wording.
CREATE TABLE inspection_findings (
    id            INTEGER PRIMARY KEY,
    la_code       CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    inspection_id INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('significant_weakness', 'priority_action',
                      'improvement', 'strength')),
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    wording       TEXT NOT NULL CHECK (length(wording) BETWEEN 1 AND 4000),
    created_at    INTEGER NOT NULL,
    FOREIGN KEY (la_code, inspection_id) REFERENCES inspections (la_code, id)
);
CREATE INDEX inspection_findings_inspection ON inspection_findings (la_code, inspection_id, id);
