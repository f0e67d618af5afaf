"""A separate process writing to the follow-up store, for the concurrency and crash tests.

python -m tests.support.followup_worker shared PATH TAG N REC_ID   # N read-modify-write edits of one item
python -m tests.support.followup_worker churn PATH                 # create + 2 edits, forever (to be killed)
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from dashboard.followup.store import Actor, FollowupStore, RecommendationDraft, StaleVersionError


def append_to_shared(store: FollowupStore, actor: Actor, rec_id: int, tag: str, count: int) -> int:
    """Each edit appends its tag to the note, retrying on a stale version; returns refusals seen."""
    refusals = 0
    for i in range(count):
        while True:
            current = store.get(actor, rec_id)
            try:
                store.update(actor, rec_id, current.version, note=f"{current.note}{tag}{i};")
                break
            except StaleVersionError:
                refusals += 1
        store.create(actor, RecommendationDraft("64.02.06", f"{tag} item {i}", "Tim 1", dt.date(2026, 1, 31)))
    return refusals


def churn(store: FollowupStore, actor: Actor) -> None:
    i = 0
    while True:
        rec = store.create(actor, RecommendationDraft("64.02.07", f"churn {i}", "Dinkes", dt.date(2026, 2, 1)))
        rec = store.update(actor, rec.id, rec.version, status="dalam proses", note=f"mulai {i}")
        store.update(actor, rec.id, rec.version, status="selesai")
        i += 1


def main(argv: list[str]) -> int:
    mode, path = argv[0], Path(argv[1])
    store = FollowupStore(path)
    if mode == "shared":
        tag, count, rec_id = argv[2], int(argv[3]), int(argv[4])
        refusals = append_to_shared(store, Actor(f"writer-{tag}"), rec_id, tag, count)
        print(refusals)
        return 0
    if mode == "churn":
        churn(store, Actor("churn"))
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
