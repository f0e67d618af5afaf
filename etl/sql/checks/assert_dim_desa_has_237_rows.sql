-- Kukar has 237 desa/kelurahan
select count(*) as desa from dim_desa having count(*) <> 237
