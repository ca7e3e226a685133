"""Media identity speed: the old sha256 loop beside the BLAKE3 identity, in one run.

    python bench/identity.py [--size-mb 512] [--files 2] [--runs 5]

Generates ``--files`` files of random bytes (``--size-mb`` each) in a temp folder, reads
them once so they are page-cached, then times each hash ``--runs`` times over all files
and prints the median wall time, CPU time (user + system of this process, so BLAKE3's
threads count) and GB/s. Page-cached throughput is the hash's own speed: cold reads add
the disk, the same for both. Keep the total under a minute on a 2-core machine.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiclear.media import hashing  # noqa: E402


def old_sha256(path: Path) -> str:
    """The identity loop before BLAKE3 (aiclear.media.hashing at 8e7fe3b): 1 MiB reads."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def blake3_threads(path: Path) -> str:
    """BLAKE3 with its own threads (not used: the probe pool already runs one per core)."""
    import blake3

    digest = blake3.blake3(max_threads=blake3.blake3.AUTO)
    buf = bytearray(hashing.BLAKE3_CHUNK)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as fh:
        while n := fh.readinto(buf):
            digest.update(view[:n])
    return digest.hexdigest()


def blake3_mmap(path: Path) -> str:
    """BLAKE3 over an mmap (not used by aiclear: a file truncated while mapped is SIGBUS)."""
    import blake3

    return blake3.blake3(max_threads=blake3.blake3.AUTO).update_mmap(path).hexdigest()


CANDIDATES: dict[str, Callable[[Path], str]] = {
    "sha256 (old loop)": old_sha256,
    "blake3 (aiclear.media.hashing)": hashing.blake3_file,
    "blake3 + threads (unused)": blake3_threads,
    "blake3 mmap + threads (unused)": blake3_mmap,
}


def measure(fn: Callable[[Path], str], files: list[Path], runs: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        for path in files:
            fn(path)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=512)
    parser.add_argument("--files", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aiclear-identity-") as folder:
        files = []
        block = os.urandom(1 << 20)
        for i in range(args.files):
            path = Path(folder) / f"media{i}.bin"
            with open(path, "wb") as fh:
                for n in range(args.size_mb):
                    fh.write(block[n % 251:] + block[: n % 251])  # distinct per MiB
            files.append(path)
        for path in files:  # page-cache them
            old_sha256(path)
        total = args.size_mb * args.files * (1 << 20) / 1e9
        print(f"{args.files} file(s) x {args.size_mb} MiB = {total:.2f} GB, page-cached, "
              f"median of {args.runs} runs, {os.cpu_count()} CPU(s)")
        print(f"{'hash':32} {'wall s':>8} {'CPU s':>8} {'GB/s wall':>10} {'GB/s CPU':>9}")
        rows = {}
        for name, fn in CANDIDATES.items():
            wall, cpu = measure(fn, files, args.runs)
            rows[name] = wall
            print(f"{name:32} {wall:8.3f} {cpu:8.3f} {total / wall:10.2f} {total / cpu:9.2f}")
        base = rows["sha256 (old loop)"]
        print(f"speed-up of aiclear's identity over the old loop: "
              f"{base / rows['blake3 (aiclear.media.hashing)']:.2f}x wall")


if __name__ == "__main__":
    main()
