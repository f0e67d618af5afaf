-- one row per child per month: the month's latest measurement, 0-1826 days; the input of the
-- design-based mart_nutrition_prevalence, computed in Python (etl/transform/nutrition_marts.py)
with latest as (
    select
        *,
        row_number() over (partition by child_key, month order by measured_on desc) as rank_in_month
    from fct_measurement
    where age_days between 0 and 1826
),

final as (
    select
        month,
        kode_kec,
        kode_desa,
        posyandu_id,
        age_days,
        sex,
        haz,
        waz,
        whz,
        oedema
    from latest
    where rank_in_month = 1
)

select * from final
