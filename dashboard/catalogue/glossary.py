"""Terms users ask about, in Bahasa Indonesia: the glossary half of the Katalog Indikator page."""

from __future__ import annotations

from dashboard.catalogue.indicators import USE_LABELS
from dashboard.theme import SPM_LABELS

GLOSSARY: dict[str, str] = {
    "SKDN": "Pencatatan pemantauan pertumbuhan per posyandu per bulan: S balita sasaran, K balita yang punya "
    "KMS/Buku KIA, D balita yang ditimbang bulan ini, N balita yang naik berat badannya (ditimbang dua bulan "
    "berturut-turut). Juga T (tidak naik), O (tidak ditimbang bulan lalu), B (baru pertama ditimbang), "
    "BGM (di bawah garis merah).",
    "D/S": "Balita ditimbang (D) dibagi balita sasaran (S): partisipasi masyarakat datang ke posyandu. "
    "Rasio lain dari SKDN: K/S, N/D, N/S, BGM/D.",
    "TB/U": "Tinggi (atau panjang) badan menurut umur, dibanding standar WHO 2006 sebagai z-skor. "
    "Kategori Permenkes 2/2020: sangat pendek < −3 SD, pendek −3 s.d. < −2 SD, normal −2 s.d. +3 SD, tinggi > +3 SD.",
    "BB/TB": "Berat badan menurut tinggi badan: gizi buruk < −3 SD, gizi kurang −3 s.d. < −2 SD, gizi baik "
    "−2 s.d. +1 SD, berisiko gizi lebih > +1 s.d. +2 SD, gizi lebih > +2 s.d. +3 SD, obesitas > +3 SD.",
    "BB/U": "Berat badan menurut umur: sangat kurang < −3 SD, kurang −3 s.d. < −2 SD, normal −2 s.d. +1 SD, "
    "risiko berat badan lebih > +1 SD.",
    "z-skor (SD)": "Selisih ukuran anak dari median standar WHO anak seumur dan sejenis kelamin, dalam satuan "
    "simpangan baku. −2 SD berarti dua simpangan baku di bawah median.",
    "Nilai tidak masuk akal (flag WHO)": "Z-skor di luar batas WHO (TB/U < −6 atau > 6; BB/U < −6 atau > 5; "
    "BB/TB < −5 atau > 5) hampir pasti salah ukur atau salah catat dan tidak dihitung dalam prevalensi.",
    "IK 95%": "Interval kepercayaan 95%: rentang tempat angka sebenarnya kemungkinan besar berada, mengingat "
    "jumlah balita yang diukur. Untuk prevalensi gizi balita dihitung menurut desain seperti WHO Anthro (anak "
    "dikelompokkan per posyandu, linearisasi Taylor, interval logit), sehingga lebih lebar daripada bila anak "
    "dianggap sampel acak sederhana. Dua angka yang intervalnya tumpang tindih belum berbeda nyata.",
    "n": "Jumlah yang menjadi penyebut, misalnya balita yang diukur. Angka dari n kecil berayun besar dari bulan "
    "ke bulan. Katalog menetapkan minimum n per penggunaan (" + ", ".join(USE_LABELS.values()) + "): "
    "di bawah minimum itu angka tetap ditampilkan dengan n-nya, tetapi wilayah tidak diberi peringkat, warna atau lampu.",
    "Data rutin dan survei": "Data rutin (e-PPGBM) adalah pengukuran di posyandu setiap bulan, mencakup anak "
    "yang datang. Survei (SSGI 2021–2022 dan 2024, SKI 2023) mengukur sampel rumah tangga sekali setahun. Caranya "
    "berbeda: bandingkan arah keduanya, bukan angkanya.",
    "e-PPGBM": "Elektronik Pencatatan dan Pelaporan Gizi Berbasis Masyarakat: register pengukuran balita per "
    "anak. NIK dan nama tidak pernah masuk ke dasbor; anak dikenali dengan kode samaran.",
    "6 SPM": "Enam bidang Standar Pelayanan Minimal yang dilayani posyandu menurut Permendagri 13/2024: "
    + "; ".join(SPM_LABELS.values())
    + ".",
    "Legalitas posyandu": "Musyawarah desa → SK pembentukan oleh kepala desa/lurah → diajukan → terverifikasi → "
    "teregistrasi dengan nomor Kemendagri (Kepmendagri 2834/2025).",
    "Indeks Desa dan IDM": "IDM (Indeks Desa Membangun, 2015–2024) berskala 0–1 dan hanya untuk desa. Indeks "
    "Desa (Permendesa 9/2024) berskala 0–100 dengan dimensi Layanan Dasar; dasbor memakai Layanan Dasar bila ada.",
    "Target dan norma": "Setiap target atau norma di dasbor berasal dari register target dengan sumbernya "
    "(misalnya RPJMN 2025–2029). Keyakinan H: dibaca di sumber primer; M: satu sumber sekunder.",
}
