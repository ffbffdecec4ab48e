"""`budgetbook kit`: an offline install folder for desktops without a package index."""
from __future__ import annotations

import sys
from pathlib import Path


def run(args) -> int:
    from addin import kit

    target = kit.TARGETS[args.platform]
    written = kit.make(target, args.python, args.out, wheel=args.wheel)
    count = len(list(written["wheels"].glob("*.whl")))
    print(f"已在 {args.out} 中准备 {target.key}、Python {args.python} 的离线安装包：")
    print(f"  {written['wheels']}：budgetbook 及其全部依赖，共 {count} 个 wheel")
    if "xlam" in written:
        print(f"  {written['xlam']}：Excel 加载项（安装时会按本机的 xlwings 重新生成）")
    print(f"  {written['wps']}：WPS 加载项的文件")
    print(f"  {written['script']}：在目标电脑上运行它（不需要网络；需要 Python {args.python}）")
    return 0


def add(sub) -> None:
    from addin.kit import TARGETS

    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    p = sub.add_parser("kit", help="为没有外网的电脑准备离线安装包（全部依赖的 wheel、加载项、安装脚本）")
    p.add_argument("--platform", required=True, choices=list(TARGETS), metavar="平台",
                   help="目标电脑：win_amd64（Windows 64 位）、manylinux_x86_64（麒麟、统信等，x86）、"
                        "manylinux_aarch64（鲲鹏、飞腾）")
    p.add_argument("--python", default=here, metavar="版本", help=f"目标电脑上的 Python 版本，如 3.11（默认 {here}）")
    p.add_argument("-o", "--out", type=Path, required=True, metavar="文件夹", help="安装包放在这个文件夹中")
    p.add_argument("--wheel", type=Path, metavar="文件", help="使用这个 budgetbook wheel，而不是从源代码生成")
    p.set_defaults(run=run)
