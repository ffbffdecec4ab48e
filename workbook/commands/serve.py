"""`budgetbook serve`: the local service behind the WPS add-in and the drag-and-drop page."""
from __future__ import annotations

import socket
import sys

from ..errors import BudgetbookError

DEFAULT_PORT = 8765


def listen(port: int) -> socket.socket:
    """A socket on 127.0.0.1 only: the service is for this computer's user, never the network."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if sys.platform != "win32":  # a restart at once after a stop (Windows' flag would share the port)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        sock.close()
        raise BudgetbookError(f"端口 {port} 已被占用（可能 budgetbook serve 已在运行）；"
                              f"请先关闭它，或用 --port 指定其他端口。") from None
    sock.listen(64)
    return sock


def run(args) -> int:
    import uvicorn

    from ..serve import app, security

    if not 0 <= args.port <= 65535:
        raise BudgetbookError(f"端口应在 1 至 65535 之间，而不是 {args.port}。")
    sock = listen(args.port)
    port = sock.getsockname()[1]
    service = app.create_app(port=port, token=security.token())
    url = f"http://127.0.0.1:{port}/"
    print(f"budgetbook 服务已启动：{url}（WPS 加载项地址 {url}wps/）；按 Ctrl+C 停止。", flush=True)
    if not args.no_browser:
        import webbrowser

        webbrowser.open(url)
    config = uvicorn.Config(service, log_level="warning", access_log=False, lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])
    print("budgetbook 服务已停止。", file=sys.stderr)
    return 0


def add(sub) -> None:
    p = sub.add_parser("serve", help="启动本机服务：WPS 加载项和拖放检查页面（只在 127.0.0.1 上）")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="端口", help=f"端口（默认 {DEFAULT_PORT}；0 表示任选一个空闲端口）")
    p.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    p.set_defaults(run=run)
