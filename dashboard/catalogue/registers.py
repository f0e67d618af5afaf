"""The registers behind the dashboard's numbers, as a source line names them.

One name per register, keyed by the ETL's register name (`etl/registers.py`), so a page's
"Sumber: …" line, a map's note and the indicator catalogue's `source_register` say the same
thing and a corrected name reaches them all. A page that uses a register's particular columns
says which (`register_source("kader", "kolom Bidang SPM")`); it never writes the register's
name itself (tests/test_page_sources_from_catalogue.py).
"""

from __future__ import annotations

from collections.abc import Iterable

SOURCE_NAMES: dict[str, str] = {
    "eppgbm": "e-PPGBM (data rutin pengukuran balita)",
    "posyandu": "Master posyandu",
    "kader": "Register kader",
    "kader_training": "Data pelatihan kader",
    "monthly_report": "Laporan bulanan posyandu (SIP Format 5–6)",
    "spm_service": "Layanan 6 bidang SPM",
    "desa_index": "Indeks Desa / IDM",
    "official_stunting": "SSGI dan SKI (survei)",
    "mentoring_team": "Daftar tim pendamping",
    "mentoring_visit": "Kunjungan pendampingan",
    "desa_budget": "Anggaran posyandu desa (APBDes)",
    # not read by the ETL: the reference table every target and norm comes from
    "targets": "Register target dan norma (data/reference/targets.csv)",
}

Source = str | tuple[str, str]  # a register name, or (name, the columns or part used)


def register_source(name: str, detail: str = "") -> str:
    """ "Register kader (kolom Bidang SPM)": the register's source name, with the part used."""
    base = SOURCE_NAMES[name]
    if not detail:
        return base
    # "Laporan bulanan posyandu (SIP Format 5–6; SKDN)": one bracket, never two in a row
    return f"{base[:-1]}; {detail})" if base.endswith(")") else f"{base} ({detail})"


def register_sources(sources: Iterable[Source]) -> str:
    """Several registers in one source line, each once, in order: "Register kader; Master posyandu"."""
    names = [register_source(*((item,) if isinstance(item, str) else item)) for item in sources]
    return "; ".join(dict.fromkeys(names))
