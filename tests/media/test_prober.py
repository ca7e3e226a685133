"""The MediaProber seam end to end: a timeline of every kind of media, through the
worker pool, with the cache, dedupe, damage and time limits."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from aiclear.errors import InputError, UsageError
from aiclear.media import Prober
from aiclear.media.cli_args import add_media_arguments, prober_from_args
from aiclear.model import Finding
from tests.media.timeline_util import clip, clip_places, save, timeline

AI = ["ai_video.mp4", "ai_still.jpg", "composite.mov", "contains.mov", "tampered.mp4",
      "untrusted.mp4", "template.mp4", "xmp_ai.mov", "xmp_ai.png", "tagged.mp4"]
DECOYS = ["plain.mp4", "camera.mov", "capture.mp4", "algorithmic.png", "xmp_capture.jpg",
          "decoy_tags.mp4"]


def make_prober(tmp_path: Path, library, anchors, **kw) -> Prober:
    kw.setdefault("jobs", 2)
    kw.setdefault("cache_path", tmp_path / "cache.sqlite3")
    return Prober(media_roots=[library["plain.mp4"].parent], trust_anchors=anchors, **kw)


@pytest.fixture
def cut(tmp_path: Path, library):
    """Every library file by bare name (found through --media-root), plus the odd ones."""
    video = [clip(n, n) for n in AI + DECOYS + ["truncated.mp4"]]
    video += [clip("remote", "https://cdn.example.invalid/gen.mp4"),
              clip("gone", "media/not_here.mov"), clip("bars", None, kind="gen"),
              clip("offline", None)]
    audio = [clip("voice", "ai_voice.wav")]
    tl = timeline(video, audio)
    return tl, save(tl, tmp_path)


def by_name(tl, results):
    return {p.clip.name: r for p, r in zip(clip_places(tl), results, strict=True)}


def test_timeline_of_every_kind(tmp_path: Path, library, anchors, cut, capfd):
    tl, path = cut
    prober = make_prober(tmp_path, library, anchors)
    got = by_name(tl, prober.probe_many(clip_places(tl), path))
    for name in [*AI, "voice"]:
        assert got[name].is_ai, name
        assert got[name].asset_id.startswith("blake3:")
        assert got[name].hints["ai_class"] in {"generated", "edited", "contains"}
    for name in DECOYS:
        assert not got[name].is_ai, name
    assert got["voice"].hints["tool"]["product"] == "Example TTS Voice"
    assert got["tampered.mp4"].findings[0].rule == "media.c2pa_invalid"
    assert isinstance(got["tampered.mp4"].findings[0], Finding)
    assert got["bars"] is None
    assert got["offline"] is None
    assert got["remote"].evidence == [{"kind": "media", "detail": "not probed: remote",
                                       "status": "remote", "ai": False,
                                       "target": "https://cdn.example.invalid/gen.mp4"}]
    assert got["remote"].path is None
    assert got["remote"].findings[0].rule == "media.remote"
    assert got["gone"].evidence[0]["status"] == "missing"
    assert got["gone"].evidence[0]["detail"] == "missing"
    bad = got["truncated.mp4"]
    assert bad.evidence[0]["status"] == "unreadable"
    assert not bad.is_ai
    assert [f.severity for f in bad.findings] == ["warn"]
    assert capfd.readouterr().err == ""  # no progress bar when stderr is not a terminal


def test_each_distinct_file_is_probed_once(tmp_path: Path, library, anchors):
    tl = timeline([clip(f"c{i}", "ai_video.mp4") for i in range(5)]
                  + [clip("abs", str(library["ai_video.mp4"]))])
    prober = make_prober(tmp_path, library, anchors, use_cache=False)
    results = prober.probe_many(clip_places(tl), save(tl, tmp_path))
    assert prober.probed == 1
    assert len({r.asset_id for r in results}) == 1
    assert all(r.is_ai for r in results)


def test_warm_cache_skips_probing_and_mtime_change_invalidates(tmp_path: Path, library,
                                                               anchors):
    files = [str(library[n]) for n in ["ai_video.mp4", "capture.mp4", "xmp_ai.png"]]
    cold = make_prober(tmp_path, library, anchors)
    first = cold.probe_paths(files)
    assert (cold.probed, cold.cache.hits, cold.cache.writes) == (3, 0, 3)
    warm = make_prober(tmp_path, library, anchors)
    second = warm.probe_paths(files)
    assert (warm.probed, warm.cache.hits, warm.cache.misses) == (0, 3, 0)
    assert {p: r.to_json() for p, r in second.items()} == \
        {p: r.to_json() for p, r in first.items()}
    st = os.stat(files[1])
    os.utime(files[1], ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    again = make_prober(tmp_path, library, anchors)
    again.probe_paths(files)
    assert (again.probed, again.cache.hits) == (1, 2)
    # a different trust configuration never sees rows made under another
    other = make_prober(tmp_path, library, None)
    assert other.probe_paths(files[:1])[files[0]].evidence[0]["state"] == "Untrusted"
    assert other.probed == 1


def test_no_cache_touches_no_cache_file(tmp_path: Path, library, anchors):
    prober = make_prober(tmp_path, library, anchors, use_cache=False)
    prober.probe_paths([str(library["plain.mp4"])])
    assert prober.cache is None
    assert not (tmp_path / "cache.sqlite3").exists()


def test_default_cache_lives_in_the_user_cache_folder(tmp_path: Path, library):
    prober = Prober(jobs=1)
    prober.probe_paths([str(library["plain.mp4"])])
    cache_home = Path(os.environ["XDG_CACHE_HOME"])  # set per test by tests/conftest.py
    assert prober.cache.path == cache_home / "aiclear" / "media-evidence-v2.sqlite3"
    assert prober.cache.path.is_file()


SHARED = textwrap.dedent("""
    import sys
    from pathlib import Path
    from aiclear.media import Prober
    if __name__ == "__main__":
        cache, anchors, *files = sys.argv[1:]
        p = Prober(cache_path=Path(cache), trust_anchors=anchors, jobs=1)
        out = p.probe_paths(files)
        assert sum(r.is_ai for r in out.values()) == 2, out
        print(p.probed, p.cache.hits, p.cache.writes)
""")


def test_two_processes_share_the_cache(tmp_path: Path, library, anchors):
    files = [str(library[n]) for n in ["ai_video.mp4", "ai_voice.wav", "plain.mp4",
                                       "camera.mov", "capture.mp4"]]
    script = tmp_path / "share.py"
    script.write_text(SHARED)
    cache = tmp_path / "shared.sqlite3"
    procs = [subprocess.Popen([sys.executable, str(script), str(cache), str(anchors), *files],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    warm = Prober(cache_path=cache, trust_anchors=anchors, jobs=1)
    warm.probe_paths(files)
    assert (warm.probed, warm.cache.hits) == (0, len(files))


def test_time_limit_makes_a_slow_file_unreadable_and_the_rest_carry_on(tmp_path: Path,
                                                                      library, anchors):
    slow = tmp_path / "huge.mov"
    with open(slow, "wb") as fh:  # sparse: 4 GiB to hash, no disk used
        fh.truncate(4 << 30)
    prober = make_prober(tmp_path, library, anchors, timeout=0.5, jobs=1,
                         bytes_per_second=1e15)  # no allowance for size: 0.5 s flat
    got = prober.probe_paths([str(slow), str(library["ai_video.mp4"])])
    assert got[str(slow)].evidence[0]["detail"] == "unreadable: timed out after 0.5 s"
    assert got[str(slow)].findings[0]["rule"] == "media.unreadable"
    assert got[str(library["ai_video.mp4"])].is_ai
    assert prober.cache.writes == 1  # a timeout is not remembered


def test_cli_arguments_build_a_prober(tmp_path: Path, library, anchors):
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int)
    add_media_arguments(parser)
    args = parser.parse_args(["--media-root", str(tmp_path), "--media-root",
                              str(library["plain.mp4"].parent), "--trust-anchors",
                              str(anchors), "--no-cache", "--probe-timeout", "7", "--jobs", "3"])
    extra = {"media": {"ai_tools": [{"vendor": "Acme", "product": "DreamCam",
                                     "patterns": ["acme dreamcam"]}]}}
    prober = prober_from_args(args, extra)
    assert prober.media_roots == [tmp_path.resolve(), library["plain.mp4"].parent.resolve()]
    assert (prober.jobs, prober.timeout, prober.cache) == (3, 7.0, None)
    assert "BEGIN CERTIFICATE" in (prober.config.trust_anchors_pem or "")
    assert prober.config.media_section["ai_tools"][0]["product"] == "DreamCam"


def test_profile_extends_the_tool_list(tmp_path: Path, library):
    from tests.media import media_gen as g

    clip_path = g.make_video(tmp_path / "dream.mp4",
                             metadata={"comment": "rendered by ACME DreamCam v2"})
    base = Prober(jobs=0, use_cache=False).probe_paths([str(clip_path)])[str(clip_path)]
    assert not base.is_ai
    extended = Prober(jobs=0, use_cache=False, media_section={"ai_tools": [
        {"vendor": "Acme", "product": "DreamCam", "patterns": ["acme dreamcam"]}]})
    got = extended.probe_paths([str(clip_path)])[str(clip_path)]
    assert got.is_ai
    assert got.hints["tool"] == {"vendor": "Acme", "product": "DreamCam"}
    [ev] = got.evidence
    assert (ev["kind"], ev["tag"], ev["value"]) == (
        "probe_tag", "format:comment", "rendered by ACME DreamCam v2")


def test_bad_options_are_one_line_errors(tmp_path: Path):
    parser = argparse.ArgumentParser()
    add_media_arguments(parser)
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    with pytest.raises(InputError) as err:
        prober_from_args(parser.parse_args(["--trust-anchors", str(junk)]), {})
    assert str(err.value).startswith(str(junk))
    assert "\n" not in str(err.value)
    with pytest.raises(InputError):
        prober_from_args(parser.parse_args(["--trust-anchors", str(tmp_path / "no.pem")]), {})
    with pytest.raises(UsageError):
        prober_from_args(parser.parse_args(["--media-root", str(junk)]), {})
    with pytest.raises(UsageError):
        prober_from_args(parser.parse_args(["--probe-timeout", "-1"]), {})


def test_workers_are_kept_between_timelines_and_closed_after(tmp_path: Path, library, anchors):
    prober = make_prober(tmp_path, library, anchors, use_cache=False, jobs=2)
    prober.probe_paths([str(library["plain.mp4"]), str(library["camera.mov"])])
    pids = sorted(w.proc.pid for w in prober._pool.workers)
    prober.probe_paths([str(library["capture.mp4"]), str(library["ai_video.mp4"])])
    assert sorted(w.proc.pid for w in prober._pool.workers) == pids
    procs = [w.proc for w in prober._pool.workers]
    prober.close()
    assert not any(p.is_alive() for p in procs)


def test_a_worker_that_dies_costs_only_its_file(tmp_path: Path, library, anchors):
    slow = tmp_path / "huge.mov"
    with open(slow, "wb") as fh:
        fh.truncate(8 << 30)
    prober = make_prober(tmp_path, library, anchors, jobs=1, timeout=60)
    prober.probe_paths([str(library["plain.mp4"])])  # start the worker
    victim = prober._pool.workers[0].proc

    def kill_when_busy() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and prober._pool.workers[0].path is None:
            time.sleep(0.01)
        time.sleep(0.1)
        os.kill(victim.pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_when_busy)
    killer.start()
    got = prober.probe_paths([str(slow), str(library["ai_voice.wav"])])
    killer.join()
    assert got[str(slow)].evidence[0]["detail"] == "unreadable: the probe process crashed"
    assert got[str(library["ai_voice.wav"])].is_ai
    assert prober._pool.workers[0].proc.pid != victim.pid


def _probe_in_daemon(args: tuple[str, str]) -> bool:
    path, cache = args
    return Prober(cache_path=Path(cache), jobs=2).probe_paths([path])[path].is_ai


def test_inside_a_daemonic_pool_worker_probing_runs_inline(tmp_path: Path, library):
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as mp_pool:
        assert mp_pool.map(_probe_in_daemon, [(str(library["ai_video.mp4"]),
                                                str(tmp_path / "c.sqlite3"))]) == [True]


PROGRESS = textwrap.dedent("""
    import sys
    from aiclear.media import Prober
    if __name__ == "__main__":
        Prober(use_cache=False, jobs=1).probe_paths(sys.argv[1:])
""")


def test_progress_bar_only_on_a_terminal(tmp_path: Path, library):
    import pty

    script = tmp_path / "bar.py"
    script.write_text(PROGRESS)
    files = [str(library[n]) for n in ["plain.mp4", "camera.mov", "capture.mp4"]]
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(script), *files], stderr=follower,
                            stdout=subprocess.PIPE)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert proc.wait(timeout=60) == 0
    os.close(leader)
    assert b"probing media" in b"".join(chunks)


def test_a_corrupt_cache_file_is_skipped_with_one_warning(tmp_path: Path, library, anchors,
                                                          caplog):
    bad = tmp_path / "cache.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    prober = make_prober(tmp_path, library, anchors, jobs=1)
    with caplog.at_level("WARNING", logger="aiclear.media"):
        got = prober.probe_paths([str(library["ai_video.mp4"])])
    assert got[str(library["ai_video.mp4"])].is_ai
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert "probing without it" in caplog.records[0].getMessage()
    assert bad.read_bytes().startswith(b"this is not a database")  # left as it was


def test_image_sequence_is_probed_by_its_first_frame(tmp_path: Path, anchors):
    import opentimelineio as otio

    from tests.media import media_gen as g

    shots = tmp_path / "renders"
    shots.mkdir()
    g.ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=24", "-frames:v", "3",
             "-start_number", "1001", str(shots / "sh010.%04d.png"))
    g.write_xmp_dst(shots / "sh010.1001.png", g.TRAINED)
    seq = otio.schema.ImageSequenceReference(
        target_url_base="renders/", name_prefix="sh010.", name_suffix=".png",
        start_frame=1001, rate=24, frame_zero_padding=4,
        available_range=otio.opentime.TimeRange(otio.opentime.RationalTime(1001, 24),
                                                otio.opentime.RationalTime(3, 24)))
    tl = timeline([otio.schema.Clip(name="sh010", media_reference=seq)])
    [got] = Prober(jobs=1, use_cache=False).probe_many(clip_places(tl), save(tl, tmp_path))
    assert got.path == str(shots / "sh010.1001.png")
    assert got.is_ai
