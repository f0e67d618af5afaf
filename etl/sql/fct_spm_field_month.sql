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

-- the master in force at the month end, defined once (int_master_in_force_month): a month before
-- the first master snapshot has no master, so no posyandu rows, as in the legality model
in_force as (
    select *
    from int_master_in_force_month
    semi join months using (month)
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
