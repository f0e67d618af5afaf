-- one row per area level (kabupaten, kecamatan, desa) and area code: what does not change by month,
-- posyandu registration and legality (master posyandu as loaded) and the basic-service index of the
-- desa (Indeks Desa - Layanan Dasar if loaded, else IDM; its latest year with a value)
with index_choice as (
    select
        index_name,
        max(year) as index_year
    from fct_desa_index
    where index_name in ('Indeks Desa - Layanan Dasar', 'IDM')
        and value is not null
    group by index_name
    order by index_name = 'Indeks Desa - Layanan Dasar' desc
    limit 1
),

basic_index_rows as (
    select
        d.kode_kec,
        d.kode_desa,
        i.value
    from fct_desa_index as i
    inner join index_choice as c
        on i.index_name = c.index_name
        and i.year = c.index_year
    inner join dim_desa as d using (kode_desa)
),

basic_index as (
    select
        case when grouping(kode_kec) = 1 then 'kabupaten' when grouping(kode_desa) = 1 then 'kecamatan' else 'desa' end as area_level,
        case when grouping(kode_kec) = 1 then '64.02' when grouping(kode_desa) = 1 then kode_kec else kode_desa end as area_code,
        avg(value) as basic_index,
        sum(value) as basic_index_sum,
        count(value) as basic_index_n
    from basic_index_rows
    group by grouping sets ((), (kode_kec), (kode_kec, kode_desa))
),

posyandu as (
    select
        case when grouping(kode_kec) = 1 then 'kabupaten' when grouping(kode_desa) = 1 then 'kecamatan' else 'desa' end as area_level,
        case when grouping(kode_kec) = 1 then '64.02' when grouping(kode_desa) = 1 then kode_kec else kode_desa end as area_code,
        count(*) as posyandu,
        count(*) filter (where is_registered) as registered,
        count(*) filter (where has_full_legality) as full_legality
    from dim_posyandu
    group by grouping sets ((), (kode_kec), (kode_kec, kode_desa))
),

final as (
    select
        area_level,
        area_code,
        coalesce(p.posyandu, 0) as posyandu,
        coalesce(p.registered, 0) as registered,
        coalesce(p.full_legality, 0) as full_legality,
        b.basic_index,
        b.basic_index_sum,
        coalesce(b.basic_index_n, 0) as basic_index_n
    from posyandu as p
    full outer join basic_index as b using (area_level, area_code)
    where area_code is not null
)

select * from final
order by area_level, area_code
