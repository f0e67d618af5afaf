-- one row per posyandu per month per SPM field (all six): declared in the master snapshot in force at the month end, served = a service value > 0 reported in layanan 6 SPM that month
with months as (
    select distinct month from stg_spm_service
    union
    select distinct month from stg_monthly_report
    union
    select distinct cast(date_trunc('month', snapshot_date) as date) from stg_posyandu
),

fields as (
    select
        spm_field,
        field_order
    from ref_spm_field
),

snapshots as (
    select * from dim_master_posyandu
),

-- the master in force at the month end; months before the first snapshot take the first one
in_force as (
    select
        m.month,
        s.posyandu_id,
        s.kode_kec,
        s.kode_desa,
        s.puskesmas,
        s.spm_fields
    from months as m
    join snapshots as s
        on s.snapshot_date <= last_day(m.month)
        or s.snapshot_date = (select min(snapshot_date) from snapshots)
    qualify row_number() over (
        partition by m.month, s.posyandu_id
        order by (s.snapshot_date <= last_day(m.month)) desc, s.snapshot_date desc
    ) = 1
),

services as (
    select
        month,
        posyandu_id,
        spm_field,
        count(*) as indicators_reported,
        count(*) filter (where value > 0) as indicators_served
    from stg_spm_service
    group by all
),

final as (
    select
        f.month,
        f.posyandu_id,
        f.kode_kec,
        f.kode_desa,
        f.puskesmas,
        d.spm_field,
        d.field_order,
        list_contains(f.spm_fields, d.spm_field) as is_declared,
        coalesce(s.indicators_served, 0) > 0 as is_served,
        coalesce(s.indicators_reported, 0) as indicators_reported,
        coalesce(s.indicators_served, 0) as indicators_served
    from in_force as f
    cross join fields as d
    left join services as s
        on s.month = f.month
        and s.posyandu_id = f.posyandu_id
        and s.spm_field = d.spm_field
)

select * from final
order by month, posyandu_id, field_order
