"""The legality of a posyandu in words: the registration stages and what is missing, in order."""

# Registration pipeline, in order. A posyandu counts at a stage only when it has passed
# every earlier stage too, so the last stage equals has_full_legality in dim_posyandu.
PIPELINE_STAGES = (
    ("musdes", "Musyawarah desa"),
    ("sk", "SK pembentukan"),
    ("submitted", "Diajukan ke Kemendagri"),
    ("verified", "Terverifikasi"),
    ("registered", "Teregistrasi (ada nomor Kemendagri)"),
)

# What is missing, in the order a posyandu has to deal with it.
GAP_LABELS = {
    "no_musdes": "belum musdes",
    "no_sk": "belum SK",
    "not_submitted": "belum diajukan",
    "awaiting_verification": "menunggu verifikasi",
    "awaiting_number": "menunggu nomor registrasi",
    "number_missing": "nomor registrasi belum tercatat",
}
