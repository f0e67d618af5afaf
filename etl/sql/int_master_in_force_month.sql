-- one row per posyandu per month from the first master snapshot's month: the newest posyandu-master snapshot dated on or before the month end (none before the first snapshot: no master was in force)
-- Defined once for every model that asks "which master held at the month end" (legality stages,
-- SPM fields declared): back-dating the first master would show registrations and declared
-- fields before any master stated them (docs/warehouse.md, "Master in force").
with snapshots as (
    select * from dim_master_posyandu
),

bounds as (
    select
        date_trunc('month', min(snapshot_date)) as first_month,
        greatest(
            date_trunc('month', max(snapshot_date)),
            coalesce((select max(month) from stg_monthly_report), date '1900-01-01'),
            coalesce((select max(month) from stg_spm_service), date '1900-01-01')
        ) as last_month
    from snapshots
),

months as (
    select cast(unnest(generate_series(first_month, last_month, interval 1 month)) as date) as month
    from bounds
    where first_month is not null
),

final as (
    select
        m.month,
        s.*
    from months as m
    join snapshots as s on s.snapshot_date <= last_day(m.month)
    qualify row_number() over (partition by m.month, s.posyandu_id order by s.snapshot_date desc) = 1
)

select * from final
order by month, posyandu_id
