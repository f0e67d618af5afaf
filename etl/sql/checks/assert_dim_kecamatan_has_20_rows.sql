-- Kukar has 20 kecamatan (Kepmendagri 300.2.2-2138/2025)
select count(*) as kecamatan from dim_kecamatan having count(*) <> 20
