-- one row per posyandu per month: kader registered, kader present per hari buka, participation (posyandu that opened only)
with report as (
    select * from fct_posyandu_month
),

attendance as (
    select
        *,
        coalesce(days_open, 0) > 0 as opened,
        -- Attendance rule: kader present per hari buka, the mean when a posyandu opened more
        -- than once. The report gives one figure a month; one above kader terdaftar can only
        -- be a sum over the days, so it is divided by hari buka.
        case
            when days_open > 1 and kader_present > kader_registered then kader_present / days_open
            else kader_present
        end as kader_present_per_day
    from report
),

final as (
    select
        a.posyandu_id,
        p.kode_kec,
        p.kode_desa,
        p.puskesmas,
        a.month,
        a.days_open,
        a.opened,
        a.kader_registered,
        a.kader_present_per_day as kader_present,
        a.kader_present as kader_present_reported,
        case when a.opened and a.kader_registered > 0 then a.kader_present_per_day / a.kader_registered end as participation
    from attendance as a
    left join dim_posyandu as p using (posyandu_id)
)

select * from final
order by month, posyandu_id
