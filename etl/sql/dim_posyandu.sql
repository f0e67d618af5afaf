-- one row per posyandu: its row in the newest posyandu-master snapshot that lists it
with snapshots as (
    select * from dim_master_posyandu
),

latest as (
    select *
    from snapshots
    qualify row_number() over (partition by posyandu_id order by snapshot_date desc) = 1
),

final as (
    select
        posyandu_id,
        posyandu_name,
        kode_desa,
        kode_kec,
        legacy_type,
        is_balita,
        spm_fields,
        spm_field_count,
        sk_number,
        sk_date,
        musdes_date,
        kemendagri_reg_number,
        registration_status,
        is_registered,
        has_full_legality,
        puskesmas,
        strata,
        integration_status,
        lat,
        lon,
        posyandu_key,
        snapshot_date as master_date
    from latest
)

select * from final
order by posyandu_id
