"""Run ``aiclear ARGS...`` in this process and record its own CPU time apart from its
workers' (the local pool's processes), for the batch speed-up projection.

    python bench/cpu_split.py OUT.json check FOLDER --jobs 2 ...
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from aiclear.cli import main


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    code = main(sys.argv[2:])
    Path(sys.argv[1]).write_text(json.dumps({"parent": _cpu(resource.RUSAGE_SELF),
                                             "workers": _cpu(resource.RUSAGE_CHILDREN)}))
    sys.exit(code)
