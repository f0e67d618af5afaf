-- one row per mentoring team and kecamatan (one team for two kecamatan)
select
    team,
    kode_kec
from stg_mentoring_team
order by team, kode_kec
