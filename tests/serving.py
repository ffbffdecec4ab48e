"""`budgetbook serve` as a user starts it: a subprocess on a free port (--port 0), its own config
folder (so its own token), stopped and waited for when the test ends."""
from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from workbook.serve import security


@contextmanager
def running(tmp: Path):
    """Yields (base URL without the trailing slash, token)."""
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp / "config"), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "workbook.cli", "serve", "--port", "0", "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=Path(__file__).parents[1])
    try:
        line = proc.stdout.readline()  # printed once the socket listens
        if "http://127.0.0.1:" not in line:
            proc.kill()
            raise AssertionError(f"budgetbook serve did not start: {line}{proc.stderr.read()}")
        url = line[line.index("http://127.0.0.1:"):].split("/")[2]
        token = security.token(tmp / "config" / "budgetbook")
        yield f"http://{url}", token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
