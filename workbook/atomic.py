"""Atomic writes: a temporary file in the target folder, then a rename.

An interrupted write never leaves half a file, and a failed one leaves the old file as it was:
SIGKILL at any moment leaves either the old file or the new one. The temporary file is named
`.~bb-tmp.<pid>.<host>.<name>.<random>.part` so that a later write into the same folder can tell it
is ours and remove it when its process is gone (same host, pid dead) or it is older than
STALE_MINUTES (another machine writing to a shared folder).

A write may be guarded (`guard`): checks run just before the rename, e.g. workbook.lock refuses
to replace a workbook that changed since it was read (another writer's work would be lost).
"""
from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import time
import zlib
from pathlib import Path
from typing import Callable

from .errors import BudgetbookError, os_reason, shown

# mkstemp files are private (0600); what we hand the user gets the usual mode
_UMASK = os.umask(0o022)
os.umask(_UMASK)

TMP_PREFIX = ".~bb-tmp."
TMP_SUFFIX = ".part"
STALE_MINUTES = 60
NODE = os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "")  # this computer
HOST = format(zlib.crc32(NODE.encode("utf-8", "replace")), "08x")[:6]

_guards: contextvars.ContextVar[tuple[tuple[str, Callable[[], None]], ...]] = \
    contextvars.ContextVar("budgetbook_write_guards", default=())
_swept: set[str] = set()


@contextlib.contextmanager
def guard(target: Path, check: Callable[[], None]):
    """While active, `check()` runs right before any atomic write replaces `target` (it raises to
    refuse the write; the temporary file is then removed and the target left as it was)."""
    token = _guards.set(_guards.get() + ((os.path.realpath(target), check),))
    try:
        yield
    finally:
        _guards.reset(token)


def temp_name_parts(name: str) -> tuple[int, str] | None:
    """(pid, host) of one of our temporary files, None for any other name."""
    if not (name.startswith(TMP_PREFIX) and name.endswith(TMP_SUFFIX)):
        return None
    parts = name[len(TMP_PREFIX):].split(".", 2)
    if len(parts) < 3 or not parts[0].isdigit():
        return None
    return int(parts[0]), parts[1]


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    except OSError:
        return False
    return True


def sweep(folder: Path, *, force: bool = False) -> list[str]:
    """Remove our stale temporary files from `folder` (once per folder and process)."""
    key = os.path.realpath(folder)
    if key in _swept and not force:
        return []
    _swept.add(key)
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        owner = temp_name_parts(entry.name)
        if owner is None:
            continue
        pid, host = owner
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        dead = host == HOST and pid != os.getpid() and not pid_alive(pid)
        if dead or age > STALE_MINUTES * 60:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(entry.name)
    return removed


def write_atomic(target: Path, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp)` to produce the file, then move it over `target`."""
    # write through a link to the file it points at, and keep that file's permissions
    asked, target = Path(target), Path(os.path.realpath(target))
    try:
        exists = target.exists()
        mode = target.stat().st_mode & 0o7777 if exists else 0o666 & ~_UMASK
    except OSError as exc:
        raise BudgetbookError(f"无法写入 {asked}：{os_reason(exc)}。") from None
    if target.is_file() and not mode & 0o222:  # the user marked it read-only: a rename would not care
        raise BudgetbookError(f"无法写入 {asked}：文件是只读的；如需修改，请先取消只读属性。")
    folder = target.parent
    if not folder.is_dir():
        raise BudgetbookError(f"无法写入 {shown(asked)}：文件夹 {shown(asked.parent)} 不存在。")
    sweep(folder)
    import tempfile  # not at import: `check` never writes

    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{os.getpid()}.{HOST}.{target.stem[:20]}.",
                                   suffix=f"{target.suffix}{TMP_SUFFIX}", dir=folder)
        os.close(fd)
        write(Path(tmp))
        _sync(tmp)
        os.chmod(tmp, mode)
        real = str(target)
        for path, check in _guards.get():
            if path == real:
                check()
        os.replace(tmp, target)
        tmp = None
        _sync_folder(folder)
        return asked
    except PermissionError:
        raise BudgetbookError(f"无法写入 {target}：没有写入权限，或文件正在其他程序（如 Excel）中打开。") from None
    except MemoryError:
        raise BudgetbookError(f"无法写入 {target}：内存不足，请关闭其他程序后再试。") from None
    except OSError as exc:
        _drop_quietly(exc)
        hint = "，请清理磁盘后再试" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else ""
        kept = "；原文件未改动" if exists else ""
        raise BudgetbookError(f"无法写入 {target}：{os_reason(exc)}{hint}{kept}。") from None
    finally:
        if tmp and os.path.exists(tmp):
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _drop_quietly(exc: BaseException) -> None:
    """Let the writer's half-written objects go now, quietly: a zip left open by a save that hit a
    full disk tries to finish itself when collected, fails again, and Python would print that as an
    "Exception ignored" traceback after our sentence."""
    import gc
    import sys
    import traceback

    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        traceback.clear_frames(exc.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _sync_folder(folder: Path) -> None:
    """Put the rename itself on disk: a power cut after "saved" must not bring the old name back."""
    flag = getattr(os, "O_DIRECTORY", None)
    if flag is None:  # Windows: a rename is made durable by the file system itself
        return
    try:
        fd = os.open(folder, os.O_RDONLY | flag)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some network file systems cannot sync a folder; the file itself was synced
        pass
    finally:
        os.close(fd)


def _sync(path: str) -> None:
    """Put the new file's bytes on disk before the rename, so a power cut cannot leave an empty
    file where the old one was."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)
