"""Every resource limit aiclear puts on hostile input, in one place.

Each limit has a documented default and an environment override (read on every call,
so a long-running panel or a test can change it). A bad override is a usage error, not
a silent fallback. The README's "Hostile input and limits" section lists them.

| limit | default | environment variable |
|---|---|---|
| timeline file size | 256 MiB | ``AICLEAR_MAX_TIMELINE_BYTES`` |
| profile / register / key file size | 8 MiB | ``AICLEAR_MAX_CONFIG_BYTES`` |
| nesting depth (JSON, compositions, YAML) | 512 | ``AICLEAR_MAX_DEPTH`` |
| any time on a timeline (start or duration) | 360000 s (100 h) | ``AICLEAR_MAX_SECONDS`` |
| YAML nodes after alias expansion | 1000000 | ``AICLEAR_MAX_YAML_NODES`` |
| per-file media probe time (plus 1 s per 50 MB) | 60 s | ``AICLEAR_PROBE_TIMEOUT`` |

``--probe-timeout`` and a profile's ``media: {probe_timeout:}`` win over the variable.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from aiclear.errors import UsageError


@dataclass(frozen=True)
class Limit:
    env: str
    default: float
    minimum: float
    what: str

    def get(self) -> float:
        raw = os.environ.get(self.env)
        if raw is None or raw.strip() == "":
            return self.default
        try:
            value = float(raw)
        except ValueError:
            raise UsageError(f"{self.env}={raw!r} is not a number (expected {self.what})") from None
        if not math.isfinite(value) or value < self.minimum:
            raise UsageError(f"{self.env}={raw!r} is out of range "
                             f"(expected {self.what}, at least {self.minimum:g})")
        return value


MiB = 1024 * 1024

TIMELINE_BYTES = Limit("AICLEAR_MAX_TIMELINE_BYTES", 256 * MiB, 1, "a size in bytes")
CONFIG_BYTES = Limit("AICLEAR_MAX_CONFIG_BYTES", 8 * MiB, 1, "a size in bytes")
DEPTH = Limit("AICLEAR_MAX_DEPTH", 512, 8, "a nesting depth")
SECONDS = Limit("AICLEAR_MAX_SECONDS", 360_000, 1, "a time in seconds")
YAML_NODES = Limit("AICLEAR_MAX_YAML_NODES", 1_000_000, 100, "a node count")
PROBE_TIMEOUT = Limit("AICLEAR_PROBE_TIMEOUT", 60, 0.1, "a time in seconds")

ALL = (TIMELINE_BYTES, CONFIG_BYTES, DEPTH, SECONDS, YAML_NODES, PROBE_TIMEOUT)


def max_timeline_bytes() -> int:
    return int(TIMELINE_BYTES.get())


def max_config_bytes() -> int:
    return int(CONFIG_BYTES.get())


def max_depth() -> int:
    return int(DEPTH.get())


def max_seconds() -> float:
    return SECONDS.get()


def max_yaml_nodes() -> int:
    return int(YAML_NODES.get())


def probe_timeout() -> float:
    return PROBE_TIMEOUT.get()

