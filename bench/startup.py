"""Start-up costs users pay on every call: `aiclear --version`, `check` of a one-clip
timeline (÷ a plain OTIO read of it) and what the OTIO hooks add to an `otioconvert`.

    python bench/startup.py [--repeat N]      (prints one JSON object)

Each command runs N times in its own process, interleaved; the median and the minimum
CPU time (user + system, from ``os.wait4``) of each are reported. Child processes may
write bytecode (``PYTHONDONTWRITEBYTECODE`` is dropped and the package is compiled first),
as an installed package always has it: without it every run compiles aiclear again.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import opentimelineio as otio

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import measure  # noqa: E402 - bench modules sit beside this script

RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange
#: the hooks' own argument: the benchmark's input is not a delivery
NOT_A_DELIVERY = {"aiclear": {"intent": "off"}}
#: otioconvert with every installed OTIO plugin except aiclear: the baseline for what
#: aiclear's hooks add (disabling all entry points would also drop the others' cost)
WITHOUT_AICLEAR = (
    "import sys\n"
    "from opentimelineio.plugins import manifest\n"
    "found = manifest.plugin_entry_points\n"
    "manifest.plugin_entry_points = lambda: [e for e in found() if not e.value.startswith('aiclear')]\n"
    "from opentimelineio.console import otioconvert\n"
    "sys.argv = ['otioconvert', *sys.argv[1:]]\n"
    "otioconvert.main()\n")


def one_clip(path: Path) -> Path:
    """A one-clip .otio whose media file is missing (the common first check)."""
    timeline = otio.schema.Timeline("one clip")
    track = otio.schema.Track("V1")
    ref = otio.schema.ExternalReference("file:///vol/proj/media/A001C003_210901_R1AB.mov",
                                        TR(RT(0, 24), RT(200, 24)))
    track.append(otio.schema.Clip("A001C003_210901_R1AB", ref, TR(RT(10, 24), RT(48, 24))))
    timeline.tracks.append(track)
    otio.adapters.write_to_file(timeline, str(path), hook_function_argument_map=NOT_A_DELIVERY)
    return path


def cpu(runs: list[measure.Run]) -> dict[str, float]:
    times = [r.cpu for r in runs]
    return {"median": round(statistics.median(times), 4), "min": round(min(times), 4)}


def startup(repeat: int = 7) -> dict[str, Any]:
    measure.compile_package()
    env, plain = measure.BASE_ENV, measure.PLAIN_OTIO
    with tempfile.TemporaryDirectory(prefix="aiclear-startup-") as tmp:
        src = one_clip(Path(tmp) / "one.otio")
        out = str(Path(tmp) / "out.otio")
        commands = {
            "version": ([measure.tool("aiclear"), "--version"], env, (0,)),
            "check": ([measure.tool("aiclear"), "check", str(src)], env, (0, 1)),
            "read": (measure.plain_read(src), plain, (0,)),
            "convert_hooked": ([measure.tool("otioconvert"), "-i", str(src), "-o", out], env, (0,)),
            "convert_plain": ([measure.tool("otioconvert"), "-i", str(src), "-o", out], plain, (0,)),
            "convert_others": ([measure.PY, "-c", WITHOUT_AICLEAR, "-i", str(src), "-o", out], env,
                               (0,)),
        }
        runs: dict[str, list[measure.Run]] = {k: [] for k in commands}
        for _ in range(repeat):  # interleaved: a busy spell hits every command alike
            for name, (cmd, cmd_env, ok) in commands.items():
                runs[name].append(measure.run(cmd, ok=ok, env=cmd_env))
    got = {name: cpu(r) for name, r in runs.items()}
    got["check_read"] = round(got["check"]["median"] / got["read"]["median"], 3)
    got["hook_added"] = round(got["convert_hooked"]["median"] - got["convert_others"]["median"], 4)
    got["plugins_added"] = round(got["convert_hooked"]["median"] - got["convert_plain"]["median"], 4)
    got["repeat"] = repeat
    return got


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    print(json.dumps(startup(parser.parse_args().repeat)))


if __name__ == "__main__":
    main()
