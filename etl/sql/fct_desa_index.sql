-- one row per desa, index and year (IDM for desa only; Indeks Desa for all)
select
    kode_desa,
    index_name,
    year,
    value,
    status,
    source
from stg_desa_index
order by kode_desa, index_name, year
