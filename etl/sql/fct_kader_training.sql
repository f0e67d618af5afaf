-- one row per kader per training attended
select
    kader_id,
    theme,
    trained_on,
    organiser
from stg_kader_training
order by trained_on, kader_id
