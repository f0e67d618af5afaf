"""Run a file check or a build in a child process with memory and time caps.

A hostile or broken file can make a reader abort the whole process (a native allocation
failure is not an exception). Started from the app, that process would be the Streamlit
server; in a child only the child dies, and the parent says in Bahasa which file it was
reading. The child is spawned (not forked: the server has threads), reports progress and
the file it is on through a pipe (a send is written at once, so the file is known even
when the child aborts right after), and sends back its result or its exception.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MEMORY_MB = 6144  # a 1 M-row build peaks near 3 GB of address space
DEFAULT_TIMEOUT_S = 1800  # the bundled million-row sample builds in under a minute
_POLL_S = 0.2


class ChildFailed(Exception):
    """The child died, ran out of memory or time; the message is Bahasa and names the file."""


@dataclass(frozen=True)
class Caps:
    memory_mb: int
    timeout_s: float

    @classmethod
    def from_environment(cls) -> Caps:
        return cls(
            int(os.environ.get("DASBOR_CHILD_MEMORY_MB", DEFAULT_MEMORY_MB)),
            float(os.environ.get("DASBOR_CHILD_TIMEOUT_S", DEFAULT_TIMEOUT_S)),
        )


def run_isolated(
    target: str,
    *args: object,
    progress: Callable[[str, float], None] | None = None,
    caps: Caps | None = None,
    what: str = "pemeriksaan",
) -> object:
    """Call `target` ("module:function") in a child as target(*args, progress=..., on_file=...)
    and return its result; its exceptions are raised here again (when they can be pickled)."""
    caps = caps or Caps.from_environment()
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, args=(sender, target, args, caps.memory_mb), daemon=True)
    child.start()
    sender.close()  # the child holds its own copy; EOF here means the child is gone
    deadline = time.monotonic() + caps.timeout_s
    current_file: str | None = None
    try:
        while True:
            if not receiver.poll(_POLL_S):
                if time.monotonic() > deadline:
                    child.kill()
                    child.join()
                    raise ChildFailed(_timed_out(what, current_file, caps.timeout_s))
                continue
            try:
                kind, payload = receiver.recv()
            except (EOFError, OSError):
                child.join()
                raise ChildFailed(_died(what, current_file, child.exitcode)) from None
            if kind == "progress" and progress is not None:
                progress(*payload)
            elif kind == "file":
                current_file = payload
            elif kind == "result":
                return payload
            elif kind == "error":
                if isinstance(payload, MemoryError):
                    raise ChildFailed(_out_of_memory(what, current_file, caps.memory_mb))
                raise payload
    finally:
        if child.is_alive():
            child.kill()
        child.join(timeout=5)
        receiver.close()


def _where(current_file: str | None) -> str:
    return f" saat membaca {current_file}" if current_file else ""


def _died(what: str, current_file: str | None, exitcode: int | None) -> str:
    return (
        f"Proses {what} berhenti mendadak{_where(current_file)} (kode {exitcode}): file itu mungkin rusak atau "
        "terlalu besar. Keluarkan file itu (Batalkan unggahan) lalu coba lagi; data dasbor tidak diubah."
    )


def _timed_out(what: str, current_file: str | None, seconds: float) -> str:
    return (
        f"Proses {what} dihentikan setelah {seconds / 60:.0f} menit{_where(current_file)}: terlalu lama. "
        "Pecah file besar menjadi beberapa file lalu coba lagi; data dasbor tidak diubah."
    )


def _out_of_memory(what: str, current_file: str | None, memory_mb: int) -> str:
    return (
        f"Proses {what} kehabisan memori (batas {memory_mb:,} MB){_where(current_file)}. ".replace(",", ".")
        + "Pecah file besar menjadi beberapa file lalu coba lagi; data dasbor tidak diubah."
    )


def limit_memory(memory_mb: int) -> None:
    """Cap this process's address space (POSIX only; Windows has no RLIMIT_AS: the time cap
    and the size checks before reading still apply there)."""
    try:
        import resource
    except ImportError:
        return
    limit = memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _child_main(sender, target: str, args: tuple, memory_mb: int) -> None:
    limit_memory(memory_mb)
    try:
        module_name, _, function_name = target.partition(":")
        function = getattr(importlib.import_module(module_name), function_name)
        result = function(
            *args,
            progress=lambda message, fraction: sender.send(("progress", (message, fraction))),
            on_file=lambda path: sender.send(("file", Path(path).name)),
        )
    except BaseException as error:  # noqa: BLE001 - everything goes back to the parent
        sender.send(("error", _picklable(error)))
    else:
        sender.send(("result", result))
    sender.close()


def _picklable(error: BaseException) -> BaseException:
    import pickle

    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:  # noqa: BLE001
        return ChildFailed(f"{type(error).__name__}: {error}")
