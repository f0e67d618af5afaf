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

posyandu_rows as (
    -- one row per posyandu, month and register: S and D of posyandu that reported both,
    -- kader registered and present, SPM fields with a service > 0
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

    union all by name

    select
        month,
        kode_kec,
        kode_desa,
        kader_registered,
        kader_present
    from mart_kader_by_posyandu_month
    where opened  -- participation counts posyandu that opened in the month only
        and kader_registered is not null
        and kader_present is not null

    union all by name

    -- "bidang SPM dilayani" for every posyandu in the master in force (no report = 0 fields)
    select
        month,
        kode_kec,
        kode_desa,
        count(*) filter (where is_served) as fields_served
    from fct_spm_field_month
    group by month, posyandu_id, kode_kec, kode_desa
    union all by name
    -- legality at the month end: the posyandu master in force then
    select
        month,
        kode_kec,
        kode_desa,
        1 as posyandu_in_master,
        case when is_registered then 1 else 0 end as is_registered_count,
        case when has_full_legality then 1 else 0 end as full_legality_count,
        case when has_valid_sk then 1 else 0 end as valid_sk_count
    from fct_posyandu_legality_month
),

by_area as (
    select
        month,
        case when grouping(kode_kec) = 1 then 'kabupaten' when grouping(kode_desa) = 1 then 'kecamatan' else 'desa' end as area_level,
        case when grouping(kode_kec) = 1 then '64.02' when grouping(kode_desa) = 1 then kode_kec else kode_desa end as area_code,
        sum(s) as s_total,
        sum(d) as d_total,
        sum(kader_registered) as kader_registered,
        sum(kader_present) as kader_present,
        count(fields_served) as spm_posyandu,
        sum(fields_served) as spm_fields_sum,
        sum(posyandu_in_master) as posyandu,
        sum(is_registered_count) as registered,
        sum(full_legality_count) as full_legality,
        sum(valid_sk_count) as valid_sk
    from posyandu_rows
    group by grouping sets ((month), (month, kode_kec), (month, kode_kec, kode_desa))
),

combined as (
    select * from stunting
    union all by name
    select * from by_area
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
        sum(spm_fields_sum) as spm_fields_sum,
        coalesce(sum(posyandu), 0) as posyandu,
        coalesce(sum(registered), 0) as registered,
        coalesce(sum(full_legality), 0) as full_legality,
        coalesce(sum(valid_sk), 0) as valid_sk
    from combined
    where area_code is not null
    group by area_level, area_code, month
)

select * from final
order by month, area_level, area_code
