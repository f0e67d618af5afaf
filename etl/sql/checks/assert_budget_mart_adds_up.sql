-- every rupiah of the budget register reaches the kecamatan mart once: totals per kecamatan and year agree
with register as (
    select
        kode_kec,
        year,
        sum(posyandu_allocation_rp) as allocation,
        sum(kader_incentive_rp) as incentive
    from fct_desa_budget
    group by all
),

final as (
    select
        r.kode_kec,
        r.year,
        r.allocation,
        r.incentive,
        k.posyandu_allocation_rp,
        k.kader_incentive_rp
    from register as r
    full outer join mart_budget_by_kecamatan_year as k
        on k.kode_kec = r.kode_kec and k.year = r.year
    where r.allocation is distinct from k.posyandu_allocation_rp
        or r.incentive is distinct from k.kader_incentive_rp
)

select * from final
