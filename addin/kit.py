"""`budgetbook kit`: everything an intranet desktop needs to install budgetbook with no package index.

The kit is a folder: `wheels/` (budgetbook's wheel and every dependency, as wheels for the target
platform and Python), the Excel add-in (.xlam), the WPS add-in's files, and install.bat /
install.sh, which make a virtual environment, install from `wheels/` with `--no-index` and run
`budgetbook addin install`.

pip's own download does the fetching (`--platform`, `--python-version`, `--only-binary=:all:`).
It evaluates environment markers for the machine it runs on, not the target, so a kit made on
Linux for Windows would lack e.g. pywin32 (xlwings) and colorama (tqdm). The kit therefore walks
every wheel's Requires-Dist with the target's markers and fetches what is missing, until nothing is.
"""
from __future__ import annotations

import email.parser
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from workbook.errors import BudgetbookError


@dataclass(frozen=True)
class Target:
    key: str  # what --platform takes
    pip_platforms: tuple[str, ...]
    markers: dict[str, str]  # the environment markers of that platform, less the Python version
    extras: tuple[str, ...]  # budgetbook's extras installed there
    script: str  # install.bat or install.sh


def _manylinux(arch: str) -> tuple[str, ...]:
    """Every manylinux tag a glibc 2.28 system accepts (Kylin V10 and UOS 20 ship glibc 2.28): pip
    takes a --platform literally and does not add the older tags itself."""
    tags = [f"manylinux_2_{minor}_{arch}" for minor in range(28, 16, -1)] + [f"manylinux2014_{arch}"]
    if arch == "x86_64":
        tags += ["manylinux_2_12_x86_64", "manylinux2010_x86_64", "manylinux_2_5_x86_64", "manylinux1_x86_64"]
    return tuple(tags)


# Excel runs on Windows only, so only there the [excel] extra (xlwings).
TARGETS = {
    "win_amd64": Target("win_amd64", ("win_amd64",), {
        "sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64"},
        ("excel",), "install.bat"),
    "manylinux_x86_64": Target("manylinux_x86_64", _manylinux("x86_64"), {
        "sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64"},
        (), "install.sh"),
    "manylinux_aarch64": Target("manylinux_aarch64", _manylinux("aarch64"), {
        "sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "aarch64"},
        (), "install.sh"),
}


def markers(target: Target, python: str) -> dict[str, str]:
    return {**target.markers, "python_version": python, "python_full_version": f"{python}.0",
            "implementation_name": "cpython", "platform_python_implementation": "CPython",
            "platform_release": "", "platform_version": "", "implementation_version": f"{python}.0"}


def make(target: Target, python: str, out: Path, wheel: Path | None = None) -> dict[str, Path]:
    """Gather the kit for `target` and Python `python` (e.g. "3.11") into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    wheels = out / "wheels"
    wheels.mkdir(exist_ok=True)
    own = _own_wheel(wheel, wheels)
    roots = [f"{own}[{','.join(target.extras)}]" if target.extras else str(own)]
    roots += _pins(target)
    _download(roots, target, python, wheels)
    wanted = [Requirement(f"budgetbook[{','.join(target.extras)}]" if target.extras else "budgetbook"),
              *map(Requirement, _pins(target))]
    for _ in range(10):  # each round adds what the target's markers ask for beyond pip's answer
        lacking = missing(wheels, wanted, markers(target, python))
        if not lacking:
            break
        # without their markers: pip would judge those by this machine again
        _download([_plain(r) for r in lacking], target, python, wheels)
    else:
        raise BudgetbookError(f"无法为 {target.key} 收齐依赖：{'、'.join(map(str, lacking))}。")
    written = {"wheels": wheels, "script": _script(target, python, out)}
    written.update(_addins(target, out))
    return written


def missing(wheels: Path, roots: list[Requirement], env: dict[str, str]) -> list[Requirement]:
    """The requirements (from `roots` down, with the target's markers) no wheel in `wheels` meets."""
    have = {}
    for path in wheels.glob("*.whl"):
        name, version, _, _ = parse_wheel_filename(path.name)
        have[name] = (version, path)
    lacking, seen, queue = [], set(), list(roots)
    while queue:
        req = queue.pop()
        name = canonicalize_name(req.name)
        key = (name, frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        if name not in have or not req.specifier.contains(have[name][0], prereleases=True):
            lacking.append(req)
            continue
        for text in requires(have[name][1]):
            dep = Requirement(text)
            extras = req.extras or {""}
            if dep.marker is None or any(dep.marker.evaluate({**env, "extra": e}) for e in extras):
                queue.append(dep)
    return lacking


def _plain(req: Requirement) -> str:
    extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
    return f"{req.name}{extras}{req.specifier}"


def requires(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as z:
        [meta] = [n for n in z.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
        message = email.parser.Parser().parsestr(z.read(meta).decode("utf-8"))
    return message.get_all("Requires-Dist") or []


def _pins(target: Target) -> list[str]:
    """The .xlam carries the VBA of this machine's xlwings: the kit takes the same version."""
    if "excel" not in target.extras:
        return []
    try:
        import xlwings
    except ImportError:
        raise BudgetbookError("制作 Windows 安装包需要本机装有 xlwings（pip install 'budgetbook[excel]'），"
                              "以生成 Excel 加载项。") from None
    return [f"xlwings=={xlwings.__version__}"]


def _own_wheel(wheel: Path | None, wheels: Path) -> Path:
    if wheel is not None:
        if not wheel.is_file() or not wheel.name.startswith("budgetbook-") or wheel.suffix != ".whl":
            raise BudgetbookError(f"{wheel} 不是 budgetbook 的 wheel 文件。")
        return Path(shutil.copy2(wheel, wheels / wheel.name))
    source = Path(__file__).resolve().parents[1]
    if not (source / "pyproject.toml").is_file():
        raise BudgetbookError("找不到 budgetbook 的源代码目录：请在源代码目录的安装中运行，或用 --wheel 给出 budgetbook 的 wheel 文件。")
    for old in wheels.glob("budgetbook-*.whl"):
        old.unlink()
    _pip(["wheel", "--no-deps", "-w", str(wheels), str(source)], "生成 budgetbook 的 wheel")
    [own] = wheels.glob("budgetbook-*.whl")
    return own


def _download(requirements: list[str], target: Target, python: str, wheels: Path) -> None:
    args = ["download", "--only-binary=:all:", "--python-version", python, "--implementation", "cp",
            "-d", str(wheels)]
    for platform in target.pip_platforms:
        args += ["--platform", platform]
    _pip(args + requirements, f"下载 {target.key} 的依赖")


def _pip(args: list[str], doing: str) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
               capture_output=True, text=True)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        last = next((line for line in reversed(detail) if line.startswith("ERROR")), detail[-1] if detail else "")
        raise BudgetbookError(f"{doing}失败（pip：{last.strip()}）；请确认本机能访问软件包索引。")


def _addins(target: Target, out: Path) -> dict[str, Path]:
    from addin.wps import install

    written = {"wps": out / "WPS加载项"}
    install.copy_files(written["wps"])
    if "excel" in target.extras:
        from addin import build

        written["xlam"] = build.build(out / build.FILE_NAME)
    return written


def _script(target: Target, python: str, out: Path) -> Path:
    extras = f"[{','.join(target.extras)}]" if target.extras else ""
    text = resources.files("addin").joinpath(f"kit_{target.script}").read_text(encoding="utf-8")
    text = text.replace("@PYTHON@", python).replace("@EXTRAS@", extras)
    path = out / target.script
    if target.script.endswith(".bat"):
        path.write_bytes(text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8"))
    else:
        path.write_text(text, encoding="utf-8", newline="\n")
        path.chmod(0o755)
    return path
