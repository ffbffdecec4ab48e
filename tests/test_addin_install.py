"""`budgetbook addin install` and `addin path`, into temporary home folders laid out as on
Windows and macOS (sys.platform is switched in-process; nothing touches the real home)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import xlwings

from addin import build
from workbook import cli

NAME = build.FILE_NAME


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData" / "Roaming"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    return tmp_path


def config_lines(path: Path) -> list[str]:
    return path.read_text().splitlines()


def test_windows_install_puts_the_addin_in_xlstart_and_the_interpreter_in_xlwings_conf(home, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "win32")
    assert cli.main(["addin", "install"]) == 0
    installed = home / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / NAME
    assert installed.read_bytes() == build.default_path().read_bytes()
    conf = home / ".xlwings" / "xlwings.conf"
    assert config_lines(conf) == [f'"INTERPRETER_WIN","{sys.executable}"']
    out = capsys.readouterr().out
    assert str(installed) in out and "预算公开" in out and "重新打开" in out


def test_install_keeps_the_users_other_xlwings_settings(home, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    conf = home / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir()
    conf.write_text('"LICENSE_KEY","abc"\n"INTERPRETER_WIN","C:\\old\\python.exe"\n\n"SHOW CONSOLE","False"\n')
    assert cli.main(["addin", "install"]) == 0
    assert config_lines(conf) == ['"LICENSE_KEY","abc"', '"SHOW CONSOLE","False"',
                                  f'"INTERPRETER_WIN","{sys.executable}"']


def test_macos_install_uses_excels_sandbox_folders_and_enables_runpython(home, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert cli.main(["addin", "install"]) == 0
    startup = home / "Library" / "Group Containers" / "UBF8T346G9.Office" / "User Content.localized" / "Startup.localized" / "Excel"
    assert (startup / NAME).read_bytes() == build.default_path().read_bytes()
    conf = home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlwings.conf"
    assert config_lines(conf) == [f'"INTERPRETER_MAC","{sys.executable}"']
    # what `xlwings runpython install` would copy
    script = f"xlwings-{xlwings.__version__}.applescript"
    copied = home / "Library" / "Application Scripts" / "com.microsoft.Excel" / script
    assert copied.read_bytes() == (Path(xlwings.__file__).parent / script).read_bytes()
    assert "AppleScript" in capsys.readouterr().out


def test_install_to_another_folder(home, monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "platform", "win32")
    assert cli.main(["addin", "install", "--to", str(tmp_path / "shared" / "addins")]) == 0
    assert (tmp_path / "shared" / "addins" / NAME).is_file()


def test_linux_has_no_excel_to_install_into(home, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "linux")
    assert cli.main(["addin", "install"]) == 2
    err = capsys.readouterr().err
    assert "Windows 或 macOS" in err and "Excel" in err and len(err.strip().splitlines()) == 1
    assert not any(home.iterdir())


def test_path_builds_the_addin_when_it_is_missing(monkeypatch, tmp_path, capsys):
    target = tmp_path / "dist" / NAME
    monkeypatch.setattr(build, "default_path", lambda: target)
    assert cli.main(["addin", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(target)
    assert target.read_bytes() == build.addin_bytes()


def test_without_xlwings_the_build_says_how_to_get_it(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(build, "default_path", lambda: tmp_path / NAME)
    monkeypatch.setitem(sys.modules, "xlwings", None)  # what an install without [excel] looks like
    assert cli.main(["addin", "path"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'budgetbook[excel]'" in err and str(tmp_path / NAME) in err
    assert not (tmp_path / NAME).exists()


def test_uninstall_takes_back_what_install_wrote_and_nothing_else(home, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "win32")
    conf = home / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir()
    conf.write_text('"LICENSE_KEY","abc"\n')
    assert cli.main(["addin", "install"]) == 0
    installed = home / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / NAME
    assert installed.is_file()
    capsys.readouterr()
    assert cli.main(["addin", "uninstall"]) == 0
    assert not installed.exists() and config_lines(conf) == ['"LICENSE_KEY","abc"']
    out = capsys.readouterr().out
    assert str(installed) in out and str(conf) in out
    assert cli.main(["addin", "uninstall"]) == 0
    assert "未作改动" in capsys.readouterr().out


def test_uninstall_leaves_an_interpreter_the_user_has_changed_since(home, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    assert cli.main(["addin", "install"]) == 0
    conf = home / ".xlwings" / "xlwings.conf"
    conf.write_text('"INTERPRETER_WIN","C:\\\\Python311\\\\python.exe"\n')
    assert cli.main(["addin", "uninstall"]) == 0
    assert config_lines(conf) == ['"INTERPRETER_WIN","C:\\\\Python311\\\\python.exe"']
    # a configuration file the install made, and only its line in it, goes with it
    conf.unlink()
    assert cli.main(["addin", "install"]) == 0 and cli.main(["addin", "uninstall"]) == 0
    assert not conf.exists()
