"""Where the add-in and the xlwings settings go on Windows and macOS, and putting them there.

The add-in goes to Excel's user start-up folder (XLSTART), as `xlwings addin install` does: Excel
opens every file there when it starts, so the 预算公开 tab appears without ticking anything in
the add-ins dialog. The interpreter goes to the xlwings user config that the add-in's RunPython
reads (the `xlwings` module's PROJECT_NAME is "xlwings"), in the format `xlwings config create`
writes: one `"KEY","VALUE"` line per setting.
"""
from __future__ import annotations

import locale
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from workbook.atomic import write_atomic
from workbook.errors import BudgetbookError


@dataclass(frozen=True)
class Layout:
    system: str  # "Windows" or "macOS"
    startup: Path  # Excel's XLSTART folder for this user
    config: Path  # xlwings.conf as the add-in's VBA looks for it
    interpreter_key: str  # INTERPRETER_WIN or INTERPRETER_MAC
    scripts: Path | None  # macOS: where RunPython's AppleScript must be (Excel's sandbox)


def layout() -> Layout:
    """The folders of the running system; BudgetbookError where there is no Excel."""
    if sys.platform.startswith("win"):
        appdata = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
        profile = Path(os.environ.get("USERPROFILE") or Path.home())  # what VBA's Environ reads
        return Layout("Windows", appdata / "Microsoft" / "Excel" / "XLSTART",
                      profile / ".xlwings" / "xlwings.conf", "INTERPRETER_WIN", None)
    if sys.platform == "darwin":
        home = Path.home()
        return Layout(
            "macOS",
            home / "Library" / "Group Containers" / "UBF8T346G9.Office" / "User Content.localized"
            / "Startup.localized" / "Excel",
            # sandboxed Excel sees this folder as its home, where the VBA looks for xlwings.conf
            home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlwings.conf",
            "INTERPRETER_MAC",
            home / "Library" / "Application Scripts" / "com.microsoft.Excel",
        )
    raise BudgetbookError(
        "Excel 加载项只能安装在装有 Microsoft Excel 的 Windows 或 macOS 电脑上；"
        "本机请直接使用 budgetbook fill、check、export 等命令。"
    )


def install(addin: Path, where: Layout, startup: Path | None = None, python: str | None = None) -> list[Path]:
    """Copy the add-in, point xlwings at `python`; on macOS enable RunPython. The files written."""
    folder = Path(startup) if startup else where.startup
    target = folder / addin.name
    _mkdir(folder)
    written = [write_atomic(target, lambda tmp: shutil.copyfile(addin, tmp))]
    written.append(write_config(where.config, where.interpreter_key, python or sys.executable))
    if where.scripts is not None:
        written.append(_applescript(where.scripts))
    return written


def uninstall(name: str, where: Layout, startup: Path | None = None, python: str | None = None) -> list[Path]:
    """Take back what install wrote: the add-in file and our interpreter line (when it still names
    this Python). The AppleScript on macOS stays: it is xlwings' own, shared with other add-ins."""
    removed = []
    target = (Path(startup) if startup else where.startup) / name
    if target.is_file():
        target.unlink()
        removed.append(target)
    if _remove_setting(where.config, where.interpreter_key, python or sys.executable):
        removed.append(where.config)
    return removed


def _remove_setting(path: Path, key: str, value: str) -> bool:
    encoding = locale.getpreferredencoding(False)
    if not path.is_file():
        return False
    lines = path.read_text(encoding=encoding).splitlines()
    ours = f'"{key}","{value}"'
    if ours not in lines:
        return False
    left = [line for line in lines if line != ours]
    if not any(line.strip() for line in left):
        path.unlink()
    else:
        text = "\n".join(left) + "\n"
        write_atomic(path, lambda tmp: tmp.write_text(text, encoding=encoding))
    return True


def write_config(path: Path, key: str, value: str) -> Path:
    """Set `key` in an xlwings.conf, keeping the user's other settings."""
    # VBA reads the file with `Input #`, in the system's ANSI code page (e.g. GBK on Chinese
    # Windows), which is what Python's locale encoding is there; xlwings writes it the same way
    encoding = locale.getpreferredencoding(False)
    lines = []
    if path.is_file():
        try:
            lines = path.read_text(encoding=encoding).splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise BudgetbookError(f"无法读取 xlwings 配置文件 {path}（{exc}）。") from None
    lines = [line for line in lines if line.strip() and line.split(",")[0].strip('"').upper() != key]
    lines.append(f'"{key}","{value}"')
    _mkdir(path.parent)
    text = "\n".join(lines) + "\n"
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding=encoding))


def _applescript(folder: Path) -> Path:
    """What `xlwings runpython install` does: RunPython on macOS calls this AppleScript."""
    import xlwings

    script = Path(xlwings.__file__).parent / f"xlwings-{xlwings.__version__}.applescript"
    _mkdir(folder)
    return write_atomic(folder / script.name, lambda tmp: shutil.copyfile(script, tmp))


def _mkdir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BudgetbookError(f"无法创建文件夹 {folder}（{exc.strerror or exc}）。") from None
