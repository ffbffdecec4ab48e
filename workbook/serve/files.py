"""Workbooks dropped on the page: checked, marked, filled and exported in a private folder.

Each upload gets a random id and a folder of its own under one temporary folder of the service
(created readable by this user only, removed when the service stops); a folder older than
KEEP_SECONDS is removed at the next upload. The results are the command line's: the findings of
the workbook as uploaded, a marked copy (`check --mark`), a filled copy (`fill`) and the export
(`export`, refused while errors remain unless asked to force it).

A file is refused in the command line's sentence, with the service's folder taken out of it so
the sentence names the file as the user dropped it. Beyond what the command line checks, a file
whose parts would unpack to more than MAX_UNPACKED bytes is refused before any of it is unpacked.

No upload can take the service down: each is worked through in a worker process of its own
(workbook.batch.pool.IsolatedPool, as a batch check uses: an address-space limit and a time limit
per task). A worker that dies on a file (a native crash in a parser, the memory limit) or runs out
of time is that upload's one sentence; its folder is removed, a fresh worker takes its place, and
the next request is served as usual. An upload that gives nothing to download (refused, crashed)
keeps nothing in the temporary folder.
"""
from __future__ import annotations

import logging
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BudgetbookError, detail, sentence

KEEP_SECONDS = 3600
WORK_SECONDS = 300  # one upload's check, marks, fill and export; a real workbook takes seconds
MAX_UNPACKED = 300 << 20  # a real budget workbook unpacks to a few MB
KINDS = ("marked", "filled", "export", "pdf", "built")
NO_PDF = "本机没有安装 LibreOffice，不能生成 PDF；可在 Excel 或 WPS 中打开公开版，另存为 PDF。"
_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class Upload:
    id: str
    name: str  # the file name as dropped
    folder: Path
    status: int = 0  # as the command line's exit status: 0 no error, 1 errors, 2 unreadable, 3 bug
    message: str = ""
    findings: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # kind -> file ready to download
    export_note: str = ""
    detail: str = ""  # what was behind a failure (the exception, a dead worker's output): for reports
    cancelled: bool = False  # stopped by the user before it was worked through

    @property
    def source(self) -> Path:
        return self.folder / "in" / self.name

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "status": self.status, "message": self.message,
                "counts": self.counts, "groups": grouped(self.findings),
                "downloads": {kind: {"url": f"/api/files/{self.id}/{kind}", "name": path.name}
                              for kind, path in self.files.items()},
                "export_note": self.export_note, **({"detail": self.detail} if self.detail else {})}


STEPS = ("queued", "read", "build", "check", "mark", "fill", "export", "done", "cancelled")  # a file's way through


@dataclass
class Job:
    """The files of one drop, worked through side by side: how far each got (`steps`, as the
    worker reports them) and, once finished, its Upload."""

    id: str
    kind: str = "check"  # or "build" (从明细生成)
    order: tuple[str, ...] = ("read", "check", "mark", "fill", "export")  # the steps the page shows
    uploads: list[Upload] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    futures: list = field(default_factory=list)  # None where the file was worked in this process
    started: float = field(default_factory=time.time)
    finished: threading.Event = field(default_factory=threading.Event)

    def to_json(self) -> dict:
        files = [{"index": i, "name": u.name, "step": step,
                  **({"status": u.status, "message": u.message} if step in ("done", "cancelled") else {})}
                 for i, (u, step) in enumerate(zip(self.uploads, self.steps))]
        return {"id": self.id, "kind": self.kind, "steps": list(self.order), "done": self.finished.is_set(),
                "files": files}

    def step(self, index: int, step: str) -> None:
        if step in STEPS and self.steps[index] not in ("done", "cancelled"):
            self.steps[index] = step


def grouped(findings: list[dict]) -> list[dict]:
    """The findings by table (in the report's order), and in each table by rule: the rule's
    Chinese title, its worst severity, how many findings of each severity, and the findings (the
    page shows a rule collapsed, with its counts, until it is opened)."""
    rank = {"error": 0, "warning": 1, "info": 2}
    tables: dict[str, dict[str, dict]] = {}
    for finding in findings:
        rules = tables.setdefault(finding["sheet"] or "整个工作簿", {})
        rule = rules.setdefault(finding["rule"], {"rule": finding["rule"], "title": finding.get("title") or "",
                                                  "severity": finding["severity"], "counts": {}, "findings": []})
        if rank[finding["severity"]] < rank[rule["severity"]]:
            rule["severity"] = finding["severity"]
        rule["counts"][finding["severity"]] = rule["counts"].get(finding["severity"], 0) + 1
        rule["findings"].append(finding)
    return [{"sheet": sheet, "count": sum(len(r["findings"]) for r in rules.values()),
             "rules": sorted(rules.values(), key=lambda r: rank[r["severity"]])}
            for sheet, rules in tables.items()]


class Store:
    """The uploads of one running service. `isolated=False` works in this process (a caller that
    is itself a worker)."""

    def __init__(self, root: Path | None = None, *, isolated: bool = True, timeout: float = WORK_SECONDS,
                 memory_mb: int | None = None, workers: int | None = None):
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="budgetbook-serve-"))
        self.uploads: dict[str, Upload] = {}
        self.jobs: dict[str, Job] = {}
        self.isolated, self.timeout, self.memory_mb = isolated, timeout, memory_mb
        self.workers = workers or min(2, os.cpu_count() or 1)
        self._pool = None
        self._closed = False
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Start the worker processes now (in the background), so that the first drop's progress
        does not wait for them."""
        if self.isolated:
            threading.Thread(target=self._workers, name="budgetbook-warm", daemon=True).start()

    def close(self) -> None:
        with self._lock:
            pool, self._pool, self._closed = self._pool, None, True
        if pool is not None:
            pool.kill()
        shutil.rmtree(self.root, ignore_errors=True)
        self.uploads.clear()
        self.jobs.clear()

    def expire(self, now: float | None = None) -> None:
        now = time.time() if now is None else now
        for upload_id, upload in list(self.uploads.items()):
            try:
                old = now - upload.folder.stat().st_mtime > KEEP_SECONDS
            except OSError:
                old = True
            if old:
                shutil.rmtree(upload.folder, ignore_errors=True)
                del self.uploads[upload_id]
        for job_id, job in list(self.jobs.items()):
            if job.finished.is_set() and now - job.started > KEEP_SECONDS:
                del self.jobs[job_id]

    def add(self, name: str, data: bytes) -> Upload:
        """Keep one dropped file and work it through; never raises for a bad file."""
        job = self.start([(name, data)])
        job.finished.wait()
        return job.uploads[0]

    def start(self, files: list[tuple[str, bytes]], work=None) -> Job:
        """Keep the dropped files and start working them through (`work(upload)`, by default the
        check, marks, fill and export); returns at once with the job to follow."""
        self.expire()
        job = Job(secrets.token_urlsafe(18))
        for name, data in files:
            upload = Upload(secrets.token_urlsafe(18), safe_name(name), Path())
            upload.folder = self.root / upload.id
            upload.source.parent.mkdir(parents=True)
            upload.source.write_bytes(data)
            job.uploads.append(upload)
            job.steps.append("queued")
            job.futures.append(None)
        self.jobs[job.id] = job
        if not job.uploads:
            job.finished.set()
        for index, upload in enumerate(job.uploads):
            self._launch(job, index, work or process)
        return job

    def start_together(self, kind: str, name: str, files: list[tuple[str, bytes]], work, order: tuple[str, ...],
                       *args) -> Job:
        """The files of one drop worked as one (`work(upload, *args)`, its steps `order`: 从明细生成,
        serve/build.py); returns at once with the job to follow."""
        self.expire()
        job = Job(secrets.token_urlsafe(18), kind=kind, order=order)
        upload = Upload(secrets.token_urlsafe(18), name, Path())
        upload.folder = self.root / upload.id
        (upload.folder / "in").mkdir(parents=True)
        for number, (name, data) in enumerate(files, start=1):
            target = upload.folder / "in" / safe_name(name)
            if target.exists():  # two ledgers of the same name from different folders
                target = target.with_name(f"{number}-{target.name}")
            target.write_bytes(data)
        job.uploads, job.steps, job.futures = [upload], ["queued"], [None]
        self.jobs[job.id] = job
        self._launch(job, 0, work, *args)
        return job

    def job(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id) if _ID.match(job_id or "") else None

    def cancel(self, job: Job) -> None:
        """Stop every file of the job not yet finished: its worker is killed, nothing is kept."""
        for future in job.futures:
            if future is not None and self._pool is not None:
                self._pool.cancel(future)

    def get(self, upload_id: str) -> Upload | None:
        return self.uploads.get(upload_id) if _ID.match(upload_id or "") else None

    def export(self, upload: Upload, force: bool) -> Upload:
        """Export again, this time with `force` (the page's 仍然导出)."""
        if self.isolated:
            done = self._outcome(upload, self._workers().submit(process_export, upload, force))
        else:
            done = process_export(upload, force)
        if done.status >= 2:  # the worker died: the upload as it was, with the export's sentence
            upload.export_note, upload.detail = done.message, done.detail
            return upload
        self.uploads[upload.id] = done
        return done

    def _launch(self, job: Job, index: int, work, *args) -> None:
        upload = job.uploads[index]
        if not self.isolated:
            from ..batch.pool import listening

            with listening(lambda step: job.step(index, step)):
                self._finish(job, index, work(upload, *args))
            return
        future = self._workers().submit_watched(work, (upload, *args), lambda step: job.step(index, step))
        job.futures[index] = future
        future.add_done_callback(lambda f: self._finish(job, index, self._outcome(upload, f)))

    def _finish(self, job: Job, index: int, upload: Upload) -> None:
        if upload.status >= 2:  # nothing to download: nothing kept
            shutil.rmtree(upload.folder, ignore_errors=True)
        else:
            self.uploads[upload.id] = upload
        job.uploads[index] = upload
        job.steps[index] = "cancelled" if upload.cancelled else "done"
        if all(step in ("done", "cancelled") for step in job.steps):
            job.finished.set()

    def _outcome(self, upload: Upload, future) -> Upload:
        """What a worker gave back for `upload`; a worker that died, ran out of time or was
        cancelled is the upload's sentence."""
        from concurrent.futures import CancelledError

        from ..batch.pool import TaskCancelled, TaskTimeout, WorkerCrashed, describe_exit

        try:
            return future.result()
        except (TaskCancelled, CancelledError):
            upload.cancelled = True
            return _failed(upload, 2, f"{upload.name}：已取消，未处理完。")
        except WorkerCrashed as exc:
            why, more = describe_exit(exc.exitcode), exc.detail
        except TaskTimeout as exc:
            why, more = f"超过 {exc.seconds:g} 秒仍未完成，已停止", ""
        except Exception as exc:  # noqa: BLE001  (a result that could not come back: a bug)
            _log.warning("upload %s failed: %s", upload.name, detail(exc))
            return _failed(upload, *sentence(exc, upload.name), detail(exc))
        text = f"{upload.name} 无法处理：处理它的工作进程{why}；该文件可能已损坏、过大或是恶意构造的，其他文件不受影响。"
        return _failed(upload, 2, text, more)

    def _workers(self):
        from ..batch.executors import default_memory_mb
        from ..batch.pool import IsolatedPool

        with self._lock:
            if self._pool is None and not self._closed:
                self._pool = IsolatedPool(self.workers, timeout=self.timeout,
                                          memory_mb=self.memory_mb or default_memory_mb(self.workers))
            if self._pool is None:
                raise RuntimeError("the service is stopping")
            return self._pool


_log = logging.getLogger(__name__)


def _failed(upload: Upload, status: int, message: str, more: str = "") -> Upload:
    upload.status, upload.message, upload.detail = status, message, more or ""
    upload.findings, upload.counts, upload.files, upload.export_note = [], {}, {}, ""
    return upload


def process(upload: Upload) -> Upload:
    """What a worker does with one upload: the findings, the marked, filled and exported copies;
    a file's own problem becomes its sentence."""
    try:
        _work(upload)
    except Exception as exc:  # noqa: BLE001  (this upload's status; the service goes on)
        status, text = sentence(exc, upload.name)
        _failed(upload, status, _named(text, upload), detail(exc))
    return upload


def process_export(upload: Upload, force: bool) -> Upload:
    try:
        _export(upload, force=force)
    except Exception as exc:  # noqa: BLE001
        upload.export_note = _named(sentence(exc, upload.name)[1], upload)
    return upload


def safe_name(name: str) -> str:
    """The dropped file's own name, without folders or characters no file system takes."""
    base = _UNSAFE.sub("_", Path(str(name).replace("\\", "/")).name).strip(" .")
    if not base:
        base = "工作簿.xlsx"
    if Path(base).suffix.lower() not in (".xlsx", ".xlsm", ".pdf"):
        base += ".xlsx" if not Path(base).suffix else ""
    return base[:120]


def _work(upload: Upload) -> None:
    from .. import jobs
    from ..batch.pool import report

    src = upload.source
    report("read")
    if src.suffix.lower() == ".pdf":  # a published disclosure: checked as it is, nothing to mark or fill
        _found(upload, jobs.check_file(src))
        upload.export_note = "这是已公开的 PDF：只检查，不标记、不填写、不导出；问题按页码、表、行、栏列出。"
        return
    _check_unpacked(src)
    out = upload.folder / "out"
    out.mkdir()
    stem, suffix = src.stem, src.suffix
    marked = jobs.check_and_mark_file(src, out / f"{stem}（已标记）{suffix}", step=report)
    _found(upload, marked.report)
    upload.files["marked"] = out / f"{stem}（已标记）{suffix}"
    report("fill")
    try:
        jobs.fill_file(src, out / f"{stem}（已填合计）{suffix}")
        upload.files["filled"] = out / f"{stem}（已填合计）{suffix}"
    except BudgetbookError as exc:  # e.g. moved columns: fill refuses, the findings still stand
        upload.message += _named(str(exc), upload)
    report("export")
    try:
        _export(upload, force=False)
    except BudgetbookError as exc:
        upload.export_note = _named(str(exc), upload)


def _found(upload: Upload, report) -> None:
    from ..advice import PAGE
    from ..checks.base import SEVERITY_LABEL

    upload.findings = [dict(f.to_dict(PAGE), severity_label=SEVERITY_LABEL[f.severity])
                       for _, group in report.by_sheet() for f in group]
    upload.counts = {key: report.counts[key] for key in ("error", "warning", "info")}
    upload.status = 1 if report.errors else 0
    upload.message = _summary(upload.name, upload.counts)


def _export(upload: Upload, *, force: bool) -> None:
    """The publication files: the .xlsx, and the PDF where LibreOffice is installed (said when not)."""
    from .. import jobs, office
    from ..export import ExportRefused

    folder = upload.folder / "export"
    folder.mkdir(exist_ok=True)
    pdf = office.find_soffice() is not None
    try:
        result = jobs.export(upload.source, folder, force=force, overwrite=True, pdf=pdf)
    except ExportRefused as refused:
        upload.export_note = f"仍有 {len(refused.errors)} 处错误，未生成公开文件；请修正后重新上传，或点“仍然导出”。"
        return
    upload.files["export"] = result.xlsx
    if result.pdf is not None:
        upload.files["pdf"] = result.pdf
    upload.export_note = ((f"注意：仍有 {len(result.report.errors)} 处错误，已按要求强制导出。" if result.forced else "")
                          + ("" if pdf else NO_PDF) + "".join(w for w in result.warnings if pdf))


def _summary(name: str, counts: dict[str, int]) -> str:
    if not any(counts.values()):
        return f"{name}：未发现问题。"
    return f"{name}：错误 {counts['error']} 处，警告 {counts['warning']} 处，提示 {counts['info']} 处。"


def _check_unpacked(path: Path) -> None:
    """Refuse a zip whose parts claim to unpack to more than any workbook needs (a zip bomb)."""
    if not zipfile.is_zipfile(path):
        return  # check_xlsx says what it is instead
    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if size > MAX_UNPACKED:
        raise BudgetbookError(f"无法读取 {path}：文件解压后超过 {MAX_UNPACKED >> 20} MB，不像是预算公开工作簿。")


def _named(message: str, upload: Upload) -> str:
    """The sentence with the service's folders replaced by the file's own name."""
    for folder in (upload.source, upload.folder / "out", upload.folder / "export", upload.folder):
        message = message.replace(str(folder), upload.name if folder == upload.source else "")
    return message
