"""Debian's Chromium for chart export and browser tests: installed only as root with apt."""

from __future__ import annotations

import subprocess

from scripts.launcher.system_packages import ensure_chromium


class Recorder:
    def __init__(self, installs: bool = True):
        self.commands: list[list[str]] = []
        self.installs = installs
        self.installed = False

    def run(self, command, **kwargs):
        self.commands.append(list(command))
        assert kwargs["stdin"] == subprocess.DEVNULL and kwargs["env"]["DEBIAN_FRONTEND"] == "noninteractive"
        if "install" in command and self.installs:
            self.installed = True
        return subprocess.CompletedProcess(command, 0)

    def which(self, name):
        if name == "apt-get":
            return "/usr/bin/apt-get"
        return "/usr/bin/chromium" if name == "chromium" and self.installed else None


def test_root_with_apt_installs_debian_chromium():
    recorder = Recorder()
    assert ensure_chromium("Linux", {}, uid=0, which=recorder.which, run=recorder.run)
    assert recorder.commands[0][:2] == ["apt-get", "update"]
    assert recorder.commands[1][:2] == ["apt-get", "install"] and "chromium" in recorder.commands[1]


def test_present_chromium_installs_nothing():
    recorder = Recorder()
    recorder.installed = True
    assert ensure_chromium("Linux", {}, uid=0, which=recorder.which, run=recorder.run)
    assert recorder.commands == []


def test_without_root_it_says_what_happens_and_installs_nothing(capsys):
    recorder = Recorder()
    assert not ensure_chromium("Linux", {}, uid=1000, which=recorder.which, run=recorder.run)
    assert recorder.commands == []
    assert "sudo apt install chromium" in capsys.readouterr().out


def test_windows_and_macos_leave_the_browser_to_kaleido():
    recorder = Recorder()
    for system in ("Windows", "Darwin"):
        assert ensure_chromium(system, {}, uid=None, which=recorder.which, run=recorder.run)
    assert recorder.commands == []
