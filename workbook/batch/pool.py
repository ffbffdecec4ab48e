"""An Executor whose tasks cannot take each other down: one task at a time per worker process.

`concurrent.futures.ProcessPoolExecutor` breaks as a whole when one worker dies (every pending
task then fails with BrokenProcessPool), cannot stop a task that hangs, and has no memory limit.
IsolatedPool keeps long-lived worker processes (so the start-up is paid once per worker, not per
file) and watches each one:

- a worker that dies while running a task (a native crash in a parser, SIGKILL by the OOM killer)
  fails that task alone with WorkerCrashed, and a fresh worker takes its place;
- a task running longer than `timeout` seconds fails with TaskTimeout: its worker is killed and
  replaced;
- `cancel(future)` stops a task: a queued one never starts, a running one has its worker killed
  and replaced (TaskCancelled);
- a task may say how far it got (`report(step)`), passed to the `on_step` of `submit_watched`
  while it runs (the service's progress per file);
- each worker limits its own address space (`memory_mb`, resource.setrlimit RLIMIT_AS, where the
  OS enforces it: Linux yes, macOS and Windows no), so a memory blow-up ends as MemoryError in
  Python or as a crash of that worker, never as the machine swapping.

Workers are started with the "spawn" method (the same on Linux and Windows, safe with threads);
a task's function must be importable by name.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import Executor, Future
from multiprocessing import connection, get_context


class WorkerCrashed(Exception):
    """The worker running the task died (a native crash, a signal, an abort). `words` says how in
    Chinese; `detail` holds the signal and what the worker wrote to its standard error before it
    died (a Rust panic's backtrace, "memory allocation of … failed"), captured rather than shown."""

    def __init__(self, exitcode: int | None, output: str = ""):
        self.exitcode = exitcode
        self.words = describe_exit(exitcode)
        self.detail = f"exit code {exitcode}" + (f"\n{output}" if output else "")
        super().__init__(self.words)


class TaskTimeout(Exception):
    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"超过 {seconds:g} 秒未完成")


class TaskCancelled(Exception):
    """The task was cancelled while it ran: its worker was killed (a fresh one takes its place)."""

    def __init__(self):
        super().__init__("已取消")


_report = None  # in a worker: sends a step to the parent; elsewhere: whoever listens (or nobody)


def report(step) -> None:
    """Tell whoever waits for the running task how far it got (`step`: plain picklable data).
    In a worker of IsolatedPool it reaches the `on_step` given to `submit_watched`; a task run
    in-process reaches the listener set with `listening`."""
    if _report is not None:
        _report(step)


class listening:
    """`with listening(on_step):` sends this thread's report() calls to `on_step` (a task run
    in-process, with no worker between)."""

    def __init__(self, on_step):
        self.on_step, self.before = on_step, None

    def __enter__(self):
        global _report
        self.before, _report = _report, self.on_step
        return self

    def __exit__(self, *exc):
        global _report
        _report = self.before


_SIGNAL_WORDS = {"SIGKILL": "被系统强制结束，可能是内存不足", "SIGABRT": "程序异常中止，可能是内存不足或文件异常",
                 "SIGSEGV": "内存访问出错", "SIGBUS": "内存访问出错", "SIGTERM": "被要求结束"}


def describe_exit(exitcode: int | None) -> str:
    """How a worker ended, in Chinese words: "程序异常中止，可能是内存不足或文件异常"."""
    if exitcode is None:
        return "进程异常退出"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = ""
        return _SIGNAL_WORDS.get(name, f"进程被信号 {-exitcode} 结束")
    return f"进程异常退出，退出码 {exitcode}"


_OUTPUT_TAIL = 8192  # bytes of a dead worker's standard error kept in its file's detail


def _capture_output(path: str | None) -> None:
    """Send this worker's standard error (Python's and native code's, fd 2) to `path`."""
    if not path:
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        os.dup2(fd, 2)
        os.close(fd)
    except OSError:
        pass


def _restart_output() -> None:
    """Each task's output starts empty: a crash's detail is that task's."""
    try:
        os.ftruncate(2, 0)
    except OSError:
        pass


def _worker_main(conn, memory_mb: int | None, output: str | None = None) -> None:
    """The loop of one worker process: receive (fn, args, kwargs), send (ok, result or exception)."""
    _capture_output(output)
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    except (ValueError, OSError):
        pass
    if memory_mb:
        limit_memory(memory_mb)
    from ..runtime import for_bulk_work

    for_bulk_work()  # a process of our own: collect garbage seldom (see workbook.runtime)
    global _report
    _report = lambda step: conn.send(("step", step))  # noqa: E731  (read by the parent before the outcome)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        fn, args, kwargs = message
        if output:
            _restart_output()
        try:
            outcome = (True, fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001  (the parent decides what an exception means)
            outcome = (False, exc)
        try:
            conn.send(outcome)
        except Exception as exc:  # an unpicklable result or exception
            conn.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


def limit_memory(memory_mb: int) -> bool:
    """Limit this process's address space; False where the OS has no such limit."""
    try:
        import resource
    except ImportError:  # Windows
        return False
    limit = memory_mb * 1024 * 1024
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        return True
    except (ValueError, OSError, AttributeError):
        return False


class _Worker:
    def __init__(self, ctx, memory_mb, capture: bool = True):
        import tempfile

        self.output = None
        if capture:
            fd, self.output = tempfile.mkstemp(prefix="budgetbook-worker-", suffix=".txt")
            os.close(fd)
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_worker_main, args=(child, memory_mb, self.output), daemon=True,
                                   name="budgetbook-worker")
        self.process.start()
        child.close()
        self.future: Future | None = None
        self.started = 0.0
        self.killed = False
        self._killing = threading.Lock()

    def crashed(self) -> WorkerCrashed:
        self.process.join(1)
        return WorkerCrashed(self.process.exitcode, self.last_output())

    def last_output(self) -> str:
        if not self.output:
            return ""
        try:
            with open(self.output, "rb") as fh:
                fh.seek(max(0, os.fstat(fh.fileno()).st_size - _OUTPUT_TAIL))
                return fh.read().decode("utf-8", "replace").strip()
        except OSError:
            return ""

    def kill(self) -> None:
        # Pool.kill (the caller's thread) and the managing thread's last pass may both get here:
        # only the first closes, or the second closes a descriptor already reused (EBADF).
        with self._killing:
            if self.killed:
                return
            self.killed = True
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()
        if self.output:
            try:
                os.unlink(self.output)
            except OSError:
                pass


class IsolatedPool(Executor):
    enforces_timeout = True  # the batch runner leaves per-task timeouts to the pool

    def __init__(self, workers: int | None = None, *, timeout: float | None = None,
                 memory_mb: int | None = None):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._ctx = get_context("spawn")
        self._queue: deque[tuple[Future, object, tuple, dict]] = deque()
        self._listeners: dict[Future, object] = {}  # future -> on_step(step), from submit_watched
        self._cancelling: set[Future] = set()  # running tasks whose worker is to be killed
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = self._ctx.Pipe(duplex=False)
        self._closing = False
        self._pool = [_Worker(self._ctx, memory_mb) for _ in range(self.workers)]
        self._thread = threading.Thread(target=self._manage, name="budgetbook-pool", daemon=True)
        self._thread.start()

    # --- Executor ---

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        with self._lock:
            if self._closing:
                raise RuntimeError("cannot submit after shutdown")
            self._queue.append((future, fn, args, kwargs))
        self._wake()
        return future

    def submit_watched(self, fn, args: tuple, on_step) -> Future:
        """submit(fn, *args), with each `report(step)` the task makes passed to `on_step(step)`
        (called in the pool's managing thread, so it must be quick and must not block)."""
        future = self.submit(fn, *args)
        self._listeners[future] = on_step
        future.add_done_callback(lambda f: self._listeners.pop(f, None))
        return future

    def cancel(self, future: Future) -> bool:
        """Stop a task: a queued one never starts; a running one has its worker killed (the
        future fails with TaskCancelled). False when it had already finished."""
        if future.cancel():
            return True
        if future.done():
            return False
        with self._lock:
            self._cancelling.add(future)
        self._wake()
        return True

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closing = True
            if cancel_futures:
                while self._queue:
                    self._queue.popleft()[0].cancel()
        self._wake()
        if wait:
            self._thread.join()

    def kill(self) -> None:
        """Stop at once: cancel what is queued and kill the workers (Ctrl-C)."""
        self.shutdown(wait=False, cancel_futures=True)
        for worker in list(self._pool):
            if worker.future is not None and not worker.future.done():
                worker.future.cancel() or worker.future.set_exception(KeyboardInterrupt())
            worker.kill()
        self._thread.join(5)

    # --- the managing thread ---

    def _wake(self) -> None:
        try:
            self._wake_w.send_bytes(b"!")
        except OSError:
            pass

    def _manage(self) -> None:
        try:
            while True:
                self._dispatch()
                busy = [w for w in self._pool if w.future is not None]
                with self._lock:
                    if self._closing and not busy and not self._queue:
                        break
                waits = [self._wake_r] + [w.conn for w in busy] + [w.process.sentinel for w in self._pool]
                ready = connection.wait(waits, timeout=self._next_deadline(busy))
                if self._wake_r in ready:
                    while self._wake_r.poll():
                        self._wake_r.recv_bytes()
                for worker in list(self._pool):
                    if worker.future is not None and worker.conn in ready:
                        self._collect(worker)
                    elif worker.process.sentinel in ready and not worker.process.is_alive():
                        self._replace(worker, worker.crashed())
                self._expire()
                self._stop_cancelled()
        finally:
            for worker in self._pool:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
            for worker in self._pool:
                worker.process.join(2)
                worker.kill()
            self._wake_r.close()
            self._wake_w.close()

    def _dispatch(self) -> None:
        for worker in self._pool:
            if worker.future is not None:
                continue
            while True:
                with self._lock:
                    if not self._queue:
                        return
                    future, fn, args, kwargs = self._queue.popleft()
                if future.set_running_or_notify_cancel():
                    break
            try:
                worker.conn.send((fn, args, kwargs))
            except Exception as exc:  # noqa: BLE001  (an unpicklable task, or a worker gone)
                if not worker.process.is_alive():
                    self._replace(worker, worker.crashed(), future)
                else:
                    future.set_exception(exc)
                continue
            worker.future, worker.started = future, time.monotonic()

    def _collect(self, worker: _Worker) -> None:
        future = worker.future
        try:
            ok, value = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker, worker.crashed())
            return
        except Exception as exc:  # noqa: BLE001  (a result that cannot be unpickled here)
            ok, value = False, exc
        if ok == "step":  # how far the task got; its outcome comes later
            on_step = self._listeners.get(future)
            if on_step is not None:
                try:
                    on_step(value)
                except Exception:  # noqa: BLE001  (a listener's fault must not stop the pool)
                    pass
            return
        worker.future = None
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def _replace(self, worker: _Worker, error: BaseException, future: Future | None = None) -> None:
        future = future or worker.future
        worker.kill()
        self._pool.remove(worker)
        if future is not None and not future.done():
            future.set_exception(error)
        with self._lock:
            closing = self._closing and not self._queue
        if not closing:
            self._pool.append(_Worker(self._ctx, self.memory_mb))

    def _next_deadline(self, busy) -> float | None:
        if not self.timeout or not busy:
            return None
        now = time.monotonic()
        return max(0.0, min(w.started + self.timeout for w in busy) - now) + 0.01

    def _stop_cancelled(self) -> None:
        with self._lock:
            cancelling, self._cancelling = self._cancelling, set()
        for worker in list(self._pool):
            if worker.future is not None and worker.future in cancelling:
                self._replace(worker, TaskCancelled())

    def _expire(self) -> None:
        if not self.timeout:
            return
        now = time.monotonic()
        for worker in list(self._pool):
            if worker.future is not None and now - worker.started > self.timeout:
                self._replace(worker, TaskTimeout(self.timeout))
