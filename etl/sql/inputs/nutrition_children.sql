-- one row per child per month: the month's latest measurement, 0-1826 days; the input of the
-- design-based mart_nutrition_prevalence, computed in Python (etl/transform/nutrition_marts.py)
with latest as (
    select * from fct_child_month
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
)

select * from final
