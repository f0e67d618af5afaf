-- one row per kecamatan per month: what stands behind the prevalence — children measured against
-- sasaran (S), D/S, posyandu that reported against posyandu expected, and from e-PPGBM's
-- "Naik Berat Badan": N (gained), T two months running (2T) over children weighed; all counts, so
-- pages add kecamatan together and divide
with latest as (
    select * from fct_child_month
),

children as (
    select
        month,
        kode_kec,
        child_key,
        weight_kg,
        weight_gain,
        haz_flag = 0 as has_valid_haz,
        lag(weight_gain) over (partition by child_key order by month) as previous_gain,
        lag(month) over (partition by child_key order by month) as previous_month
    from latest
),

measured as (
    select
        month,
        kode_kec,
        count(*) as children_measured,
        count(*) filter (where has_valid_haz) as children_valid_haz,
        count(*) filter (where weight_kg is not null) as children_weighed,
        count(*) filter (where weight_gain is not null) as children_with_gain_status,
        count(*) filter (where weight_gain = 'N') as gained_n,
        count(*) filter (
            where weight_gain = 'T'
                and previous_gain = 'T'
                and previous_month = month - interval 1 month
        ) as not_gained_2t
    from children
    group by month, kode_kec
),

expected as (
    select
        kode_kec,
        count(*) as posyandu_expected
    from dim_posyandu
    where is_balita
    group by kode_kec
),

reported as (
    select
        report.month,
        posyandu.kode_kec,
        count(distinct report.posyandu_id) as posyandu_reported,
        sum(report.s) as sasaran_s,
        sum(report.d) as weighed_d
    from fct_posyandu_month as report
    inner join dim_posyandu as posyandu using (posyandu_id)
    where posyandu.is_balita
    group by report.month, posyandu.kode_kec
),

final as (
    select
        coalesce(measured.month, reported.month) as month,
        coalesce(measured.kode_kec, reported.kode_kec) as kode_kec,
        coalesce(measured.children_measured, 0) as children_measured,
        coalesce(measured.children_valid_haz, 0) as children_valid_haz,
        coalesce(measured.children_weighed, 0) as children_weighed,
        coalesce(measured.children_with_gain_status, 0) as children_with_gain_status,
        coalesce(measured.gained_n, 0) as gained_n,
        coalesce(measured.not_gained_2t, 0) as not_gained_2t,
        reported.sasaran_s,
        reported.weighed_d,
        coalesce(reported.posyandu_reported, 0) as posyandu_reported,
        coalesce(expected.posyandu_expected, 0) as posyandu_expected
    from measured
    full outer join reported
        on measured.month = reported.month
        and measured.kode_kec = reported.kode_kec
    left join expected
        on expected.kode_kec = coalesce(measured.kode_kec, reported.kode_kec)
)

select * from final
order by month, kode_kec
