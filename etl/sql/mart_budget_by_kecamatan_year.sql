-- one row per kecamatan and budget year: the desa budgets summed, each ratio over the desa that have its denominator
with desa as (
    select * from mart_budget_by_desa_year
),

desa_count as (
    select
        kode_kec,
        count(*) as desa_total
    from dim_desa
    group by all
),

summed as (
    select
        kode_kec,
        year,
        count(*) as desa_with_budget,
        sum(posyandu_allocation_rp) as posyandu_allocation_rp,
        sum(kader_incentive_rp) as kader_incentive_rp,
        sum(budget_rp) as budget_rp,
        sum(posyandu) as posyandu,
        -- numerators restricted to the desa whose denominator is known, so no ratio mixes them
        coalesce(sum(budget_rp) filter (where posyandu > 0), 0) as budget_rp_of_desa_with_posyandu,
        coalesce(sum(budget_rp) filter (where children_weighed > 0), 0) as budget_rp_of_desa_weighing,
        coalesce(sum(children_weighed), 0) as children_weighed,
        coalesce(sum(kader_incentive_rp) filter (where kader_registered > 0), 0) as incentive_rp_of_desa_with_kader,
        coalesce(sum(kader_registered), 0) as kader_registered
    from desa
    group by all
),

final as (
    select
        s.kode_kec,
        s.year,
        c.desa_total,
        s.desa_with_budget,
        s.posyandu_allocation_rp,
        s.kader_incentive_rp,
        s.budget_rp,
        s.posyandu,
        s.children_weighed,
        s.kader_registered,
        s.budget_rp_of_desa_with_posyandu,
        s.budget_rp_of_desa_weighing,
        s.incentive_rp_of_desa_with_kader,
        s.budget_rp_of_desa_with_posyandu / nullif(s.posyandu, 0) as rp_per_posyandu,
        s.budget_rp_of_desa_weighing / nullif(s.children_weighed, 0) as rp_per_child_weighed,
        s.incentive_rp_of_desa_with_kader / nullif(s.kader_registered, 0) / 12 as incentive_rp_per_kader_month
    from summed as s
    inner join desa_count as c using (kode_kec)
)

select * from final
order by kode_kec, year
