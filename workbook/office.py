"""Headless LibreOffice (the real spreadsheet application) for recalculation and PDF, plus poppler.

soffice is awkward to drive: its exit status is 0 even when nothing was converted, parallel calls
sharing a profile fail silently, and it keeps cached formula values unless told otherwise. Every
call here therefore gets its own profile and its own empty output folder, and success is judged
only by the files that actually appear there.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from workbook.atomic import write_atomic
from workbook.errors import BudgetbookError

SOFFICE_ENV = "BUDGETBOOK_SOFFICE"
INSTALL_HINT = "apt-get install -y --no-install-recommends libreoffice-calc fonts-noto-cjk fonts-wqy-microhei"
POPPLER_HINT = "apt-get install -y --no-install-recommends poppler-utils"

# Default install locations for users whose soffice is not on PATH (Windows, macOS).
_KNOWN_LOCATIONS = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)

# OOXMLRecalcMode/ODFRecalcMode 0 = "always recalculate on load"; the default keeps cached values.
_RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


# The tables ask for 宋体 and the 情况说明 for 仿宋_GB2312 and 黑体, as government publications are
# set. Windows and macOS have them; a Linux machine has none, and fontconfig would fall back to a
# sans face. Where a font is missing, the conversion's profile replaces it by the closest one
# installed: a 宋体-like serif (Noto Serif CJK, from fonts-noto-cjk; AR PL UMing), else WenQuanYi.
SERIF = ("Noto Serif CJK SC", "AR PL UMing CN", "WenQuanYi Micro Hei")
SANS = ("Noto Sans CJK SC", "WenQuanYi Micro Hei")
_WANTED = {"宋体": SERIF, "SimSun": SERIF, "仿宋_GB2312": SERIF, "仿宋": SERIF, "FangSong": SERIF,
           "黑体": SANS, "SimHei": SANS}


def installed_fonts() -> set[str] | None:
    """Font families fontconfig knows; None where there is no fontconfig (Windows, macOS)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listed = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip() for line in listed.splitlines() for name in line.split(",")}


def substitutes(fonts: set[str] | None = None) -> dict[str, str]:
    """Each wanted font that is missing -> the face LibreOffice prints it with."""
    fonts = installed_fonts() if fonts is None else fonts
    if not fonts:
        return {}
    out = {}
    for wanted, choices in _WANTED.items():
        if wanted not in fonts:
            found = next((face for face in choices if face in fonts), None)
            if found:
                out[wanted] = found
    return out


def _profile_xcu(recalc: bool) -> str:
    """The conversion profile's settings: recalculation on load, and the font replacement table."""
    items = _RECALC_XCU.split("\n")[2:-2] if recalc else []
    pairs = substitutes()
    if pairs:
        items.append('<item oor:path="/org.openoffice.Office.Common/Font/Substitution"><prop '
                     'oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>')
        for n, (wanted, face) in enumerate(pairs.items()):
            items.append(
                '<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
                f'<node oor:name="_{n}" oor:op="replace">'
                '<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
                '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
                f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{wanted}</value></prop>'
                f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{face}</value></prop></node></item>')
    return "\n".join([*_RECALC_XCU.split("\n")[:2], *items, "</oor:items>", ""])


# With LibreOffice Writer installed, soffice opens a damaged .xlsx as plain text and "converts" it;
# naming the import filter makes it refuse instead. A .docx (the 情况说明) opens in Writer only.
_IMPORT_FILTERS = {".xlsx": "Calc MS Excel 2007 XML", ".xlsm": "Calc MS Excel 2007 VBA XML",
                   ".docx": "MS Word 2007 XML"}

# soffice's Error: lines, in words an accountant can act on.
_KNOWN_ERRORS = {
    "Error: source file could not be loaded": "文件无法打开（可能已损坏，或不是表格文件）",
    "Error: no export filter": "不支持这种输出格式",
}

# mkstemp creates 0600 files; outputs should get the usual permissions (read once: not thread-safe).

# One row of `pdffonts`. Parsed by content, not by column width: long names shift the columns.
def find_soffice() -> str | None:
    """Path of the soffice program, or None. BUDGETBOOK_SOFFICE, when set, is the only candidate."""
    override = os.environ.get(SOFFICE_ENV)
    if override:
        return shutil.which(override)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _KNOWN_LOCATIONS if os.path.isfile(p)), None)


def convert(
    inputs: list[Path], fmt: str, outdir: Path, *, recalc: bool = False, timeout: float = 180
) -> list[Path]:
    """Convert all inputs with one soffice call; return the output paths in outdir, in input order.

    fmt is what soffice's --convert-to takes ("pdf", "xlsx", "xlsx:Calc MS Excel 2007 XML").
    Outputs keep the input's stem; an existing file of the same name in outdir is replaced.
    """
    outdir = Path(outdir)
    _check_folder(outdir, f"LibreOffice 未能把 {_names(inputs)} 转换为 {_label(fmt)}")
    for inp in inputs:
        # LibreOffice with its text filters installed "converts" any bytes as a text document
        if Path(inp).suffix.lower() in (".xlsx", ".xlsm") and not zipfile.is_zipfile(inp):
            raise BudgetbookError(f"LibreOffice 未能把 {inp} 转换为 {_label(fmt)}：文件已损坏或不是 Excel 工作簿。")
    with tempfile.TemporaryDirectory(prefix="budgetbook-soffice-") as work:
        produced = _run_soffice(inputs, fmt, Path(work), recalc=recalc, timeout=timeout)
        return [
            _place(src, outdir / src.name, failure=f"LibreOffice 未能把 {inp} 转换为 {_label(fmt)}")
            for inp, src in zip(inputs, produced)
        ]


def to_pdf(xlsx: Path, pdf: Path, *, timeout: float = 180) -> Path:
    """Print a workbook to PDF as LibreOffice lays it out (page setup, title rows, fonts)."""
    _check_folder(Path(pdf).parent, f"LibreOffice 未能把 {xlsx} 转换为 PDF")
    with tempfile.TemporaryDirectory(prefix="budgetbook-soffice-") as work:
        [src] = _run_soffice([xlsx], "pdf", Path(work), recalc=False, timeout=timeout)
        return _place(src, Path(pdf), failure=f"LibreOffice 未能把 {xlsx} 转换为 PDF")


def recalculate(xlsx: Path, out: Path, *, timeout: float = 180) -> Path:
    """Recalculate every formula and save as xlsx, so readers (openpyxl data_only) see fresh values."""
    _check_folder(Path(out).parent, f"LibreOffice 未能重新计算 {xlsx}")
    with tempfile.TemporaryDirectory(prefix="budgetbook-soffice-") as work:
        [src] = _run_soffice([xlsx], "xlsx", Path(work), recalc=True, timeout=timeout)
        return _place(src, Path(out), failure=f"LibreOffice 未能重新计算 {xlsx}")


def pdf_text(pdf: Path) -> str:
    """Text of a PDF via `pdftotext -layout` (keeps table columns roughly in place)."""
    return _poppler("pdftotext", ["-layout", "-enc", "UTF-8", str(pdf), "-"], pdf)


# --- internals ---------------------------------------------------------------------------------


def _label(fmt: str) -> str:
    return fmt.split(":", 1)[0].upper()


def _names(inputs: list[Path]) -> str:
    return "、".join(str(p) for p in inputs)


def _explain(error_line: str) -> str:
    return next((v for k, v in _KNOWN_ERRORS.items() if error_line.startswith(k)), error_line)


def _check_folder(folder: Path, failure: str) -> None:
    # Checked before soffice runs: a conversion can take minutes, and soffice itself would not say.
    if not folder.is_dir():
        raise BudgetbookError(f"{failure}：输出文件夹 {folder} 不存在。")
    if not os.access(folder, os.W_OK):
        raise BudgetbookError(f"{failure}：没有写入输出文件夹 {folder} 的权限。")


def _run_soffice(
    inputs: list[Path], fmt: str, work: Path, *, recalc: bool, timeout: float
) -> list[Path]:
    """Run soffice into work/out with a profile in work/profile; return the verified outputs."""
    inputs = [Path(p) for p in inputs]
    what = f"LibreOffice 未能把 {_names(inputs)} 转换为 {_label(fmt)}"
    soffice = find_soffice()
    if soffice is None:
        override = os.environ.get(SOFFICE_ENV)
        where = f"（{SOFFICE_ENV}={override} 不可执行）" if override else ""
        raise BudgetbookError(f"{what}：找不到 LibreOffice{where}，请先运行 {INSTALL_HINT}。")
    for p in inputs:
        if not p.is_file():
            raise BudgetbookError(f"LibreOffice 未能把 {p} 转换为 {_label(fmt)}：文件不存在。")
    ext = fmt.split(":", 1)[0]
    expected = [work / "out" / f"{p.stem}.{ext}" for p in inputs]
    if len(set(expected)) != len(expected):
        raise BudgetbookError(f"{what}：同一次转换中有重名文件，输出会互相覆盖。")

    profile = work / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_profile_xcu(recalc), encoding="utf-8")
    (work / "out").mkdir()
    cmd = [
        soffice, f"-env:UserInstallation={profile.as_uri()}",
        "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
        *_import_filter(inputs),
        "--convert-to", fmt, "--outdir", str(work / "out"),
        *[str(p.resolve()) for p in inputs],
    ]
    posix = os.name == "posix"
    try:
        # Own session so a timeout can kill the shell wrapper *and* soffice.bin it starts.
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, start_new_session=posix)
    except OSError as exc:
        raise BudgetbookError(
            f"{what}：无法启动 {soffice}（{exc.strerror}），请检查安装：{INSTALL_HINT}。"
        ) from None
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if posix:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        proc.communicate()
        raise BudgetbookError(f"{what}：超过 {timeout:g} 秒仍未完成，已终止 LibreOffice。") from None

    errors = [_explain(line.strip())
              for line in err.decode("utf-8", "replace").splitlines() if line.startswith("Error:")]
    reason = "；".join(dict.fromkeys(errors)) or f"LibreOffice 异常退出（状态 {proc.returncode}）"
    for inp, out in zip(inputs, expected):
        if not out.is_file() or out.stat().st_size == 0:
            # soffice does not say which file an Error: line belongs to; the missing output does.
            why = reason if errors else "没有生成输出文件"
            raise BudgetbookError(f"LibreOffice 未能把 {inp} 转换为 {_label(fmt)}：{why}。")
    if errors or proc.returncode != 0:
        raise BudgetbookError(f"{what}：{reason}。")
    return expected


def _import_filter(inputs: list[Path]) -> list[str]:
    """--infilter for one kind of input (one call takes one filter); none for a mixture."""
    filters = {_IMPORT_FILTERS.get(p.suffix.lower()) for p in inputs}
    return [f"--infilter={filters.pop()}"] if len(filters) == 1 and None not in filters else []


def _place(src: Path, target: Path, *, failure: str) -> Path:
    """Copy src to target atomically."""
    try:
        return write_atomic(target, lambda tmp: shutil.copyfile(src, tmp))
    except BudgetbookError as exc:
        raise BudgetbookError(f"{failure}：{exc}") from None


def _poppler(tool: str, args: list[str], pdf: Path) -> str:
    exe = shutil.which(tool)
    if exe is None:
        raise BudgetbookError(f"无法读取 {pdf}：找不到 {tool}，请先运行 {POPPLER_HINT}。")
    proc = subprocess.run([exe, *args], capture_output=True, timeout=60)
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        why = lines[-1] if lines else f"状态 {proc.returncode}"
        raise BudgetbookError(f"{tool} 无法读取 {pdf}：{why}。")
    return proc.stdout.decode("utf-8", "replace")
