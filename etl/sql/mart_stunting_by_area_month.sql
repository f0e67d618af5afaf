-- one row per area level, area code and month: each child's latest measurement in the month,
-- children 0-59 months with a plausible z-score (z rounded to 2 decimals and WHO flags on the rounded
-- value, as WHO's anthro), each prevalence with the design-based 95% CI of mart_nutrition_prevalence
with latest as (
    select * from fct_child_month
),

children as (
    select
        month,
        kode_kec,
        kode_desa,
        coalesce(posyandu_id, '') as posyandu_id,
        case when haz_flag = 0 then haz end as haz,
        case when whz_flag = 0 then whz end as whz,
        case when waz_flag = 0 then waz end as waz
    from latest
),

by_area as (
    select
        month,
        case
            when grouping(kode_kec) = 1 then 'kabupaten'
            when grouping(kode_desa) = 1 then 'kecamatan'
            when grouping(posyandu_id) = 1 then 'desa'
            else 'posyandu'
        end as area_level,
        case
            when grouping(kode_kec) = 1 then '64.02'
            when grouping(kode_desa) = 1 then kode_kec
            when grouping(posyandu_id) = 1 then kode_desa
            else posyandu_id
        end as area_code,
        count(*) as children_measured,
        count(haz) as n_haz,
        count(*) filter (where haz < -2) as stunted,
        count(*) filter (where haz < -3) as severely_stunted,
        count(whz) as n_whz,
        count(*) filter (where whz < -2) as wasted,
        count(*) filter (where whz > 2) as overweight,
        count(waz) as n_waz,
        count(*) filter (where waz < -2) as underweight
    from children
    group by grouping sets ((month), (month, kode_kec), (month, kode_kec, kode_desa), (month, kode_kec, kode_desa, posyandu_id))
),

with_rates as (
    select
        *,
        stunted / nullif(n_haz, 0) as stunting_prevalence,
        severely_stunted / nullif(n_haz, 0) as severe_stunting_prevalence,
        wasted / nullif(n_whz, 0) as wasting_prevalence,
        overweight / nullif(n_whz, 0) as overweight_prevalence,
        underweight / nullif(n_waz, 0) as underweight_prevalence
    from by_area
    where not (area_level = 'posyandu' and area_code = '')
),

intervals as (
    -- design-based 95% intervals (WHO's method) from the engine's mart; a posyandu is one
    -- cluster and an area with a single posyandu has no design-based interval: null there
    select
        month,
        area_level,
        area_code,
        max(ci_low) filter (where indicator = 'stunting') as stunting_ci_low,
        max(ci_high) filter (where indicator = 'stunting') as stunting_ci_high,
        max(ci_low) filter (where indicator = 'severe_stunting') as severe_stunting_ci_low,
        max(ci_high) filter (where indicator = 'severe_stunting') as severe_stunting_ci_high,
        max(ci_low) filter (where indicator = 'wasting') as wasting_ci_low,
        max(ci_high) filter (where indicator = 'wasting') as wasting_ci_high,
        max(ci_low) filter (where indicator = 'overweight') as overweight_ci_low,
        max(ci_high) filter (where indicator = 'overweight') as overweight_ci_high,
        max(ci_low) filter (where indicator = 'underweight') as underweight_ci_low,
        max(ci_high) filter (where indicator = 'underweight') as underweight_ci_high
    from mart_nutrition_prevalence
    where group_type = 'all'
    group by month, area_level, area_code
),

final as (
    select
        with_rates.month,
        with_rates.area_level,
        with_rates.area_code,
        with_rates.children_measured,
        with_rates.n_haz,
        with_rates.stunted,
        with_rates.severely_stunted,
        with_rates.n_whz,
        with_rates.wasted,
        with_rates.overweight,
        with_rates.n_waz,
        with_rates.underweight,
        with_rates.stunting_prevalence,
        intervals.stunting_ci_low,
        intervals.stunting_ci_high,
        with_rates.severe_stunting_prevalence,
        intervals.severe_stunting_ci_low,
        intervals.severe_stunting_ci_high,
        with_rates.wasting_prevalence,
        intervals.wasting_ci_low,
        intervals.wasting_ci_high,
        with_rates.overweight_prevalence,
        intervals.overweight_ci_low,
        intervals.overweight_ci_high,
        with_rates.underweight_prevalence,
        intervals.underweight_ci_low,
        intervals.underweight_ci_high
    from with_rates
    left join intervals
        on with_rates.month = intervals.month
        and with_rates.area_level = intervals.area_level
        and with_rates.area_code = intervals.area_code
)

select * from final
order by month, area_level, area_code
