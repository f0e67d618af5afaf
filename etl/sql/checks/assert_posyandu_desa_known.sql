-- every posyandu sits in a known desa of its kecamatan
select p.posyandu_id
from dim_posyandu as p
left join dim_desa as d on d.kode_desa = p.kode_desa and d.kode_kec = p.kode_kec
where d.kode_desa is null
limit 5
