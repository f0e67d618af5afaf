"""Write the simplified Kutai Kartanegara boundaries that ship with the repo.

Reads the full-detail kecamatan and desa layers in ../shared/data/boundaries/ (see their
SOURCE.md) and writes data/reference/boundaries/: both layers simplified as coverages
(shared edges stay shared, so neighbours open no slivers), coordinates on a 1e-5 degree
grid (about 1 m), only the code and name attributes the app reads, plus the MIT licence
and the attribution. The output is deterministic: rerunning on the same source writes the
same bytes, which tests/scripts/test_make_boundaries.py checks.

    python3 scripts/dasbor.py boundaries          # or: make boundaries
    python scripts/make_boundaries.py --source DIR --out DIR
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "boundaries"
DEFAULT_OUT = REPO / "data" / "reference" / "boundaries"
# About 110 m, the tolerance the app itself simplifies with (dashboard boundaries loader):
# desa areas move by under 1 %, and both layers together stay near 0.6 MB.
TOLERANCE_DEG = 0.001
GRID_DEG = 1e-5
DECIMALS = 5
LAYERS = {
    "kukar_kecamatan.geojson": ("kode_kec", ("kode_kec", "nama_kec")),
    "kukar_desa.geojson": ("kode_desa", ("kode_desa", "nama_desa", "kode_kec", "nama_kec")),
}
ATTRIBUTION = (
    "Batas wilayah: cahyadsn/wilayah_boundaries (MIT), turunan data Badan Informasi Geospasial (BIG); "
    "kode wilayah Kemendagri"
)
MIT_TERMS = """Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


def simplify_layer(features: list[dict], key: str, keep: tuple[str, ...]) -> list[dict]:
    """Features sorted by code, geometry coverage-simplified and snapped, only ``keep`` kept."""
    features = sorted(features, key=lambda f: f["properties"][key])
    geoms = [shape(f["geometry"]) for f in features]
    simplified = shapely.coverage_simplify(geoms, TOLERANCE_DEG)
    if not shapely.is_valid(simplified).all() or shapely.is_empty(simplified).any():
        # Not a clean coverage: one by one, still without self-intersections.
        simplified = shapely.simplify(geoms, TOLERANCE_DEG / 3, preserve_topology=True)
    snapped = shapely.orient_polygons(shapely.make_valid(shapely.set_precision(simplified, GRID_DEG)))
    return [
        {
            "type": "Feature",
            "properties": {name: feature["properties"][name] for name in keep},
            "geometry": _rounded(mapping(geom)),
        }
        for feature, geom in zip(features, snapped, strict=True)
    ]


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def geojson_text(features: list[dict]) -> str:
    """A FeatureCollection with one feature per line, so a change reads as a small diff."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def copyright_line(source_md: str) -> str:
    """The copyright holder the source's licence names (the MIT notice requires it)."""
    if "MIT License" not in source_md:
        raise ValueError("SOURCE.md does not state the MIT licence")
    match = re.search(r"Copyright \(c\) \d{4} [^.*\n]+", source_md)
    if match is None:
        raise ValueError("SOURCE.md names no copyright holder")
    return match.group(0).strip()


def licence_text(source_md: str) -> str:
    return f"MIT License\n\n{copyright_line(source_md)}\n\n{MIT_TERMS}"


def source_note(source_md: str) -> str:
    repository = re.search(r"https://github\.com/cahyadsn/wilayah_boundaries", source_md)
    commit = re.search(r"Commit: `([0-9a-f]{40})`", source_md)
    return "\n".join(
        [
            "# Batas wilayah Kutai Kartanegara (ringkas)",
            "",
            f"Attribution: {ATTRIBUTION}.",
            "",
            f"- Source: {repository.group(0) if repository else 'cahyadsn/wilayah_boundaries'}"
            + (f" at commit `{commit.group(1)}`" if commit else "")
            + f", {copyright_line(source_md)}, MIT licence (LICENSE beside this file).",
            "- Geometry: Badan Informasi Geospasial (BIG) desa boundaries re-keyed to Kemendagri codes "
            "by the source; administrative boundaries for display, not legally definitive.",
            f"- Changed here: coverage-simplified at {TOLERANCE_DEG} degree, coordinates on a {GRID_DEG} degree "
            "grid, attributes reduced to Kemendagri codes and names.",
            "- Made by `scripts/make_boundaries.py` from the full-detail files; rerun it rather than editing these.",
            "",
        ]
    )


def make_boundaries(source: Path, out: Path) -> list[Path]:
    """Write both layers, LICENSE and SOURCE.md into ``out``; returns the files written."""
    source_md = (source / "SOURCE.md").read_text(encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (key, keep) in LAYERS.items():
        collection = json.loads((source / name).read_text(encoding="utf-8"))
        path = out / name
        path.write_text(geojson_text(simplify_layer(collection["features"], key, keep)), encoding="utf-8")
        written.append(path)
    for name, text in (("LICENSE", licence_text(source_md)), ("SOURCE.md", source_note(source_md))):
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder with the full-detail GeoJSON")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not (args.source / "SOURCE.md").exists():
        print(f"source not found: {args.source} (needs kukar_*.geojson and SOURCE.md)", file=sys.stderr)
        return 1
    for path in make_boundaries(args.source, args.out):
        print(f"{path.stat().st_size:>9,} bytes  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
