"""The legality of a posyandu in words: the registration stages and what is missing, in order."""

# Legality stages, in order. A posyandu counts at a stage only when it has passed every
# earlier stage too (fct_posyandu_legality_month.stages_passed). Pengurus and daftar kader
# come from the kader register; the rest from the posyandu master in force at the month end.
PIPELINE_STAGES = (
    ("musdes", "Musyawarah desa"),
    ("sk", "SK pembentukan"),
    ("pengurus", "Pengurus lengkap (ketua, sekretaris, bendahara)"),
    ("kader_list", "Daftar kader (ada kader anggota aktif)"),
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
