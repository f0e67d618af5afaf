"""Optional login for a LAN deployment: users with scrypt password hashes in
`.streamlit/secrets.toml`, a Bahasa login form before any page, and the user's
kecamatan scope in the session (queries restrict to it through `Filters`).

`st.login` needs an OIDC provider on the internet, so this gate is offline. Without a
secrets file, or with `[auth] enabled = false`, everyone is `kabupaten` (a laptop).

    [auth]
    enabled = true

    [auth.users.dinkes]
    password_hash = "scrypt$32768$8$1$<salt hex>$<hash hex>"
    role = "kabupaten"

    [auth.users.pembina_tgr]
    password_hash = "scrypt$32768$8$1$<salt hex>$<hash hex>"
    role = "pembina"
    kecamatan = ["64.02.06"]

Command line (writes no password in plain text anywhere):
    python -m dashboard.auth hash-password
    python -m dashboard.auth add-user USER --role pembina --kecamatan 64.02.06 64.02.07
    python -m dashboard.auth remove-user USER
    python -m dashboard.auth list-users
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import os
import re
import secrets
import sqlite3
import sys
import time
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st
import tomli_w

from dashboard.auth.failure_store import MemoryFailures, SqliteFailures
from etl.config import REPO_DIR, refuse_renamed_variable

LOGIN_SECRETS_FILE = REPO_DIR / ".streamlit" / "secrets.toml"
# Users and password hashes; not to be confused with the pseudonym key (etl.config.PSEUDONYM_KEY_FILE_ENV).
LOGIN_SECRETS_FILE_ENV = "DASBOR_LOGIN_SECRETS_FILE"
KABUPATEN, PEMBINA = "kabupaten", "pembina"
ROLES = (KABUPATEN, PEMBINA)
USER_KEY, ROLE_KEY, SCOPE_KEY = "user_name", "user_role", "user_scope_kec"

# scrypt cost: 32 MiB and about 0.1 s per check on these machines.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_MAX_N = 2**20  # refuse absurd costs from a hand-edited file
_SALT_BYTES, _HASH_BYTES = 16, 32
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_KEC_CODE = re.compile(r"^64\.02\.\d{2}$")


class AuthConfigError(Exception):
    """The [auth] section cannot be used; the message is one line of Bahasa."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    kecamatan: tuple[str, ...]  # empty for kabupaten
    password_hash: str = field(repr=False)

    @property
    def scope_kec(self) -> tuple[str, ...] | None:
        """Kecamatan this user may see (None = the whole kabupaten)."""
        return None if self.role == KABUPATEN else self.kecamatan


@dataclass(frozen=True)
class AuthSettings:
    enabled: bool
    users: dict[str, User] = field(default_factory=dict)


# --- passwords ---------------------------------------------------------------------


def hash_password(
    password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P, salt: bytes | None = None
) -> str:
    """`scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`."""
    if not password:
        raise ValueError("kata sandi kosong")
    salt = salt if salt is not None else secrets.token_bytes(_SALT_BYTES)
    digest = _scrypt(password, salt, n, r, p)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_password(password: str, encoded: str) -> bool:
    """True only for the right password; a malformed hash is simply a mismatch."""
    try:
        scheme, n_text, r_text, p_text, salt_hex, hash_hex = encoded.split("$")
        n, r, p = int(n_text), int(r_text), int(p_text)
        salt, expected = bytes.fromhex(salt_hex), bytes.fromhex(hash_hex)
    except (AttributeError, ValueError):
        return False
    if (
        scheme != "scrypt"
        or not (2 <= n <= _MAX_N)
        or n & (n - 1)
        or not (1 <= r <= 32)
        or not (1 <= p <= 16)
        or not expected
    ):
        return False
    try:
        actual = _scrypt(password, salt, n, r, p, len(expected))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int = _HASH_BYTES) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r * p + 2**20, dklen=length
    )


# A hash to check unknown usernames against, so they take as long as known ones.
_DUMMY_HASH = "scrypt$32768$8$1$" + "00" * _SALT_BYTES + "$" + "00" * _HASH_BYTES


# --- settings ----------------------------------------------------------------------


def secrets_file() -> Path:
    """The repo's `.streamlit/secrets.toml` (DASBOR_LOGIN_SECRETS_FILE overrides, e.g. in tests).

    Read by path, not through `st.secrets`, so starting streamlit from another folder
    cannot silently switch the gate off."""
    refuse_renamed_variable("DASBOR_SECRETS_FILE", LOGIN_SECRETS_FILE_ENV)
    return Path(os.environ.get(LOGIN_SECRETS_FILE_ENV, LOGIN_SECRETS_FILE))


def normalise_username(name: str) -> str:
    return name.strip().lower()


def parse_auth_settings(data: Mapping) -> AuthSettings:
    """The [auth] part of a parsed secrets file; no section or `enabled = false` → disabled."""
    section = data.get("auth")
    if section is None:
        return AuthSettings(enabled=False)
    if not isinstance(section, Mapping):
        raise AuthConfigError("[auth] harus berupa tabel")
    enabled = section.get("enabled", False)
    if not isinstance(enabled, bool):
        raise AuthConfigError("[auth] enabled harus true atau false")
    raw_users = section.get("users", {})
    if not isinstance(raw_users, Mapping):
        raise AuthConfigError("[auth.users] harus berupa tabel")
    users = {}
    for raw_name, entry in raw_users.items():
        user = _parse_user(str(raw_name), entry)
        users[user.username] = user
    if enabled and not users:
        raise AuthConfigError(
            "login diaktifkan tetapi belum ada pengguna; tambahkan dengan `python -m dashboard.auth add-user`"
        )
    return AuthSettings(enabled=enabled, users=users)


def _parse_user(raw_name: str, entry: object) -> User:
    name = normalise_username(raw_name)
    if not _USERNAME.match(name):
        raise AuthConfigError(
            f"nama pengguna '{raw_name}' tidak sah (huruf kecil, angka, titik, garis bawah, tanda hubung)"
        )
    if not isinstance(entry, Mapping):
        raise AuthConfigError(f"[auth.users.{raw_name}] harus berupa tabel")
    role = entry.get("role")
    if role not in ROLES:
        raise AuthConfigError(f'pengguna \'{name}\': role harus "kabupaten" atau "pembina"')
    password_hash = entry.get("password_hash")
    if not isinstance(password_hash, str) or not password_hash.startswith("scrypt$") or password_hash.count("$") != 5:
        raise AuthConfigError(f"pengguna '{name}': password_hash harus berbentuk scrypt$n$r$p$salt$hash")
    kecamatan = entry.get("kecamatan", [])
    if isinstance(kecamatan, str):
        kecamatan = [kecamatan]
    if not isinstance(kecamatan, list) or not all(isinstance(k, str) and _KEC_CODE.match(k) for k in kecamatan):
        raise AuthConfigError(f"pengguna '{name}': kecamatan harus daftar kode Kemendagri seperti [\"64.02.06\"]")
    if role == PEMBINA and not kecamatan:
        raise AuthConfigError(f"pengguna '{name}': pembina harus punya minimal satu kecamatan")
    codes = tuple(dict.fromkeys(kecamatan)) if role == PEMBINA else ()
    return User(name, role, codes, password_hash)


def load_auth_settings(path: Path | None = None) -> AuthSettings:
    """Settings from the secrets file; no file → disabled. An unreadable file raises
    AuthConfigError (the gate then stays closed rather than open)."""
    path = path or secrets_file()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return AuthSettings(enabled=False)
    make_private(path)
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)


def make_private(path: Path) -> None:
    """A secrets file others can read is made owner-only, with a warning in the server log;
    if that is not possible the file is refused (the gate stays closed)."""
    if os.name == "nt":  # Windows has no POSIX modes; the file sits in the user's own folder
        return
    mode = path.stat().st_mode & 0o777
    if not mode & 0o077:
        return
    try:
        os.chmod(path, 0o600)
    except OSError as error:
        raise AuthConfigError(
            f"{path.name} bisa dibaca pengguna lain (mode {mode:o}) dan tidak bisa diubah; jalankan `chmod 600 {path}`"
        ) from error
    print(
        f"PERINGATAN: {path} bisa dibaca pengguna lain (mode {mode:o}); diubah menjadi 600 (hanya pemilik).",
        file=sys.stderr,
        flush=True,
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def _load_cached(path: str, mtime_ns: int, size: int) -> AuthSettings:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise AuthConfigError(f"{Path(path).name} tidak bisa dibaca ({type(error).__name__})") from error
    return parse_auth_settings(data)


# --- sign-in -----------------------------------------------------------------------


@dataclass(frozen=True)
class Backoff:
    """Free attempts, then a delay doubling from `first_delay` up to `max_delay` seconds."""

    free_attempts: int
    first_delay: float
    max_delay: float

    def delay(self, failures: int) -> float:
        if failures <= self.free_attempts:
            return 0.0
        return min(self.max_delay, self.first_delay * 2 ** (failures - self.free_attempts - 1))


# Per account the delay stays short, so a stranger typing wrong passwords for the real user
# cannot keep them out for long (their right password still has to wait at most a minute);
# per client address it grows to 15 minutes, so one machine cannot try many accounts.
ACCOUNT_BACKOFF = Backoff(free_attempts=3, first_delay=2.0, max_delay=60.0)
ADDRESS_BACKOFF = Backoff(free_attempts=5, first_delay=2.0, max_delay=900.0)
FORGET_AFTER_S = 3600.0  # failures older than this (since the last one) are forgotten


class LoginThrottle:
    """Growing delays after wrong passwords, per account and per client address. A right
    password clears the account's and the address's count; during a delay no password is
    checked at all. The counts live in `store`: this process's memory by default, one
    SQLite file for all the processes of `make serve` in the app (`_throttle`)."""

    def __init__(
        self,
        account: Backoff = ACCOUNT_BACKOFF,
        address: Backoff = ADDRESS_BACKOFF,
        forget_after: float = FORGET_AFTER_S,
        clock=time.monotonic,
        store: MemoryFailures | SqliteFailures | None = None,
    ):
        self.backoff = {"account": account, "address": address}
        self.forget_after, self.clock = forget_after, clock
        self._store = store if store is not None else MemoryFailures()

    def seconds_to_wait(self, username: str, address: str | None = None) -> float:
        with self._store.transaction() as failures:
            return max(self._wait(failures, key) for key in self._keys(username, address))

    def record_failure(self, username: str, address: str | None = None) -> None:
        with self._store.transaction() as failures:
            now = self.clock()
            for key in self._keys(username, address):
                count, _ = self._current(failures, key)
                failures[key] = (count + 1, now)

    def record_success(self, username: str, address: str | None = None) -> None:
        with self._store.transaction() as failures:
            for key in self._keys(username, address):
                failures.pop(key, None)

    @staticmethod
    def _keys(username: str, address: str | None) -> list[tuple[str, str]]:
        return [("account", username)] + ([("address", address)] if address else [])

    def _current(self, failures, key: tuple[str, str]) -> tuple[int, float]:
        count, last = failures.get(key, (0, 0.0))
        if count and self.clock() - last > self.forget_after:
            failures.pop(key, None)
            return 0, 0.0
        return count, last

    def _wait(self, failures, key: tuple[str, str]) -> float:
        count, last = self._current(failures, key)
        if not count:
            return 0.0
        return max(0.0, last + self.backoff[key[0]].delay(count) - self.clock())


def authenticate(
    settings: AuthSettings,
    username: str,
    password: str,
    throttle: LoginThrottle | None = None,
    address: str | None = None,
) -> User | None:
    """The user when the password is right (and no delay is pending), else None."""
    name = normalise_username(username)
    if throttle is not None and throttle.seconds_to_wait(name, address) > 0:
        return None
    user = settings.users.get(name)
    ok = verify_password(password, user.password_hash if user else _DUMMY_HASH) and user is not None
    if throttle is not None:
        (throttle.record_success if ok else throttle.record_failure)(name, address)
    return user if ok else None


def client_address() -> str | None:
    """The browser's address; behind a reverse proxy on this machine (`make serve`), the
    address the proxy appended to X-Forwarded-For."""
    try:
        address = st.context.ip_address
        forwarded = st.context.headers.get("X-Forwarded-For")
    except Exception:  # noqa: BLE001 - no request context (tests, scripts)
        return None
    address = address if isinstance(address, str) else None  # AppTest's context gives mocks
    if isinstance(forwarded, str) and forwarded and address in (None, "127.0.0.1", "::1"):
        return forwarded.split(",")[-1].strip() or address
    return address


LOGIN_ATTEMPTS_FILE = "login_attempts.sqlite"  # beside the secrets file


@st.cache_resource(show_spinner=False)
def _throttle() -> LoginThrottle:
    """One throttle for every process serving this checkout (see failure_store.py)."""
    try:
        store = SqliteFailures(secrets_file().with_name(LOGIN_ATTEMPTS_FILE))
    except (OSError, sqlite3.Error) as error:  # a read-only folder: count in this process, and say so
        print(f"PERINGATAN: percobaan login dihitung per proses ({error})", file=sys.stderr)
        return LoginThrottle()
    return LoginThrottle(clock=time.time, store=store)


def current_role() -> str:
    """Role of the signed-in user; `kabupaten` when login is off."""
    return st.session_state.get(ROLE_KEY, KABUPATEN)


def require_login(show_account: bool = True, url_paths: Sequence[str] = ()) -> None:
    """Gate every page: with login on, stop at a login form until a user signs in, then
    put the user's role and kecamatan scope in the session. Safe to call more than once
    per run (pages call it again through `current_scope()`; `show_account=False` there).

    url_paths: the app's page addresses. A link to one of them (`/kader?kecamatan=…`, sent to
    a colleague) shows the login form there, not Streamlit's English "Page not found", and
    opens that view once the user has signed in."""
    try:
        settings = load_auth_settings()
    except AuthConfigError as error:
        st.error(f"Pengaturan login tidak valid: {error}. Hubungi pengelola dasbor.")
        st.stop()
    if not settings.enabled:
        st.session_state.setdefault(ROLE_KEY, KABUPATEN)
        st.session_state.setdefault(SCOPE_KEY, None)
        return
    user = settings.users.get(st.session_state.get(USER_KEY, ""))
    if user is None:
        sign_out()
        # The login form as the app's only page: calling st.navigation also ends Streamlit's
        # pages/-folder fallback, which would otherwise run a page script without app.py.
        pages = [st.Page(_login_page, title="Masuk", default=True)]
        pages += [
            st.Page(_login_page, title="Masuk", url_path=path, visibility="hidden")
            for path in dict.fromkeys(url_paths)
            if path
        ]
        st.navigation(pages, position="hidden").run()
        st.stop()
    # re-read every run: a user removed or re-scoped in the secrets file takes effect at once
    st.session_state[ROLE_KEY] = user.role
    st.session_state[SCOPE_KEY] = user.scope_kec
    if show_account:
        _show_account(user)


def require_role(role: str) -> None:
    """Stop the page unless the signed-in user has this role."""
    require_login(show_account=False)
    if current_role() != role:
        st.error("Halaman ini hanya untuk pengguna tingkat kabupaten.")
        st.stop()


def sign_out() -> None:
    for key in (USER_KEY, ROLE_KEY, SCOPE_KEY):
        st.session_state.pop(key, None)


def _login_page() -> None:
    _show_login_form(load_auth_settings())


def _show_login_form(settings: AuthSettings) -> None:
    st.title("Dasbor Posyandu Kukar")
    st.subheader("Masuk")
    with st.form("login", clear_on_submit=True):  # the password does not stay in the session
        username = st.text_input("Nama pengguna", key="login_username", autocomplete="username")
        password = st.text_input("Kata sandi", type="password", key="login_password", autocomplete="current-password")
        submitted = st.form_submit_button("Masuk", type="primary")
    st.caption("Akun dibuat oleh pengelola dasbor di DPMD. Lupa kata sandi? Hubungi pengelola.")
    if not submitted:
        return
    throttle = _throttle()
    name, address = normalise_username(username), client_address()
    wait = throttle.seconds_to_wait(name, address)
    if wait > 0:
        st.error(f"Terlalu banyak percobaan gagal. Coba lagi dalam {_wait_text(wait)}.")
        return
    user = authenticate(settings, username, password, throttle, address)
    if user is None:
        st.error("Nama pengguna atau kata sandi salah.")
        return
    st.session_state[USER_KEY] = user.username
    st.session_state[ROLE_KEY] = user.role
    st.session_state[SCOPE_KEY] = user.scope_kec
    st.rerun()


def _wait_text(seconds: float) -> str:
    return f"{int(seconds) + 1} detik" if seconds < 90 else f"{int(seconds // 60) + 1} menit"


def _show_account(user: User) -> None:
    scope = "seluruh kabupaten" if user.scope_kec is None else f"{len(user.scope_kec)} kecamatan"
    st.sidebar.caption(f"Masuk sebagai **{user.username}** ({user.role}, {scope})")
    st.sidebar.button("Keluar", key="logout", on_click=sign_out)  # the next run shows the login form


# --- secrets file ------------------------------------------------------------------


def read_secrets(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def write_secrets(path: Path, data: Mapping) -> None:
    """Write atomically, readable by the owner only (the file holds other secrets too)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(dump_toml(data))
    os.replace(temporary, path)


def dump_toml(data: Mapping) -> str:
    """TOML of what a secrets file holds, written by tomli-w (comments in an existing file are not kept)."""
    return tomli_w.dumps(_plain(data))


def _plain(value: object) -> object:
    # tomli-w writes dict and list; the parsed file and the CLI may hand over other mappings and tuples.
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def check_new_user(username: str, role: str, kecamatan: tuple[str, ...] = ()) -> None:
    """Refuse, before any password is typed, a user the app would refuse."""
    if role == KABUPATEN and kecamatan:
        raise AuthConfigError("pengguna kabupaten melihat seluruh kabupaten; jangan isi --kecamatan")
    entry = {"password_hash": "scrypt$0$0$0$$", "role": role, "kecamatan": list(kecamatan)}
    _parse_user(username, entry)
    if role == PEMBINA:
        _check_known_kecamatan(kecamatan)


def add_user(data: Mapping, username: str, password_hash: str, role: str, kecamatan: tuple[str, ...] = ()) -> dict:
    """Return secrets with the user added or replaced (login switched on if unset)."""
    check_new_user(username, role, kecamatan)
    entry: dict[str, object] = {"password_hash": password_hash, "role": role}
    if role == PEMBINA:
        entry["kecamatan"] = list(kecamatan)
    section = dict(data.get("auth", {}))
    section.setdefault("enabled", True)
    section["users"] = {**section.get("users", {}), normalise_username(username): entry}
    return {**data, "auth": section}


def _check_known_kecamatan(codes: tuple[str, ...]) -> None:
    from etl.regions import kecamatan_frame

    known = set(kecamatan_frame()["kode_kec"])
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise AuthConfigError(f"kode kecamatan tidak dikenal: {', '.join(unknown)}")


def _read_new_password() -> str:
    first = getpass.getpass("Kata sandi: ")
    if len(first) < 8:
        raise AuthConfigError("kata sandi minimal 8 karakter")
    if getpass.getpass("Ulangi kata sandi: ") != first:
        raise AuthConfigError("kedua kata sandi tidak sama")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.auth", description="Kelola pengguna login dasbor.")
    parser.add_argument("--secrets-file", type=Path, default=None, help="default: .streamlit/secrets.toml di repo")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("hash-password", help="buat baris password_hash dari kata sandi (dibaca tanpa ditampilkan)")
    add = commands.add_parser("add-user", help="tambah atau ganti pengguna")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument(
        "--kecamatan", nargs="+", default=[], metavar="KODE", help="kode kecamatan untuk pembina, mis. 64.02.06"
    )
    remove = commands.add_parser("remove-user", help="hapus pengguna")
    remove.add_argument("username")
    commands.add_parser("list-users", help="daftar pengguna (tanpa hash)")
    args = parser.parse_args(argv)
    path = args.secrets_file or secrets_file()
    try:
        if args.command == "hash-password":
            print(f'password_hash = "{hash_password(_read_new_password())}"')
            return 0
        data = read_secrets(path)
        if args.command == "list-users":
            settings = parse_auth_settings(data)
            print(f"login {'aktif' if settings.enabled else 'tidak aktif'} ({path})")
            for user in settings.users.values():
                print(f"  {user.username:<20}{user.role:<11}{' '.join(user.kecamatan) or 'seluruh kabupaten'}")
            return 0
        if args.command == "remove-user":
            name = normalise_username(args.username)
            users = dict(data.get("auth", {}).get("users", {}))
            if users.pop(name, None) is None:
                raise AuthConfigError(f"pengguna '{name}' tidak ada")
            updated = {**data, "auth": {**data["auth"], "users": users}}
            parse_auth_settings(updated)
            write_secrets(path, updated)
            print(f"pengguna '{name}' dihapus dari {path}")
            return 0
        kecamatan = tuple(args.kecamatan)
        check_new_user(args.username, args.role, kecamatan)
        updated = add_user(data, args.username, hash_password(_read_new_password()), args.role, kecamatan)
        write_secrets(path, updated)
        state = "aktif" if updated["auth"]["enabled"] else "TIDAK aktif (enabled = false)"
        print(f"pengguna '{normalise_username(args.username)}' disimpan di {path}; login {state}")
        return 0
    except (AuthConfigError, ValueError, tomllib.TOMLDecodeError) as error:
        print(f"Gagal: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
