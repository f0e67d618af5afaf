-- one row per desa, budget year and funding source (APBDes, or Dana Kelurahan for a kelurahan)
with budget as (
    select * from stg_desa_budget
),

final as (
    select
        b.kode_desa,
        d.kode_kec,
        b.year,
        b.source,
        b.posyandu_allocation_rp,
        b.kader_incentive_rp,
        b.posyandu_allocation_rp + b.kader_incentive_rp as budget_rp
    from budget as b
    inner join dim_desa as d using (kode_desa)
)

select * from final
order by kode_desa, year, source
