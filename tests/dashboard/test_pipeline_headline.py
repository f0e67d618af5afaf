"""The legality headline reads as a sentence on a slide: no "Δ", no two brackets in a row."""

import pandas as pd

from dashboard.charts.transformation import describe_pipeline


def _pipeline(delta):
    return pd.DataFrame(
        {
            "stage_label": ["Ada SK desa", "Teregistrasi (ada nomor Kemendagri)"],
            "posyandu": [700, 556],
            "share": [700 / 900, 556 / 900],
            "delta": [0, delta],
            "posyandu_total": [900, 900],
        }
    )


def test_the_headline_names_the_stage_and_its_count_without_stacked_brackets():
    text = describe_pipeline(_pipeline(5))
    assert text == (
        "556 dari 900 posyandu (61,8%) sudah melewati semua tahap sampai teregistrasi, bertambah 5 dari bulan lalu; "
        "terbanyak (200 posyandu) tertahan di tahap ada SK desa"
    )
    assert "Δ" not in text and ") (" not in text


def test_a_fall_no_change_and_an_unknown_change_read_in_words():
    assert ", berkurang 3 dari bulan lalu;" in describe_pipeline(_pipeline(-3))
    assert ", sama dengan bulan lalu;" in describe_pipeline(_pipeline(0))
    assert "teregistrasi; terbanyak" in describe_pipeline(_pipeline(None))
