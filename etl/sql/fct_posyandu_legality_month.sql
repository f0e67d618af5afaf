-- one row per posyandu per month: legality stages as of the month end, from the newest posyandu-master snapshot dated on or before it and the kader register
with in_force as (
    select * from int_master_in_force_month
),

months as (
    select distinct month from in_force
),

has_kader_register as (
    select count(*) > 0 as loaded from dim_kader
),

kader_roles as (
    select
        m.month,
        k.posyandu_id,
        count(distinct k.role) filter (where k.role in ('Ketua', 'Sekretaris', 'Bendahara')) as pengurus_roles,
        count(*) filter (where coalesce(k.role, 'Anggota') = 'Anggota') as anggota
    from months as m
    join dim_kader as k
        on coalesce(k.active_from, date '1900-01-01') <= last_day(m.month)
        and (k.active_to is null or k.active_to >= m.month)
    group by all
),

stages as (
    select
        f.month,
        f.posyandu_id,
        f.kode_kec,
        f.kode_desa,
        f.puskesmas,
        f.snapshot_date,
        f.registration_status,
        f.musdes_date is not null as has_musdes,
        f.sk_number is not null as has_sk,
        -- "legalitas" on the Scorecard: an SK with its number and date, dated by the month end;
        -- a posyandu with an SK may still wait for registration (and a registered one may lack it)
        coalesce(f.sk_number is not null and f.sk_date <= last_day(f.month), false) as has_valid_sk,
        -- null when no kader register was loaded: the stage cannot be judged
        case when h.loaded then coalesce(r.pengurus_roles, 0) = 3 end as has_pengurus,
        case when h.loaded then coalesce(r.anggota, 0) > 0 end as has_kader_list,
        f.registration_status in ('diajukan', 'terverifikasi', 'teregistrasi') as is_submitted,
        f.registration_status in ('terverifikasi', 'teregistrasi') as is_verified,
        f.is_registered,
        f.has_full_legality
    from in_force as f
    cross join has_kader_register as h
    left join kader_roles as r using (month, posyandu_id)
),

final as (
    select
        *,
        -- stages passed in order (musdes, SK, pengurus, daftar kader, diajukan, terverifikasi,
        -- teregistrasi): a posyandu counts at a stage only when every earlier stage is passed too
        case
            when not has_musdes then 0
            when not has_sk then 1
            when not coalesce(has_pengurus, true) then 2
            when not coalesce(has_kader_list, true) then 3
            when not is_submitted then 4
            when not is_verified then 5
            when not is_registered then 6
            else 7
        end as stages_passed
    from stages
)

select * from final
order by month, posyandu_id
