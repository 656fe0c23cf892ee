-- 013_measure_wait: an improvement plan can link a pathway's median wait
-- (weeks, lower is better) as well as the dashboard's rates (issue 9;
-- SQLite dialect). A measure 'wait_median' names its pathway; its values
-- are tenths of a week (0..9999, i.e. up to 999.9 weeks), a rate's stay
-- tenths of a percent (0..1000).
--
-- SQLite cannot alter a CHECK constraint, so the table is rebuilt: create
-- the new one, copy every row (ids kept), drop the old, rename. No table
-- references inspection_measures by a foreign key (001-012), so dropping it
-- breaks nothing; its one index is created again.
CREATE TABLE inspection_measures_new (
    id            INTEGER PRIMARY KEY,
    la_code       CHAR(3) NOT NULL CHECK (length(la_code) = 3),
    finding_id    INTEGER NOT NULL,
    measure       TEXT NOT NULL CHECK (measure IN ('plans_20w', 'decisions_6w',
                      'reviews_on_time', 'wait_median')),
    pathway_id    INTEGER,
    baseline_on   TEXT NOT NULL CHECK (length(baseline_on) = 10),
    baseline_x10  INTEGER NOT NULL,
    target_on     TEXT NOT NULL CHECK (length(target_on) = 10),
    target_x10    INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    CHECK ((measure = 'wait_median') = (pathway_id IS NOT NULL)),
    CHECK (CASE WHEN measure = 'wait_median'
                THEN baseline_x10 BETWEEN 0 AND 9999 AND target_x10 BETWEEN 0 AND 9999
                ELSE baseline_x10 BETWEEN 0 AND 1000 AND target_x10 BETWEEN 0 AND 1000 END),
    FOREIGN KEY (la_code, finding_id) REFERENCES inspection_findings (la_code, id),
    FOREIGN KEY (la_code, pathway_id) REFERENCES pathways (la_code, id)
);
INSERT INTO inspection_measures_new (id, la_code, finding_id, measure, pathway_id, baseline_on,
                                     baseline_x10, target_on, target_x10, created_at)
    SELECT id, la_code, finding_id, measure, NULL, baseline_on, baseline_x10, target_on,
           target_x10, created_at
      FROM inspection_measures;
DROP TABLE inspection_measures;
ALTER TABLE inspection_measures_new RENAME TO inspection_measures;
CREATE INDEX inspection_measures_finding ON inspection_measures (la_code, finding_id, id);
