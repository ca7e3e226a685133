"""Tag on read, the double call of string adapters, the start-up check, and discovery."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.detect import record
from aiclear.errors import ExportBlocked
from aiclear.gate import decision as gate

from .helpers import NO_TAG, ai_timeline, clean_timeline

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "otio_plugins" / "plugin_manifest.json"
BIN = Path(sys.executable).parent


# ------------------------------------------------------------------ tag on read

def test_every_read_comes_back_tagged(tmp_path: Path) -> None:
    path = tmp_path / "cut.otio"
    ai_timeline().to_json_file(str(path))  # no hooks: the file holds one record only
    tl = otio.adapters.read_from_file(str(path))
    recs = {c.name: record.read(c) for c in tl.find_clips()}
    assert {n for n, r in recs.items() if r} == {"Midjourney_castle", "SC02_TK03"}
    castle = recs["Midjourney_castle"]
    assert castle and castle["status"] == "provisional" and castle["asset_id"].startswith("ref:")
    assert castle["tool"]["product"] == "Midjourney"


def test_clean_read_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "clean.otio"
    clean_timeline().to_json_file(str(path))
    tl = otio.adapters.read_from_file(str(path))
    assert tl.to_json_string() == otio.schema.Timeline.from_json_file(str(path)).to_json_string()


def test_tag_off_by_argument_and_by_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cut.otio"
    ai_timeline().to_json_file(str(path))
    untouched = otio.adapters.read_from_file(str(path), hook_function_argument_map=NO_TAG)
    assert record.read(untouched.tracks[0][1]) is None
    profile = tmp_path / "quiet.yaml"
    profile.write_text("aiclear_profile: 1\nname: quiet\nextends: baseline\ngate:\n  tag_on_read: false\n")
    monkeypatch.setenv("AICLEAR_PROFILE", str(profile))
    assert record.read(otio.adapters.read_from_file(str(path)).tracks[0][1]) is None


def test_a_broken_setting_never_breaks_a_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "cut.otio"
    ai_timeline().to_json_file(str(path))
    monkeypatch.setenv("AICLEAR_PROFILE", str(tmp_path / "nope.yaml"))
    with caplog.at_level(logging.WARNING, logger="aiclear.gate.writeback"):
        tl = otio.adapters.read_from_file(str(path))
    assert len(list(tl.find_clips())) == 4
    assert "could not tag" in caplog.text and "nope.yaml" in caplog.text


def test_register_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    register = tmp_path / "register.yaml"
    register.write_text(textwrap.dedent("""\
        aiclear_register: 1
        production: Test
        assets:
          - match: {file: SC01_TK02.mov}
            tool: Veo
            vendor: Google
            version: "3"
            use: vfx_element
        """))
    monkeypatch.setenv("AICLEAR_REGISTER", str(register))
    path = tmp_path / "clean.otio"
    clean_timeline().to_json_file(str(path))
    tl = otio.adapters.read_from_file(str(path))
    rec = record.read(tl.tracks[0][1])
    assert rec is not None and rec["use"] == "vfx_element"
    with pytest.raises(ExportBlocked, match="SC01_TK02"):
        otio.adapters.write_to_file(tl, str(tmp_path / "out.otio"))


# ------------------------------------------------------------------ the double call

SPY = """\
import json
def hook_function(in_timeline, argument_map=None):
    with open({log!r}, "a") as fh:
        fh.write(json.dumps({{"filepath": (argument_map or {{}}).get("_filepath"),
                             "marked": getattr(in_timeline, "_aiclear_gated", None),
                             "markers": sum(len(c.markers) for c in in_timeline.find_clips())}}) + "\\n")
    return in_timeline
"""


def _attach_spy(tmp_path: Path) -> Path:
    log = tmp_path / "spy.jsonl"
    script = tmp_path / "spy_hook.py"
    script.write_text(SPY.format(log=str(log)))
    manifest = otio.plugins.ActiveManifest()
    manifest.hook_scripts.append(otio.hooks.HookScript(name="test_spy", filepath=str(script)))
    otio.hooks.scripts_attached_to("pre_adapter_write").append("test_spy")  # runs after ours
    return log


def test_string_adapter_second_call_keeps_the_first_decision(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    log = _attach_spy(tmp_path)
    checks = []
    real_check = gate.check
    monkeypatch.setattr(gate, "check", lambda *a, **k: checks.append(1) or real_check(*a, **k))
    out = tmp_path / "cut.edl"
    otio.adapters.write_to_file(ai_timeline(), str(out),
                                hook_function_argument_map={"aiclear": {"intent": "review"}})
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    # OTIO ran pre_adapter_write twice; the second time without a file or the caller's map
    assert [c["filepath"] for c in calls] == [str(out), None]
    assert [c["marked"] for c in calls] == ["review", "review"]  # the second got the first's copy
    assert [c["markers"] for c in calls] == [2, 2]  # stamped once, not again
    assert len(checks) == 1  # decided once
    assert out.read_text().count("* LOC:") == 2


def test_second_call_cannot_allow_what_the_first_blocked(tmp_path: Path) -> None:
    log = _attach_spy(tmp_path)
    with pytest.raises(ExportBlocked):
        otio.adapters.write_to_file(ai_timeline(), str(tmp_path / "cut.edl"))
    assert not log.exists()  # nothing after the block ran: no second call, no file
    assert not (tmp_path / "cut.edl").exists()


def test_hook_function_contract() -> None:
    tl = ai_timeline()
    first = gate.hook_gate(tl, {"_filepath": "x.edl", "aiclear": {"intent": "review"},
                                "adapter_arguments": {}})
    assert first is not tl
    assert gate.hook_gate(first, {"adapter_arguments": {}}) is first
    assert gate.hook_gate(first, {"_filepath": "x.edl"}) is first  # our hook listed twice
    assert gate.hook_gate(tl, {"adapter_arguments": {}}) is tl  # an unmarked string write: display
    clean = clean_timeline()
    assert gate.hook_gate(clean, {"_filepath": "x.edl", "adapter_arguments": {}}) is clean
    with pytest.raises(ExportBlocked):
        gate.hook_gate(tl, {"_filepath": "x.edl", "adapter_arguments": {}})


# ------------------------------------------------------------------ read back after the write

def _voice_over() -> otio.schema.Timeline:
    """A clean picture track and an AI voice on an audio track: an EDL holds only the picture."""
    tl = otio.schema.Timeline("vo", global_start_time=otio.opentime.RationalTime(86400, 24))
    video = otio.schema.Track("V1")
    video.append(clean_timeline().tracks[0][0].clone())
    audio = otio.schema.Track("A1", kind=otio.schema.TrackKind.Audio)
    audio.append(ai_timeline().tracks[0][1].clone())  # Midjourney_castle, AI by its name
    tl.tracks.extend([video, audio])
    return tl


def test_a_judged_write_that_loses_an_ai_record_is_refused_and_removed(tmp_path: Path) -> None:
    """The write hook reads a judged write back, as aiclear's own writes do: an EDL that
    dropped the AI voice would read back as clean, so it is not left on disk."""
    out = tmp_path / "vo.edl"
    with pytest.raises(ExportBlocked, match=r"1 of 1 AI clip\(s\) lose their aiclear record"):
        otio.adapters.write_to_file(_voice_over(), str(out),
                                    hook_function_argument_map={"aiclear": {"intent": "review"}})
    assert not out.exists()
    kept = tmp_path / "vo_ok.edl"  # the same write of a cut whose AI sits on the picture
    otio.adapters.write_to_file(ai_timeline(), str(kept),
                                hook_function_argument_map={"aiclear": {"intent": "review"}})
    assert kept.read_text().count("* LOC:") == 2  # both AI clips keep their pointer


def test_an_ungated_write_is_not_read_back(tmp_path: Path) -> None:
    out = tmp_path / "vo.edl"
    otio.adapters.write_to_file(_voice_over(), str(out),
                                hook_function_argument_map={"aiclear": {"intent": "off"}})
    assert out.exists() and "Midjourney" not in out.read_text()


# ------------------------------------------------------------------ start-up check, discovery

def test_ensure_attached() -> None:
    assert gate.ensure_attached() is None
    otio.hooks.scripts_attached_to("pre_adapter_write").remove("aiclear_gate")
    message = gate.ensure_attached()
    assert message and "NOT checked" in message and "OTIO_PLUGIN_MANIFEST_PATH" in message
    otio.plugins.ActiveManifest(force_reload=True)
    otio.hooks.scripts_attached_to("post_adapter_write").remove("aiclear_verify_write")
    assert "write check is not attached" in (gate.ensure_attached() or "")
    otio.plugins.ActiveManifest(force_reload=True)
    otio.hooks.scripts_attached_to("post_adapter_read").remove("aiclear_tag_on_read")
    assert "tag-on-read" in (gate.ensure_attached() or "")


def test_cli_warns_when_the_gate_is_detached(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from aiclear.cli import main

    path = tmp_path / "clean.otio"
    clean_timeline().to_json_file(str(path))
    otio.hooks.scripts_attached_to("pre_adapter_write").remove("aiclear_gate")
    assert main(["gate", str(path)]) == 0
    assert "aiclear: warning: the aiclear export gate is not attached" in capsys.readouterr().err


def test_entry_point_discovery() -> None:
    manifest = otio.plugins.ActiveManifest(force_reload=True)
    assert "aiclear_gate" in otio.hooks.scripts_attached_to("pre_adapter_write")
    assert "aiclear_tag_on_read" in otio.hooks.scripts_attached_to("post_adapter_read")
    assert "aiclear_verify_write" in otio.hooks.scripts_attached_to("post_adapter_write")
    script = manifest.from_name("aiclear_gate", "hook_scripts")
    assert Path(script.module_abs_path()) == ROOT / "otio_plugins" / "hooks" / "gate_on_write.py"
    assert any(s.endswith("plugin.py") for s in manifest.source_files)
    # OTIO runs the file under a synthetic module name; the exception is the package's
    assert script.module().__name__ == "opentimelineio.adapters.aiclear_gate"
    assert script.module().hook_gate.__module__ == "aiclear.gate.decision"


def _run(code: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


PROBE = """
    import sys
    {uninstall}
    import opentimelineio as otio
    {build}
    names = set(a.name for a in otio.plugins.ActiveManifest().adapters)
    print("cmx_3600" in names, "aiclear" in sys.modules, sep=" ")
    try:
        otio.adapters.write_to_file(tl, {out!r})
    except otio.exceptions.OTIOError as err:
        print(type(err).__module__ + "." + type(err).__name__)
    else:
        print("written")
"""
UNINSTALL = ("sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]\n"
             "    assert 'aiclear' not in sys.modules")
BUILD = """tl = otio.schema.Timeline("t")
    tr = otio.schema.Track()
    tl.tracks.append(tr)
    tr.append(otio.schema.Clip("Midjourney_castle", source_range=otio.opentime.TimeRange(
        otio.opentime.RationalTime(0, 24), otio.opentime.RationalTime(24, 24))))"""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTIO_", "AICLEAR_"))}
    env.update(extra)
    return env


def test_manifest_path_without_installation(tmp_path: Path) -> None:
    """aiclear not importable, only OTIO_PLUGIN_MANIFEST_PATH: the hook maps the checkout.
    The broken entry point of the (hidden) installed package is logged by OTIO and skipped."""
    code = PROBE.format(uninstall=UNINSTALL, build=BUILD, out=str(tmp_path / "cut.edl"))
    proc = _run(code, _env(OTIO_PLUGIN_MANIFEST_PATH=str(MANIFEST)), tmp_path)
    lines = proc.stdout.split()
    assert lines[:2] == ["True", "False"], proc.stderr  # cmx there; aiclear not imported yet
    assert lines[2] == "aiclear.errors.ExportBlocked", proc.stderr
    assert not (tmp_path / "cut.edl").exists()


def test_manifest_path_with_entry_points_disabled(tmp_path: Path) -> None:
    """OTIO_DISABLE_ENTRYPOINTS_PLUGINS drops every adapter from opentimelineio-plugins
    (no EDL) and aiclear's entry point; the manifest path alone still gates .otio."""
    code = PROBE.format(uninstall="", build=BUILD, out=str(tmp_path / "cut.otio"))
    proc = _run(code, _env(OTIO_PLUGIN_MANIFEST_PATH=str(MANIFEST),
                           OTIO_DISABLE_ENTRYPOINTS_PLUGINS="1"), tmp_path)
    assert proc.stdout.split() == ["False", "False", "aiclear.errors.ExportBlocked"], proc.stderr
    off = _run(code, _env(OTIO_DISABLE_ENTRYPOINTS_PLUGINS="1"), tmp_path)
    assert off.stdout.split() == ["False", "False", "written"], off.stderr  # fails open


def test_manifest_path_and_entry_point_together(tmp_path: Path) -> None:
    """Both registrations attach the hooks twice; the mark makes the second a no-op."""
    out = tmp_path / "cut.edl"
    code = f"""
    import opentimelineio as otio
    {BUILD}
    print(otio.hooks.scripts_attached_to("pre_adapter_write"))
    otio.adapters.write_to_file(tl, {str(out)!r},
                                hook_function_argument_map={{"aiclear": {{"intent": "review"}}}})
    """
    proc = _run(code, _env(OTIO_PLUGIN_MANIFEST_PATH=str(MANIFEST)), tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "['aiclear_gate', 'aiclear_gate']" in proc.stdout
    assert out.read_text().count("* LOC:") == 1


def test_otio_console_tools(tmp_path: Path) -> None:
    src = tmp_path / "cut.otio"
    ai_timeline().to_json_file(str(src))
    cat = subprocess.run([str(BIN / "otiocat"), str(src)], capture_output=True, text=True,
                         env=_env(), timeout=120, check=False)
    assert cat.returncode == 0, cat.stderr
    assert "Midjourney_castle" in cat.stdout
    out = tmp_path / "cut.edl"
    conv = subprocess.run([str(BIN / "otioconvert"), "-i", str(src), "-o", str(out)],
                          capture_output=True, text=True, env=_env(), timeout=120, check=False)
    assert conv.returncode != 0
    assert "ExportBlocked" in conv.stderr and "Midjourney_castle" in conv.stderr
    assert not out.exists()


def test_installed_plugin_writes_disclosures_through_plain_otio(tmp_path: Path) -> None:
    """The entry point's manifest lists the disclosure adapters: no environment variable."""
    code = f"""
        import opentimelineio as otio
        timeline = otio.adapters.read_from_file({str(ROOT / "sample_timelines" / "genai_names.edl")!r}, rate=24)
        otio.adapters.write_to_file(timeline, "labels.srt")
        otio.adapters.write_to_file(timeline, "labels.vtt")
        print(sorted(a.name for a in otio.plugins.ActiveManifest().adapters if a.name.startswith("aiclear")))
    """
    proc = _run(code, _env(), tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "aiclear_srt" in proc.stdout and "aiclear_cuesheet_html" in proc.stdout
    srt = (tmp_path / "labels.srt").read_text()
    assert srt.startswith("1\n00:00:") and "AI GENERATED" in srt
    assert (tmp_path / "labels.vtt").read_text().startswith("WEBVTT")
