"""Atomic writes: a temporary file in the target folder, then a rename.

An interrupted write never leaves half a file, and a failed one leaves the old file as it was.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

from .errors import BudgetbookError

# mkstemp files are private (0600); what we hand the user gets the usual mode
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_atomic(target: Path, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp)` to produce the file, then move it over `target`."""
    # write through a link to the file it points at, and keep that file's permissions
    asked, target = Path(target), Path(os.path.realpath(target))
    mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_UMASK
    if target.is_file() and not mode & 0o222:  # the user marked it read-only: a rename would not care
        raise BudgetbookError(f"无法写入 {asked}：文件是只读的；如需修改，请先取消只读属性。")
    folder = target.parent
    if not folder.is_dir():
        raise BudgetbookError(f"无法写入 {target}：文件夹 {folder} 不存在。")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".~{target.stem[:20]}-", suffix=f"{target.suffix}.part", dir=folder)
        os.close(fd)
        write(Path(tmp))
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        tmp = None
        return asked
    except PermissionError:
        raise BudgetbookError(f"无法写入 {target}：没有写入权限，或文件正在其他程序（如 Excel）中打开。") from None
    except OSError as exc:
        raise BudgetbookError(f"无法写入 {target}（{exc.strerror or exc}），请确认文件夹可写且磁盘未满。") from None
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
