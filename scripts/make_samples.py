"""Regenerate sample_timelines/ (run from the repo root: python scripts/make_samples.py).

The samples are small scenario timelines; sample_timelines/README.md says what each
shows and its expected verdict, and tests/test_samples.py holds them to it.
"""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio

RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange
OUT = Path(__file__).resolve().parent.parent / "sample_timelines"
RATE = 24


def clip(name: str, frames: int, media: str | None = None, start: int = 0,
         **metadata: object) -> otio.schema.Clip:
    ref: otio.core.MediaReference = otio.schema.MissingReference()
    if media:
        ref = otio.schema.ExternalReference(
            target_url=media, available_range=TR(RT(0, RATE), RT(start + frames + 48, RATE)))
    c = otio.schema.Clip(name=name, media_reference=ref,
                         source_range=TR(RT(start, RATE), RT(frames, RATE)))
    c.metadata.update(metadata)
    return c


def gap(frames: int) -> otio.schema.Gap:
    return otio.schema.Gap(source_range=TR(RT(0, RATE), RT(frames, RATE)))


def timeline(name: str, *tracks: otio.schema.Track, start_tc: str | None = "01:00:00:00"
             ) -> otio.schema.Timeline:
    tl = otio.schema.Timeline(name)
    if start_tc:
        tl.global_start_time = otio.opentime.from_timecode(start_tc, RATE)
    for t in tracks:
        tl.tracks.append(t)
    return tl


def track(name: str, *items: otio.core.Composable, audio: bool = False,
          enabled: bool = True) -> otio.schema.Track:
    t = otio.schema.Track(name, kind=otio.schema.TrackKind.Audio if audio
                          else otio.schema.TrackKind.Video)
    t.enabled = enabled
    for item in items:
        t.append(item)
    return t


def clean_cut() -> otio.schema.Timeline:
    return timeline("Clean cut", track(
        "V1", clip("SC01_TK03", 48, "file:///media/SC01_TK03.mov"),
        clip("SC02_TK01", 72, "file:///media/SC02_TK01.mov"),
        clip("SC03_TK02", 60, "file:///media/SC03_TK02.mov")),
        track("A1", clip("SC01_TK03", 180, "file:///media/SC01_TK03.wav"), audio=True))


def decoy_names() -> otio.schema.Timeline:
    names = ["Hawaii_beach", "Aidan_interview", "MAIN_TITLE", "trailer_v3", "RAIN_plate",
             "PAID_promo", "Raina_closeup", "training_montage", "FAIRGROUND_wide", "CHAIR_insert",
             "AIRPORT_exterior", "Sora_interview", "luma_grade_ref"]
    items: list[otio.core.Composable] = [clip(n, 24, f"file:///media/{n}.mov") for n in names]
    items.append(clip("company_logo", 24, "file:///gfx/logo.ai"))
    return timeline("Decoy names", track("V1", *items))


def tool_names() -> otio.schema.Timeline:
    return timeline("Tool names", track(
        "V1", clip("SC10_TK01", 48, "file:///media/SC10_TK01.mov"),
        clip("Midjourney_matte_painting", 24, "file:///gfx/mj_castle.png"),
        clip("SORA2_beach_establisher", 48, "file:///media/sora2_beach.mp4"),
        clip("veo3_city_flyover", 48, "file:///media/veo3_city.mp4"),
        clip("Kling_2_1_chase_extension", 36, "file:///media/kling_chase.mp4"),
        clip("firefly_gen_sky_replacement", 24, "file:///media/sky_fill.mov"),
        clip("SC11_TK04", 48, "file:///media/SC11_TK04.mov")))


def nested_compound() -> otio.schema.Timeline:
    inner = track("compound V1", clip("SC20_TK02", 40, "file:///media/SC20_TK02.mov"),
                  clip("AI_GEN_INSERT_2", 30, "file:///media/insert_2.mov"),
                  clip("SC20_TK05", 40, "file:///media/SC20_TK05.mov"))
    compound = otio.schema.Stack("SC20 compound", source_range=TR(RT(10, RATE), RT(90, RATE)))
    compound.append(inner)
    v1 = track("V1", clip("SC19_TK01", 48, "file:///media/SC19_TK01.mov"), gap(12), compound,
               otio.schema.Transition(in_offset=RT(6, RATE), out_offset=RT(6, RATE)),
               clip("GENAI_skyline_v2", 60, "file:///media/GENAI_skyline_v2.mov"))
    v2 = track("V2 graphics", gap(100), clip("synthetic_crowd_fill", 40,
                                             "file:///media/crowd_fill.exr"))
    return timeline("Nested compound", v1, v2)


def ai_voice() -> otio.schema.Timeline:
    return timeline("AI voice", track(
        "V1", clip("SC30_TK01", 120, "file:///media/SC30_TK01.mov")),
        track("A1 dialogue", clip("SC30_TK01", 120, "file:///media/SC30_TK01.wav"), audio=True),
        track("A2 ADR", gap(48), clip("ElevenLabs_VO_line12_take3", 48,
                                      "file:///audio/elevenlabs_line12.wav"), audio=True))


def disabled_ai() -> otio.schema.Timeline:
    muted = clip("GENAI_temp_storyboard", 48, "file:///media/storyboard.mov")
    muted.enabled = False
    return timeline("Disabled AI", track(
        "V1", clip("SC40_TK01", 48, "file:///media/SC40_TK01.mov"), muted),
        track("V2 temp", clip("AI_GENERATED_previs", 96, "file:///media/previs.mov"),
              enabled=False))


def registered_plates() -> otio.schema.Timeline:
    plate = clip("plate_0420", 48, "file:///plates/plate_0420.mov")
    plate.metadata["fcp_xml"] = {"comments": {"mastercomment1": "bg extension"}}
    noted = clip("SC50_TK02", 48, "file:///media/SC50_TK02.mov")
    noted.metadata["fcp_xml"] = {"comments": {"mastercomment1": "AI GENERATED BACKGROUND PLATE"}}
    marked = clip("SC51_TK01", 48, "file:///media/SC51_TK01.mov")
    marked.markers.append(otio.schema.Marker("GENAI", TR(RT(12, RATE), RT(0, RATE)),
                                             color=otio.schema.MarkerColor.RED))
    return timeline("Registered plates", track("V1", plate, noted, marked,
                                               clip("SC52_TK01", 48, "file:///media/SC52_TK01.mov")))


def archival() -> otio.schema.Timeline:
    return timeline("Documentary archival", track(
        "V1", clip("ARCHIVE_1962_harbour", 72, "file:///archive/harbour_1962.mov"),
        clip("harbour_1962_recreated", 72, "file:///media/harbour_recreated.png"),
        clip("INTERVIEW_historian", 120, "file:///media/historian.mov")))


def _catalogue_clips() -> dict[str, otio.schema.Clip]:
    """The AI shots of the two episodes (issue 17's catalogue scenarios); the same
    definition on both timelines, so the same asset id."""
    return {
        "consumer": clip("crowd_fill_mj", 48, "file:///media/crowd_fill_mj.png"),
        "expired": clip("sky_fill_ff", 48, "file:///media/sky_fill_ff.mov"),
        "unsure": clip("harbour_prop_rw", 48, "file:///media/harbour_prop_rw.mov"),
        "temp_only": clip("storyboard_sd", 48, "file:///media/storyboard_sd.mov"),
    }


def episode_101() -> otio.schema.Timeline:
    ai = _catalogue_clips()
    return timeline("Harbour Lights 101", track(
        "V1", clip("SC70_TK02", 48, "file:///media/SC70_TK02.mov"), ai["consumer"],
        clip("SC71_TK01", 48, "file:///media/SC71_TK01.mov"), ai["expired"], ai["unsure"]))


def episode_102() -> otio.schema.Timeline:
    ai = _catalogue_clips()
    return timeline("Harbour Lights 102", track(
        "V1", clip("SC80_TK04", 48, "file:///media/SC80_TK04.mov"), ai["unsure"],
        clip("SC81_TK01", 24, "file:///media/SC81_TK01.mov"), ai["temp_only"]))


EDL = """TITLE: GENAI NAMES
FCM: NON-DROP FRAME

001  AX       V     C        00:00:00:00 00:00:02:00 01:00:00:00 01:00:02:00
* FROM CLIP NAME: SC60_TK01.MOV
002  AX       V     C        00:00:10:00 00:00:12:00 01:00:02:00 01:00:04:00
* FROM CLIP NAME: GENAI_SKYLINE_V2.MOV
003  AX       V     C        00:00:00:00 00:00:01:12 01:00:04:00 01:00:05:12
* FROM CLIP NAME: SC61_TK02.MOV
* AI GENERATED BACKGROUND PLATE
004  TAPE07   V     C        00:10:00:00 00:10:02:00 01:00:05:12 01:00:07:12
* FROM CLIP NAME: SC62_TK01
* LOC: 00:10:00:12 RED     AI GENERATED
005  AX       V     C        00:00:00:00 00:00:02:00 01:00:07:12 01:00:09:12
* FROM CLIP NAME: HAWAII_SUNSET.MOV
"""


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, build in (("clean_cut.otio", clean_cut), ("decoy_names.otio", decoy_names),
                        ("tool_names.otio", tool_names), ("nested_compound.otio", nested_compound),
                        ("ai_voice.otio", ai_voice), ("disabled_ai.otio", disabled_ai),
                        ("documentary_archival.otio", archival),
                        ("episode_101.otio", episode_101), ("episode_102.otio", episode_102)):
        build().to_json_file(str(OUT / name))
    xml = otio.adapters.write_to_string(registered_plates(), "fcp_xml",
                                        hook_function_argument_map={"aiclear": {"intent": "off"}})
    (OUT / "registered_plates.xml").write_text(xml)
    (OUT / "genai_names.edl").write_text(EDL)


if __name__ == "__main__":
    main()
