-- one row per kecamatan per month: anthropometric data-quality counts over each child's latest
-- measurement in the month (0-59 months, the children behind the prevalence); every column is a
-- count or a sum, so a page can add kecamatan and months together and derive shares, SDs and indices
with latest as (
    select * from fct_child_month
),

child_consistency as (
    -- one child_key should have one birth date and one sex in every record; the birth date is
    -- only derived here (measurement date minus age) and never leaves this step
    select
        child_key,
        count(distinct measured_on - age_days::integer) > 1 as has_inconsistent_birth_date,
        count(distinct sex) > 1 as has_inconsistent_sex
    from fct_measurement
    group by child_key
),

children as (
    select
        latest.month,
        latest.kode_kec,
        latest.age_days,
        latest.sex,
        latest.measure,
        latest.position_error,
        latest.haz,
        latest.waz,
        latest.whz,
        latest.haz_flag,
        latest.waz_flag,
        latest.whz_flag,
        latest.export_haz,
        latest.export_waz,
        latest.export_whz,
        -- terminal digit of a value recorded to 0.1: the first decimal
        cast(round(latest.weight_kg * 10) as bigint) % 10 as weight_digit,
        cast(round(latest.height_cm * 10) as bigint) % 10 as height_digit,
        dayofmonth(latest.measured_on - latest.age_days::integer) as birth_day,
        child_consistency.has_inconsistent_birth_date,
        child_consistency.has_inconsistent_sex
    from latest
    left join child_consistency using (child_key)
),

counted as (
    select
        month,
        kode_kec,
        count(*) as children,
        -- implausible z-scores (WHO flags)
        count(haz) as n_haz,
        count(*) filter (where haz_flag = 1) as haz_flagged,
        count(waz) as n_waz,
        count(*) filter (where waz_flag = 1) as waz_flagged,
        count(whz) as n_whz,
        count(*) filter (where whz_flag = 1) as whz_flagged,
        count(*) filter (where haz is not null or waz is not null or whz is not null) as n_any_z,
        count(*) filter (where haz_flag = 1 or waz_flag = 1 or whz_flag = 1) as any_flagged,
        -- spread of plausible z-scores: n, sum and sum of squares give mean and SD after summing
        count(*) filter (where haz_flag = 0) as n_haz_plausible,
        coalesce(sum(haz) filter (where haz_flag = 0), 0) as sum_haz,
        coalesce(sum(haz * haz) filter (where haz_flag = 0), 0) as sum_haz_sq,
        count(*) filter (where whz_flag = 0) as n_whz_plausible,
        coalesce(sum(whz) filter (where whz_flag = 0), 0) as sum_whz,
        coalesce(sum(whz * whz) filter (where whz_flag = 0), 0) as sum_whz_sq,
        count(*) filter (where waz_flag = 0) as n_waz_plausible,
        coalesce(sum(waz) filter (where waz_flag = 0), 0) as sum_waz,
        coalesce(sum(waz * waz) filter (where waz_flag = 0), 0) as sum_waz_sq,
        -- terminal-digit preference
        count(weight_digit) as weight_recorded,
        count(*) filter (where weight_digit = 0) as weight_digit_0,
        count(*) filter (where weight_digit = 1) as weight_digit_1,
        count(*) filter (where weight_digit = 2) as weight_digit_2,
        count(*) filter (where weight_digit = 3) as weight_digit_3,
        count(*) filter (where weight_digit = 4) as weight_digit_4,
        count(*) filter (where weight_digit = 5) as weight_digit_5,
        count(*) filter (where weight_digit = 6) as weight_digit_6,
        count(*) filter (where weight_digit = 7) as weight_digit_7,
        count(*) filter (where weight_digit = 8) as weight_digit_8,
        count(*) filter (where weight_digit = 9) as weight_digit_9,
        count(height_digit) as height_recorded,
        count(*) filter (where height_digit = 0) as height_digit_0,
        count(*) filter (where height_digit = 1) as height_digit_1,
        count(*) filter (where height_digit = 2) as height_digit_2,
        count(*) filter (where height_digit = 3) as height_digit_3,
        count(*) filter (where height_digit = 4) as height_digit_4,
        count(*) filter (where height_digit = 5) as height_digit_5,
        count(*) filter (where height_digit = 6) as height_digit_6,
        count(*) filter (where height_digit = 7) as height_digit_7,
        count(*) filter (where height_digit = 8) as height_digit_8,
        count(*) filter (where height_digit = 9) as height_digit_9,
        -- birth dates heaped on the 1st or 15th (a day guessed when the true one is unknown)
        count(*) filter (where birth_day = 1) as born_on_1st,
        count(*) filter (where birth_day = 15) as born_on_15th,
        -- dates and sex that disagree between a child's records
        count(*) filter (where has_inconsistent_birth_date) as inconsistent_birth_date,
        count(*) filter (where has_inconsistent_sex) as inconsistent_sex,
        count(*) filter (where has_inconsistent_birth_date or has_inconsistent_sex) as inconsistent_child,
        count(*) filter (where sex = 1) as boys,
        count(*) filter (where sex = 2) as girls,
        -- measuring position: lying under 24 months (731 days), standing from 24 months
        count(*) filter (where measure is null) as measure_missing,
        count(*) filter (where measure = 'L' and age_days >= 731) as lying_from_24_months,
        count(*) filter (where measure = 'H' and age_days < 731) as standing_under_24_months,
        count(*) filter (where position_error) as standing_under_9_months,
        -- the export's own z-scores against ours
        count(*) filter (where export_haz is not null and haz is not null) as n_export_haz,
        count(*) filter (where abs(export_haz - haz) > 0.1) as export_haz_differs,
        count(*) filter (where export_waz is not null and waz is not null) as n_export_waz,
        count(*) filter (where abs(export_waz - waz) > 0.1) as export_waz_differs,
        count(*) filter (where export_whz is not null and whz is not null) as n_export_whz,
        count(*) filter (where abs(export_whz - whz) > 0.1) as export_whz_differs
    from children
    group by month, kode_kec
),

variance as (
    select
        *,
        case
            when n_haz_plausible > 1
                then greatest(sum_haz_sq - sum_haz ^ 2 / n_haz_plausible, 0) / (n_haz_plausible - 1)
        end as var_haz,
        case
            when n_whz_plausible > 1
                then greatest(sum_whz_sq - sum_whz ^ 2 / n_whz_plausible, 0) / (n_whz_plausible - 1)
        end as var_whz
    from counted
),

final as (
    select
        * exclude (var_haz, var_whz),
        any_flagged / nullif(n_any_z, 0) as flagged_share,
        sqrt(var_haz) as sd_haz,
        sqrt(var_whz) as sd_whz
    from variance
)

select * from final
order by month, kode_kec
