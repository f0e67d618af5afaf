"""python -m dashboard.followup backup DEST | export DEST.xlsx | check | contoh [--hari-ini YYYY-MM-DD]

backup: a consistent copy while the app runs (SQLite online backup API).
export: every recommendation as an Excel workbook (Indonesian headers, real dates).
check: integrity_check and row counts.
contoh: example rapat and recommendations for a demo on the bundled sample, dated from today
(an empty store only; see dashboard/followup/demo.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from dashboard.followup.backup import backup_store
from dashboard.followup.store import Actor, FollowupStore, connect, store_path
from dashboard.formatting import format_number


def _kecamatan_names() -> dict[str, str]:
    from etl.regions import kecamatan_frame

    frame = kecamatan_frame()
    return dict(zip(frame["kode_kec"], frame["nama_kec"], strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.followup", description="Berkas tindak lanjut rapat.")
    parser.add_argument("--store", type=Path, default=None, help="default: data/tindak_lanjut.sqlite")
    commands = parser.add_subparsers(dest="command", required=True)
    backup = commands.add_parser("backup", help="salin cadangan (aman saat aplikasi berjalan)")
    backup.add_argument("destination", type=Path, help="berkas tujuan, atau folder (nama berkas diberi tanggal)")
    export = commands.add_parser("export", help="ekspor semua rekomendasi ke Excel")
    export.add_argument("destination", type=Path)
    commands.add_parser("check", help="periksa keutuhan berkas dan hitung baris")
    demo = commands.add_parser("contoh", help="isi berkas kosong dengan contoh rapat dan rekomendasi (demo)")
    demo.add_argument(
        "--hari-ini", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD; default: hari ini (WITA)"
    )
    args = parser.parse_args(argv)
    path = args.store or store_path()
    if args.command in ("backup", "check") and not path.exists():
        print(f"Gagal: berkas tindak lanjut {path} belum ada.", file=sys.stderr)
        return 1
    if args.command == "backup":
        result = backup_store(path, args.destination)
        print(
            f"Cadangan disimpan: {result.path} ({format_number(result.recommendations)} rekomendasi, "
            f"{format_number(result.history_rows)} baris riwayat, integrity_check {result.integrity})"
        )
        return 0
    if args.command == "check":
        con = connect(path)
        try:
            integrity = con.execute("pragma integrity_check").fetchone()[0]
            counts = {
                table: con.execute(f"select count(*) from {table}").fetchone()[0]
                for table in ("recommendation", "recommendation_history", "rapat", "priority_marking")
            }
        finally:
            con.close()
        print(f"{path}: integrity_check {integrity}; " + ", ".join(f"{t} {n}" for t, n in counts.items()))
        return 0 if integrity == "ok" else 1
    if args.command == "contoh":
        from dashboard.followup.demo import DemoRefused, seed_demo

        today = args.hari_ini or FollowupStore(path).today()
        try:
            count = seed_demo(path, today)
        except DemoRefused as error:
            print(f"Gagal: {error}", file=sys.stderr)
            return 1
        print(
            f"{format_number(count)} rekomendasi contoh dari dua rapat disimpan di {path} (hari ini {today:%d/%m/%Y})"
        )
        return 0
    from dashboard.followup.excel import recommendations_frame, recommendations_xlsx

    store = FollowupStore(path)
    recommendations = store.recommendations(Actor("cli"))
    frame = recommendations_frame(recommendations, _kecamatan_names(), store.today())
    args.destination.write_bytes(
        recommendations_xlsx(frame, "Tindak lanjut rapat", f"Berkas {path.name}, diekspor {store.today():%d/%m/%Y}")
    )
    print(f"{format_number(len(frame))} rekomendasi diekspor ke {args.destination}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
