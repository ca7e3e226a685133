"""The approved-tools catalogue: loading (file:line errors, hostile YAML), matching tool
evidence, and the tool.* rules at each profile's severity on the sample episodes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import opentimelineio as otio
import pytest

from aiclear.catalogue import checks, load_catalogue, tool_status
from aiclear.cli import main
from aiclear.errors import CatalogueError
from aiclear.scan.core import scan_file
from aiclear.scan.settings import MediaOptions, SettingsSpec
from tests.conftest import SAMPLES

REGISTER = str(SAMPLES / "register.yaml")
CATALOGUE = str(SAMPLES / "catalogue.yaml")
EPISODES = ("episode_101.otio", "episode_102.otio")


def scan(profile: str, catalogue: str | None = CATALOGUE) -> dict[str, list[tuple[str, str]]]:
    """clip -> [(rule, severity)] over both sample episodes."""
    settings = SettingsSpec(profile, (REGISTER,), catalogue=catalogue)()
    out: dict[str, list[tuple[str, str]]] = {}
    for name in EPISODES:
        [result] = scan_file(SAMPLES / name, settings)
        assert result.error is None
        for seg in result.segments:
            out.setdefault(seg.clip, []).extend((f.rule, f.severity) for f in seg.findings)
    return out


def write(tmp_path: Path, text: str, name: str = "catalogue.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


TOOL = """aiclear_catalogue: 1
tools:
  - id: rw
    vendor: Runway
    product: Runway Gen-4
    aliases: [RunwayML]
    versions: ["4.*"]
    deployment: enterprise
    data_terms: {trains_on_inputs: false, retains_inputs: false}
"""


# -- the scenarios on the sample episodes -------------------------------------------

def test_unapproved_consumer_tool_blocks_under_studio_partner_and_warns_under_baseline() -> None:
    assert ("tool.unapproved", "block") in scan("studio-partner")["crowd_fill_mj"]
    assert ("tool.unapproved", "warn") in scan("baseline")["crowd_fill_mj"]


def test_expired_agreement_and_temp_only_tool_in_a_final() -> None:
    studio = scan("studio-partner")
    assert ("tool.agreement_expired", "block") in studio["sky_fill_ff"]
    assert ("tool.use_not_approved", "block") in studio["storyboard_sd"]
    baseline = scan("baseline")
    assert ("tool.agreement_expired", "warn") in baseline["sky_fill_ff"]
    assert ("tool.use_not_approved", "warn") in baseline["storyboard_sd"]
    # the approved enterprise tool in scope and in date has no tool finding
    assert not [r for r, _ in studio["harbour_prop_rw"] if r.startswith("tool.")]


def test_documentary_blocks_a_temp_only_tool_in_the_final_film() -> None:
    assert ("tool.use_not_approved", "block") in scan("documentary")["storyboard_sd"]
    assert ("tool.unapproved", "warn") in scan("documentary")["crowd_fill_mj"]


def test_without_a_catalogue_studio_partner_fails_closed_and_baseline_is_silent() -> None:
    studio = scan("studio-partner", catalogue=None)
    assert all(("tool.catalogue_missing", "block") in f for f in studio.values())
    settings = SettingsSpec("studio-partner", (REGISTER,))()
    [result] = scan_file(SAMPLES / "episode_101.otio", settings)
    message = next(f.message for f in result.findings if f.rule == "tool.catalogue_missing")
    assert "--catalogue FILE" in message
    baseline = scan("baseline", catalogue=None)
    assert not [r for f in baseline.values() for r, _ in f if r.startswith("tool.")]


def test_cli_check_takes_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(SAMPLES / "episode_101.otio"), "--register", REGISTER,
                 "--catalogue", CATALOGUE, "--profile", "studio-partner", "--no-media"])
    out = capsys.readouterr().out
    assert code == 1
    assert "BLOCK tool.unapproved" in out and "Midjourney (record) is not in the catalogue" in out


def test_profile_names_its_catalogue_relative_to_itself(tmp_path: Path) -> None:
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "approved.yaml").write_text(Path(CATALOGUE).read_text())
    profile = write(tmp_path, "aiclear_profile: 1\nname: show\nextends: studio-partner\n"
                              "catalogue: tools/approved.yaml\n", "show.yaml")
    settings = SettingsSpec(str(profile), (REGISTER,))()
    assert settings.catalogue is not None and len(settings.catalogue.tools) == 4
    # --catalogue overrides the profile's
    other = write(tmp_path, TOOL)
    assert len(SettingsSpec(str(profile), (), catalogue=str(other))().catalogue.tools) == 1  # type: ignore[union-attr]


# -- loading ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "line", "words"), [
    (TOOL.replace("deployment: enterprise", "deployment: personal"), 8, "one of: enterprise"),
    (TOOL.replace("    aliases", "    colour: red\n    aliases"), 6, "keys among"),
    (TOOL + "  - id: rw\n    product: X\n    deployment: consumer\n", 10, "unique id"),
    (TOOL + "    approved_for: {uses: [cooking]}\n", 10, "one of: temp_placeholder"),
    (TOOL.replace("trains_on_inputs: false", "trains_on_inputs: maybe"), 9, "one of"),
    ("aiclear_catalogue: 1\ntools:\n  - id: x\n    product: X\n", 3, "deployment"),
    ("- just a list\n", 1, "aiclear_catalogue: 1"),
])
def test_malformed_catalogue_names_file_and_line(tmp_path: Path, text: str, line: int,
                                                 words: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(CatalogueError) as err:
        load_catalogue(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert words in message and "\n" not in message


def test_hostile_yaml_is_refused(tmp_path: Path) -> None:
    tagged = write(tmp_path, "aiclear_catalogue: 1\ntools: !!python/object/apply:os.system [id]\n")
    with pytest.raises(CatalogueError, match="not valid YAML"):
        load_catalogue(tagged)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    with pytest.raises(CatalogueError, match="alias"):
        load_catalogue(write(tmp_path, bomb, "bomb.yaml"))
    with pytest.raises(CatalogueError, match="expected a .yaml"):
        load_catalogue(write(tmp_path, "x", "catalogue.json"))
    with pytest.raises(CatalogueError):  # a device is never read
        load_catalogue("/dev/zero")
    (tmp_path / "big.yaml").write_bytes(b"#" * (64 << 20))
    with pytest.raises(CatalogueError):  # over AICLEAR_MAX_CONFIG_BYTES
        load_catalogue(tmp_path / "big.yaml")


def test_cli_bad_catalogue_is_one_line_exit_2(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, TOOL.replace("deployment: enterprise", "deployment: 7"))
    code = main(["check", str(SAMPLES / "clean_cut.otio"), "--catalogue", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and f"{path}:8" in err and "Traceback" not in err


# -- matching -----------------------------------------------------------------------------

def record(product: str | None = None, version: str | None = None, vendor: str | None = None,
           **extra: Any) -> dict[str, Any]:
    tool = {k: v for k, v in (("product", product), ("version", version), ("vendor", vendor)) if v}
    return {"tool": tool, "evidence": [], **extra}


@pytest.mark.parametrize(("product", "version", "status"), [
    ("Runway Gen-4", "4.0", "approved"),
    ("runway gen4", None, "approved"),          # case, spaces and hyphens do not matter
    ("RUNWAY_GEN_4", "v4.1", "approved"),       # a leading v, a glob of versions
    ("RunwayML", None, "approved"),             # an alias
    ("Runway Gen-4", "3.0", "version"),         # a version the catalogue does not list
    ("Midjourney", "7", "unlisted"),
    (None, None, "unknown_tool"),               # nothing names a tool: cannot be approved
])
def test_tool_matching(tmp_path: Path, product: str | None, version: str | None,
                       status: str) -> None:
    catalogue = load_catalogue(write(tmp_path, TOOL))
    found = tool_status(record(product, version), catalogue)
    assert found["status"] == status
    assert (checks.unapproved({**record(), "catalogue": found}, "clip") is None) == (status == "approved")


def test_vendor_and_product_and_a_version_inside_the_name(tmp_path: Path) -> None:
    catalogue = load_catalogue(write(tmp_path, TOOL.replace("product: Runway Gen-4", "product: Gen-4")))
    assert tool_status(record("Gen-4", vendor="Runway"), catalogue)["status"] == "approved"
    c2pa = {"tool": {}, "evidence": [{"kind": "c2pa", "tool": "RunwayML 3.2"}]}
    assert tool_status(c2pa, catalogue)["status"] == "version"


def test_media_naming_another_tool_is_not_hidden_by_the_register(tmp_path: Path) -> None:
    """The register says Runway; the C2PA manifest says Midjourney: both must be approved."""
    catalogue = load_catalogue(write(tmp_path, TOOL))
    mixed = record("Runway Gen-4", "4.0")
    mixed["evidence"] = [{"kind": "c2pa", "tool": "Midjourney 7"}]
    found = tool_status(mixed, catalogue)
    assert found["status"] == "unlisted"
    assert "Midjourney 7 (c2pa)" in (checks.unapproved({**mixed, "catalogue": found}, "c") or "")


def test_refused_tool(tmp_path: Path) -> None:
    text = TOOL + ("  - id: mj\n    product: Midjourney\n    deployment: consumer\n"
                   "    approved: false\n    reason: trains on uploads\n")
    found = tool_status(record("midjourney"), load_catalogue(write(tmp_path, text)))
    assert found["status"] == "refused"
    assert "trains on uploads" in found["problems"][0]["message"]


# -- the rules on their own -----------------------------------------------------------------

def matched(tmp_path: Path, terms: str, **extra: Any) -> dict[str, Any]:
    text = TOOL.replace("    data_terms: {trains_on_inputs: false, retains_inputs: false}\n", terms)
    rec = record("Runway Gen-4", **extra)
    rec["catalogue"] = tool_status(rec, load_catalogue(write(tmp_path, text)))
    return rec


def test_data_terms(tmp_path: Path) -> None:
    fine = "    data_terms: {trains_on_inputs: false, retains_inputs: false}\n"
    assert checks.data_terms(matched(tmp_path, fine), "c") is None
    trains = checks.data_terms(matched(tmp_path, "    data_terms: {trains_on_inputs: true, "
                                                 "retains_inputs: false}\n"), "c")
    assert trains is not None and "trains on production inputs" in trains
    unknown = checks.data_terms(matched(tmp_path, ""), "c")  # no terms at all: unknown
    assert unknown is not None and "trains_on_inputs" in unknown and "retains_inputs" in unknown
    consumer = matched(tmp_path, fine)
    consumer["catalogue"]["tools"][0]["deployment"] = "consumer"
    assert "consumer account" in (checks.data_terms(consumer, "c") or "")


def test_agreement_expiry_by_creation_time(tmp_path: Path) -> None:
    terms = ("    data_terms: {trains_on_inputs: false, retains_inputs: false,\n"
             "                 agreement: {ref: MSA-9, expires: 2026-06-30}}\n")
    assert checks.agreement_expired(matched(tmp_path, terms, created="2026-06-30T23:00:00Z"), "c") is None
    late = checks.agreement_expired(matched(tmp_path, terms, created="2026-07-01"), "c")
    assert late is not None and "after MSA-9" in late
    # no creation time and the agreement has lapsed: cannot show it was made in time
    unknown = checks.agreement_expired(matched(tmp_path, terms), "c")
    assert unknown is not None and "created:" in unknown
    # a C2PA action's "when" is a creation time too
    c2pa = matched(tmp_path, terms)
    c2pa["evidence"] = [{"kind": "c2pa", "when": "2026-05-01T10:00:00Z"}]
    assert checks.agreement_expired(c2pa, "c") is None
    c2pa["evidence"] = [{"kind": "c2pa", "when": "2026-08-01T10:00:00Z"}]
    assert checks.agreement_expired(c2pa, "c") is not None


def test_use_and_lifecycle_scope(tmp_path: Path) -> None:
    terms = ("    data_terms: {trains_on_inputs: false, retains_inputs: false}\n"
             "    approved_for: {uses: [ideation, temp_placeholder], lifecycles: [temp]}\n")
    ok = matched(tmp_path, terms, use="temp_placeholder", lifecycle="temp")
    assert checks.use_not_approved(ok, "c") is None
    final = checks.use_not_approved(matched(tmp_path, terms, use="temp_placeholder",
                                            lifecycle="final"), "c")
    assert final is not None and "approved for temp material" in final
    undeclared = checks.use_not_approved(matched(tmp_path, terms, use="ideation"), "c")
    assert undeclared is not None and "no lifecycle declared" in undeclared
    wrong_use = checks.use_not_approved(matched(tmp_path, terms, use="voice", lifecycle="temp"), "c")
    assert wrong_use is not None and "not voice" in wrong_use


def test_a_record_on_the_clip_cannot_declare_itself_approved(tmp_path: Path) -> None:
    """Catalogue status and escalation are recomputed on every scan, never read from a file."""
    clip = otio.schema.Clip(name="AI_GEN_matte", source_range=otio.opentime.TimeRange(
        otio.opentime.RationalTime(0, 24), otio.opentime.RationalTime(24, 24)))
    clip.metadata["aiclear"] = {
        "schema": 1, "ai_class": "generated", "tool": {"product": "Midjourney"},
        "use": "background_element", "lifecycle": "final",
        "catalogue": {"status": "approved", "tools": [], "problems": []},
        "escalation": {"required": False, "roles": ["producer"]}}
    timeline = otio.schema.Timeline("forged")
    timeline.tracks.append(otio.schema.Track("V1"))
    timeline.tracks[0].append(clip)
    path = tmp_path / "forged.otio"
    timeline.to_json_file(str(path))
    settings = SettingsSpec("studio-partner", (), catalogue=CATALOGUE)()
    [result] = scan_file(path, settings)
    [seg] = result.segments
    assert seg.record["catalogue"]["status"] == "unlisted"
    assert seg.record["escalation"]["required"] and seg.record["escalation"]["roles"] == ["legal"]
    assert {"tool.unapproved", "principles.escalated"} <= {f.rule for f in result.blocking}




def test_check_json_carries_catalogue_status_and_principles(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The plain data the panel and other tools read, per segment."""
    import json

    out = tmp_path / "r.json"
    main(["check", str(SAMPLES / "episode_101.otio"), "--register", REGISTER, "--catalogue",
          CATALOGUE, "--no-media", "--format", "json", "-o", str(out)])
    [timeline] = json.loads(out.read_text())["timelines"]
    by_clip = {s["clip"]: s for s in timeline["segments"]}
    assert by_clip["crowd_fill_mj"]["catalogue"]["status"] == "unlisted"
    sky = by_clip["sky_fill_ff"]["catalogue"]["tools"][0]
    assert (sky["id"], sky["agreement_expires"]) == ("firefly-enterprise", "2026-06-30")
    prop = by_clip["harbour_prop_rw"]["escalation"]
    assert prop["principles"]["data"]["answer"] == "unsure" and prop["roles"] == ["legal"]


@pytest.mark.fixtures
@pytest.mark.parametrize(("expires", "expired"), [("2023-11-10", True), ("2024-06-30", False)])
def test_c2pa_creation_time_of_a_real_file_meets_the_agreement(
        shared_fixtures: Path, tmp_path: Path, expires: str, expired: bool) -> None:
    """Adobe's signed firefly_express.pdf: its C2PA actions are dated 2023-11-15 and
    2023-11-27, read by the real prober (no register, no created:)."""
    media = shared_fixtures / "c2pa-python" / "firefly_express.pdf"
    if not media.is_file():
        pytest.skip("firefly_express.pdf is not among the fixtures")
    clip = otio.schema.Clip(name="poster", media_reference=otio.schema.ExternalReference(
        target_url=media.as_uri()), source_range=otio.opentime.TimeRange(
        otio.opentime.RationalTime(0, 24), otio.opentime.RationalTime(24, 24)))
    timeline = otio.schema.Timeline("real c2pa")
    timeline.tracks.append(otio.schema.Track("V1"))
    timeline.tracks[0].append(clip)
    path = tmp_path / "cut.otio"
    timeline.to_json_file(str(path))
    catalogue = write(tmp_path, (
        "aiclear_catalogue: 1\ntools:\n  - id: ff\n    vendor: Adobe\n    product: Firefly\n"
        "    aliases: [Adobe Firefly, Adobe Firefly Pipeline]\n    deployment: enterprise\n"
        "    data_terms: {trains_on_inputs: false, retains_inputs: false,\n"
        f"                 agreement: {{ref: ETLA-1, expires: {expires}}}}}\n"))
    settings = SettingsSpec("studio-partner", (), catalogue=str(catalogue),
                            media=MediaOptions(enabled=True, no_cache=True))()
    [result] = scan_file(path, settings)
    [seg] = result.segments
    assert seg.record["catalogue"]["status"] == "approved"
    rules = {f.rule for f in seg.findings}
    assert ("tool.agreement_expired" in rules) is expired
    if expired:
        message = next(f.message for f in seg.findings if f.rule == "tool.agreement_expired")
        assert "was made 2023-11-15" in message


def test_hooks_take_the_catalogue_from_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The OTIO hooks have no command line: AICLEAR_CATALOGUE (or the hook argument map)."""
    import os

    from aiclear.gate import hookenv

    path = write(tmp_path, TOOL)
    monkeypatch.setenv("AICLEAR_CATALOGUE", str(path))
    first = hookenv.settings({"profile": "studio-partner"})
    assert first.catalogue is not None and [t.id for t in first.catalogue.tools] == ["rw"]
    path.write_text(TOOL.replace("id: rw", "id: runway-2"))
    os.utime(path, ns=(1, 1))  # a different stamp even within the clock's resolution
    again = hookenv.settings({"profile": "studio-partner"})
    assert again.catalogue is not None and [t.id for t in again.catalogue.tools] == ["runway-2"]
    monkeypatch.delenv("AICLEAR_CATALOGUE")
    assert hookenv.settings({"profile": "studio-partner", "catalogue": str(path)}).catalogue
    assert hookenv.settings({"profile": "studio-partner"}).catalogue is None
