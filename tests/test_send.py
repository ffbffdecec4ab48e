"""workbook.send: the exported draft delivered to a real SMTP server (aiosmtpd) on 127.0.0.1."""
from __future__ import annotations

import email
from email import policy

import pytest
from aiosmtpd.controller import Controller

from smtp_server import PASSWORD, USER, Inbox, authenticator, free_port
from workbook.errors import BudgetbookError
from workbook.export import export
from workbook.send import PASSWORD_ENV, find_draft, parse_smtp, send_export

TO = ["caizhengju@example.gov.cn"]


@pytest.fixture(scope="module")
def _server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def server(_server, monkeypatch):
    controller, inbox = _server
    inbox.envelopes.clear()
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    return f"127.0.0.1:{controller.port}", inbox


@pytest.fixture(scope="module")
def exported(_example_files, tmp_path_factory):
    """The example exported with its draft (no PDF: LibreOffice is not what is tested here)."""
    return export(_example_files[1], tmp_path_factory.mktemp("export"), eml=True, force=True,
                  sender=f"会计科 <{USER}>")


def one_sentence(exc: pytest.ExceptionInfo, *parts: str) -> str:
    msg = str(exc.value)
    assert "\n" not in msg and msg.endswith("。") and PASSWORD not in msg, msg
    for part in parts:
        assert part in msg, msg
    return msg


def test_send_delivers_the_exported_bytes(exported, server):
    smtp, inbox = server
    sent = send_export(exported.eml, TO, smtp, security="none", user=USER, password=PASSWORD)

    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == TO and envelope.mail_from == USER
    msg = email.message_from_bytes(envelope.content, policy=policy.default)
    assert "X-Unsent" not in msg
    assert msg["Subject"] == exported.xlsx.stem
    got = {p.get_filename(): p.get_content() for p in msg.iter_attachments()}
    assert got == {exported.xlsx.name: exported.xlsx.read_bytes()}
    assert exported.xlsx.name in str(sent) and TO[0] in str(sent) and PASSWORD not in str(sent)


def test_password_from_environment_and_folder_argument(exported, server, monkeypatch):
    smtp, inbox = server
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    sent = send_export(exported.eml.parent, TO, smtp, security="none", user=USER)
    assert sent.eml == exported.eml
    assert len(inbox.envelopes) == 1
    # The exported .xlsx stands for its draft too: `budgetbook send DIR/xxx.xlsx`.
    assert find_draft(exported.xlsx) == exported.eml


def test_wrong_password_is_one_sentence(exported, server):
    smtp, inbox = server
    with pytest.raises(BudgetbookError) as exc:
        send_export(exported.eml, TO, smtp, security="none", user=USER, password="wrong-" + PASSWORD)
    one_sentence(exc, "用户名或密码")
    assert inbox.envelopes == []


def test_closed_port_is_one_sentence(exported):
    with pytest.raises(BudgetbookError) as exc:
        send_export(exported.eml, TO, f"127.0.0.1:{free_port()}", security="none", user=USER, password=PASSWORD)
    one_sentence(exc, "连接被拒绝")


def test_no_password_without_a_terminal(exported, server):
    smtp, _ = server  # pytest's stdin is not a terminal, and the variable is unset
    with pytest.raises(BudgetbookError) as exc:
        send_export(exported.eml, TO, smtp, security="none", user=USER)
    one_sentence(exc, PASSWORD_ENV)


def test_smtp_address_forms():
    assert parse_smtp("smtp.example.gov.cn:465", "ssl") == ("smtp.example.gov.cn", 465)
    assert parse_smtp("smtp.example.gov.cn", "ssl") == ("smtp.example.gov.cn", 465)
    assert parse_smtp("smtp.example.gov.cn", "starttls") == ("smtp.example.gov.cn", 587)
    assert parse_smtp("[::1]:2525", "none") == ("::1", 2525)
    for bad in ("smtp.example.gov.cn:abc", "smtp.example.gov.cn:70000", ":25"):
        with pytest.raises(BudgetbookError) as exc:
            parse_smtp(bad, "ssl")
        one_sentence(exc, "邮件服务器地址")


def test_missing_or_ambiguous_draft(tmp_path):
    with pytest.raises(BudgetbookError) as exc:
        find_draft(tmp_path)
    one_sentence(exc, "没有邮件草稿")
    (tmp_path / "a.eml").write_bytes(b"Subject: a\r\n\r\n")
    (tmp_path / "b.eml").write_bytes(b"Subject: b\r\n\r\n")
    with pytest.raises(BudgetbookError) as exc:
        find_draft(tmp_path)
    one_sentence(exc, "2 个邮件草稿")
    with pytest.raises(BudgetbookError) as exc:
        find_draft(tmp_path / "c.eml")
    one_sentence(exc, "不存在")
    with pytest.raises(BudgetbookError) as exc:
        send_export(tmp_path / "a.eml", TO, "127.0.0.1:25", security="tls")
    one_sentence(exc, "加密方式")
