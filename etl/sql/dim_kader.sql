-- one row per kader (pseudonymous id; no names)
select
    kader_id,
    posyandu_id,
    role,
    spm_field,
    active_from,
    active_to
from stg_kader
order by kader_id
