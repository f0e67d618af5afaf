-- one row per year, area and source of a published stunting figure
select
    year,
    area,
    value_pct,
    source,
    coalesce(kind, 'survei') as kind
from stg_official_stunting
order by year, area
