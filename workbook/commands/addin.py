"""`budgetbook addin path`, `addin install` and `addin uninstall`: the Excel ribbon add-in (.xlam)
and the WPS add-in."""
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


def _wps_places(args):
    import dataclasses

    from addin.wps import install

    where = install.places()
    return dataclasses.replace(where, jsaddons=args.to) if args.to else where


def run_install_wps(args) -> int:
    """The WPS add-in: its files in WPS's jsaddons folder, registered for production, and the
    service started at login."""
    from addin.wps import install

    where = _wps_places(args)
    written = install.install(args.port, where)
    print(f"已把 WPS 加载项复制到：{written['folder']}")
    lists = [name for name in (*install.FILES, install.AUTH) if name in written]
    print(f"已在 {where.jsaddons} 的 {'、'.join(lists)} 中登记（WPS 表格，正式启用）。")
    if install.AUTH not in written:
        print("本机 WPS 还没有加载项授权记录（authaddin.json）：第一次打开 WPS 表格时如询问是否信任「budgetbook」，请选择信任，然后重新打开 WPS。")
    port = "" if args.port == 8765 else f" --port {args.port}"
    if "autostart" in written:
        print(f"已设置登录时自动启动服务（budgetbook serve{port}）：{written['autostart']}")
    else:
        print(f"本系统没有可写的自动启动位置：使用按钮前请先运行 budgetbook serve{port}（保持窗口打开）。")
    print("请完全退出并重新打开 WPS 表格：功能区会出现「预算公开」选项卡（服务没有运行时选项卡也在，按钮会提示如何启动服务）。"
          f"本次登录还没有自动启动服务，现在可运行 budgetbook serve{port}，或注销后重新登录。")
    return 0


def run_uninstall(args) -> int:
    if args.wps:
        from addin.wps import install

        changed, what = install.uninstall(_wps_places(args)), "WPS"
    else:
        from addin import install
        from addin.build import FILE_NAME

        changed, what = install.uninstall(FILE_NAME, install.layout(), startup=args.to), "Excel"
    if not changed:
        print(f"没有找到已安装的 {what} 加载项，未作改动。")
        return 0
    for path in changed:
        print(f"已移除或还原：{path}")
    print(f"请完全退出并重新打开 {'WPS 表格' if args.wps else 'Excel'}。")
    return 0


def add(sub) -> None:
    p = sub.add_parser("addin", help="Excel 功能区加载项：查看位置或安装")
    actions = p.add_subparsers(dest="action", required=True, metavar="操作", help="path、install 或 uninstall")
    path = actions.add_parser("path", help="显示加载项文件（预算公开助手.xlam）的位置，没有时先生成")
    path.set_defaults(run=run_path)
    inst = actions.add_parser("install", help="把加载项装入 Excel 的启动文件夹（XLSTART），并让 xlwings 使用本机 Python")
    inst.add_argument("--to", type=Path, metavar="文件夹", help="安装到此文件夹，而不是本用户的 Excel 启动文件夹（--wps 时为 jsaddons 文件夹）")
    inst.add_argument("--wps", action="store_true", help="改为安装 WPS 加载项（Windows 和 Linux 的 WPS 表格），并设置登录时自动启动 budgetbook serve")
    inst.add_argument("--port", type=int, default=8765, metavar="端口", help="--wps 时 budgetbook serve 的端口（默认 8765）")
    inst.set_defaults(run=run_install)
    uninst = actions.add_parser("uninstall", help="移除 install 写入的加载项文件和登记（其他加载项和设置不动）")
    uninst.add_argument("--to", type=Path, metavar="文件夹", help="安装时用过 --to 的，给出同一文件夹")
    uninst.add_argument("--wps", action="store_true", help="移除 WPS 加载项、其登记和服务的自动启动")
    uninst.set_defaults(run=run_uninstall)
