"""What a build did with each register: files, rows read, loaded, rejected, blanked.

Its own module because both the build (which counts) and the load (which writes
`etl_register_load`) need it, and the load must not import the build.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FileRows:
    """Rows of one file: every data row read is loaded or rejected (checked by tests)."""

    register: str
    file: str
    header_row: int = 0  # 0 when the file could not be read at all
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0


# What a register's counts are called wherever they are listed (etl_register_load, the dry run).
REGISTER_COUNT_COLUMNS = ("register", "label", "files", "rows_read", "rows_loaded", "rows_rejected", "values_blanked")


@dataclass
class RegisterReport:
    register: str
    label: str
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    values_blanked: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    file_rows: dict[str, FileRows] = field(default_factory=dict)

    def counts(self) -> dict[str, object]:
        """The register's counts under REGISTER_COUNT_COLUMNS (files as their number)."""
        return {
            "register": self.register,
            "label": self.label,
            "files": len(self.files),
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "values_blanked": self.values_blanked,
        }
