-- one row per posyandu, month, SPM field and indicator
select
    posyandu_id,
    month,
    spm_field,
    indicator,
    value
from stg_spm_service
order by month, posyandu_id, spm_field, indicator
