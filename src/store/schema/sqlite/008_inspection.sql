-- 008_inspection: area SEND inspections, their findings and the improvement
-- plan's actions, updates, measures and the board's judgements (issue 9;
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
    FOREIGN KEY (la_code, inspection_id) REFERENCES inspections (la_code, id),
    UNIQUE (la_code, id)
);
CREATE INDEX inspection_findings_inspection ON inspection_findings (la_code, inspection_id, id);

-- The improvement plan: actions under an area (a finding), each with an
-- owner (a person and their organisation), start and due dates and the
-- status its owner last reported (core/inspection.h: RAG colour, late).
CREATE TABLE inspection_actions (
    id            INTEGER PRIMARY KEY,
    la_code       CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    finding_id    INTEGER NOT NULL,
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    owner_name    TEXT NOT NULL CHECK (length(owner_name) BETWEEN 1 AND 100),
    owner_org     TEXT NOT NULL CHECK (owner_org IN ('council', 'nhs', 'school', 'pcf')),
    start_on      TEXT NOT NULL CHECK (length(start_on) = 10),
    due_on        TEXT NOT NULL CHECK (length(due_on) = 10),
    status        TEXT NOT NULL CHECK (status IN ('not_started', 'on_track', 'at_risk',
                      'off_track', 'done')),
    created_at    INTEGER NOT NULL,
    FOREIGN KEY (la_code, finding_id) REFERENCES inspection_findings (la_code, id),
    UNIQUE (la_code, id)
);
CREATE INDEX inspection_actions_finding ON inspection_actions (la_code, finding_id, id);

-- Dated updates on an action: the status reported that day and a note,
-- which is also where evidence is recorded (what was done, where the
-- document is). The action's status is the latest update's.
CREATE TABLE inspection_action_updates (
    id            INTEGER PRIMARY KEY,
    la_code       CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    action_id     INTEGER NOT NULL,
    dated_on      TEXT NOT NULL CHECK (length(dated_on) = 10),
    status        TEXT NOT NULL CHECK (status IN ('not_started', 'on_track', 'at_risk',
                      'off_track', 'done')),
    note          TEXT NOT NULL CHECK (length(note) BETWEEN 1 AND 4000),
    created_by    TEXT NOT NULL CHECK (length(created_by) BETWEEN 1 AND 64),
    created_at    INTEGER NOT NULL,
    FOREIGN KEY (la_code, action_id) REFERENCES inspection_actions (la_code, id)
);
CREATE INDEX inspection_action_updates_action ON inspection_action_updates (la_code, action_id, id);

-- A dashboard measure an area of the plan is to move (core/inspection.h:
-- insp_measure): from its value in the baseline month (tenths of a percent,
-- read from the dashboard when linked) to the target by the target date.
CREATE TABLE inspection_measures (
    id            INTEGER PRIMARY KEY,
    la_code       CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    finding_id    INTEGER NOT NULL,
    measure       TEXT NOT NULL CHECK (measure IN ('plans_20w', 'decisions_6w',
                      'reviews_on_time')),
    baseline_on   TEXT NOT NULL CHECK (length(baseline_on) = 10),
    baseline_x10  INTEGER NOT NULL CHECK (baseline_x10 BETWEEN 0 AND 1000),
    target_on     TEXT NOT NULL CHECK (length(target_on) = 10),
    target_x10    INTEGER NOT NULL CHECK (target_x10 BETWEEN 0 AND 1000),
    created_at    INTEGER NOT NULL,
    FOREIGN KEY (la_code, finding_id) REFERENCES inspection_findings (la_code, id)
);
CREATE INDEX inspection_measures_finding ON inspection_measures (la_code, finding_id, id);

-- The partnership board's judgements of the plan's progress, over time:
-- "sufficient progress" or not, and why.
CREATE TABLE inspection_judgements (
    id            INTEGER PRIMARY KEY,
    la_code       CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    inspection_id INTEGER NOT NULL,
    judged_on     TEXT NOT NULL CHECK (length(judged_on) = 10),
    sufficient    INTEGER NOT NULL CHECK (sufficient IN (0, 1)),
    reasons       TEXT NOT NULL CHECK (length(reasons) BETWEEN 1 AND 4000),
    created_by    TEXT NOT NULL CHECK (length(created_by) BETWEEN 1 AND 64),
    created_at    INTEGER NOT NULL,
    FOREIGN KEY (la_code, inspection_id) REFERENCES inspections (la_code, id)
);
CREATE INDEX inspection_judgements_inspection ON inspection_judgements (la_code, inspection_id, id);
