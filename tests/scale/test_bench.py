"""Smoke test: the benchmark runs end to end at toy sizes, so its code cannot rot."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "run.py"


@pytest.mark.slow
def test_quick_benchmark_writes_report_and_plot(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--sizes", "300,900", "--batch", "4",
         "--cache", str(tmp_path / "cache"), "--out", str(tmp_path / "docs")],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.search(r"900 clips\s+check/read\s+\d+\.\d\dx", done.stdout)
    assert re.search(r"--version \d\.\d{3} s \[<=0\.08\]", done.stdout)
    assert re.search(r"(met |MISS)  one-clip `check` ÷ plain read \(CPU\): \d", done.stdout)
    assert "hooks add to `otioconvert`" in done.stdout
    assert "jobs2/jobs1 throughput" in done.stdout
    assert "reports identical: True" in done.stdout
    md = (tmp_path / "docs" / "benchmarks.md").read_text()
    assert "| `check` ÷ plain read (CPU), 900 clips | ≤ 1 |" in md
    assert "| `aiclear --version` CPU s | ≤ 0.08 |" in md
    assert "peak memory `check` ÷ plain read" in md
    assert "## What the remaining cost is made of" in md
    png = (tmp_path / "docs" / "bench_scaling.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert len(png) > 10_000
