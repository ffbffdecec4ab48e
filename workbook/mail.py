"""Hand the exported tables to e-mail: an .eml draft to open in Outlook/Thunderbird, or SMTP.

Every failure is a BudgetbookError with one Chinese sentence; the SMTP password never appears
in any message, and errors are raised ``from None`` so no traceback carries it either.
"""

from __future__ import annotations

import copy
import getpass
import mimetypes
import os
import smtplib
import socket
import ssl
import sys
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import EmailPolicy
from email.utils import formatdate, getaddresses, make_msgid
from pathlib import Path
from typing import Literal

from workbook.atomic import write_atomic
from workbook.errors import BudgetbookError

__all__ = ["build_draft", "draft_body", "write_eml", "read_eml", "send", "password_from_env_or_prompt"]

_MIME_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".pdf": "application/pdf",
    ".csv": "text/csv",
    ".zip": "application/zip",
}


class _MailPolicy(EmailPolicy):
    """policy.default, except that MIME parameters are kept on one line (up to RFC 5322's 998).

    At 78 columns the stdlib splits a Chinese file name into filename*0*=/filename*1*=
    continuations, which some mail clients and webmail do not reassemble (the attachment shows
    up nameless); a single filename*=utf-8''... parameter avoids that.
    """

    def _wide(self, name: str) -> EmailPolicy | None:
        if name.lower() in ("content-type", "content-disposition") and self.max_line_length != 998:
            return self.clone(max_line_length=998)
        return None

    def fold(self, name, value):
        wide = self._wide(name)
        return wide.fold(name, value) if wide else super().fold(name, value)

    def fold_binary(self, name, value):
        wide = self._wide(name)
        return wide.fold_binary(name, value) if wide else super().fold_binary(name, value)


# CRLF: what SMTP and .eml files use, and MIME's canonical line break inside the text body.
POLICY = _MailPolicy(linesep="\r\n")


def _mime_type(path: Path) -> tuple[str, str]:
    mime = _MIME_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    return tuple((mime or "application/octet-stream").split("/", 1))  # type: ignore[return-value]


def _domain(address: str | None) -> str:
    # make_msgid() without a domain asks DNS for this machine's name, which can hang for seconds.
    addr = getaddresses([address])[0][1] if address else ""
    return addr.rpartition("@")[2] or "budgetbook.local"


def build_draft(
    subject: str,
    body: str,
    attachments: list[Path],
    *,
    sender: str | None = None,
    to: list[str] | None = None,
) -> EmailMessage:
    """An unsent draft: Outlook and Thunderbird open an .eml with ``X-Unsent: 1`` ready to send."""
    msg = EmailMessage(policy=POLICY)
    msg["X-Unsent"] = "1"
    msg["Subject"] = " ".join(subject.splitlines())  # a newline in a header would be rejected
    if sender:
        msg["From"] = sender
    if to:
        msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=_domain(sender))
    # base64 rather than 8bit: survives any mail server and any mail client's draft import.
    msg.set_content(body, charset="utf-8", cte="base64")
    for path in map(Path, attachments):
        try:
            data = path.read_bytes()
        except OSError:
            raise BudgetbookError(f"无法读取附件 {path}，请确认文件存在且未被其他程序占用。") from None
        maintype, subtype = _mime_type(path)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=path.name)
    return msg


def draft_body(dept: str, year: int | str, attachment_names: list[str]) -> str:
    """The short covering note: greeting, one sentence, numbered attachment list, signature."""
    year = str(year).strip().removesuffix("年")  # accept both 2025 and "2025年"
    lines = ["各位领导：", "", f"附件为{dept}{year}年部门预算公开表，请审阅。如有问题，请随时联系。", ""]
    if attachment_names:
        lines += ["附件："] + [f"{i}. {name}" for i, name in enumerate(attachment_names, 1)] + [""]
    lines += ["此致", "敬礼！", "", dept, ""]
    return "\n".join(lines)


def write_eml(msg: EmailMessage, path: Path) -> Path:
    """Write atomically, so an interrupted write never leaves half a draft behind."""
    data = msg.as_bytes(policy=POLICY)
    return write_atomic(Path(path), lambda tmp: tmp.write_bytes(data))


def read_eml(path: Path) -> EmailMessage:
    try:
        with open(path, "rb") as f:
            return BytesParser(policy=POLICY).parse(f)
    except OSError:
        raise BudgetbookError(f"无法读取邮件文件 {path}，请确认文件存在。") from None


def _decode(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _explain(exc: BaseException, where: str, user: str | None, timeout: float) -> str:
    """One Chinese sentence for any failure while talking to the server."""
    # smtplib's exceptions subclass OSError, so they are checked first.
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"邮件服务器拒绝了用户名或密码（用户名 {user}；QQ、163 等邮箱需填写“授权码”而非登录密码）。"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "、".join(exc.recipients)
        return f"邮件服务器拒绝了收件人 {refused}，请检查收件人地址。"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return f"邮件服务器拒绝了发件人 {exc.sender}（{exc.smtp_code} {_decode(exc.smtp_error)}）。"
    if isinstance(exc, smtplib.SMTPNotSupportedError) and "STARTTLS" in str(exc):
        return f"邮件服务器 {where} 不支持 STARTTLS 加密，请改用 ssl（通常是 465 端口）。"
    if isinstance(exc, smtplib.SMTPNotSupportedError) and "AUTH" in str(exc):
        return f"邮件服务器 {where} 未提供登录认证（AUTH），多数服务器要求先选择 starttls 或 ssl 加密。"
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        # smtplib reports a read timeout as SMTPServerDisconnected("...: timed out").
        return f"连接邮件服务器 {where} 超时（{timeout:g} 秒无响应）。"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"邮件服务器 {where} 意外断开了连接，请检查端口与加密方式是否匹配（465 端口通常用 ssl，587 用 starttls）。"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"邮件服务器 {where} 返回错误 {exc.smtp_code}：{_decode(exc.smtp_error)}。"
    if isinstance(exc, smtplib.SMTPException):
        return f"发送邮件失败：{exc}。"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"邮件服务器 {where} 的证书无法验证（{exc.verify_message}），请确认服务器地址或提供其根证书。"
    if isinstance(exc, ssl.SSLError):
        return f"与邮件服务器 {where} 建立加密连接（TLS）失败，请检查端口与加密方式是否匹配（465 端口通常用 ssl，587 用 starttls）。"
    if isinstance(exc, ConnectionRefusedError):
        return f"无法连接邮件服务器 {where}：连接被拒绝。"
    if isinstance(exc, socket.gaierror):
        return f"无法连接邮件服务器 {where}：找不到这个服务器地址。"
    if isinstance(exc, UnicodeEncodeError):
        return "用户名或密码中含有中文等非 ASCII 字符，无法登录邮件服务器。"
    if isinstance(exc, OSError):
        return f"无法连接邮件服务器 {where}：{exc.strerror or exc}。"
    return f"发送邮件失败（{type(exc).__name__}）。"


def send(
    msg_or_eml_path: EmailMessage | Path | str,
    *,
    to: list[str],
    host: str,
    port: int,
    security: Literal["none", "starttls", "ssl"] = "starttls",
    user: str | None = None,
    password: str | None = None,
    sender: str | None = None,
    timeout: float = 30,
    ssl_context: ssl.SSLContext | None = None,
    cafile: str | Path | None = None,
) -> None:
    """Send a draft (message or .eml path) through SMTP; the caller's message is not modified.

    ``ssl_context`` or ``cafile`` let a server with a private or self-signed certificate be trusted.
    """
    if isinstance(msg_or_eml_path, EmailMessage):
        msg = copy.deepcopy(msg_or_eml_path)
    else:
        msg = read_eml(Path(msg_or_eml_path))
    if security not in ("none", "starttls", "ssl"):
        raise BudgetbookError(f"不认识的加密方式 {security!r}，应为 none、starttls 或 ssl。")
    recipients = [addr for _, addr in getaddresses(to) if addr]
    if not recipients:
        raise BudgetbookError("没有填写收件人地址，邮件未发送。")
    if user and password is None:
        raise BudgetbookError(f"已填写邮箱用户名 {user}，但没有提供密码，邮件未发送。")

    del msg["X-Unsent"]  # the delivered copy is a sent mail, not a draft
    del msg["To"]
    msg["To"] = ", ".join(to)
    if sender:
        del msg["From"]
        msg["From"] = sender
    elif not msg["From"]:
        if not (user and "@" in user):
            raise BudgetbookError("没有填写发件人地址，邮件未发送。")
        msg["From"] = user
    del msg["Date"]
    msg["Date"] = formatdate(localtime=True)  # a draft may be sent days after it was written

    context = None
    if security != "none":
        try:
            context = ssl_context or ssl.create_default_context(cafile=str(cafile) if cafile else None)
        except (OSError, ssl.SSLError):
            raise BudgetbookError(f"无法读取证书文件 {cafile}，请确认它是 PEM 格式的根证书。") from None

    where = f"{host}:{port}"
    try:
        if security == "ssl":
            smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        with smtp:
            if security == "starttls":
                smtp.starttls(context=context)
            if user:
                smtp.login(user, password)
            refused = smtp.send_message(msg, to_addrs=recipients)
    except Exception as exc:  # noqa: BLE001 - every failure must reach the user as one sentence
        text = _explain(exc, where, user, timeout)
        raise BudgetbookError(text.replace(password, "******") if password else text) from None
    if refused:
        raise BudgetbookError(f"邮件已发给其他收件人，但邮件服务器拒绝了 {'、'.join(refused)}。")


def password_from_env_or_prompt(env_var: str = "BUDGETBOOK_SMTP_PASSWORD", user: str | None = None) -> str:
    """The SMTP password from ``env_var``, else typed at a terminal (never echoed, never stored)."""
    password = os.environ.get(env_var)
    if password:
        return password
    # stdin is None under pythonw / the Excel add-in, and not a TTY in scripts and schedulers.
    if sys.stdin is not None and sys.stdin.isatty():
        password = getpass.getpass(f"请输入邮箱 {user} 的密码（或授权码）：" if user else "请输入邮箱密码（或授权码）：")
        if password:
            return password
        raise BudgetbookError("没有输入邮箱密码，邮件未发送。")
    raise BudgetbookError(f"请先设置环境变量 {env_var} 为邮箱密码（或授权码），当前无法提示输入。")
