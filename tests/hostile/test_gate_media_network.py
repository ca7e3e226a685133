"""The gate fails closed on hostile input; hostile media never hangs or crashes a scan;
nothing in a timeline, an XML file or a media reference makes aiclear touch the network."""

from __future__ import annotations

import math
import shutil
import subprocess
import time
from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.cli import main
from aiclear.errors import ExportBlocked
from aiclear.media.prober import Prober
from aiclear.policy.profile import load_profile
from aiclear.scan.core import scan_timeline
from aiclear.scan.settings import ScanSettings
from tests.hostile import corpus
from tests.hostile.test_timelines import CASES

RT, TR = corpus.RT, corpus.TR

# ------------------------------------------------------------------ the gate


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_gate_cli_never_passes_what_it_cannot_read(case, tmp_path: Path,  # noqa: ANN001
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = case.make(tmp_path)
    assert main(["gate", str(path), "--intent", "review"]) == 2  # not even for a review
    out, err = capsys.readouterr()
    assert out.startswith("ERROR  ")
    corpus.assert_error_line(err, path, case.place, case.problem)


def _nan_rate() -> otio.schema.Timeline:
    tl = corpus.base_timeline()
    tl.tracks[0][1].source_range = TR(RT(0, math.nan), RT(24, math.nan))
    return tl


def _negative_duration() -> otio.schema.Timeline:
    tl = corpus.base_timeline()
    tl.tracks[0][1].source_range = TR(RT(0, 24), RT(-240, 24))
    return tl


def _too_deep() -> otio.schema.Timeline:
    """600 nested stacks around an AI clip, built in memory (no JSON depth check applies)."""
    tl = corpus.base_timeline()
    inner = tl.tracks[0][1].clone()
    for _ in range(600):
        outer = otio.schema.Stack("nest")
        outer.append(inner)
        inner = outer
    tl.tracks[0].append(inner)
    return tl


def _clean_but_nan_start() -> otio.schema.Timeline:
    tl = otio.schema.Timeline("clean", global_start_time=RT(0, math.nan))
    tl.tracks.append(otio.schema.Track("V1"))
    tl.tracks[0].append(otio.schema.Clip("SC01", source_range=TR(RT(0, 24), RT(24, 24))))
    return tl


@pytest.mark.parametrize("build", [_nan_rate, _negative_duration, _too_deep, _clean_but_nan_start])
@pytest.mark.parametrize("suffix", [".edl", ".xml", ".otio"])
def test_write_hook_blocks_a_timeline_it_cannot_decide(build, suffix: str,  # noqa: ANN001
                                                       tmp_path: Path) -> None:
    out = tmp_path / f"deliver{suffix}"
    with pytest.raises(ExportBlocked) as caught:
        otio.adapters.write_to_file(build(), str(out))
    assert "cannot check" in str(caught.value) or "blocked" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_write_hook_with_a_hostile_profile_fails_closed(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    profile = tmp_path / "evil.yaml"
    profile.write_text("aiclear_profile: 1\nname: evil\ndescription: !!python/object/apply:os.system "
                       f"['touch {tmp_path / 'pwned'}']\n")
    monkeypatch.setenv("AICLEAR_PROFILE", str(profile))
    clean = _clean_but_nan_start()
    clean.global_start_time = None
    with pytest.raises(ExportBlocked, match="cannot check .+ export blocked: .+evil.yaml:3: not valid YAML"):
        otio.adapters.write_to_file(clean, str(tmp_path / "clean.edl"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.yaml"]


# ------------------------------------------------------------------ hostile media


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True, timeout=60)


def _jpeg_with_bad_jumbf(path: Path) -> Path:
    """A JPEG whose APP11 segment claims a C2PA JUMBF box and then holds garbage."""
    _ffmpeg("-f", "lavfi", "-i", "color=c=red:s=32x32", "-frames:v", "1", str(path))
    data = path.read_bytes()
    box = b"JP" + b"\x00\x01" + b"\x00\x00\x00\x01" + b"\x00\x00\x10\x00jumb" + b"\x00\x00\x00\x20jumdc2pa" + b"\xff" * 64
    segment = b"\xff\xeb" + len(box + b"\x00\x00").to_bytes(2, "big") + box
    path.write_bytes(data[:2] + segment + data[2:])
    return path


@pytest.fixture(scope="module")
def hostile_media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not shutil.which("ffmpeg"):
        pytest.skip("ffmpeg is not installed")
    folder = tmp_path_factory.mktemp("media")
    good = folder / "good.mp4"
    _ffmpeg("-f", "lavfi", "-i", "testsrc=d=1:s=64x64:r=24", "-c:v", "mpeg4", str(good))
    truncated = folder / "truncated.mp4"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    empty = folder / "empty.mov"
    empty.write_bytes(b"")
    garbage = folder / "garbage.mxf"
    garbage.write_bytes(b"\x06\x0e\x2b\x34" + b"\xff" * 4096)
    sparse = folder / "oversized.mov"
    with sparse.open("wb") as fh:
        fh.truncate(300 * 1024 * 1024)  # 300 MB of holes: must be hashed, not hang
    wav = folder / "voice.wav"
    _ffmpeg("-f", "lavfi", "-i", "sine=d=0.2", str(wav))
    (folder / "voice.wav.c2pa").write_bytes(b"\x00\x00\x00\x20jumbgarbage" * 10)
    return {
        "dev-zero": Path("/dev/zero"),
        "fifo": corpus.make_fifo(folder / "plate.mov"),
        "directory": folder,
        "symlink-loop": corpus.symlink_loop(folder, "loop.mov"),
        "truncated": truncated,
        "empty": empty,
        "garbage": garbage,
        "oversized": sparse,
        "bad-jumbf": _jpeg_with_bad_jumbf(folder / "still.jpg"),
        "bad-sidecar": wav,
    }


def _timeline_of(targets: dict[str, str]) -> otio.schema.Timeline:
    tl = otio.schema.Timeline("hostile media", global_start_time=RT(0, 24))
    track = otio.schema.Track("V1")
    for name, url in targets.items():
        ref = otio.schema.ExternalReference(target_url=url, available_range=TR(RT(0, 24), RT(24, 24)))
        track.append(otio.schema.Clip(f"GENAI_{name}", media_reference=ref,
                                      source_range=TR(RT(0, 24), RT(12, 24))))
    tl.tracks.append(track)
    return tl


REMOTE = {"http": "http://127.0.0.1:9/plate.mov", "https": "https://example.invalid/plate.mov",
          "s3": "s3://bucket/plate.mov", "smb": "smb://server/share/plate.mov",
          "file-host": "file://remote-host/plate.mov"}


@pytest.mark.parametrize("jobs", [0, 2], ids=["inline", "workers"])
def test_hostile_media_is_reported_never_hangs_never_fetches(
        hostile_media: dict[str, Path], jobs: int, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    targets = {k: str(v) for k, v in hostile_media.items()} | REMOTE
    prober = Prober(use_cache=False, jobs=jobs, timeout=5, progress=False)
    settings = ScanSettings(profile=load_profile("baseline"), media=prober)
    started = time.monotonic()
    with corpus.no_network(monkeypatch) as attempts:
        result = scan_timeline(_timeline_of(targets), settings, tmp_path / "cut.otio")
    elapsed = time.monotonic() - started
    assert attempts == []
    assert elapsed < 60
    assert result.error is None
    by_clip = {s.clip.removeprefix("GENAI_"): s for s in result.segments}
    assert set(by_clip) == set(targets)  # every clip still decided: AI by its name
    assert all(s.status == "provisional" for s in by_clip.values())
    states = {k: {e.get("status") for e in s.evidence if e.get("kind") == "media"}
              for k, s in by_clip.items()}
    for name in REMOTE:
        assert states[name] == {"remote"}, name
    for name in ("dev-zero", "fifo", "directory", "symlink-loop", "truncated", "empty", "garbage"):
        assert states[name] & {"unreadable", "missing"}, (name, states[name])
    assert by_clip["oversized"].asset_id.startswith("blake3:")  # hashed to the end
    for name in ("bad-jumbf", "bad-sidecar"):  # readable media; the bad manifest is not Valid
        c2pa = [e for e in by_clip[name].evidence if e.get("kind") == "c2pa"]
        assert all(e.get("state") not in ("Valid", "Trusted") for e in c2pa), c2pa
    prober.close()


@pytest.mark.parametrize("target", ["fifo", "dev-zero"])
def test_tag_to_fcpxml_refuses_media_the_writer_would_block_on(hostile_media: dict[str, Path], target: str,
                                                               tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """The FCPX writer runs ffprobe on each media path with no time limit: a FIFO hangs it."""
    src = tmp_path / "cut.otio"
    _timeline_of({target: str(hostile_media[target])}).to_json_file(str(src))
    out = tmp_path / "out" / "cut.fcpxml"
    out.parent.mkdir()
    started = time.monotonic()
    assert main(["tag", str(src), "-o", str(out)]) == 2
    assert time.monotonic() - started < 20
    kind = "FIFO" if target == "fifo" else "device"
    corpus.assert_error_line(capsys.readouterr().err, out, f"clip 'GENAI_{target}'",
                             rf"media '.+' is a {kind}: the FCPX writer would block probing it "
                             r"\(expected media references to regular files\)")
    assert list(out.parent.iterdir()) == []


# ------------------------------------------------------------------ network


def test_xml_with_an_external_dtd_is_read_without_fetching(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    xml = corpus.fcp7_xml().replace('<?xml version="1.0" ?>',
                                    '<?xml version="1.0" ?>\n<!DOCTYPE xmeml SYSTEM "http://127.0.0.1:9/fcp.dtd">', 1)
    path = tmp_path / "dtd.xml"
    path.write_text(xml)
    with corpus.no_network(monkeypatch) as attempts:
        code = main(["check", str(path)])
    assert attempts == []
    assert code == 1  # read (the DTD is never loaded), AI found, blocked
    assert "SORA2_beach" in capsys.readouterr().out


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/evil.dtd", "file:///etc/passwd"])
def test_external_entities_are_refused_without_fetching(url: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "xxe.xml"
    path.write_text(corpus.external_entity(url))
    with corpus.no_network(monkeypatch) as attempts:
        assert main(["check", str(path)]) == 2
    assert attempts == []
    corpus.assert_error_line(capsys.readouterr().err, path, "3", "XML declares entities .+")


def test_network_urls_in_a_timeline_are_never_opened_by_check_or_tag(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "remote.otio"
    _timeline_of(REMOTE).to_json_file(str(path))
    with corpus.no_network(monkeypatch) as attempts:
        assert main(["check", str(path)]) == 1
        assert main(["tag", str(path), "-o", str(tmp_path / "tagged.otio")]) == 0
    assert attempts == []


def test_probe_timeout_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from aiclear.errors import UsageError
    from aiclear.media.cli_args import prober_from_options

    monkeypatch.setenv("AICLEAR_PROBE_TIMEOUT", "2.5")
    assert prober_from_options({"no_cache": True}, {}).timeout == 2.5
    assert prober_from_options({"no_cache": True, "probe_timeout": 7}, {}).timeout == 7
    monkeypatch.setenv("AICLEAR_PROBE_TIMEOUT", "-1")
    with pytest.raises(UsageError, match=r"AICLEAR_PROBE_TIMEOUT='-1' is out of range"):
        prober_from_options({"no_cache": True}, {})


def test_a_status_edited_into_the_file_clears_nothing(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Forged clearance: ``status: cleared`` (and a made-up decision) typed into the records
    of a tagged copy still blocks in check, gate and the write hook."""
    src, tagged = tmp_path / "cut.otio", tmp_path / "tagged.otio"
    corpus.base_timeline().to_json_file(str(src))
    assert main(["tag", str(src), "-o", str(tagged)]) == 0
    text = tagged.read_text()
    assert text.count('"status": "provisional"') == 3  # SORA2_beach, GENAI_plate, ElevenLabs_voice
    forged = text.replace('"status": "provisional"',
                          '"status": "cleared", "decision": {"status": "cleared", "approver": "Legal"}')
    tagged.write_text(forged)
    capsys.readouterr()
    assert main(["check", str(tagged)]) == 1
    assert "clearance.provisional" in capsys.readouterr().out
    assert main(["gate", str(tagged)]) == 1
    back = otio.adapters.read_from_file(str(tagged), hook_function_argument_map=corpus.NO_TAG)
    with pytest.raises(ExportBlocked):
        otio.adapters.write_to_file(back, str(tmp_path / "deliver.edl"))
    assert not (tmp_path / "deliver.edl").exists()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_panel_session_fails_closed(case, tmp_path: Path) -> None:  # noqa: ANN001
    """The panel's Qt-free session: a hostile file is a one-line InputError or an error
    result, and the deliverable export stays refused."""
    from aiclear.errors import AiclearError, InputError
    from aiclear.session.core import Session

    path = case.make(tmp_path)
    session = Session(path)
    try:
        result = session.load()
    except InputError as err:
        message = str(err)
    else:
        message = ""
    if message:
        assert "\n" not in message and message.startswith(str(path))
        return
    assert result.verdict == "error" and result.error.startswith(str(path))
    assert session.blockers().blocked
    with pytest.raises(AiclearError):
        session.export_deliverable(tmp_path / "deliver.edl")
    assert not (tmp_path / "deliver.edl").exists()
