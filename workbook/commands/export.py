"""`budgetbook export` and `budgetbook send`: the final sheets, as files and as e-mail."""
from __future__ import annotations

from pathlib import Path


def run_export(args) -> int:
    from .. import jobs
    from ..export import ExportRefused

    try:
        result = jobs.export(args.input, args.out, pdf=args.pdf, eml=args.eml, force=args.force,
                        overwrite=args.overwrite, sender=args.sender, to=args.to, narrative=args.narrative,
                        dept_code=args.dept_code)
    except ExportRefused as refused:
        print(refused.text())
        return refused.exit_code
    print("\n".join(result.lines()))
    return 0


def run_send(args) -> int:
    from ..send import send_export

    security = "ssl" if args.ssl else "starttls" if args.starttls else "none" if args.no_tls else None
    print(send_export(args.draft, args.to, args.smtp, security=security, user=args.user, sender=args.sender))
    return 0


def add(sub) -> None:
    p = sub.add_parser("export", help="导出干净的 12 张表（.xlsx，可选 PDF 和邮件草稿）")
    p.add_argument("input", type=Path, metavar="工作簿", help="要导出的工作簿")
    p.add_argument("--out", type=Path, required=True, metavar="输出文件夹", help="输出文件夹")
    p.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 生成 PDF")
    p.add_argument("--eml", action="store_true", help="同时生成邮件草稿（.eml，附上导出的文件）")
    p.add_argument("--narrative", action="store_true",
                   help="同时写出部门预算公开情况说明（.docx，加 --pdf 时另有 PDF），也附在邮件草稿中")
    p.add_argument("--force", action="store_true", help="仍有错误时也导出")
    p.add_argument("--overwrite", action="store_true", help="替换输出文件夹中上一次导出的文件")
    p.add_argument("--dept-code", metavar="部门代码",
                   help="表十二各项目“主管部门及代码”空着时按此填写（默认取基本情况表的部门代码）")
    p.add_argument("--sender", metavar="地址", help="邮件草稿的发件人地址")
    p.add_argument("--to", action="append", metavar="地址", help="邮件草稿的收件人地址（可重复）")
    p.set_defaults(run=run_export)

    s = sub.add_parser("send", help="通过 SMTP 发送 export --eml 生成的邮件草稿")
    s.add_argument("draft", type=Path, metavar="邮件草稿", help="邮件草稿（.eml），或导出文件夹")
    s.add_argument("--to", action="append", required=True, metavar="地址", help="收件人地址（可重复）")
    s.add_argument("--smtp", required=True, metavar="主机:端口", help="邮件服务器，如 smtp.example.gov.cn:465")
    tls = s.add_mutually_exclusive_group()
    tls.add_argument("--starttls", action="store_true", help="用 STARTTLS 加密（默认，465 端口时用 SSL）")
    tls.add_argument("--ssl", action="store_true", help="用 SSL/TLS 直接加密连接")
    tls.add_argument("--no-tls", action="store_true", help="不加密（只用于本机或内网测试服务器）")
    s.add_argument("--user", metavar="用户名", help="登录用户名；密码取自环境变量 BUDGETBOOK_SMTP_PASSWORD，否则提示输入")
    s.add_argument("--sender", metavar="地址", help="发件人地址（默认同 --user）")
    s.set_defaults(run=run_send)
