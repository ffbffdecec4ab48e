"""`budgetbook addin path` and `budgetbook addin install`: the Excel ribbon add-in (.xlam)."""
from __future__ import annotations

from pathlib import Path

from ..errors import BudgetbookError


def _build(out: Path | None = None) -> Path:
    from addin import build

    try:
        return build.build(out)
    except RuntimeError as exc:  # xlwings missing, or changed beyond what the build knows
        raise BudgetbookError(f"无法生成 Excel 加载项 {out or build.default_path()}：{exc}。") from None


def run_path(args) -> int:
    from addin.build import default_path

    path = default_path()
    if not path.is_file():
        _build(path)
    print(path)
    return 0


def run_install(args) -> int:
    if args.wps:
        return run_install_wps(args)
    from addin import install

    where = install.layout()  # refuses on a system without Excel before building anything
    # built afresh each time: the add-in's VBA must match the installed xlwings version
    addin = _build()
    written = install.install(addin, where, startup=args.to)
    target, config = written[0], written[1]
    print(f"已安装 Excel 加载项：{target}")
    print(f"已在 {config} 中设置 {where.interpreter_key}，按钮将调用本机的 Python。")
    if where.system == "macOS":
        print(f"已为 RunPython 安装 AppleScript：{written[2]}")
    print("请完全退出 Excel 后重新打开：功能区会出现「预算公开」选项卡；如提示宏已被禁用，请选择启用宏。")
    return 0


def run_install_wps(args) -> int:
    """The WPS add-in: an entry in WPS's jsaddons lists pointing at `budgetbook serve`."""
    from addin.wps import install

    written = install.install(args.port, args.to)
    print(f"已在 {written[0].parent} 的 {'、'.join(p.name for p in written)} 中登记 WPS 加载项：{install.url(args.port)}")
    print(f"使用前先运行 budgetbook serve{'' if args.port == 8765 else f' --port {args.port}'}（保持窗口打开），"
          "再完全退出并重新打开 WPS 表格：功能区会出现「预算公开」选项卡。")
    print(f"如未出现：确认上述文件中有 name=\"budgetbook\" 一项；用浏览器打开 {install.url(args.port)}ribbon.xml "
          "应看到按钮列表；企业版 WPS 可能还需在 oem.ini 的 [Support] 中设置 JsApiPlugin=true（见 docs/wps.md）。")
    return 0


def add(sub) -> None:
    p = sub.add_parser("addin", help="Excel 功能区加载项：查看位置或安装")
    actions = p.add_subparsers(dest="action", required=True, metavar="操作", help="path 或 install")
    path = actions.add_parser("path", help="显示加载项文件（预算公开助手.xlam）的位置，没有时先生成")
    path.set_defaults(run=run_path)
    inst = actions.add_parser("install", help="把加载项装入 Excel 的启动文件夹（XLSTART），并让 xlwings 使用本机 Python")
    inst.add_argument("--to", type=Path, metavar="文件夹", help="安装到此文件夹，而不是本用户的 Excel 启动文件夹（--wps 时为 jsaddons 文件夹）")
    inst.add_argument("--wps", action="store_true", help="改为登记 WPS 加载项（Windows 和 Linux 的 WPS 表格，需运行 budgetbook serve）")
    inst.add_argument("--port", type=int, default=8765, metavar="端口", help="--wps 时 budgetbook serve 的端口（默认 8765）")
    inst.set_defaults(run=run_install)
