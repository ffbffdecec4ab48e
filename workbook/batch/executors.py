"""The executor a batch runs on: worker processes on this PC, or a Dask distributed cluster."""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass

from ..errors import BudgetbookError

DEFAULT_MEMORY_MB = 4096  # per worker, at most the machine's memory shared among the workers


@dataclass
class Engine:
    executor: object
    window: int  # tasks kept submitted at a time
    where: str  # for the closing line: "本机 2 个进程" / "集群 tcp://…（4 个线程）"


def physical_memory_mb() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1 << 20)
    except (ValueError, OSError, AttributeError):
        return None


def default_memory_mb(workers: int) -> int:
    total = physical_memory_mb()
    return DEFAULT_MEMORY_MB if not total else max(1024, min(DEFAULT_MEMORY_MB, total // max(1, workers)))


@contextmanager
def engine(jobs: int | None = None, *, timeout: float | None = None, memory_mb: int | None = None,
           scheduler: str | None = None):
    if scheduler:
        with dask_engine(scheduler) as found:
            yield found
        return
    from .pool import IsolatedPool

    workers = max(1, jobs or os.cpu_count() or 1)
    pool = IsolatedPool(workers, timeout=timeout, memory_mb=memory_mb or default_memory_mb(workers))
    try:
        yield Engine(pool, 2 * workers, f"本机 {workers} 个工作进程")
    except BaseException:
        pool.kill()
        raise
    else:
        pool.shutdown(wait=True)


@contextmanager
def dask_engine(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise BudgetbookError("使用 --scheduler 需要安装 Dask：pip install 'budgetbook[dask]'。") from None
    try:
        client = Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise BudgetbookError(f"无法连接 Dask 调度器 {address}（{type(exc).__name__}），请确认地址和端口，"
                              f"以及调度器已经启动。") from None
    try:
        threads = sum(client.nthreads().values()) or 1
        yield Engine(client.get_executor(pure=False), threads,
                     f"Dask 集群 {address}（{len(client.nthreads())} 个工作节点，{threads} 个线程）")
    finally:
        client.close()
