"""`budgetbook addin install --wps` and `addin uninstall --wps`: the WPS add-in for production.

The add-in's files (ribbon.xml, index.html, main.js, client.js, images/) are copied into WPS's
own add-in folder, `jsaddons/budgetbook_<version>/` — the folder WPS unpacks an offline add-in
into — so that WPS shows the 预算公开 tab whenever it starts, whether or not `budgetbook serve`
is running. Only a button press talks to the service (http://127.0.0.1:PORT/api/button/…, with
this install's token written into index.html); when it is down, the press says how to start it.

Registration, as WPS keeps it for an offline add-in published with wpsjs:
- `publish.xml` (what WPS writes when wpsjs's publish page installs an add-in):
  `<jsplugin name="budgetbook" type="et" url="budgetbook_<version>" version="<version>"
  enable="true" install="null"/>`, url being the folder's name inside jsaddons;
- `jsplugins.xml` (the list format of WPS's offline deployment, read where oem.ini points
  JSPluginsServer at it): `<jsplugin name="budgetbook" type="et" url="file:///…/budgetbook_<version>/"
  version="<version>" enable="true"/>`;
- `authaddin.json`, where this WPS keeps one (newer versions record each add-in the user approved,
  per host): an approved, loaded local entry for "et", so WPS does not ask again.
Both XML files are edited as text (one line in, the same line out), so every other add-in's entry
and the file's own layout stay as they were. Debug registrations (`jspluginonline`,
`enable="enable_dev"`, pointing at the service) from earlier versions are replaced.

Autostart of the service: a `.cmd` in the Windows Startup folder; an XDG autostart `.desktop`
file on Linux (Kylin, UOS and other desktops that follow the XDG specification).

What install created (files and folders that were not there) is recorded in budgetbook's config
folder; uninstall removes exactly our entries and those files, and leaves the rest.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from defusedxml import ElementTree as SafeET

from workbook.atomic import write_atomic
from workbook.errors import BudgetbookError

NAME = "budgetbook"
HOST = "et"  # WPS表格
FILES = ("publish.xml", "jsplugins.xml")
AUTH = "authaddin.json"
RECORD = "wps-install.json"
ADDIN_FILES = ("ribbon.xml", "main.js", "client.js", "index.html")
AUTOSTART_MARK = "budgetbook-autostart"  # recognises our autostart file at uninstall


@dataclass(frozen=True)
class Places:
    jsaddons: Path
    autostart: Path | None  # the file; None where we know no autostart folder (macOS)
    config: Path  # budgetbook's settings: the service token, the install record
    system: str  # "win32", "linux" or "darwin"


def places(platform: str | None = None, env=None) -> Places:
    """Where WPS, the desktop's autostart and budgetbook keep their files, for `platform`
    (default: this one) and the environment `env` (default: os.environ)."""
    platform = platform or sys.platform
    env = os.environ if env is None else env
    home = Path(env.get("HOME") or env.get("USERPROFILE") or Path.home())
    if platform.startswith("win"):
        appdata = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
        startup = appdata / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup"
        return Places(appdata / "kingsoft" / "wps" / "jsaddons", startup / "budgetbook-serve.cmd",
                      appdata / "budgetbook", "win32")
    if platform == "darwin":
        return Places(home / "Library" / "Containers" / "com.kingsoft.wpsoffice.mac" / "Data" / ".kingsoft" / "wps"
                      / "jsaddons", None, home / "Library" / "Application Support" / "budgetbook", "darwin")
    config = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
    return Places(home / ".local" / "share" / "Kingsoft" / "wps" / "jsaddons",
                  config / "autostart" / "budgetbook-serve.desktop", config / "budgetbook", "linux")


def version() -> str:
    from importlib.metadata import PackageNotFoundError, version as installed

    try:
        return installed("budgetbook")
    except PackageNotFoundError:
        return "0"


def service_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def folder_name() -> str:
    return f"{NAME}_{version()}"


def entry(file: str, folder: Path) -> str:
    """Our line in `file`, as WPS keeps an offline add-in there."""
    if file == "publish.xml":
        return (f'<jsplugin name="{NAME}" type="{HOST}" url="{folder.name}" version="{version()}" '
                f'enable="true" install="null"/>')
    return (f'<jsplugin name="{NAME}" type="{HOST}" url="{_attr(folder.as_uri())}/" version="{version()}" '
            f'enable="true"/>')


# --- install ------------------------------------------------------------------------------------

def install(port: int, where: Places, python: str | None = None) -> dict[str, Path]:
    """Copy the add-in, register it, approve it where WPS keeps approvals, start the service at
    login. Returns what was written, by kind."""
    from workbook.serve import security

    folder = where.jsaddons / folder_name()
    planned = [where.config / RECORD, where.config / security.TOKEN_FILE, folder,
               *(where.jsaddons / name for name in FILES)]
    if where.autostart:
        planned.append(where.autostart)
    created = _missing(planned, _read_record(where.config / RECORD).get("created", []))
    texts = {name: _registration(where.jsaddons / name) for name in FILES}  # refuse before writing
    auth = _approvals(where.jsaddons / AUTH)
    token = security.token(where.config)
    _mkdir(where.jsaddons)
    for old in _our_folders(where.jsaddons):
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)
    _copy_addin(folder, service_url(port), token)
    written = {"folder": folder}
    for name, text in texts.items():
        path = where.jsaddons / name
        new = _add_line(_remove_ours(text), entry(name, folder))
        written[name] = write_atomic(path, lambda tmp, new=new: tmp.write_text(new, encoding="utf-8"))
    section_created = False
    if auth is not None:
        section_created = HOST not in auth
        _approve(auth, folder)
        written[AUTH] = _write_json(where.jsaddons / AUTH, auth)
    if where.autostart:
        written["autostart"] = _write_autostart(where, port, python or sys.executable)
    record = {"created": [str(p) for p in created], "folder": str(folder), "auth_section_created": section_created}
    _write_json(where.config / RECORD, record)
    return written


def _registration(path: Path) -> str:
    """The list's text (a new, empty one when there is none); refused when it is not a list."""
    if not path.is_file() or not path.read_bytes().strip():
        return '<?xml version="1.0" encoding="UTF-8"?>\n<jsplugins>\n</jsplugins>\n'
    try:
        text = path.read_text(encoding="utf-8-sig")
        root = SafeET.fromstring(text.encode("utf-8"))
    except Exception:  # not UTF-8, not XML, or XML with entities (refused by defusedxml)
        raise BudgetbookError(f"{path} 不是有效的 WPS 加载项列表（XML），未作改动；请检查或删除该文件后重试。") from None
    if root.tag != "jsplugins":
        raise BudgetbookError(f"{path} 不是 WPS 加载项列表（根元素应为 jsplugins），未作改动。")
    return text


_OURS = re.compile(r'[ \t]*<(jsplugin|jspluginonline)\b[^>]*\bname="' + NAME + r'"[^>]*?(?:/>|>\s*</\1>)[ \t]*(?:\r?\n)?')


def _remove_ours(text: str) -> str:
    return _OURS.sub("", text)


def _add_line(text: str, line: str) -> str:
    """`line` as the list's last entry, indented like a WPS-written file."""
    if re.search(r"<jsplugins\b[^>]*/>", text):
        return re.sub(r"<jsplugins\b([^>]*)/>", lambda m: f"<jsplugins{m.group(1)}>\n  {line}\n</jsplugins>", text, count=1)
    end = text.rindex("</jsplugins>")
    start = text.rfind("\n", 0, end) + 1
    if text[start:end].strip():  # `</jsplugins>` follows other text on its line
        return text[:end] + f"\n  {line}\n" + text[end:]
    return text[:start] + f"  {line}\n" + text[start:]


def _approvals(path: Path) -> dict | None:
    """WPS's record of approved add-ins, when this WPS keeps one (None: it does not)."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig") or "{}")
    except (OSError, ValueError):
        raise BudgetbookError(f"{path} 不是有效的 WPS 加载项授权记录（JSON），未作改动；请检查该文件后重试。") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise BudgetbookError(f"{path} 的格式与 WPS 加载项授权记录不符，未作改动。")
    return data


def _approve(data: dict, folder: Path) -> None:
    section = data.setdefault(HOST, {"namelist": ""})
    names = [n for n in str(section.get("namelist", "")).split(";") if n]
    if NAME not in names:
        names.append(NAME)
    section["namelist"] = ";".join(names)
    # mode 1: a local add-in; WPS adds its own fingerprint (md5) when it loads it
    section[NAME] = {"name": NAME, "path": folder.as_posix(), "enable": True, "isload": True, "mode": 1}


def copy_files(folder: Path, service: str | None = None, token: str | None = None) -> None:
    """The add-in's files into `folder` (made); with the service's address and the token written
    into index.html when given."""
    source = resources.files("addin.wps")
    (folder / "images").mkdir(parents=True, exist_ok=True)
    for name in ADDIN_FILES:
        data = source.joinpath(name).read_bytes()
        if name == "index.html" and token is not None:
            data = (data.decode("utf-8").replace("__BUDGETBOOK_TOKEN__", token)
                    .replace("__BUDGETBOOK_SERVICE__", service or "").encode("utf-8"))
        (folder / name).write_bytes(data)
    for image in source.joinpath("images").iterdir():
        if image.name.endswith(".svg"):
            (folder / "images" / image.name).write_bytes(image.read_bytes())


def _copy_addin(folder: Path, service: str, token: str) -> None:
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    copy_files(tmp, service, token)
    if os.name == "posix":
        os.chmod(tmp / "index.html", 0o600)  # it holds the token
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)


def serve_command(python: str, port: int) -> list[str]:
    return [python, "-m", "workbook.cli", "serve", "--no-browser", "--port", str(port)]


def _write_autostart(where: Places, port: int, python: str) -> Path:
    path = where.autostart
    _mkdir(path.parent)
    if where.system == "win32":
        # pythonw: no console window stays open at login
        command = serve_command(str(Path(python).with_name("pythonw.exe")), port)
        quoted = " ".join(f'"{part}"' if " " in part or not part else part for part in command)
        text = f'@echo off\r\nrem {AUTOSTART_MARK}: 预算公开助手的计算服务（WPS 加载项的按钮用它）\r\nstart "" {quoted}\r\n'
        return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="gbk", errors="replace"))
    exec_line = " ".join(_desktop_quote(part) for part in serve_command(python, port))
    text = ("[Desktop Entry]\nType=Application\nName=预算公开助手服务\n"
            "Comment=budgetbook serve：WPS 加载项「预算公开」的按钮所用的本机服务\n"
            f"Exec={exec_line}\nTerminal=false\nNoDisplay=true\nX-GNOME-Autostart-enabled=true\n"
            f"X-Budgetbook={AUTOSTART_MARK}\n")
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _desktop_quote(arg: str) -> str:
    """An Exec argument as the desktop entry specification quotes it."""
    if re.fullmatch(r"[A-Za-z0-9_./:=+-]+", arg):
        return arg
    return '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'


# --- uninstall ----------------------------------------------------------------------------------

def uninstall(where: Places) -> list[Path]:
    """Remove our entries and the files install created; the paths changed or removed."""
    record = _read_record(where.config / RECORD)
    created = {Path(p) for p in record.get("created", [])}
    changed = []
    for name in FILES:
        path = where.jsaddons / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8-sig")
        left = _remove_ours(text)
        if left == text:
            continue
        if path in created and not re.search(r"<jsplugin(online)?\b", left):
            path.unlink()
        else:
            write_atomic(path, lambda tmp, left=left: tmp.write_text(left, encoding="utf-8"))
        changed.append(path)
    auth = where.jsaddons / AUTH
    data = _approvals(auth) if auth.is_file() else None
    if data is not None and _withdraw(data, record.get("auth_section_created", False)):
        _write_json(auth, data)
        changed.append(auth)
    folders = [Path(record["folder"])] if record.get("folder") else []
    for folder in {*folders, *_our_folders(where.jsaddons)}:
        if folder.is_dir():
            shutil.rmtree(folder)
            changed.append(folder)
    if where.autostart and where.autostart.is_file() and AUTOSTART_MARK in where.autostart.read_text(
            encoding="utf-8" if where.system != "win32" else "gbk", errors="replace"):
        where.autostart.unlink()
        changed.append(where.autostart)
    (where.config / RECORD).unlink(missing_ok=True)
    for path in sorted(created, key=lambda p: len(p.parts), reverse=True):  # files before their folders
        if path.is_file() and path.name in (RECORD, "serve-token"):
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed


def _withdraw(data: dict, drop_section: bool) -> bool:
    section = data.get(HOST)
    if not isinstance(section, dict) or NAME not in section:
        return False
    del section[NAME]
    names = [n for n in str(section.get("namelist", "")).split(";") if n and n != NAME]
    section["namelist"] = ";".join(names)
    if drop_section and set(section) == {"namelist"} and not names:
        del data[HOST]
    return True


def _read_record(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


# --- helpers --------------------------------------------------------------------------------------

def _our_folders(jsaddons: Path) -> list[Path]:
    if not jsaddons.is_dir():
        return []
    return [p for p in jsaddons.glob(f"{NAME}_*") if p.is_dir() and (p / "ribbon.xml").is_file()
            and (p / "client.js").is_file()]


def _missing(paths, before) -> list[Path]:
    """The paths and folders above them that do not exist yet, with those an earlier install
    created (a second install must not forget them)."""
    every = [q for p in paths for q in (p, *p.parents)]
    return list(dict.fromkeys([*map(Path, before), *(p for p in every if not p.exists())]))


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _write_json(path: Path, data: dict) -> Path:
    _mkdir(path.parent)
    text = json.dumps(data, ensure_ascii=False, indent=4) + "\n"
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _mkdir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BudgetbookError(f"无法创建文件夹 {folder}（{exc.strerror or exc}）。") from None
