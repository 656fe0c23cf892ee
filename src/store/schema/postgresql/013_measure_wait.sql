-- 013_measure_wait: an improvement plan can link a pathway's median wait
-- (weeks, lower is better) as well as the dashboard's rates (issue 9;
-- PostgreSQL dialect). A measure 'wait_median' names its pathway; its
-- values are tenths of a week (0..9999, i.e. up to 999.9 weeks), a rate's
-- stay tenths of a percent (0..1000). PostgreSQL alters the constraints in
-- place (008 declared them inline, so they carry PostgreSQL's default
-- names <table>_<column>_check).
ALTER TABLE inspection_measures ADD COLUMN pathway_id BIGINT;
ALTER TABLE inspection_measures DROP CONSTRAINT inspection_measures_measure_check;
ALTER TABLE inspection_measures DROP CONSTRAINT inspection_measures_baseline_x10_check;
ALTER TABLE inspection_measures DROP CONSTRAINT inspection_measures_target_x10_check;
ALTER TABLE inspection_measures ADD CONSTRAINT inspection_measures_measure_check
    CHECK (measure IN ('plans_20w', 'decisions_6w', 'reviews_on_time', 'wait_median'));
ALTER TABLE inspection_measures ADD CONSTRAINT inspection_measures_pathway_check
    CHECK ((measure = 'wait_median') = (pathway_id IS NOT NULL));
ALTER TABLE inspection_measures ADD CONSTRAINT inspection_measures_values_check
    CHECK (CASE WHEN measure = 'wait_median'
                THEN baseline_x10 BETWEEN 0 AND 9999 AND target_x10 BETWEEN 0 AND 9999
                ELSE baseline_x10 BETWEEN 0 AND 1000 AND target_x10 BETWEEN 0 AND 1000 END);
ALTER TABLE inspection_measures ADD CONSTRAINT inspection_measures_pathway_fk
    FOREIGN KEY (la_code, pathway_id) REFERENCES pathways (la_code, id);
