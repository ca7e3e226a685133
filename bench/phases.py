"""Where `check` spends its time on one file, phase by phase, in CPU µs per clip.

    python bench/phases.py FILE.otio        (prints one JSON object)

Run in its own process by bench/run.py. Each phase is timed with process_time on the
already-read timeline, so the numbers add up to roughly the scan's own cost.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import opentimelineio as otio

from aiclear.detect import signals
from aiclear.model import Report
from aiclear.scan import report
from aiclear.scan.core import _matcher, scan_timeline
from aiclear.scan.settings import SettingsSpec
from aiclear.timeline import walk
from aiclear.timeline.metaview import entries
from aiclear.timeline.read import NO_TAG


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.process_time()
    value = fn()
    return time.process_time() - start, value


def phases(path: Path) -> dict[str, Any]:
    settings = SettingsSpec("baseline")()
    matcher = _matcher(settings.profile)
    # as check reads: aiclear's own tag-on-read hook told to stand aside
    read_s, timeline = _timed(lambda: otio.adapters.read_from_file(
        str(path), hook_function_argument_map=NO_TAG))
    walk_s, places = _timed(lambda: list(walk.places(timeline)))
    clips = [p.clip for p in places]
    meta_s, metas = _timed(lambda: [entries(c.metadata) for c in clips])
    texts_s, _ = _timed(lambda: [list(signals.texts(c, matcher.sources, m))
                                 for c, m in zip(clips, metas, strict=True)])
    signals_s, _ = _timed(lambda: [signals.evidence(c, matcher.match, matcher.sources, m)
                                   for c, m in zip(clips, metas, strict=True)])
    scan_s, result = _timed(lambda: scan_timeline(timeline, settings, path))
    from aiclear.media.prober import Prober  # media evidence: every generated file is missing

    prober = Prober(jobs=1, progress=False, use_cache=False)
    media_s, _ = _timed(lambda: prober.probe_many(places, path))
    whole = Report(profile=settings.profile.name, timelines=[result])
    render_s, _ = _timed(lambda: report.render(whole, "json"))
    n = len(places)

    def us(seconds: float) -> float:
        return round(seconds / n * 1e6, 2)

    return {
        "clips": n, "ai_segments": len(result.segments),
        "read_us": us(read_s), "scan_us": us(scan_s), "render_us": us(render_s),
        "media_us": us(media_s),
        "walk_us": us(walk_s), "metadata_us": us(meta_s),
        "texts_us": us(texts_s),
        "match_us": us(max(0.0, signals_s - texts_s)),
        "rest_us": us(max(0.0, scan_s - walk_s - meta_s - signals_s)),
    }


if __name__ == "__main__":
    print(json.dumps(phases(Path(sys.argv[1]))))
