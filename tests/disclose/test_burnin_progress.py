"""Issue 16, CLI 11: burn-in reports its progress (ffmpeg -progress) and writes the same
movie whether or not anyone listens."""

from __future__ import annotations

from pathlib import Path

from aiclear.disclose import burn_in

ALL = {"on_screen": "all"}


def test_burn_in_reports_progress_up_to_the_end(tmp_path: Path, reference_movie: Path,
                                                sample: object) -> None:
    seen: list[float] = []
    out = burn_in(sample, reference_movie, tmp_path / "review.mov", ALL,  # type: ignore[arg-type]
                  progress=seen.append)
    assert out.stat().st_size > 0
    assert len(seen) >= 2
    assert seen == sorted(seen)
    assert 0.0 <= seen[0] < 1.0
    assert seen[-1] > 0.9
