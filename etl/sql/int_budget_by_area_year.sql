-- one row per area (a desa, or a kecamatan summing its desa) and budget year: money, denominators and the ratios, defined once
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

desa as (
    -- each numerator also kept only where its denominator is known, so a sum over desa never mixes them
    select
        'desa' as area_level,
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
        case when p.posyandu > 0 then b.budget_rp else 0 end as budget_rp_of_desa_with_posyandu,
        case when w.children_weighed > 0 then b.budget_rp else 0 end as budget_rp_of_desa_weighing,
        case when w.kader_registered > 0 then b.kader_incentive_rp else 0 end as incentive_rp_of_desa_with_kader
    from budget as b
    left join posyandu as p using (kode_desa)
    left join desa_year as w
        on w.kode_desa = b.kode_desa and w.year = b.year
),

kecamatan as (
    select
        'kecamatan' as area_level,
        kode_kec,
        year,
        count(*) as desa_with_budget,
        sum(posyandu_allocation_rp) as posyandu_allocation_rp,
        sum(kader_incentive_rp) as kader_incentive_rp,
        sum(budget_rp) as budget_rp,
        sum(posyandu) as posyandu,
        coalesce(sum(children_weighed), 0) as children_weighed,
        coalesce(sum(kader_registered), 0) as kader_registered,
        sum(budget_rp_of_desa_with_posyandu) as budget_rp_of_desa_with_posyandu,
        sum(budget_rp_of_desa_weighing) as budget_rp_of_desa_weighing,
        sum(incentive_rp_of_desa_with_kader) as incentive_rp_of_desa_with_kader
    from desa
    group by all
),

areas as (
    select * from desa
    union all by name
    select * from kecamatan
),

final as (
    select
        *,
        budget_rp_of_desa_with_posyandu / nullif(posyandu, 0) as rp_per_posyandu,
        budget_rp_of_desa_weighing / nullif(children_weighed, 0) as rp_per_child_weighed,
        incentive_rp_of_desa_with_kader / nullif(kader_registered, 0) / 12 as incentive_rp_per_kader_month
    from areas
)

select * from final
order by area_level, kode_kec, kode_desa, year
