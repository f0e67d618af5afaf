-- the engine's design-based mart and the SQL stunting mart count the same children and cases
-- (one rule for rounding, flags and the month's latest measurement)
with engine as (
    select
        month,
        area_level,
        area_code,
        max(n) filter (where indicator = 'stunting') as n_haz,
        max(cases) filter (where indicator = 'stunting') as stunted,
        max(cases) filter (where indicator = 'severe_stunting') as severely_stunted,
        max(n) filter (where indicator = 'wasting') as n_whz,
        max(cases) filter (where indicator = 'wasting') as wasted,
        max(cases) filter (where indicator = 'overweight') as overweight,
        max(n) filter (where indicator = 'underweight') as n_waz,
        max(cases) filter (where indicator = 'underweight') as underweight
    from mart_nutrition_prevalence
    where group_type = 'all'
    group by month, area_level, area_code
),

final as (
    select
        engine.*,
        mart.n_haz as mart_n_haz
    from engine
    inner join mart_stunting_by_area_month as mart
        on engine.month = mart.month
        and engine.area_level = mart.area_level
        and engine.area_code = mart.area_code
    where engine.n_haz <> mart.n_haz
        or engine.stunted <> mart.stunted
        or engine.severely_stunted <> mart.severely_stunted
        or engine.n_whz <> mart.n_whz
        or engine.wasted <> mart.wasted
        or engine.overweight <> mart.overweight
        or engine.n_waz <> mart.n_waz
        or engine.underweight <> mart.underweight
)

select * from final
