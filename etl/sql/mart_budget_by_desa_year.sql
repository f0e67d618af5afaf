-- one row per desa and budget year with a budget: money for posyandu against its posyandu, children weighed (D) and kader
with desa as (
    select * from int_budget_by_area_year
    where area_level = 'desa'
),

final as (
    select
        kode_kec,
        kode_desa,
        year,
        sources,
        posyandu_allocation_rp,
        kader_incentive_rp,
        budget_rp,
        posyandu::bigint as posyandu,  -- a count: the union with the kecamatan sums widened it
        posyandu_reporting,
        children_weighed,
        kader_registered,
        rp_per_posyandu,
        rp_per_child_weighed,
        incentive_rp_per_kader_month
    from desa
)

select * from final
order by kode_desa, year
