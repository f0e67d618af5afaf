-- one row per posyandu per month: kader registered, present on hari buka, participation
select
    r.posyandu_id,
    p.kode_kec,
    p.kode_desa,
    r.month,
    r.kader_registered,
    r.kader_present,
    case when r.kader_registered > 0 then r.kader_present / r.kader_registered end as participation
from fct_posyandu_month as r
left join dim_posyandu as p using (posyandu_id)
order by r.month, r.posyandu_id
