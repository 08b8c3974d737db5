"""Measuring one command in a fresh process, for the benchmarks: wall seconds and that
process's own peak RSS (`os.wait4`), exit code and output. Imported by the benchmark
scripts (run as `python benchmarks/NAME.py`, which puts this folder on `sys.path`)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MEM_LIMIT_MB = 4096  # address-space cap per measured command (see --mem-limit)


def limit_memory(mb: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (mb * 2**20, mb * 2**20))


def measure(cmd: list[str], cwd: Path, timeout: float, mem_limit_mb: int = MEM_LIMIT_MB,
            env: dict[str, str] | None = None) -> dict[str, object]:
    """Run cmd in a fresh process: wall seconds, its own peak RSS (os.wait4), exit code,
    output (through files, so a chatty child cannot block on a full pipe). The address
    space is capped so a runaway command fails with MemoryError instead of taking the
    machine's memory (and other people's processes) with it."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, env=env,
                                preexec_fn=lambda: limit_memory(mem_limit_mb))
        deadline = t0 + timeout
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                timed_out = True
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {"seconds": seconds, "rss_mb": usage.ru_maxrss / 1024,
                "code": proc.returncode, "timed_out": timed_out,
                "stdout": out.read().decode("utf-8", "replace"),
                "stderr": err.read().decode("utf-8", "replace")}


def annotator_cmd() -> list[str]:
    script = Path(sys.executable).parent / "annotator"
    return [str(script)] if script.exists() else [sys.executable, "-m", "annotator.cli"]
