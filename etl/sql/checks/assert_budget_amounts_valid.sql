-- no negative amount and at most one row per desa, year and source in the budget fact
with final as (
    select
        kode_desa,
        year,
        source,
        count(*) as n,
        min(least(posyandu_allocation_rp, kader_incentive_rp)) as smallest
    from fct_desa_budget
    group by all
    having count(*) > 1 or min(least(posyandu_allocation_rp, kader_incentive_rp)) < 0
)

select * from final
