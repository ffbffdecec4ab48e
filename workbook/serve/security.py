"""Who may talk to `budgetbook serve`: this user's own pages on 127.0.0.1, nobody else.

The service writes beside the user's workbooks, so any web page the user happens to open must not
be able to drive it. Four gates, each answering 403 (or 413) before an endpoint runs:

- Host: only `127.0.0.1:PORT` and `localhost:PORT`. A DNS-rebinding page (evil.example resolving
  to 127.0.0.1) sends its own name as Host and is refused, so it can neither read a page carrying
  the token nor call the API as "same origin".
- Origin (and Sec-Fetch-Site): a browser names the page that sends a request; a request from any
  other origin is refused (cross-site request forgery). Requests without an Origin (command-line
  clients) still need the token.
- The token: a random per-install secret kept in the user's config folder (file mode 0600), written
  into the pages the service serves and required on every API call in the X-Budgetbook-Token
  header. Other pages cannot read it: the browser keeps them from reading our pages (same-origin
  policy) and the Host gate keeps them from becoming our origin.
- Size: a request body over the limit is refused with 413 before it is read into memory.

The installed WPS add-in runs from WPS's own folder, not from a page of ours, so its button calls
come from a local page: Origin "null" (file://) or an application's own scheme, never http(s).
Such an origin may call /api/button/ only (answered with CORS headers, its preflight included)
and still needs the token, which only this user's add-in folder holds. A web page cannot send a
local origin other than "null" (a sandboxed frame), and it has no token.
"""
from __future__ import annotations

import os
import secrets
import stat
import sys
from pathlib import Path

from ..errors import BudgetbookError

TOKEN_HEADER = "x-budgetbook-token"
TOKEN_FILE = "serve-token"
LOOPBACK = "127.0.0.1"


def config_dir() -> Path:
    """Where budgetbook keeps this user's settings (the XDG folder on Linux)."""
    if sys.platform.startswith("win"):
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "budgetbook"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "budgetbook"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "budgetbook"


def token(folder: Path | None = None) -> str:
    """This install's token, created on first use (readable by this user only)."""
    folder = Path(folder) if folder else config_dir()
    path = folder / TOKEN_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            text = path.read_text(encoding="ascii").strip()
            if len(text) >= 32:
                _owner_only(path)
                return text
            fd = os.open(path, os.O_WRONLY | os.O_TRUNC, 0o600)  # empty or cut short: a new one
        value = secrets.token_urlsafe(32)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(value + "\n")
        _owner_only(path)
        return value
    except (OSError, UnicodeDecodeError) as exc:
        raise BudgetbookError(f"无法创建或读取 budgetbook 服务的口令文件 {path}（{exc}）。") from None


def _owner_only(path: Path) -> None:
    """A token others can read is no secret: take group and other access away."""
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)


def allowed_hosts(port: int) -> set[str]:
    return {f"{LOOPBACK}:{port}", f"localhost:{port}"}


def allowed_origins(port: int) -> set[str]:
    return {f"http://{host}" for host in allowed_hosts(port)}


class Gate:
    """ASGI middleware: Host, Origin, token (for /api/) and body size, before anything else runs."""

    def __init__(self, app, *, port: int, secret: str, max_body: int, max_upload: int):
        self.app, self.port, self.secret = app, port, secret
        self.max_body, self.max_upload = max_body, max_upload

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        local = _local_button(scope, headers)
        if local and scope["method"] == "OPTIONS" and headers.get("host", "").lower() in allowed_hosts(self.port):
            return await _preflight(send, headers["origin"])
        refusal = self._refusal(scope, headers)
        if refusal:
            return await _reply(send, *refusal, headers["origin"] if local else None)
        if local:
            send = _with_cors(send, headers["origin"])
        limit = self.max_upload if scope["path"].startswith(("/api/files", "/api/jobs")) else self.max_body
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return await _reply(send, 413, _too_large(limit))
        return await self.app(scope, _counted(receive, send, limit), send)

    def _refusal(self, scope, headers: dict[str, str]) -> tuple[int, str] | None:
        if headers.get("host", "").lower() not in allowed_hosts(self.port):
            return 403, "只接受本机（127.0.0.1）上的访问。"
        origin = headers.get("origin")
        local = _local_button(scope, headers)
        if origin is not None and origin.lower() not in allowed_origins(self.port) and not local:
            return 403, "拒绝来自其他网页的请求。"
        if headers.get("sec-fetch-site") == "cross-site" and not local:
            return 403, "拒绝来自其他网页的请求。"
        if scope["path"].startswith("/api/"):
            given = headers.get(TOKEN_HEADER, "")
            if not secrets.compare_digest(given.encode(), self.secret.encode()):
                return 403, "缺少或错误的访问口令；请从 budgetbook serve 打开的页面使用。"
        return None


def _local_button(scope, headers: dict[str, str]) -> bool:
    """A button call from the installed WPS add-in: a local page's origin, never a web one."""
    origin = headers.get("origin", "").lower()
    return bool(origin) and scope["path"].startswith("/api/button/") and not origin.startswith(("http:", "https:"))


_CORS = [(b"access-control-allow-methods", b"POST"),
         (b"access-control-allow-headers", b"content-type, " + TOKEN_HEADER.encode()),
         # Chromium asks before a local page may call a loopback address (Private Network Access)
         (b"access-control-allow-private-network", b"true"),
         (b"access-control-max-age", b"600"),
         (b"vary", b"Origin")]


async def _preflight(send, origin: str) -> None:
    await send({"type": "http.response.start", "status": 204,
                "headers": [(b"access-control-allow-origin", origin.encode("latin-1")), *_CORS]})
    await send({"type": "http.response.body", "body": b""})


def _with_cors(send, origin: str):
    async def wrapped(message):
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []),
                                              (b"access-control-allow-origin", origin.encode("latin-1")),
                                              (b"vary", b"Origin")]}
        await send(message)
    return wrapped


def _too_large(limit: int) -> str:
    return f"上传的内容超过 {limit // (1 << 20)} MB，未处理。"


def _counted(receive, send, limit: int):
    """The request body as it arrives, refused past `limit` bytes (a body sent without a
    Content-Length, in chunks)."""
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge(_too_large(limit))
        return message

    return wrapped


class TooLarge(Exception):
    """A chunked body went past the limit; the app turns it into 413."""


async def _reply(send, status: int, message: str, origin: str | None = None) -> None:
    import json

    body = json.dumps({"status": 2, "message": message}, ensure_ascii=False).encode("utf-8")
    # a refusal the add-in can read (wrong token: a sentence, not a network error)
    cors = [(b"access-control-allow-origin", origin.encode("latin-1"))] if origin else []
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *cors]})
    await send({"type": "http.response.body", "body": body})
