-- every measurement sits in a known desa of its kecamatan
select m.kode_desa, m.kode_kec
from fct_measurement as m
left join dim_desa as d on d.kode_desa = m.kode_desa and d.kode_kec = m.kode_kec
where d.kode_desa is null
limit 5
