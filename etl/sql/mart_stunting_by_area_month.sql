-- one row per area level, area code and month: each child's latest measurement in the month,
-- children 0-59 months with a plausible z-score (WHO flags excluded), each prevalence with its Wilson 95% CI
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

wilson_terms as (
    -- Wilson score interval, z = 1.96: centre (p + z²/2n) / (1 + z²/n),
    -- half-width z·sqrt(p(1 − p)/n + z²/4n²) / (1 + z²/n)
    select
        *,
        (stunting_prevalence + 3.8416 / (2 * n_haz)) / (1 + 3.8416 / n_haz) as stunting_centre,
        1.96 * sqrt(stunting_prevalence * (1 - stunting_prevalence) / n_haz + 3.8416 / (4 * n_haz ^ 2))
            / (1 + 3.8416 / n_haz) as stunting_half,
        (severe_stunting_prevalence + 3.8416 / (2 * n_haz)) / (1 + 3.8416 / n_haz) as severe_stunting_centre,
        1.96 * sqrt(severe_stunting_prevalence * (1 - severe_stunting_prevalence) / n_haz + 3.8416 / (4 * n_haz ^ 2))
            / (1 + 3.8416 / n_haz) as severe_stunting_half,
        (wasting_prevalence + 3.8416 / (2 * n_whz)) / (1 + 3.8416 / n_whz) as wasting_centre,
        1.96 * sqrt(wasting_prevalence * (1 - wasting_prevalence) / n_whz + 3.8416 / (4 * n_whz ^ 2))
            / (1 + 3.8416 / n_whz) as wasting_half,
        (overweight_prevalence + 3.8416 / (2 * n_whz)) / (1 + 3.8416 / n_whz) as overweight_centre,
        1.96 * sqrt(overweight_prevalence * (1 - overweight_prevalence) / n_whz + 3.8416 / (4 * n_whz ^ 2))
            / (1 + 3.8416 / n_whz) as overweight_half,
        (underweight_prevalence + 3.8416 / (2 * n_waz)) / (1 + 3.8416 / n_waz) as underweight_centre,
        1.96 * sqrt(underweight_prevalence * (1 - underweight_prevalence) / n_waz + 3.8416 / (4 * n_waz ^ 2))
            / (1 + 3.8416 / n_waz) as underweight_half
    from with_rates
),

final as (
    select
        month,
        area_level,
        area_code,
        children_measured,
        n_haz,
        stunted,
        severely_stunted,
        n_whz,
        wasted,
        overweight,
        n_waz,
        underweight,
        stunting_prevalence,
        stunting_centre - stunting_half as stunting_ci_low,
        stunting_centre + stunting_half as stunting_ci_high,
        severe_stunting_prevalence,
        severe_stunting_centre - severe_stunting_half as severe_stunting_ci_low,
        severe_stunting_centre + severe_stunting_half as severe_stunting_ci_high,
        wasting_prevalence,
        wasting_centre - wasting_half as wasting_ci_low,
        wasting_centre + wasting_half as wasting_ci_high,
        overweight_prevalence,
        overweight_centre - overweight_half as overweight_ci_low,
        overweight_centre + overweight_half as overweight_ci_high,
        underweight_prevalence,
        underweight_centre - underweight_half as underweight_ci_low,
        underweight_centre + underweight_half as underweight_ci_high
    from wilson_terms
)

select * from final
order by month, area_level, area_code
