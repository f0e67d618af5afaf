-- one row per posyandu in the master register
with source as (
    select * from stg_posyandu
),

final as (
    select
        posyandu_id,
        posyandu_name,
        kode_desa,
        kode_kec,
        coalesce(legacy_type, 'Balita') as legacy_type,
        coalesce(legacy_type, 'Balita') = 'Balita' as is_balita,
        coalesce(spm_fields, []::varchar[]) as spm_fields,
        len(coalesce(spm_fields, []::varchar[])) as spm_field_count,
        sk_number,
        sk_date,
        musdes_date,
        kemendagri_reg_number,
        coalesce(registration_status, 'belum') as registration_status,
        coalesce(registration_status = 'teregistrasi' and kemendagri_reg_number is not null, false) as is_registered,
        coalesce(musdes_date is not null and sk_number is not null and registration_status = 'teregistrasi' and kemendagri_reg_number is not null, false) as has_full_legality,
        puskesmas,
        strata,
        integration_status,
        lat,
        lon,
        posyandu_key
    from source
)

select * from final
order by posyandu_id
