-- one row per desa and budget year with a budget: money for posyandu against its posyandu, children weighed (D) and kader
with budget as (
    select
        kode_desa,
        kode_kec,
        year,
        sum(posyandu_allocation_rp) as posyandu_allocation_rp,
        sum(kader_incentive_rp) as kader_incentive_rp,
        sum(budget_rp) as budget_rp,
        string_agg(distinct source, ', ' order by source) as sources
    from fct_desa_budget
    group by all
),

posyandu as (
    -- every posyandu of the newest master: the allocation is for all of them, not only balita
    select
        kode_desa,
        count(*) as posyandu
    from dim_posyandu
    group by all
),

posyandu_year as (
    -- a posyandu's monthly means over the months of the year it reported (a month not open weighs 0)
    select
        posyandu_id,
        year(month) as year,
        avg(d) as children_weighed_per_month,
        avg(kader_registered) as kader_registered_per_month
    from fct_posyandu_month
    group by all
),

desa_year as (
    select
        p.kode_desa,
        y.year,
        count(*) as posyandu_reporting,
        sum(y.children_weighed_per_month) as children_weighed,
        sum(y.kader_registered_per_month) as kader_registered
    from posyandu_year as y
    inner join dim_posyandu as p using (posyandu_id)
    group by all
),

final as (
    select
        b.kode_kec,
        b.kode_desa,
        b.year,
        b.sources,
        b.posyandu_allocation_rp,
        b.kader_incentive_rp,
        b.budget_rp,
        coalesce(p.posyandu, 0) as posyandu,
        coalesce(w.posyandu_reporting, 0) as posyandu_reporting,
        w.children_weighed,
        w.kader_registered,
        b.budget_rp / nullif(p.posyandu, 0) as rp_per_posyandu,
        b.budget_rp / nullif(w.children_weighed, 0) as rp_per_child_weighed,
        b.kader_incentive_rp / nullif(w.kader_registered, 0) / 12 as incentive_rp_per_kader_month
    from budget as b
    left join posyandu as p using (kode_desa)
    left join desa_year as w
        on w.kode_desa = b.kode_desa and w.year = b.year
)

select * from final
order by kode_desa, year
