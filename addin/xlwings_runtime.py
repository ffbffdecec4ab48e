"""The xlwings VBA runtime (RunPython and what it needs), read from the installed xlwings.

The modules are those of xlwings' own ribbon add-in template (quickstart_addin_ribbon.xlam):
`xlwings` from xlwings_custom_addin.bas (the variant that treats the active workbook, not the
add-in, as the caller) and the `Dictionary` class that module uses on macOS. They are BSD/MIT
licensed and taken at build time, so the add-in always matches the installed xlwings version:
RunPython on Windows loads a DLL named after that version.
"""
from __future__ import annotations

from pathlib import Path

from .vba_project import Module, class_module, standard_module

# the template's module reads its settings from ~/.myaddin/myaddin.conf and a "myaddin.conf"
# sheet; renamed to xlwings they come from ~/.xlwings/xlwings.conf (macOS: the Excel sandbox
# copy), the file `budgetbook addin install` and `xlwings config create` write
TEMPLATE_NAME_LINE = 'Public Const PROJECT_NAME As String = "myaddin"'
PROJECT_NAME_LINE = 'Public Const PROJECT_NAME As String = "xlwings"'


def package_dir() -> Path:
    try:
        import xlwings
    except ImportError:
        raise RuntimeError("未安装 xlwings，请先运行 pip install 'budgetbook[excel]'") from None
    return Path(xlwings.__file__).parent


def version() -> str:
    import xlwings

    return xlwings.__version__


def modules() -> list[Module]:
    root = package_dir()
    main = (root / "xlwings_custom_addin.bas").read_bytes().decode("ascii")
    if main.count(TEMPLATE_NAME_LINE) != 1:
        # user-facing through `budgetbook addin`: Chinese, naming the file
        raise RuntimeError(f"{root / 'xlwings_custom_addin.bas'} 中没有预期的 PROJECT_NAME 一行，这个 xlwings 版本暂不支持")
    main = main.replace(TEMPLATE_NAME_LINE, PROJECT_NAME_LINE)
    dictionary = (root / "addin" / "Dictionary.cls").read_bytes().decode("ascii")
    return [standard_module("xlwings", main), class_module("Dictionary", dictionary)]
