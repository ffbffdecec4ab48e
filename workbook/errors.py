"""User-facing errors: one Chinese sentence, exit status 2, never a traceback.

Every front door (the command line, a batch worker, the local service, the Excel buttons) turns
what it caught into words through `sentence(exc, path)`: the same exception reads the same
everywhere, the sentence is Chinese only, and the exception's class and text (`detail`) go to
`--debug`, the batch's JSON or a log, never into the sentence.
"""
from __future__ import annotations

import errno
import os

PREFIX = "budgetbook: "  # every line the command line writes about a failure starts with it


class BudgetbookError(Exception):
    """Bad input or an environment problem the user can fix.

    The message is a complete Chinese sentence naming the file (and cell, where there is one).
    The command line prints it and exits with status 2. `detail` (optional) is what a developer
    would want to see: the exception that was behind it.
    """

    exit_code = 2

    def __init__(self, message: str = "", detail: str | None = None):
        super().__init__(message)
        self.detail = detail


# --- words ------------------------------------------------------------------------------------

_OS_WORDS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出了磁盘配额",
    errno.ENAMETOOLONG: "文件名或路径太长，超出了文件系统的限制",
    errno.EROFS: "所在磁盘是只读的",
    errno.EACCES: "没有访问权限，或文件正在其他程序（如 Excel）中打开",
    errno.EPERM: "没有访问权限，或文件正在其他程序（如 Excel）中打开",
    errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.EIO: "读写磁盘时出错（磁盘或网络共享可能有故障）",
    errno.ELOOP: "路径中的快捷链接形成了循环",
    errno.EMFILE: "同时打开的文件太多",
    errno.ENFILE: "同时打开的文件太多",
    errno.ETXTBSY: "文件正在被其他程序使用",
    errno.EBUSY: "文件正在被其他程序使用",
    errno.EFBIG: "文件太大，超出了允许的大小",
    errno.EXDEV: "不能跨磁盘移动文件",
    errno.ENXIO: "这是一个设备或管道，不是工作簿文件",
    errno.ESTALE: "网络共享上的文件已失效，请重新连接后再试",
}
_FULL = (errno.ENOSPC, errno.EDQUOT)


def shown(path) -> str:
    """A path as it can be printed: bytes a file name holds that are not UTF-8 (a GBK name from a
    Windows share, read through surrogateescape) become replacement characters."""
    text = os.fspath(path) if isinstance(path, os.PathLike) else str(path)
    if isinstance(text, bytes):
        return text.decode("utf-8", "replace")
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def os_reason(exc: OSError) -> str:
    """An OS error in Chinese words, without the English detail."""
    if isinstance(exc, PermissionError) and exc.errno is None:
        return _OS_WORDS[errno.EACCES]
    if isinstance(exc, FileNotFoundError) and exc.errno is None:
        return _OS_WORDS[errno.ENOENT]
    words = _OS_WORDS.get(exc.errno)
    if words:
        return words
    return "操作系统报告了错误" if exc.errno is None else f"操作系统报告了错误（错误号 {exc.errno}）"


def os_sentence(exc: OSError, path=None, doing: str = "处理") -> str:
    """One sentence for an OS error while reading or writing `path` (exc.filename if not given):
    what the user sees (the folder is missing, no permission, the disk is full), not the mechanism."""
    where = path if path is not None else (exc.filename or "文件")
    if exc.errno in _FULL:
        return f"无法{doing} {shown(where)}：{os_reason(exc)}，请清理磁盘后再试。"
    return f"无法{doing} {shown(where)}：{os_reason(exc)}。"


def memory_sentence(what) -> str:
    return f"处理 {shown(what)} 时内存不足，请关闭其他程序后再试，或把特别大的工作簿单独检查。"


def bug_sentence(what=None) -> str:
    where = f"处理 {shown(what)} 时" if what else ""
    return f"{where}程序内部出错，未完成本次操作；请把这条信息和所用的文件报告给开发者（加 --debug 可看到详细信息）。"


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")  # what budgetbook reads as a workbook and writes
OTHER_FORMATS = (".xls", ".xlsb", ".ods", ".et", ".csv", ".numbers")


def format_sentence(path) -> str:
    """The one sentence about formats: what is read and written, and how to convert the rest (said
    the same for input and output, so no advice leads in a circle)."""
    suffix = os.path.splitext(str(path))[1] or "（无扩展名）"
    return (f"{shown(path)} 是 {suffix} 文件；budgetbook 只读写 .xlsx 和 .xlsm 工作簿（检查另可读取公开的 .pdf），"
            f"请先在 Excel 或 WPS 中“另存为”.xlsx 工作簿，或用 LibreOffice 转换（soffice --headless --convert-to xlsx 文件名），"
            f"再用转换后的文件。")


def damaged(path, sheet: str | None = None, exc: BaseException | None = None) -> "BudgetbookError":
    """The one sentence for a workbook no reader can make sense of (a part missing or ill-formed),
    whichever reader found it: the command line, the batch and the service say it alike."""
    where = f"工作表“{sheet}”" if sheet else "文件"
    return BudgetbookError(f"无法读取 {shown(path)}：{where}已损坏或不是 Excel 工作簿；"
                           "请在 Excel 或 WPS 中打开、另存为 .xlsx 后再试。", detail(exc) if exc else None)


def sentence(exc: BaseException, path=None) -> tuple[int, str]:
    """(exit status, one Chinese sentence) for whatever a front door caught while working on `path`:
    2 for bad input or the environment, 3 for a bug in budgetbook."""
    if isinstance(exc, BudgetbookError):
        return exc.exit_code, str(exc)
    if isinstance(exc, KeyboardInterrupt):
        return 2, "已中断，未写入任何文件。"
    if isinstance(exc, MemoryError):
        return 2, memory_sentence(path or "工作簿")
    if isinstance(exc, OSError):
        return 2, os_sentence(exc, exc.filename or path)
    return 3, bug_sentence(path)


def detail(exc: BaseException) -> str:
    """The exception behind a sentence, for --debug, the batch's JSON and the logs."""
    own = getattr(exc, "detail", None)
    if own:
        return own
    cause = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    if isinstance(exc, BudgetbookError) and cause is None:
        return ""
    behind = cause if isinstance(exc, BudgetbookError) else exc
    return shown(f"{type(behind).__name__}: {behind}")
