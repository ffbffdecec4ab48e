"""Checking a finance bureau's whole intake: many workbooks, in isolation, on one PC or a cluster.

- job.py: the per-file job (Task in, FileResult out: plain data for any executor);
- pool.py: IsolatedPool, the default executor (worker processes; a crash, hang or memory blow-up
  in one file is that file's status);
- runner.py: `run(tasks, executor)` streams results as files finish, over any
  concurrent.futures.Executor (IsolatedPool, a Dask `Client.get_executor()`, a thread pool);
  `collect` finds the workbooks of a folder tree;
- executors.py: the executor for `--jobs N` or `--scheduler tcp://HOST:8786`;
- summary.py: the summary workbook (汇总, 规则统计 with a bar chart), its JSON, the CSV of findings;
- progress.py: a bar on a terminal, plain lines otherwise.
`budgetbook check DIR…` (commands/check.py) puts these together; see docs/batch.md.
"""
