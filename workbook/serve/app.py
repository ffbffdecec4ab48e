"""The ASGI application of `budgetbook serve`: the page, the WPS add-in's files and the API.

    GET  /                         the drag-and-drop page (workbook/web/), token written into it
    GET  /static/{file}            its script and style
    GET  /wps/{file}               the WPS add-in (addin/wps/): index.html (token written into
                                   it), ribbon.xml, main.js, client.js, images/*.svg
    POST /api/button/{key}         a ribbon button (workbook/buttons.py keys) on a workbook
                                   snapshot (serve.snapshot) → status, message, actions or need
    POST /api/files                multipart, field "files": one or more workbooks → per file the
                                   findings grouped by sheet, download links, the export's note
    POST /api/jobs                 the same upload, answered at once with a job to follow; with
                                   the field kind=build, ledgers built into one workbook (从明细生成)
    GET  /api/jobs/{job}           how far each file got (queued, read, check, mark, fill,
                                   export, done, cancelled); the page polls it
    GET  /api/jobs/{job}/files/{i} a finished file's result, as /api/files gives it
    POST /api/jobs/{job}/cancel    stop what is not finished (its worker process is killed)
    POST /api/files/{id}/export    export that upload again, {"force": true} to export anyway
    GET  /api/files/{id}/{kind}    the marked / filled / export file, or the export's PDF
    GET  /api/health               {"status": 0, "version": …}

Every /api/ call carries the token in the X-Budgetbook-Token header (serve.security). Replies are
JSON with `status` as the command line's exit status and `message` one Chinese sentence: HTTP
200 for status 0 and 1, 422 for a file or workbook that cannot be used (status 2), 400 for a
request that is not what the client sends, 500 for a bug (status 3).
"""
from __future__ import annotations

import json
import logging
import mimetypes
from contextlib import asynccontextmanager
from importlib import resources
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from ..errors import sentence
from . import buttons, security
from .files import KINDS, Store


MAX_BODY = 16 << 20  # a snapshot of a department ten times the example is under 100 kB
MAX_UPLOAD = 50 << 20
MAX_FILES = 20
TOKEN_SLOT = "__BUDGETBOOK_TOKEN__"
# the pages load nothing from anywhere else, and nothing else may frame the drop page
_PAGE_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                 "Referrer-Policy": "no-referrer",
                 "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; "
                                            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"}
_ADDIN_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                  "Referrer-Policy": "no-referrer"}
_MEDIA = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12", ".pdf": "application/pdf"}
_GONE = "找不到这个文件（服务重启后或一小时后上传的文件会被删除），请重新上传。"
_log = logging.getLogger(__name__)


def create_app(*, port: int, token: str, store: Store | None = None, max_body: int = MAX_BODY,
               max_upload: int = MAX_UPLOAD):
    """The service's routes behind the security gate; the handlers (below) find the store and
    the token in app.state."""
    store = store or Store()

    @asynccontextmanager
    async def lifespan(app):
        store.warm()
        try:
            yield
        finally:
            store.close()

    routes = [
        Route("/", page),
        Route("/static/{name}", static),
        Route("/wps/{name:path}", addin),
        Route("/wps", lambda request: Response(status_code=307, headers={"Location": "/wps/"})),
        Route("/api/health", health),
        Route("/api/button/{key}", button, methods=["POST"]),
        Route("/api/files", upload, methods=["POST"]),
        Route("/api/jobs", start, methods=["POST"]),
        Route("/api/jobs/{job}", follow),
        Route("/api/jobs/{job}/files/{index:int}", finished),
        Route("/api/jobs/{job}/cancel", cancel, methods=["POST"]),
        Route("/api/files/{id}/export", export, methods=["POST"]),
        Route("/api/files/{id}/{kind}", download),
    ]

    async def too_large(request, exc):
        return _error(413, 2, str(exc))

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={security.TooLarge: too_large})
    app.state.store, app.state.token = store, token
    return security.Gate(app, port=port, secret=token, max_body=max_body, max_upload=max_upload)


# --- the routes ------------------------------------------------------------------------------

async def page(request: Request):
    return _with_token(_asset("workbook.web", "index.html"), request.app.state.token, _PAGE_HEADERS)

async def static(request: Request):
    return _file("workbook.web", request.path_params["name"], _PAGE_HEADERS)

async def addin(request: Request):
    name = request.path_params["name"] or "index.html"
    if name == "index.html":
        return _with_token(_asset("addin.wps", "index.html"), request.app.state.token, _ADDIN_HEADERS)
    return _file("addin.wps", name, _ADDIN_HEADERS)

async def health(request: Request):
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("budgetbook")
    except PackageNotFoundError:
        number = ""
    return JSONResponse({"status": 0, "message": "budgetbook 服务正在运行。", "version": number})

async def button(request: Request):
    key = request.path_params["key"]
    if key not in buttons.KEYS:
        return _error(404, 2, "没有这个按钮。")
    try:
        data = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return _error(400, 2, "请求内容不是有效的 JSON。")
    reply = await run_in_threadpool(_safely, key, data)
    return JSONResponse(reply.to_json(), status_code=_http(reply.status, reply.message))

async def _dropped(request: Request) -> tuple[list[tuple[str, bytes]], dict] | JSONResponse:
    """The files of a multipart upload (field "files") and its fields "kind" and "dept", or the
    reply refusing it."""
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=10)
    except security.TooLarge:
        raise
    except Exception:  # not multipart, too many files: the page never sends that
        return _error(400, 2, f"请一次上传 1 至 {MAX_FILES} 个 .xlsx 工作簿。")
    files = [(part.filename or "", await part.read()) for part in form.getlist("files") if hasattr(part, "read")]
    fields = {key: form.get(key) if isinstance(form.get(key), str) else "" for key in ("kind", "dept")}
    await form.close()
    return (files, fields) if files else _error(400, 2, "没有收到工作簿文件。")


async def upload(request: Request):
    dropped = await _dropped(request)
    if isinstance(dropped, Response):
        return dropped
    files, _ = dropped
    results = []
    for name, data in files:
        results.append(await run_in_threadpool(request.app.state.store.add, name, data))
    status = max(r.status for r in results)
    body = {"status": status, "files": [r.to_json() for r in results],
            "message": results[0].message if len(results) == 1 else f"已检查 {len(results)} 个工作簿。"}
    readable = any(r.status in (0, 1) for r in results)
    return JSONResponse(body, status_code=200 if readable else _http(status, ""))

async def start(request: Request):
    dropped = await _dropped(request)
    if isinstance(dropped, Response):
        return dropped
    files, fields = dropped
    store = request.app.state.store
    if fields["kind"] == "build":
        from .build import STEPS, process_build

        job = await run_in_threadpool(store.start_together, "build", f"明细（{len(files)} 个文件）", files,
                                      process_build, STEPS, fields["dept"].strip()[:100] or None)
    else:
        job = await run_in_threadpool(store.start, files)
    return JSONResponse({"status": 0, "message": f"正在处理 {len(files)} 个文件。", "job": job.to_json()},
                        status_code=202)

async def follow(request: Request):
    job = request.app.state.store.job(request.path_params["job"])
    if job is None:
        return _error(404, 2, _GONE)
    return JSONResponse(job.to_json())

async def finished(request: Request):
    job = request.app.state.store.job(request.path_params["job"])
    index = request.path_params["index"]
    if job is None or not 0 <= index < len(job.steps):
        return _error(404, 2, _GONE)
    if job.steps[index] not in ("done", "cancelled"):
        return _error(409, 2, "这个文件还没有处理完。")
    return JSONResponse(job.uploads[index].to_json())

async def cancel(request: Request):
    job = request.app.state.store.job(request.path_params["job"])
    if job is None:
        return _error(404, 2, _GONE)
    await run_in_threadpool(request.app.state.store.cancel, job)
    return JSONResponse(job.to_json())

async def export(request: Request):
    found = request.app.state.store.get(request.path_params["id"])
    if found is None:
        return _error(404, 2, _GONE)
    try:
        force = bool(json.loads(await request.body() or b"{}").get("force"))
    except (ValueError, AttributeError):
        return _error(400, 2, "请求内容不是有效的 JSON。")
    result = await run_in_threadpool(request.app.state.store.export, found, force)
    return JSONResponse({"status": result.status, "files": [result.to_json()], "message": result.export_note})

async def download(request: Request):
    found = request.app.state.store.get(request.path_params["id"])
    kind = request.path_params["kind"]
    path = found.files.get(kind) if found is not None and kind in KINDS else None
    if path is None or not path.is_file():
        return _error(404, 2, _GONE)
    return FileResponse(path, media_type=_MEDIA.get(path.suffix.lower(), "application/octet-stream"),
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(path.name)}",
                                 "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


def _safely(key: str, data) -> buttons.Reply:
    """A button's reply whatever happens: bad input as its sentence, a bug as one sentence."""
    try:
        return buttons.press(key, data)
    except Exception as exc:  # noqa: BLE001  (the reply says it; the service goes on)
        status, text = sentence(exc, "工作簿")
        if status == 3:
            _log.exception("button failed")
            text += "详细信息在运行 budgetbook serve 的窗口中。"
        return buttons.Reply(status=status, message=text)


def _http(status: int, message: str) -> int:
    return {0: 200, 1: 200, 3: 500}.get(status, 422)


def _error(http: int, status: int, message: str) -> JSONResponse:
    return JSONResponse({"status": status, "message": message}, status_code=http)


def _asset(package: str, name: str) -> bytes | None:
    parts = [p for p in name.split("/") if p]
    if not parts or any(p in (".", "..") or p.startswith(".") or "\\" in p for p in parts):
        return None
    node = resources.files(package)
    for part in parts:
        node = node / part
    try:
        return node.read_bytes() if node.is_file() else None
    except OSError:
        return None


def _file(package: str, name: str, headers: dict) -> Response:
    data = _asset(package, name)
    if data is None or name.endswith((".py", ".pyc")) or name.startswith("test/"):
        return Response("没有这个文件。", status_code=404, media_type="text/plain; charset=utf-8")
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/xml"):
        kind += "; charset=utf-8"
    return Response(data, media_type=kind, headers=headers)


def _with_token(data: bytes | None, token: str, headers: dict) -> Response:
    if data is None:
        return Response("没有这个文件。", status_code=404, media_type="text/plain; charset=utf-8")
    return Response(data.decode("utf-8").replace(TOKEN_SLOT, token), media_type="text/html; charset=utf-8",
                    headers=headers)
