-- one row per kecamatan and budget year: the desa budgets summed, each ratio over the desa that have its denominator
with kecamatan as (
    select * from int_budget_by_area_year
    where area_level = 'kecamatan'
),

desa_count as (
    select
        kode_kec,
        count(*) as desa_total
    from dim_desa
    group by all
),

final as (
    select
        k.kode_kec,
        k.year,
        c.desa_total,
        k.desa_with_budget,
        k.posyandu_allocation_rp,
        k.kader_incentive_rp,
        k.budget_rp,
        k.posyandu,
        k.children_weighed,
        k.kader_registered,
        k.budget_rp_of_desa_with_posyandu,
        k.budget_rp_of_desa_weighing,
        k.incentive_rp_of_desa_with_kader,
        k.rp_per_posyandu,
        k.rp_per_child_weighed,
        k.incentive_rp_per_kader_month
    from kecamatan as k
    inner join desa_count as c using (kode_kec)
)

select * from final
order by kode_kec, year
