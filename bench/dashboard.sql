-- bench/dashboard.sql — the reference for bench/dashboard.sh: the dashboard
-- figures dash_bench prints, written by hand in SQL for the sqlite3 shell,
-- with output lines in the same format so the two can be diffed.
--
-- Parameters (.parameter set): @as_of 'YYYY-MM-DD', @first and @last
-- (calendar years). The area filter is the one line marked AREA, which
-- bench/dashboard.sh replaces ("c.la_code = '801'" or "1" for England).
--
-- It is the fair hand-written equivalent of the fold for these figures: one
-- pass over the events of the area's cases (cases by la_code, then the
-- events_case index), one row per case with the dates that matter, then
-- the aggregates. It does less than sendhub: no statutory step engine, no
-- corrections (the generated data have none), no advice, reviews, phase
-- transfers, census-day caseloads, ages or settings, no months.
CREATE TEMP TABLE j AS
SELECT e.case_id AS case_id,
       MIN(CASE WHEN e.type = 'request_received' THEN e.date END) AS req,
       MIN(CASE WHEN e.type = 'final_plan_issued' THEN e.date END) AS fin,
       MAX(e.type = 'exception') AS exc,
       MIN(CASE WHEN e.type = 'decision_to_assess' THEN e.date END) AS dec,
       MAX(e.type = 'decision_to_assess' AND e.outcome = 'refuse') AS refused,
       MIN(CASE WHEN e.type IN ('final_plan_issued', 'transfer_in') THEN e.date END) AS start,
       MAX(e.type = 'plan_ceased') AS ceased
  FROM cases c JOIN events e ON e.case_id = c.id
 WHERE AREA
 GROUP BY e.case_id;

CREATE TEMP TABLE years AS
WITH RECURSIVE y(v) AS (SELECT @first UNION ALL SELECT v + 1 FROM y WHERE v < @last)
SELECT CAST(v AS TEXT) AS year FROM y;

SELECT printf('plans %s %d %d %d %d %.2f %d', year, n, w, nx, wx, x10 * 1.0 / 10 / n, over)
  FROM (SELECT substr(fin, 1, 4) AS year, count(*) AS n,
               sum(d <= 140) AS w, sum(exc = 0) AS nx, sum(exc = 0 AND d <= 140) AS wx,
               sum((20 * d + 7) / 14) AS x10, sum((20 * d + 7) / 14 > 520) AS over
          FROM (SELECT fin, exc, CAST(julianday(fin) - julianday(req) AS INTEGER) AS d
                  FROM j WHERE req IS NOT NULL AND fin IS NOT NULL)
         WHERE substr(fin, 1, 4) BETWEEN CAST(@first AS TEXT) AND CAST(@last AS TEXT)
         GROUP BY 1)
 ORDER BY year;

SELECT printf('requests %s %d', y.year, coalesce(r.n, 0)) || char(10) ||
       printf('decisions %s %d %d %d', y.year, coalesce(d.n, 0), coalesce(d.w, 0),
              coalesce(d.refused, 0))
  FROM years y
  LEFT JOIN (SELECT substr(req, 1, 4) AS year, count(*) AS n FROM j
              WHERE req IS NOT NULL GROUP BY 1) r ON r.year = y.year
  LEFT JOIN (SELECT substr(dec, 1, 4) AS year, count(*) AS n,
                    sum(julianday(dec) - julianday(req) <= 42) AS w, sum(refused) AS refused
               FROM j WHERE dec IS NOT NULL GROUP BY 1) d ON d.year = y.year
 ORDER BY y.year;

-- In force at as_of: a final plan or a transfer in, and no plan_ceased
-- (a decision to cease does not end a plan: docs/METRICS.md).
SELECT printf('active %d', count(*)) FROM j WHERE start <= @as_of AND ceased = 0;

SELECT printf('need %s %d', ch.sen_need1, count(*))
  FROM j JOIN cases c ON c.id = j.case_id
  JOIN children ch ON ch.la_code = c.la_code AND ch.id = c.child_id
 WHERE j.start <= @as_of AND j.ceased = 0 AND ch.sen_need1 IS NOT NULL
 GROUP BY ch.sen_need1;
