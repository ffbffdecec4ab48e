"""workbook.mail against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import email
import ipaddress
import os
import socket
import ssl
import sys
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from smtp_server import PASSWORD, USER, Inbox, authenticator, free_port
from workbook.errors import BudgetbookError
from workbook.mail import (
    build_draft,
    draft_body,
    password_from_env_or_prompt,
    read_eml,
    send,
    write_eml,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def cert(tmp_path_factory) -> tuple[Path, Path]:
    """Self-signed certificate for 127.0.0.1: (cert.pem, key.pem)."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "budgetbook test")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), False)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, False, False, False), True
        )  # digital_signature + key_cert_sign: what strict X.509 checking (Python 3.13) wants
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture(scope="module")
def _server(cert):
    """One server for all tests: plain SMTP, optional AUTH (also without TLS) and STARTTLS."""
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(*cert)
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=tls,
        authenticator=authenticator,
        auth_require_tls=False,
    )
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def server(_server):
    controller, inbox = _server
    inbox.envelopes.clear()
    return controller.port, inbox


@pytest.fixture
def files(tmp_path) -> list[Path]:
    xlsx = tmp_path / "2025年部门预算公开表.xlsx"
    pdf = tmp_path / "某某市财政局2025年部门预算公开表（打印版）.pdf"
    xlsx.write_bytes(os.urandom(3000))
    pdf.write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    return [xlsx, pdf]


def make_draft(files) -> email.message.EmailMessage:
    body = draft_body("某某市财政局", 2025, [f.name for f in files])
    return build_draft("某某市财政局2025年部门预算公开表", body, files, sender=f"会计科 <{USER}>")


def attachments_by_name(msg) -> dict[str, tuple[str, bytes]]:
    return {p.get_filename(): (p.get_content_type(), p.get_content()) for p in msg.iter_attachments()}


def test_draft_round_trip(tmp_path, files):
    msg = make_draft(files)
    path = write_eml(msg, tmp_path / "草稿.eml")
    raw = path.read_bytes()

    assert raw.isascii()  # Chinese only in encoded form
    assert b"X-Unsent: 1\r\n" in raw
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert raw.count(b"filename*=utf-8''") == 2  # RFC 2231, one unsplit parameter each
    assert b"filename*0" not in raw
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # temp file gone

    back = read_eml(path)
    assert back["X-Unsent"] == "1"
    assert back["Subject"] == "某某市财政局2025年部门预算公开表"
    assert back["Date"] and back["Message-ID"].endswith("@example.gov.cn>")
    assert back["From"].addresses[0].display_name == "会计科"
    assert back.get_body(("plain",)).get_content() == msg.get_body(("plain",)).get_content()
    assert attachments_by_name(back) == {
        files[0].name: (XLSX, files[0].read_bytes()),
        files[1].name: ("application/pdf", files[1].read_bytes()),
    }
    # The stdlib with its own default policy reads the same file name back.
    plain = email.message_from_bytes(raw, policy=policy.default)
    assert [p.get_filename() for p in plain.iter_attachments()] == [f.name for f in files]


def test_draft_body_lists_attachments_and_signs():
    body = draft_body("某某市财政局", "2025年", ["a.xlsx", "b.pdf"])
    assert body.startswith("各位领导：\n\n附件为某某市财政局2025年部门预算公开表，请审阅。")
    assert "附件：\n1. a.xlsx\n2. b.pdf\n" in body
    assert body.rstrip().endswith("某某市财政局")
    assert "年年" not in body


def test_missing_attachment(tmp_path):
    with pytest.raises(BudgetbookError, match="无法读取附件"):
        build_draft("主题", "正文", [tmp_path / "没有.xlsx"])


def test_send_eml_delivers_same_bytes(tmp_path, files, server):
    port, inbox = server
    path = write_eml(make_draft(files), tmp_path / "草稿.eml")
    send(path, to=["领导 <lingdao@example.gov.cn>"], host="127.0.0.1", port=port, security="none")

    got = inbox.only_message()
    assert inbox.envelopes[0].rcpt_tos == ["lingdao@example.gov.cn"]
    assert inbox.envelopes[0].mail_from == USER
    assert "X-Unsent" not in got
    assert got["To"].addresses[0].display_name == "领导"
    assert got["Subject"] == "某某市财政局2025年部门预算公开表"
    assert attachments_by_name(got) == {f.name: (t, f.read_bytes()) for f, t in zip(files, (XLSX, "application/pdf"))}


def test_send_with_auth_leaves_draft_untouched(files, server):
    port, inbox = server
    draft = make_draft(files)
    send(draft, to=["a@example.gov.cn"], host="127.0.0.1", port=port, security="none",
         user=USER, password=PASSWORD, sender="b@example.gov.cn")
    assert inbox.only_message()["From"] == "b@example.gov.cn"
    assert draft["X-Unsent"] == "1" and "To" not in draft  # the caller's draft is still a draft


def test_wrong_password_names_user_not_password(files, server):
    port, inbox = server
    wrong = "Wrong-Pa55-9876"
    with pytest.raises(BudgetbookError) as info:
        send(make_draft(files), to=["a@example.gov.cn"], host="127.0.0.1", port=port, security="none",
             user=USER, password=wrong)
    text = str(info.value)
    assert "邮件服务器拒绝了用户名或密码" in text and USER in text
    assert wrong not in text and wrong not in repr(info.value.args)
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert inbox.envelopes == []


def test_non_ascii_password(files, server):
    port, _ = server
    with pytest.raises(BudgetbookError, match="非 ASCII") as info:
        send(make_draft(files), to=["a@example.gov.cn"], host="127.0.0.1", port=port, security="none",
             user=USER, password="预算密码2025")
    assert "预算密码" not in str(info.value)


def test_starttls_with_cafile(files, server, cert):
    port, inbox = server
    send(make_draft(files), to=["a@example.gov.cn"], host="127.0.0.1", port=port, security="starttls",
         user=USER, password=PASSWORD, cafile=cert[0])
    assert attachments_by_name(inbox.only_message())[files[0].name][1] == files[0].read_bytes()


def test_starttls_untrusted_certificate(files, server):
    port, _ = server
    with pytest.raises(BudgetbookError, match="证书无法验证") as info:
        send(make_draft(files), to=["a@example.gov.cn"], host="127.0.0.1", port=port, security="starttls",
             user=USER, password=PASSWORD)
    assert PASSWORD not in str(info.value)


def test_bad_cafile(files, tmp_path):
    with pytest.raises(BudgetbookError, match="无法读取证书文件"):
        send(make_draft(files), to=["a@example.gov.cn"], host="127.0.0.1", port=1, security="ssl",
             cafile=tmp_path / "none.pem")


def test_ssl_on_plain_port_is_tls_error(files, server):
    port, _ = server
    with pytest.raises(BudgetbookError, match="TLS"):
        send(make_draft(files), to=["a@example.gov.cn"], host="127.0.0.1", port=port, security="ssl", timeout=5)


def test_recipient_refused(files, server):
    port, inbox = server
    with pytest.raises(BudgetbookError, match="拒绝了收件人 x@refused.example"):
        send(make_draft(files), to=["x@refused.example"], host="127.0.0.1", port=port, security="none")
    assert inbox.envelopes == []

    with pytest.raises(BudgetbookError, match="邮件已发给其他收件人，但邮件服务器拒绝了 x@refused.example"):
        send(make_draft(files), to=["a@example.gov.cn", "x@refused.example"], host="127.0.0.1", port=port,
             security="none")
    assert inbox.envelopes[0].rcpt_tos == ["a@example.gov.cn"]


def test_starttls_not_offered(files):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with pytest.raises(BudgetbookError, match="不支持 STARTTLS"):
            send(make_draft(files), to=["a@example.gov.cn"], host="127.0.0.1", port=controller.port,
                 security="starttls")
    finally:
        controller.stop()


def test_write_eml_into_missing_folder(tmp_path, files):
    with pytest.raises(BudgetbookError, match="无法写入 .*草稿.eml：文件夹 .* 不存在"):
        write_eml(make_draft(files), tmp_path / "没有这个文件夹" / "草稿.eml")


def test_closed_port(files):
    port = free_port()
    with pytest.raises(BudgetbookError) as info:
        send(make_draft(files), to=["a@example.gov.cn"], host="127.0.0.1", port=port, security="none",
             user=USER, password=PASSWORD)
    assert str(info.value) == f"无法连接邮件服务器 127.0.0.1:{port}：连接被拒绝。"


def test_timeout(files):
    with socket.socket() as silent:  # accepts connections but never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        with pytest.raises(BudgetbookError, match="超时"):
            send(make_draft(files), to=["a@example.gov.cn"], host="127.0.0.1", port=port, security="none",
                 timeout=0.3)


def test_user_without_password(files):
    with pytest.raises(BudgetbookError, match="没有提供密码"):
        send(make_draft(files), to=["a@example.gov.cn"], host="127.0.0.1", port=1, security="none", user=USER)


class _Tty:
    def isatty(self):
        return True


def test_password_from_env_or_prompt(monkeypatch):
    monkeypatch.setenv("BUDGETBOOK_SMTP_PASSWORD", PASSWORD)
    assert password_from_env_or_prompt() == PASSWORD

    monkeypatch.delenv("BUDGETBOOK_SMTP_PASSWORD")
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(BudgetbookError, match="BUDGETBOOK_SMTP_PASSWORD"):
        password_from_env_or_prompt(user=USER)

    prompts = []
    monkeypatch.setattr(sys, "stdin", _Tty())
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or "typed")
    assert password_from_env_or_prompt(user=USER) == "typed"
    assert USER in prompts[0]
