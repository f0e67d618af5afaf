-- one row per mentoring visit
select
    team,
    kode_kec,
    kode_desa,
    posyandu_id,
    visited_on,
    topic
from stg_mentoring_visit
order by visited_on, team
