"""`budgetbook kit`: the offline install folder. The slow test fetches every dependency for the
three targets (it needs the package index, as the command does), has pip resolve each kit with
no index for its platform, and runs install.sh from the kit on this machine into a temporary home."""
from __future__ import annotations

import os
import platform
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from addin import build, kit
from workbook import cli


def _wheel(folder: Path, name: str, version: str, requires: list[str]) -> None:
    meta = "".join(f"Requires-Dist: {r}\n" for r in requires)
    with zipfile.ZipFile(folder / f"{name}-{version}-py3-none-any.whl", "w") as z:
        z.writestr(f"{name}-{version}.dist-info/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n{meta}")


def test_what_the_target_platform_needs_is_found_missing_even_where_pip_would_skip_it(tmp_path):
    # the trap of `pip download --platform`: markers are judged for the machine it runs on
    _wheel(tmp_path, "tqdm", "4.70.1", ['colorama; platform_system == "Windows"'])
    _wheel(tmp_path, "app", "1.0", ["tqdm>=4", 'pywin32>=224; sys_platform == "win32"', "extra-thing; extra == 'more'"])
    roots = [Requirement("app")]
    windows = kit.markers(kit.TARGETS["win_amd64"], "3.11")
    assert sorted(str(r) for r in kit.missing(tmp_path, roots, windows)) == [
        'colorama; platform_system == "Windows"', 'pywin32>=224; sys_platform == "win32"']
    assert kit.missing(tmp_path, roots, kit.markers(kit.TARGETS["manylinux_aarch64"], "3.11")) == []
    assert [r.name for r in kit.missing(tmp_path, [Requirement("app[more]")], kit.markers(kit.TARGETS["manylinux_x86_64"], "3.11"))] == ["extra-thing"]
    _wheel(tmp_path, "colorama", "0.4.6", [])
    _wheel(tmp_path, "pywin32", "200", [])  # too old for the requirement
    assert [str(r.specifier) for r in kit.missing(tmp_path, roots, windows)] == [">=224"]


def test_a_failed_download_is_one_sentence_naming_what_was_missing(tmp_path, capsys, monkeypatch):
    wheel = tmp_path / "budgetbook-0.1.0-py3-none-any.whl"
    _wheel(tmp_path, "budgetbook", "0.1.0", [])

    def offline(args, **kwargs):
        return subprocess.CompletedProcess(args, 1, "", "ERROR: No matching distribution found for openpyxl>=3.1.5\n")

    monkeypatch.setattr(kit.subprocess, "run", offline)
    assert cli.main(["kit", "--platform", "manylinux_aarch64", "-o", str(tmp_path / "kit"), "--wheel", str(wheel)]) == 2
    err = capsys.readouterr().err.strip()
    assert "manylinux_aarch64" in err and "openpyxl>=3.1.5" in err and len(err.splitlines()) == 1


def _isolated_pip() -> dict[str, str]:
    """pip with no index, no find-links and no constraints from this machine's settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    return {**env, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


@pytest.mark.slow
def test_each_kit_installs_with_no_index_for_its_platform(tmp_path, capsys):
    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    kits = {}
    wheel = None
    for key in ("win_amd64", "manylinux_x86_64", "manylinux_aarch64"):
        out = tmp_path / key / "预算公开助手安装包"
        args = ["kit", "--platform", key, "--python", python, "-o", str(out)]
        assert cli.main(args + (["--wheel", str(wheel)] if wheel else [])) == 0, capsys.readouterr().err
        wheel = wheel or next((out / "wheels").glob("budgetbook-*.whl"))
        kits[key] = out
    assert capsys.readouterr().out.count("离线安装包") == 3

    for key, out in kits.items():
        target = kit.TARGETS[key]
        extras = f"[{','.join(target.extras)}]" if target.extras else ""
        platforms = [a for p in target.pip_platforms for a in ("--platform", p)]
        ran = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--find-links",
                              str(out / "wheels"), *platforms, "--python-version", python, "--only-binary=:all:",
                              "--target", str(tmp_path / "target"), f"budgetbook{extras}"],
                             capture_output=True, text=True, env=_isolated_pip(), timeout=300)
        assert ran.returncode == 0 and "Would install" in ran.stdout, ran.stderr[-2000:]
        # and what pip cannot see from here: the target's own markers (pywin32, colorama on Windows)
        wanted = [Requirement(f"budgetbook{extras}")]
        assert kit.missing(out / "wheels", wanted, kit.markers(target, python)) == []
        assert (out / "WPS加载项" / "ribbon.xml").is_file() and (out / target.script).is_file()
    windows = kits["win_amd64"]
    assert {"pywin32", "colorama", "xlwings"} <= {p.name.split("-")[0].lower() for p in (windows / "wheels").glob("*.whl")}
    assert (windows / build.FILE_NAME).read_bytes() == build.addin_bytes()
    bat = (windows / "install.bat").read_bytes()
    assert b"\r\n" in bat and b"\n" not in bat.replace(b"\r\n", b"")
    assert b"--no-index" in bat and b"budgetbook[excel]" in bat and b"addin install" in bat

    # install.sh, for real, on this machine (a manylinux x86_64 one): no index, a temporary home
    if platform.machine() != "x86_64" or not sys.platform.startswith("linux"):
        return
    home = tmp_path / "home"
    home.mkdir()
    env = {**_isolated_pip(), "HOME": str(home), "PYTHON": sys._base_executable}
    env.pop("XDG_CONFIG_HOME", None)
    ran = subprocess.run(["sh", str(kits["manylinux_x86_64"] / "install.sh")], capture_output=True, text=True,
                         env=env, timeout=900)
    assert ran.returncode == 0, ran.stdout[-2000:] + ran.stderr[-2000:]
    command = home / ".local" / "bin" / "budgetbook"
    version = subprocess.run([str(command), "--version"], capture_output=True, text=True, env=env, timeout=120)
    assert version.stdout.strip() == f"budgetbook {wheel.name.split('-')[1]}"
    jsaddons = home / ".local" / "share" / "Kingsoft" / "wps" / "jsaddons"
    assert 'name="budgetbook"' in (jsaddons / "publish.xml").read_text(encoding="utf-8")
    assert (home / ".config" / "autostart" / "budgetbook-serve.desktop").is_file()
