-- one row per posyandu per month (SKDN and kader attendance)
select
    posyandu_id,
    month,
    days_open,
    s,
    k,
    d,
    n,
    t,
    o,
    b,
    bgm,
    kader_registered,
    kader_present
from stg_monthly_report
order by month, posyandu_id
