-- one row per child per month: the child's latest measurement in the month, children 0-59 months
-- (the children behind every prevalence and every data-quality figure; one definition for all)
with ranked as (
    select
        *,
        row_number() over (partition by child_key, month order by measured_on desc) as rank_in_month
    from fct_measurement
    where age_days between 0 and 1826
),

final as (
    select * exclude (rank_in_month)
    from ranked
    where rank_in_month = 1
)

select * from final
