"""`budgetbook send`: deliver the draft written by `export --eml` through SMTP.

A thin layer over mail.send: find the draft, parse HOST:PORT, pick the encryption, get the
password from the environment or a prompt. The message sent is the draft itself, so the
attachments are byte for byte the exported files.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import mail
from .errors import BudgetbookError

__all__ = ["Sent", "find_draft", "parse_smtp", "send_export", "PASSWORD_ENV"]

PASSWORD_ENV = "BUDGETBOOK_SMTP_PASSWORD"
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}


@dataclass
class Sent:
    eml: Path
    to: list[str]
    server: str
    subject: str
    attachments: list[str]

    def __str__(self) -> str:
        names = "、".join(self.attachments) or "无附件"
        return f"已通过 {self.server} 把“{self.subject}”（附件：{names}）发送给 {'、'.join(self.to)}。"


def find_draft(path: Path) -> Path:
    """The .eml to send: the file itself, the only .eml in a folder, or the draft next to an export."""
    path = Path(path)
    if path.is_dir():
        drafts = sorted(path.glob("*.eml"))
        if len(drafts) == 1:
            return drafts[0]
        if not drafts:
            raise BudgetbookError(f"文件夹 {path} 中没有邮件草稿（.eml），请先运行 budgetbook export --eml。")
        raise BudgetbookError(f"文件夹 {path} 中有 {len(drafts)} 个邮件草稿，请直接指定要发送的 .eml 文件。")
    if path.suffix.lower() != ".eml":
        sibling = path.with_suffix(".eml")  # DIR/xxx.xlsx or .pdf of the same export
        if sibling.is_file():
            return sibling
        raise BudgetbookError(f"{path} 不是邮件草稿（.eml），旁边也没有同名的 .eml；请先运行 budgetbook export --eml。")
    if not path.is_file():
        raise BudgetbookError(f"邮件草稿 {path} 不存在，请先运行 budgetbook export --eml。")
    return path


def parse_smtp(smtp: str, security: str) -> tuple[str, int]:
    """"HOST:PORT", "HOST" (port from the encryption) or "[IPv6]:PORT" -> (host, port)."""
    text = smtp.strip()
    if text.startswith("["):  # [::1]:25
        host, _, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":")
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    else:
        host, port_text = text, ""
    if not host:
        raise BudgetbookError(f"邮件服务器地址“{smtp}”不完整，应写成“主机:端口”，例如 smtp.example.gov.cn:465。")
    if not port_text:
        return host, DEFAULT_PORTS[security]
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise BudgetbookError(f"邮件服务器地址“{smtp}”中的端口“{port_text}”无效，应为 1–65535 之间的数字。")
    return host, int(port_text)


def send_export(
    eml_path: Path,
    to: list[str],
    smtp: str,
    *,
    security: str | None = None,
    user: str | None = None,
    password: str | None = None,
    sender: str | None = None,
    timeout: float = 30,
    cafile: str | Path | None = None,
) -> Sent:
    """Send an exported draft. security: "ssl", "starttls" or "none"; None = ssl on 465, else starttls.

    With `user` and no `password`, the password comes from BUDGETBOOK_SMTP_PASSWORD or a prompt
    (never echoed); mail.send keeps it out of every message.
    """
    if security is not None and security not in DEFAULT_PORTS:
        raise BudgetbookError(f"不认识的加密方式“{security}”，应为 ssl、starttls 或 none。")
    host, port = parse_smtp(smtp, security or "starttls")
    if security is None:
        security = "ssl" if port == 465 else "starttls"
    draft = find_draft(eml_path)
    msg = mail.read_eml(draft)
    if user and password is None:
        password = mail.password_from_env_or_prompt(PASSWORD_ENV, user=user)
    mail.send(msg, to=to, host=host, port=port, security=security, user=user, password=password,
              sender=sender, timeout=timeout, cafile=cafile)
    names = [part.get_filename() for part in msg.iter_attachments() if part.get_filename()]
    return Sent(eml=draft, to=list(to), server=f"{host}:{port}", subject=str(msg["Subject"] or ""),
                attachments=names)
