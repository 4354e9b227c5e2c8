-- Actions recorded in the activity log per day and user, over a period (SPEC P3, R1).
-- $1: first day (inclusive), $2: last day (inclusive), $3: time zone of the company
SELECT
    CAST(timezone($3, a."at") AS DATE) AS day,
    coalesce(a.username, 'system') AS username,
    count(*) AS actions,
    count(*) FILTER (WHERE a.action IN ('create', 'update', 'archive', 'restore')) AS changes
FROM pg.public.activity_log AS a
WHERE a."at" >= CAST($1 AS DATE) - INTERVAL 1 DAY
  AND a."at" < CAST($2 AS DATE) + INTERVAL 2 DAY
  AND CAST(timezone($3, a."at") AS DATE) BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)
GROUP BY ALL
ORDER BY day, username
