"""dashboard/auth/login.py: scrypt hashes, secrets parsing, scopes, throttling, the user CLI."""

from __future__ import annotations

import stat
import tomllib

import pytest

from dashboard.auth import login as auth
from dashboard.auth.login import AuthConfigError, AuthSettings, LoginThrottle, User

FAST = {"n": 2**10, "r": 8, "p": 1}  # cheap parameters for tests; the format is the same


def test_hash_has_the_documented_format_and_verifies():
    encoded = auth.hash_password("rahasia-posyandu", salt=bytes(range(16)), **FAST)
    scheme, n, r, p, salt, digest = encoded.split("$")
    assert (scheme, n, r, p) == ("scrypt", "1024", "8", "1")
    assert salt == bytes(range(16)).hex() and len(bytes.fromhex(digest)) == 32
    assert auth.verify_password("rahasia-posyandu", encoded)


def test_default_cost_and_random_salt():
    first, second = auth.hash_password("sama"), auth.hash_password("sama")
    assert first.startswith(f"scrypt${auth.SCRYPT_N}$8$1$")
    assert first != second  # salted
    assert auth.verify_password("sama", first) and auth.verify_password("sama", second)


def test_wrong_password_and_malformed_hashes_are_refused():
    encoded = auth.hash_password("benar123", **FAST)
    assert not auth.verify_password("salah123", encoded)
    assert not auth.verify_password("Benar123", encoded)
    assert not auth.verify_password("", encoded)
    for broken in (
        "",
        "benar123",
        "scrypt$1024$8$1$zz$00",
        "bcrypt$1024$8$1$00$00",
        "scrypt$1000$8$1$00$00",
        encoded[:-2] + "$",
    ):
        assert not auth.verify_password("benar123", broken)
    with pytest.raises(ValueError):
        auth.hash_password("")


def _secrets(**users) -> dict:
    return {"auth": {"enabled": True, "users": users}}


def test_pembina_scope_and_kabupaten_sees_everything():
    h = auth.hash_password("x" * 8, **FAST)
    settings = auth.parse_auth_settings(
        _secrets(
            Dinkes={"password_hash": h, "role": "kabupaten"},
            pembina_tgr={"password_hash": h, "role": "pembina", "kecamatan": ["64.02.06", "64.02.07", "64.02.06"]},
        )
    )
    assert settings.enabled
    assert settings.users["dinkes"].scope_kec is None  # names are case-insensitive
    assert settings.users["pembina_tgr"].scope_kec == ("64.02.06", "64.02.07")


def test_authenticate_gives_the_user_only_for_the_right_password():
    h = auth.hash_password("kata-sandi-1", **FAST)
    settings = auth.parse_auth_settings(
        _secrets(tgr={"password_hash": h, "role": "pembina", "kecamatan": ["64.02.06"]})
    )
    assert auth.authenticate(settings, " TGR ", "kata-sandi-1").scope_kec == ("64.02.06",)
    assert auth.authenticate(settings, "tgr", "kata-sandi-2") is None
    assert auth.authenticate(settings, "tidak-ada", "kata-sandi-1") is None


def _throttled_settings() -> AuthSettings:
    h = auth.hash_password("kata-sandi-1", **FAST)
    return AuthSettings(True, {"tgr": User("tgr", "pembina", ("64.02.06",), h)})


def test_wrong_passwords_for_an_account_bring_short_growing_delays():
    now = [1000.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    settings = _throttled_settings()
    strangers = (f"10.0.1.{i}" for i in range(100))  # many machines, so only the account counts
    for _ in range(3):  # free attempts
        assert auth.authenticate(settings, "tgr", "salah", throttle, next(strangers)) is None
    assert throttle.seconds_to_wait("tgr", "10.0.0.5") == 0
    delays = []
    for _ in range(8):
        assert auth.authenticate(settings, "tgr", "salah", throttle, next(strangers)) is None
        delays.append(throttle.seconds_to_wait("tgr", "10.0.0.5"))  # what the real user must wait
        assert auth.authenticate(settings, "tgr", "kata-sandi-1", throttle, "10.0.0.5") is None  # not checked
        now[0] += delays[-1]
    assert delays == [2, 4, 8, 16, 32, 60, 60, 60]  # growing, but never more than a minute
    assert auth.authenticate(settings, "tgr", "kata-sandi-1", throttle, "10.0.0.5") is not None
    assert throttle.seconds_to_wait("tgr", "10.0.0.5") == 0  # the right password clears the account


@pytest.mark.skipif(__import__("os").name == "nt", reason="Windows has no POSIX file modes")
def test_a_secrets_file_others_can_read_is_made_private(tmp_path, capsys):
    import os
    import stat

    path = tmp_path / "secrets.toml"
    auth.write_secrets(path, _secrets(dinkes={"password_hash": auth.hash_password("x", **FAST), "role": "kabupaten"}))
    os.chmod(path, 0o644)
    assert auth.load_auth_settings(path).enabled
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "PERINGATAN" in capsys.readouterr().err


def test_one_address_trying_many_accounts_is_slowed_down_for_long():
    now = [1000.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    settings = _throttled_settings()
    for index in range(12):
        name = f"tebakan{index}"
        if throttle.seconds_to_wait(name, "10.0.0.66"):
            now[0] += throttle.seconds_to_wait(name, "10.0.0.66")
        assert auth.authenticate(settings, name, "salah", throttle, "10.0.0.66") is None
    assert throttle.seconds_to_wait("tebakan99", "10.0.0.66") == 128  # 2 s, doubled per failure after the 6th
    assert throttle.seconds_to_wait("tgr", "10.0.0.5") == 0  # the real user elsewhere is not held up
    now[0] += 3601
    assert throttle.seconds_to_wait("tebakan99", "10.0.0.66") == 0  # forgotten after an hour


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"auth": {"enabled": "ya"}}, "enabled"),
        ({"auth": {"enabled": True}}, "belum ada pengguna"),
        (_secrets(a={"password_hash": "scrypt$1$1$1$00$00", "role": "admin"}), "role"),
        (_secrets(a={"password_hash": "rahasia", "role": "kabupaten"}), "password_hash"),
        (_secrets(a={"password_hash": "scrypt$1$1$1$00$00", "role": "pembina"}), "minimal satu kecamatan"),
        (
            _secrets(a={"password_hash": "scrypt$1$1$1$00$00", "role": "pembina", "kecamatan": ["6402"]}),
            "kode Kemendagri",
        ),
        (_secrets(**{"a b": {"password_hash": "scrypt$1$1$1$00$00", "role": "kabupaten"}}), "tidak sah"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(data, message):
    with pytest.raises(AuthConfigError, match=message):
        auth.parse_auth_settings(data)


def test_no_file_or_no_section_or_disabled_means_no_login(tmp_path):
    assert not auth.load_auth_settings(tmp_path / "tidak-ada.toml").enabled
    (tmp_path / "other.toml").write_text('[database]\npassword = "x"\n')
    assert not auth.load_auth_settings(tmp_path / "other.toml").enabled
    (tmp_path / "off.toml").write_text("[auth]\nenabled = false\n")
    assert not auth.load_auth_settings(tmp_path / "off.toml").enabled


def test_secrets_file_parsing(tmp_path):
    h = auth.hash_password("kata-sandi-1", **FAST)
    path = tmp_path / "secrets.toml"
    path.write_text(
        f"""
[auth]
enabled = true

[auth.users.kabupaten1]
password_hash = "{h}"
role = "kabupaten"

[auth.users.pembina1]
password_hash = "{h}"
role = "pembina"
kecamatan = ["64.02.06"]
"""
    )
    settings = auth.load_auth_settings(path)
    assert settings.enabled and set(settings.users) == {"kabupaten1", "pembina1"}
    assert settings.users["pembina1"].kecamatan == ("64.02.06",)
    assert "kata-sandi" not in repr(settings) and h not in repr(settings)  # hashes stay out of logs
    path.write_text("[auth\nenabled = true")
    with pytest.raises(AuthConfigError, match="tidak bisa dibaca"):
        auth.load_auth_settings(path)  # the gate stays closed, not open


def test_toml_writer_round_trips_other_secrets():
    data = {
        "api_key": 'a"b\\c',
        "port": 5,
        "ratio": 0.5,
        "database": {"host": "db.lan", "tags": ["a", "b"]},
        "auth": {"enabled": True, "users": {"dinkes": {"password_hash": "scrypt$1$1$1$00$00", "role": "kabupaten"}}},
    }
    assert tomllib.loads(auth.dump_toml(data)) == data


def _cli(monkeypatch, capsys, argv, passwords=()):
    answers = iter(passwords)
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": next(answers))
    code = auth.main(argv)
    return code, capsys.readouterr()


def test_cli_add_user_writes_a_hash_never_the_password(tmp_path, monkeypatch, capsys):
    path = tmp_path / ".streamlit" / "secrets.toml"
    path.parent.mkdir()
    path.write_text('[database]\npassword = "lain"\n')
    code, out = _cli(
        monkeypatch,
        capsys,
        [
            "--secrets-file",
            str(path),
            "add-user",
            "Pembina_TGR",
            "--role",
            "pembina",
            "--kecamatan",
            "64.02.06",
            "64.02.07",
        ],
        ["sandi-rahasia-9", "sandi-rahasia-9"],
    )
    assert code == 0, out.err
    text = path.read_text()
    assert "sandi-rahasia-9" not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = tomllib.loads(text)
    assert data["database"] == {"password": "lain"}  # other secrets kept
    settings = auth.parse_auth_settings(data)
    assert settings.enabled
    user = settings.users["pembina_tgr"]
    assert user.role == "pembina" and user.kecamatan == ("64.02.06", "64.02.07")
    assert auth.verify_password("sandi-rahasia-9", user.password_hash)

    code, out = _cli(
        monkeypatch,
        capsys,
        ["--secrets-file", str(path), "add-user", "dinkes", "--role", "kabupaten"],
        ["sandi-kabupaten", "sandi-kabupaten"],
    )
    assert code == 0
    code, out = _cli(monkeypatch, capsys, ["--secrets-file", str(path), "list-users"])
    assert "pembina_tgr" in out.out and "dinkes" in out.out and "scrypt" not in out.out
    code, out = _cli(monkeypatch, capsys, ["--secrets-file", str(path), "remove-user", "pembina_tgr"])
    assert code == 0 and set(auth.load_auth_settings(path).users) == {"dinkes"}


@pytest.mark.parametrize(
    ("argv", "passwords", "message"),
    [
        (["add-user", "x", "--role", "pembina"], [], "minimal satu kecamatan"),
        (["add-user", "x", "--role", "pembina", "--kecamatan", "64.02.99"], [], "tidak dikenal"),
        (["add-user", "x", "--role", "kabupaten", "--kecamatan", "64.02.06"], [], "jangan isi"),
        (["add-user", "x", "--role", "kabupaten"], ["pendek", "pendek"], "minimal 8"),
        (["add-user", "x", "--role", "kabupaten"], ["panjang-sekali", "lain-lagi-123"], "tidak sama"),
    ],
)
def test_cli_refuses_bad_users_before_writing(tmp_path, monkeypatch, capsys, argv, passwords, message):
    path = tmp_path / "secrets.toml"
    code, out = _cli(monkeypatch, capsys, ["--secrets-file", str(path), *argv], passwords)
    assert code == 1 and message in out.err
    assert not path.exists()


def test_cli_hash_password_prints_a_line_to_paste(monkeypatch, capsys):
    code, out = _cli(monkeypatch, capsys, ["hash-password"], ["sandi-rahasia-9", "sandi-rahasia-9"])
    assert code == 0
    line = out.out.strip()
    assert line.startswith('password_hash = "scrypt$') and "sandi-rahasia-9" not in line
    assert auth.verify_password("sandi-rahasia-9", tomllib.loads(line)["password_hash"])


# --- the gate in the app (AppTest) ----------------------------------------------------


@pytest.fixture
def login_on(warehouse_path, tmp_path, monkeypatch):
    h = auth.hash_password("sandi-kabupaten", **FAST)
    p = auth.hash_password("sandi-pembina-1", **FAST)
    path = tmp_path / "secrets.toml"
    auth.write_secrets(
        path,
        _secrets(
            dinkes={"password_hash": h, "role": "kabupaten"},
            tgr={"password_hash": p, "role": "pembina", "kecamatan": ["64.02.06"]},
        ),
    )
    monkeypatch.setenv("DASBOR_LOGIN_SECRETS_FILE", str(path))
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(warehouse_path))
    return path


def _app():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("../../app.py", default_timeout=60)
    at.run()
    return at


def _sign_in(at, username: str, password: str):
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button[0].click().run()
    return at


def test_login_form_comes_before_any_page(login_on):
    at = _app()
    assert not at.exception
    assert [t.value for t in at.title] == ["Dasbor Posyandu Kukar"]
    assert [b.label for b in at.button] == ["Masuk"]
    assert not at.metric and "user_role" not in at.session_state


def test_wrong_password_is_refused(login_on):
    at = _sign_in(_app(), "tgr", "sandi-salah-9")
    assert at.error and "salah" in at.error[0].value
    assert "user_role" not in at.session_state and not at.metric


def test_pembina_signs_in_with_a_scope_and_without_perbarui_data(login_on):
    at = _sign_in(_app(), "TGR", "sandi-pembina-1")
    assert not at.exception, at.exception
    assert at.session_state["user_role"] == "pembina"
    assert at.session_state["user_scope_kec"] == ("64.02.06",)
    assert at.sidebar.button(key="logout").label == "Keluar"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/perbarui_data.py")  # not in the pembina's navigation
    at.sidebar.button(key="logout").click().run()
    assert "user_role" not in at.session_state and [b.label for b in at.button] == ["Masuk"]


def test_kabupaten_signs_in_to_the_whole_kabupaten(login_on):
    at = _sign_in(_app(), "dinkes", "sandi-kabupaten")
    assert not at.exception, at.exception
    assert at.session_state["user_role"] == "kabupaten" and at.session_state["user_scope_kec"] is None
    at.switch_page("pages/perbarui_data.py").run()
    assert any(t.value == "Perbarui Data" for t in at.title)


def test_a_page_opened_directly_still_asks_for_login(login_on):
    """Streamlit may run a pages/ script without app.py (the pages/ folder fallback)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("../../pages/perbarui_data.py", default_timeout=60)
    at.run()
    assert [b.label for b in at.button] == ["Masuk"] and not at.get("file_uploader")


def test_the_old_confusable_variable_names_are_refused(monkeypatch):
    from etl.config import EtlConfig

    monkeypatch.setenv("DASBOR_SECRETS_FILE", "/tmp/secrets.toml")
    with pytest.raises(RuntimeError, match="DASBOR_LOGIN_SECRETS_FILE"):
        auth.secrets_file()
    monkeypatch.delenv("DASBOR_SECRETS_FILE")
    monkeypatch.setenv("DASBOR_SECRET_FILE", "/tmp/key")
    with pytest.raises(RuntimeError, match="DASBOR_PSEUDONYM_KEY_FILE"):
        EtlConfig()


def test_wrong_passwords_counted_by_one_serving_process_delay_the_others(tmp_path):
    """`make serve` runs several processes: a guesser gets the free attempts once, not once per process."""
    import subprocess
    import sys

    from dashboard.auth.failure_store import SqliteFailures

    path = tmp_path / "login_attempts.sqlite"
    other_process = (
        "import sys; from pathlib import Path;"
        "from dashboard.auth.login import LoginThrottle; from dashboard.auth.failure_store import SqliteFailures;"
        "t = LoginThrottle(clock=lambda: float(sys.argv[2]), store=SqliteFailures(Path(sys.argv[1])));"
        "[t.record_failure('tgr', '10.0.0.9') for _ in range(4)]"
    )
    # One fixed clock for both processes: a slow start of the child (a busy CI machine)
    # must not let the 2-second delay run out before it is read.
    now = 1_000_000.0
    subprocess.run([sys.executable, "-c", other_process, str(path), str(now)], check=True, cwd=auth.REPO_DIR)

    this_process = LoginThrottle(clock=lambda: now, store=SqliteFailures(path))
    assert 0 < this_process.seconds_to_wait("tgr", "10.0.0.5") <= 2  # the account's 4th failure: 2 s
    settings = _throttled_settings()
    assert auth.authenticate(settings, "tgr", "kata-sandi-1", this_process, "10.0.0.5") is None  # not checked yet
    if __import__("os").name != "nt":
        assert __import__("stat").S_IMODE(path.stat().st_mode) == 0o600


def test_shared_counts_follow_the_same_delays_as_counts_in_memory(tmp_path):
    from dashboard.auth.failure_store import SqliteFailures

    now = [1000.0]
    shared = LoginThrottle(clock=lambda: now[0], store=SqliteFailures(tmp_path / "a.sqlite"))
    second_process = LoginThrottle(clock=lambda: now[0], store=SqliteFailures(tmp_path / "a.sqlite"))
    local = LoginThrottle(clock=lambda: now[0])
    waits = []
    for index in range(9):
        by = shared if index % 2 else second_process  # failures land on either process
        by.record_failure(f"tebakan{index}", "10.0.0.66")
        local.record_failure(f"tebakan{index}", "10.0.0.66")
        waits.append((shared.seconds_to_wait("x", "10.0.0.66"), local.seconds_to_wait("x", "10.0.0.66")))
    assert all(a == b for a, b in waits) and waits[-1][0] == 16  # 5 free, then 2, 4, 8, 16 s
    second_process.record_success("x", "10.0.0.66")
    assert shared.seconds_to_wait("x", "10.0.0.66") == 0
    now[0] += 3601
    second_process.record_failure("y", "10.0.0.70")
    assert shared.seconds_to_wait("tebakan1", None) == 0  # forgotten after an hour
