"""st.file_uploader whose own words read in Bahasa Indonesia.

Streamlit 1.67 writes its dropzone's button ("Upload") and limit line ("200MB per file • CSV,
XLSX") in English whatever the browser's language, and has no setting for them. CSS draws ours
in their place: the English text is sized to nothing and ours is drawn after it, in the same
14-px type.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

BUTTON_TEXT = "Pilih file"


def _css_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def uploader_css(limit_text: str) -> str:
    """The style that puts BUTTON_TEXT and ``limit_text`` in place of Streamlit's English."""
    return f"""
<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; line-height: 1.4rem; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: {_css_text(BUTTON_TEXT)}; font-size: 14px;
}}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: {_css_text(limit_text)}; font-size: 14px;
}}
</style>
"""


def file_uploader_in_bahasa(label: str, suffixes: Sequence[str], max_mb: int, key: str) -> list[UploadedFile] | None:
    """Several files of the given suffixes (".csv"), at most ``max_mb`` MB each."""
    kinds = ", ".join(s.lstrip(".").upper() for s in suffixes)
    st.html(uploader_css(f"Paling besar {max_mb} MB per file • {kinds}"))
    return st.file_uploader(
        label,
        type=[s.lstrip(".") for s in suffixes],
        accept_multiple_files=True,
        max_upload_size=max_mb,
        key=key,
    )
