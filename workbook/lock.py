"""No lost updates: one writer per workbook, and no write over changes made since it was read.

Commands that write a workbook (fill, check --mark / --mark-in-place, clear; in place or to an
existing file with --force) run inside `writing(target, source=...)`:

1. Excel's and LibreOffice's own owner files are honoured: while `~$NAME` (Excel, WPS) or
   `.~lock.NAME#` (LibreOffice) is beside the workbook, it is open there and a save from there
   would overwrite ours (or ours theirs): refused, naming who has it open when the file says.
2. An advisory lock file `.~bb-lock.NAME` beside the workbook is created with O_EXCL, holding pid,
   host and time. Another budgetbook writing the same workbook is refused while it runs. A lock
   whose process is gone (same host, pid dead) or that is older than STALE_MINUTES is stale and
   taken over.
3. The workbook (and the source, when another file) is fingerprinted (size, mtime_ns, SHA-256)
   before the job reads it; right before the atomic rename (workbook.atomic.guard) it is
   fingerprinted again, and the write is refused if anything changed: the other writer's work is
   kept, ours is not written, and the user is told to run again.

Advisory: programs that ignore these files (a copy in the file manager) are not stopped by the
lock, but the fingerprint check still refuses to write over what they changed. What remains is the
instant between the last check and the rename.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from . import atomic
from .errors import BudgetbookError, shown

LOCK_PREFIX = ".~bb-lock."
STALE_MINUTES = 30
_UNWRITTEN_GRACE = 10  # seconds: a lock file still empty after this is from a killed process


# --- fingerprints ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Snapshot:
    size: int
    mtime_ns: int
    digest: str

    @classmethod
    def take(cls, path: Path) -> "Snapshot | None":
        """The file's fingerprint; None when there is no file."""
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(st.st_mode):  # never open a FIFO or a device to fingerprint it
            return cls(st.st_size, st.st_mtime_ns, f"mode {st.st_mode:o}")
        sha = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                sha.update(block)
        return cls(st.st_size, st.st_mtime_ns, sha.hexdigest())


# --- Excel's and LibreOffice's owner files ------------------------------------------------------

def office_owner(path: Path) -> tuple[str, Path] | None:
    """(who, owner file) when Excel, WPS or LibreOffice has the workbook open."""
    path = Path(path)
    folder, name = path.parent, path.name
    libre = folder / f".~lock.{name}#"
    if libre.is_file():
        return _libreoffice_owner(libre), libre
    for candidate in dict.fromkeys((f"~${name}", f"~${name[2:]}")):
        owner = folder / candidate
        if candidate != "~$" and owner.is_file():
            return _excel_owner(owner), owner
    return None


def _read_small(path: Path, limit: int = 4096) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(limit)
    except OSError:
        return b""


def _libreoffice_owner(path: Path) -> str:
    """`.~lock.NAME#`: "Full Name,user,host,date,profile;"."""
    fields = _read_small(path).decode("utf-8", "replace").strip().rstrip(";").split(",")
    who = next((f.strip() for f in fields[:2] if f.strip()), "")
    host = fields[2].strip() if len(fields) > 2 else ""
    detail = "LibreOffice" + (f"，计算机 {host}" if host else "")
    return f"{who}（{detail}）" if who else f"另一位用户（{detail}）"


def _excel_owner(path: Path) -> str:
    """`~$NAME`: a length byte, the user name in the ANSI code page (padded to 54 bytes), then the
    same name in UTF-16."""
    data = _read_small(path, 512)
    who = ""
    if data and 0 < data[0] <= 53:
        n = data[0]
        # the ANSI name of a Chinese Windows is GBK; else the UTF-16 copy (its offset varies by version)
        tries = [(data[1:1 + n], "gbk")] + [(data[at:at + 2 * n], "utf-16-le") for at in (56, 55)]
        for raw, codec in tries:
            try:
                text = raw.decode(codec).strip("\x00 ")
            except UnicodeDecodeError:
                continue
            if text and text.isprintable():
                who = text
                break
    return f"{who}（Excel 或 WPS）" if who else "另一位用户（Excel 或 WPS）"


# --- our own lock -------------------------------------------------------------------------------

def lock_path(target: Path) -> Path:
    target = Path(target)
    name = f"{LOCK_PREFIX}{target.name}"
    if len(os.fsencode(name)) > 200:  # keep clear of the file system's 255-byte names
        name = f"{LOCK_PREFIX}{hashlib.sha1(os.fsencode(target.name)).hexdigest()[:20]}"
    return target.parent / name


def _holder(path: Path) -> dict | None:
    try:
        return json.loads(_read_small(path).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None


def _stale(path: Path, holder: dict | None) -> bool:
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False
    if holder is None or not isinstance(holder.get("pid"), int):
        return age > _UNWRITTEN_GRACE
    if holder.get("host") == atomic.HOST and not atomic.pid_alive(holder["pid"]):
        return True
    return age > STALE_MINUTES * 60


class Lock:
    def __init__(self, target: Path):
        self.target = Path(target)
        self.path = lock_path(self.target)
        self.token = f"{os.getpid()}-{time.time_ns()}"

    def acquire(self) -> None:
        record = json.dumps({"pid": os.getpid(), "host": atomic.HOST, "computer": atomic.NODE,
                             "started": time.strftime("%Y-%m-%d %H:%M:%S"), "token": self.token},
                            ensure_ascii=False).encode("utf-8")
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
            except FileExistsError:
                holder = _holder(self.path)
                if _stale(self.path, holder):
                    self._break(holder)
                    continue
                raise self._busy(holder) from None
            except OSError as exc:  # said as what the user sees: the folder, the permission, the disk
                raise _unwritable(self.target, exc) from None
            try:
                os.write(fd, record)
            finally:
                os.close(fd)
            return
        raise self._busy(_holder(self.path))

    def _break(self, seen: dict | None) -> None:
        """Take a stale lock away, atomically: rename it aside, and give it back if in the meantime
        it had become someone's fresh lock."""
        grave = self.path.with_name(f"{self.path.name}.stale.{os.getpid()}")
        try:
            os.replace(self.path, grave)
        except FileNotFoundError:
            return
        taken = _holder(grave)
        if taken != seen and taken is not None and not _stale(grave, taken):
            with contextlib.suppress(OSError):
                os.link(grave, self.path)  # put it back (fails if a third one got there first)
        with contextlib.suppress(OSError):
            os.unlink(grave)

    def _busy(self, holder: dict | None) -> BudgetbookError:
        if holder:
            where = f"进程 {holder.get('pid')}，计算机 {holder.get('computer', '?')}，{holder.get('started', '')} 开始"
        else:
            where = "刚刚开始"
        return BudgetbookError(f"无法写入 {self.target}：另一个 budgetbook 命令正在写这个工作簿（{where}），"
                               f"请等它完成后再试。")

    def release(self) -> None:
        holder = _holder(self.path)
        if holder and holder.get("token") == self.token:
            with contextlib.suppress(OSError):
                os.unlink(self.path)


def _unwritable(target: Path, exc: OSError) -> BudgetbookError:
    from .errors import os_sentence

    folder = target.parent
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)) and not folder.is_dir():
        return BudgetbookError(f"无法写入 {shown(target)}：文件夹 {shown(folder)} 不存在。")
    return BudgetbookError(os_sentence(exc, target, "写入"))


def _refuse_open(path: Path, owner: tuple[str, Path]) -> BudgetbookError:
    who, file = owner
    return BudgetbookError(f"无法写入 {path}：该工作簿正在被 {who}打开，请先关闭后再试"
                           f"（如确认没有人打开，可删除旁边的 {file.name}）。")


@contextlib.contextmanager
def writing(target: Path, *, source: Path | None = None):
    """Hold the workbook `target` for writing while the body reads `source` (may be the same file)
    and writes `target` through workbook.atomic."""
    from .safety import stat_input

    if source is not None:
        stat_input(Path(source))  # a FIFO, a folder, a missing file: its own sentence, before any lock
    shown = Path(target)
    real = Path(os.path.realpath(target))
    owner = office_owner(real) or office_owner(shown)
    if owner:
        raise _refuse_open(shown, owner)
    lock = Lock(real)
    lock.acquire()
    try:
        before = Snapshot.take(real)
        other = None
        if source is not None and os.path.realpath(source) != str(real):
            other = (Path(source), Snapshot.take(Path(source)))

        def check() -> None:
            if Snapshot.take(real) != before:
                if before is None:
                    raise BudgetbookError(f"{shown} 在此期间已被其他程序创建；为免覆盖，本次结果没有写入，请确认后重新运行。")
                raise BudgetbookError(f"{shown} 在 budgetbook 读取之后被其他程序修改过（例如在 Excel 中保存）；"
                                      f"为免覆盖别人的改动，本次结果没有写入，请重新运行。")
            if other and Snapshot.take(other[0]) != other[1]:
                raise BudgetbookError(f"{other[0]} 在读取过程中被修改或替换；本次结果没有写入，请等文件保存完后重新运行。")
            now = office_owner(real)
            if now:
                raise _refuse_open(shown, now)

        with atomic.guard(real, check):
            yield
    finally:
        lock.release()
