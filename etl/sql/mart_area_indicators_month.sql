-- one row per area level (kabupaten, kecamatan, desa), area code and month: the monthly counts behind
-- the priority score, the map, the scorecard and the rapat screens; counts and sums only, so the
-- kecamatan rows of any scope add up (percentages are derived by the query that reads them)
with stunting as (
    select
        area_level,
        area_code,
        month,
        n_haz as children,
        stunted
    from mart_stunting_by_area_month
    where area_level in ('kabupaten', 'kecamatan', 'desa')
),

skdn_rows as (
    -- posyandu that reported both S and D in the month
    select
        r.month,
        p.kode_kec,
        p.kode_desa,
        r.s,
        r.d
    from fct_posyandu_month as r
    inner join dim_posyandu as p using (posyandu_id)
    where r.s is not null
        and r.d is not null
),

kader_rows as (
    select
        month,
        kode_kec,
        kode_desa,
        kader_registered,
        kader_present
    from mart_kader_by_posyandu_month
    where kader_registered is not null
        and kader_present is not null
),

spm_rows as (
    -- SPM fields with a service > 0 in the month, per posyandu that reported SPM services
    select
        s.month,
        p.kode_kec,
        p.kode_desa,
        count(distinct s.spm_field) filter (where s.value > 0) as fields_served
    from fct_spm_service as s
    inner join dim_posyandu as p using (posyandu_id)
    group by s.month, s.posyandu_id, p.kode_kec, p.kode_desa
),

skdn as (
    select
        month,
        case when grouping(kode_kec) = 1 then 'kabupaten' when grouping(kode_desa) = 1 then 'kecamatan' else 'desa' end as area_level,
        case when grouping(kode_kec) = 1 then '64.02' when grouping(kode_desa) = 1 then kode_kec else kode_desa end as area_code,
        sum(s) as s_total,
        sum(d) as d_total
    from skdn_rows
    group by grouping sets ((month), (month, kode_kec), (month, kode_kec, kode_desa))
),

kader as (
    select
        month,
        case when grouping(kode_kec) = 1 then 'kabupaten' when grouping(kode_desa) = 1 then 'kecamatan' else 'desa' end as area_level,
        case when grouping(kode_kec) = 1 then '64.02' when grouping(kode_desa) = 1 then kode_kec else kode_desa end as area_code,
        sum(kader_registered) as kader_registered,
        sum(kader_present) as kader_present
    from kader_rows
    group by grouping sets ((month), (month, kode_kec), (month, kode_kec, kode_desa))
),

spm as (
    select
        month,
        case when grouping(kode_kec) = 1 then 'kabupaten' when grouping(kode_desa) = 1 then 'kecamatan' else 'desa' end as area_level,
        case when grouping(kode_kec) = 1 then '64.02' when grouping(kode_desa) = 1 then kode_kec else kode_desa end as area_code,
        count(*) as spm_posyandu,
        sum(fields_served) as spm_fields_sum
    from spm_rows
    group by grouping sets ((month), (month, kode_kec), (month, kode_kec, kode_desa))
),

combined as (
    select * from stunting
    union all by name
    select * from skdn
    union all by name
    select * from kader
    union all by name
    select * from spm
),

final as (
    select
        area_level,
        area_code,
        month,
        coalesce(sum(children), 0) as children,
        coalesce(sum(stunted), 0) as stunted,
        sum(s_total) as s_total,
        sum(d_total) as d_total,
        sum(kader_registered) as kader_registered,
        sum(kader_present) as kader_present,
        coalesce(sum(spm_posyandu), 0) as spm_posyandu,
        sum(spm_fields_sum) as spm_fields_sum
    from combined
    where area_code is not null
    group by area_level, area_code, month
)

select * from final
order by month, area_level, area_code
