"""Hostile timelines in every format: exact exit status and one-line message shape.

Every case goes through ``aiclear check`` (the report blocks the timeline, stderr names
the file and place) and ``aiclear tag -o`` (exit 2, and no output file appears).
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from aiclear.cli import main
from tests.hostile import corpus


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[Path], Path]
    place: str | None  # regex for the place after the file name; None: no place
    problem: str  # regex for the rest of the line


def _text(name: str, body: str | bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body)
        return path
    return make


def _clip(name: str, change: Callable[[dict], None]) -> Callable[[Path], Path]:
    return lambda folder: corpus.mutate_first_ai_clip(folder, name, change)


def _rate(value: float) -> Callable[[dict], None]:
    def change(clip: dict) -> None:
        clip["source_range"]["duration"]["rate"] = value
        clip["source_range"]["start_time"]["rate"] = value
    return change


def _duration(value: float) -> Callable[[dict], None]:
    def change(clip: dict) -> None:
        clip["source_range"]["duration"]["value"] = value
    return change


def _base_text() -> str:
    return corpus.base_timeline().to_json_string()


def _truncated(folder: Path) -> Path:
    text = _base_text()
    return _text("truncated.otio", text[: len(text) // 2])(folder)


def _bad_utf8_name(folder: Path) -> Path:
    raw = _base_text().encode().replace(b'"SORA2_beach"', b'"SORA2_\xff\xfebeach"')
    return _text("bad-utf8.otio", raw)(folder)


def _wrong_type(folder: Path) -> Path:
    data = corpus.base_json()
    data["tracks"]["children"][0]["children"] = 5
    return corpus.write_json(folder, "wrong-type.otio", data)


def _name_number(folder: Path) -> Path:
    data = corpus.base_json()
    next(corpus.clips_of(data))["name"] = 12345
    return corpus.write_json(folder, "name-number.otio", data)


def _timeline_nan_start(folder: Path) -> Path:
    data = corpus.base_json()
    data["global_start_time"]["rate"] = math.nan
    return corpus.write_json(folder, "nan-start.otio", data)


def _aaf_truncated(folder: Path) -> Path:
    data = corpus.aaf_bytes(folder)
    return _text("truncated.aaf", data[: len(data) // 3])(folder)


def _edl_garbage(folder: Path) -> Path:
    return _text("garbage.edl", "TITLE: GARBAGE\nFCM: NON-DROP FRAME\n\n"
                 "001  AX       V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n"
                 "* FROM CLIP NAME: SORA_SHOT.MOV\n"
                 "THIS IS NOT AN EDL LINE %%% \x07\n"
                 "002 x y z w 99:99:99:99 aa:bb:cc:dd 1 2\n")(folder)


GIB_NAME_TIMELINE = "SORA_" + "x" * 1_000_000

XML = corpus.fcp7_xml()

CASES = [
    # --- OTIO JSON
    Case("otio-truncated", _truncated, r"\d+:\d+", "otio_json adapter cannot read it: .+"),
    Case("otio-empty", _text("empty.otio", ""), "1", r"file is empty \(expected a \.otio timeline\)"),
    Case("otio-garbage", _text("garbage.otio", b"\x00\x01garbage{{{"), "1:0",
         "otio_json adapter cannot read it: .+"),
    Case("otio-not-json", _text("words.otio", "hello world"), "1:0", "otio_json adapter .+"),
    Case("otio-bad-utf8-name", _bad_utf8_name, r"\d+", r"byte \d+ is not UTF-8 \(expected UTF-8 text\)"),
    Case("otio-wrong-type", _wrong_type, r"\d+", "otio_json adapter cannot read it: .*type mismatch.+"),
    Case("otio-name-number", _name_number, r"\d+", "otio_json adapter cannot read it: .+"),
    Case("otio-unknown-schema", _text("unknown.otio", '{"OTIO_SCHEMA": "Nope.1", "name": "x"}'),
         None, r"holds no timeline or clips \(expected at least one timeline\)"),
    Case("otio-future-schema", _text("future.otio", _base_text().replace("Timeline.1", "Timeline.99")),
         r"\d+", "otio_json adapter cannot read it: UnsupportedSchemaError.+"),
    Case("otio-top-level-list", _text("list.otio", "[1, 2, 3]"), None, "holds no timeline or clips.+"),
    Case("otio-nan-rate", _clip("nan-rate.otio", _rate(math.nan)), "V1 item 2",
         r"'SORA2_beach' (start|duration) has frame rate nan \(expected a positive, finite frame rate\)"),
    Case("otio-zero-rate", _clip("zero-rate.otio", _rate(0.0)), "V1 item 2",
         r".+frame rate 0\.0 \(expected a positive, finite frame rate\)"),
    Case("otio-negative-rate", _clip("neg-rate.otio", _rate(-24.0)), "V1 item 2",
         r".+frame rate -24\.0 \(expected a positive, finite frame rate\)"),
    Case("otio-infinite-rate", _clip("inf-rate.otio", _rate(math.inf)), "V1 item 2",
         r".+frame rate inf \(expected a positive, finite frame rate\)"),
    Case("otio-nan-start", _timeline_nan_start, "timeline", r"global start time has frame rate nan.+"),
    Case("otio-negative-duration", _clip("neg-dur.otio", _duration(-100.0)), "V1 item 2",
         r"'SORA2_beach' has negative duration -100\.0 \(expected a duration of zero or more\)"),
    Case("otio-absurd-duration", _clip("huge-dur.otio", _duration(1e300)), "V1 item 2",
         r"'SORA2_beach' duration 1e\+300 frames at 24 fps is beyond 360000 s \(expected .+AICLEAR_MAX_SECONDS\)\)"),
    Case("otio-nan-duration", _clip("nan-dur.otio", _duration(math.nan)), "V1 item 2",
         r"'SORA2_beach' duration is nan frames \(expected a finite time\)"),
    Case("otio-10000-deep-stacks", lambda f: corpus.deep_stacks(f, "deep-stacks.otio", 10_000), r"\d+",
         r"JSON nested deeper than 512 levels \(expected .+AICLEAR_MAX_DEPTH\)\)"),
    Case("otio-100000-deep-metadata", lambda f: corpus.deep_metadata(f, "deep-md.otio", 100_000), "1",
         r"JSON nested deeper than 512 levels.+"),
    Case("otio-deep-arrays", _text("arrays.otio", "[" * 200_000 + "]" * 200_000), "1",
         r"JSON nested deeper than 512 levels.+"),
    # --- CMX 3600 EDL
    Case("edl-garbage-lines", _edl_garbage, None, "cmx_3600 adapter cannot read it: .+"),
    Case("edl-binary", _text("binary.edl", bytes(range(256)) * 8), "2", r"byte 128 is not UTF-8.+"),
    Case("edl-empty", _text("empty.edl", b""), "1", r"file is empty \(expected a \.edl timeline\)"),
    Case("edl-bad-timecode", _text("badtc.edl", "TITLE: x\n001  AX  V  C  00:00:00:00 00:00:01:00 "
                                                "99:00:00:00 00:00:00:00\n"),
         None, "cmx_3600 adapter cannot read it: .+"),
    # --- FCP7 XML and FCPX XML
    Case("xml-billion-laughs", _text("laughs.xml", corpus.billion_laughs()), "3",
         r"XML declares entities \(billion-laughs or external-entity risk\); refused \(expected .+\)"),
    Case("xml-external-entity", _text("xxe.xml", corpus.external_entity("http://127.0.0.1:9/x.dtd")),
         "3", r"XML declares entities .+"),
    Case("xml-file-entity", _text("xxe-file.xml", corpus.external_entity("file:///etc/passwd")),
         "3", r"XML declares entities .+"),
    Case("xml-utf16-entities", _text("laughs16.xml", corpus.billion_laughs().replace(
        'version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")), r"\d+",
         r"XML declares entities .+"),
    Case("xml-truncated", _text("truncated.xml", XML[: len(XML) // 2]), r"\d+:\d+",
         "fcp_xml adapter cannot read it: ParseError: no element found.+"),
    Case("xml-not-xml", _text("not.xml", "hello"), "1:0", "fcp_xml adapter cannot read it: ParseError.+"),
    Case("xml-wrong-root", _text("html.xml", "<?xml version='1.0'?><html><body/></html>"), None,
         r"fcp_xml adapter cannot read it: ValueError: No top-level sequences found.+"),
    Case("xml-bad-utf8", _text("bad-utf8.xml", XML.encode().replace(b"<name>SORA2_beach",
                                                                   b"<name>SORA2_\xff\xfe", 1)),
         r"\d+", r"byte \d+ is not UTF-8 \(expected UTF-8 text\)"),
    Case("fcpxml-entities", _text("laughs.fcpxml", corpus.billion_laughs("fcpxml")), "3",
         r"XML declares entities .+"),
    Case("fcpxml-truncated", _text("trunc.fcpxml", '<?xml version="1.0"?><fcpxml version="1.8"><resources>'),
         r"\d+:\d+", "fcpx_xml adapter cannot read it: ParseError.+"),
    # --- AAF and ALE
    Case("aaf-empty", _text("empty.aaf", b""), "1", r"file is empty \(expected a \.aaf timeline\)"),
    Case("aaf-truncated", _aaf_truncated, None, "AAF adapter (cannot read it|failed): .+"),
    Case("aaf-random", _text("random.aaf", os.urandom(4096)), None,
         "AAF adapter cannot read it: CompoundFileBinaryError: invalid file magic.+"),
    Case("ale-garbage", _text("garbage.ale", "Heading\nFIELD_DELIM\tTABS\nFPS\tabc\n\nColumn\nName\n"),
         None, "ale adapter cannot read it: ValueError.+"),
    Case("ale-empty", _text("empty.ale", ""), "1", "file is empty.+"),
    # --- not files at all
    Case("fifo", lambda f: corpus.make_fifo(f / "pipe.otio"), None,
         r"is a FIFO, not a regular file \(expected a timeline file\)"),
    Case("symlink-loop", lambda f: corpus.symlink_loop(f, "loop.otio"), None,
         r"symbolic link loop \(expected a timeline file\)"),
    Case("missing", lambda f: f / "missing.otio", None, r"no such file \(expected a timeline file\)"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_blocks_with_one_line(case: Case, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = case.make(tmp_path)
    started = time.monotonic()
    code = main(["check", str(path), "--format", "json"])
    assert time.monotonic() - started < 20
    out, err = capsys.readouterr()
    assert code == 2
    corpus.assert_error_line(err, path, case.place, case.problem)
    report = json.loads(out)
    (timeline,) = report["timelines"]
    assert timeline["verdict"] == "error"
    assert timeline["findings"][0]["rule"] == "scan.error"
    assert timeline["findings"][0]["severity"] == "block"


@pytest.mark.parametrize("command", [["tag", "-o", "tagged.otio"],
                                     ["disclose", "--format", "srt", "-o", "captions.srt"],
                                     ["disclose", "--format", "cuesheet-csv", "-o", "cues.csv"]],
                         ids=["tag", "disclose-srt", "disclose-cuesheet"])
@pytest.mark.parametrize("case", CASES[::3], ids=[c.id for c in CASES[::3]])
def test_writers_refuse_and_write_nothing(case: Case, command: list[str], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = case.make(tmp_path)
    out = tmp_path / "out" / command[-1]
    out.parent.mkdir()
    assert main([command[0], str(path), *command[1:-1], str(out)]) == 2
    corpus.assert_error_line(capsys.readouterr().err, path, case.place, case.problem)
    assert list(out.parent.iterdir()) == []


def test_a_bad_file_does_not_hide_the_good_ones(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    bad = _clip("neg-rate.otio", _rate(-24.0))(tmp_path)
    good = tmp_path / "good.otio"
    good.write_text(_base_text())
    assert main(["check", str(bad), str(good), "--format", "json"]) == 2
    out, err = capsys.readouterr()
    verdicts = [t["verdict"] for t in json.loads(out)["timelines"]]
    assert verdicts == ["error", "blocked"]
    corpus.assert_error_line(err, bad, "V1 item 2")


def test_megabyte_names_are_scanned_in_bounded_time(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    data = corpus.base_json()
    data["name"] = "T" * 1_000_000
    for clip in corpus.clips_of(data):
        clip["name"] = clip["name"] + "_" + "x" * 1_000_000
    path = corpus.write_json(tmp_path, "huge-names.otio", data)
    started = time.monotonic()
    assert main(["check", str(path), "--format", "json"]) == 1  # still finds the AI clips
    assert time.monotonic() - started < 20
    report = json.loads(capsys.readouterr().out)
    clips = [s["clip"][:12] for s in report["timelines"][0]["segments"]]
    assert clips == ["SORA2_beach_", "GENAI_plate_", "ElevenLabs_v"]


def test_size_limit_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "fine.otio"
    path.write_text(_base_text())
    monkeypatch.setenv("AICLEAR_MAX_TIMELINE_BYTES", "1000")
    assert main(["check", str(path)]) == 2
    corpus.assert_error_line(capsys.readouterr().err, path, None,
                             r"file is \d+ bytes, over the limit of 1000 \(expected .+AICLEAR_MAX_TIMELINE_BYTES.+\)")
    monkeypatch.setenv("AICLEAR_MAX_TIMELINE_BYTES", "lots")
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err == (
        "aiclear: error: AICLEAR_MAX_TIMELINE_BYTES='lots' is not a number (expected a size in bytes)\n")


def test_depth_limit_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = corpus.deep_stacks(tmp_path, "nest40.otio", 40)
    assert main(["check", str(path)]) == 1  # 40 nested compounds are fine by default
    capsys.readouterr()
    monkeypatch.setenv("AICLEAR_MAX_DEPTH", "30")
    assert main(["check", str(path)]) == 2
    corpus.assert_error_line(capsys.readouterr().err, path, r"\d+", "JSON nested deeper than 30 levels.+")


def test_tag_of_a_directory_and_check_of_an_empty_folder(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "folder.otio"
    folder.mkdir()
    assert main(["tag", str(folder), "-o", str(tmp_path / "out.otio")]) == 2
    corpus.assert_error_line(capsys.readouterr().err, folder, None,
                             r"is a directory, not a regular file \(expected a timeline file\)")
    assert main(["check", str(folder)]) == 2  # nothing to check is not a pass
    assert capsys.readouterr().err == (
        f"aiclear: error: {folder}: no timeline files found (expected files with a suffix "
        "an OTIO adapter reads)\n")
    assert not (tmp_path / "out.otio").exists()
