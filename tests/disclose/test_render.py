"""Burn-in review copies and credit cards, rendered by the real ffmpeg and decoded by PyAV."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from aiclear.disclose import burn_in, credit_block, render, review_captions
from aiclear.disclose.fonts import font_for
from aiclear.errors import MediaError, RenderError, UsageError
from tests.disclose.builders import result_for, sample_timeline

ALL = {"on_screen": "all"}
HOSTILE_NAME = "it's: C:\\x %{pts} ; [v]\nnext,line"


def frames(path: Path, wanted: set[int]) -> dict[int, np.ndarray]:
    """Decoded RGB frames by frame number (24 fps)."""
    out = {}
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            number = round(float(frame.pts * stream.time_base) * 24)
            if number in wanted:
                out[number] = frame.to_ndarray(format="rgb24").astype(np.int16)
    assert set(out) == wanted
    return out


def glyph(font: ImageFont.FreeTypeFont, ch: str) -> np.ndarray:
    image = Image.new("L", (48, 48))
    ImageDraw.Draw(image).text((4, 4), ch, font=font, fill=255)
    return np.asarray(image)


def top_right(img: np.ndarray) -> np.ndarray:
    return img[: img.shape[0] // 3, img.shape[1] // 2:]


def bottom_left(img: np.ndarray) -> np.ndarray:
    return img[img.shape[0] * 2 // 3:, : img.shape[1] // 2]


def diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).mean())


def test_label_shows_inside_segments_from_the_first_frame_and_nowhere_else(
        tmp_path, reference_movie, sample):
    out = burn_in(sample, reference_movie, tmp_path / "review.mov", ALL)
    # cues: 24-132 (ai_city + ai_crowd), 240-288 (ai_map, held 2 s), 300-400 (voice + street)
    wanted = {0, 23, 24, 100, 131, 132, 200, 245, 299, 300, 420}
    ref, got = frames(reference_movie, wanted), frames(out, wanted)
    for n in (24, 100, 131, 245, 300):
        assert diff(top_right(got[n]), top_right(ref[n])) > 10, f"no label at frame {n}"
    for n in (0, 23, 132, 200, 299, 420):
        assert diff(top_right(got[n]), top_right(ref[n])) < 1.5, f"label leaks to frame {n}"
        assert diff(got[n], ref[n]) < 1.5


def test_provisional_only_over_uncleared_segments(tmp_path, reference_movie, sample):
    out = burn_in(sample, reference_movie, tmp_path / "review.mov", ALL)
    wanted = {30, 90, 245}  # ai_city provisional, ai_crowd cleared, ai_map provisional
    ref, got = frames(reference_movie, wanted), frames(out, wanted)
    assert diff(bottom_left(got[30]), bottom_left(ref[30])) > 5
    assert diff(bottom_left(got[90]), bottom_left(ref[90])) < 1.5
    assert diff(bottom_left(got[245]), bottom_left(ref[245])) > 5


def test_hostile_clip_names_render_literally(tmp_path, reference_movie, monkeypatch):
    result = result_for(sample_timeline({"ai_city": HOSTILE_NAME}))
    written: list[str] = []
    real_textfile = render._textfile

    def spy(work: Path, text: str) -> str:
        name = real_textfile(work, text)
        written.append(Path(name).read_text(encoding="utf-8"))
        return name

    monkeypatch.setattr(render, "_textfile", spy)
    out = burn_in(result, reference_movie, tmp_path / "review.mov", ALL)
    assert "PROVISIONAL · it's: C:\\x %{pts} ; [v] next,line" in written
    # no expansion: %{pts} would draw a different number on every frame
    got = frames(out, {30, 60})
    assert diff(bottom_left(got[30]), bottom_left(got[60])) == 0
    ref = frames(reference_movie, {30})
    assert diff(bottom_left(got[30]), bottom_left(ref[30])) > 5


def test_paths_with_filter_syntax_reach_ffmpeg_escaped(tmp_path, reference_movie, monkeypatch,
                                                        sample):
    hostile = tmp_path / "it's [a]; b,c:d\\e"
    hostile.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(hostile))  # text files live in here
    font = hostile / "font's:[1].ttf"
    shutil.copy(font_for("AI GENERATED", "en"), font)
    out = burn_in(sample, reference_movie, hostile / "out;put.mov", ALL, font=str(font))
    got, ref = frames(out, {30}), frames(reference_movie, {30})
    assert diff(top_right(got[30]), top_right(ref[30])) > 10


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es", "ja"])
def test_each_language_renders_with_a_font_that_has_its_glyphs(tmp_path, reference_movie,
                                                               sample, lang):
    captions = review_captions(sample, ALL, lang)
    for caption in captions:
        font = ImageFont.truetype(font_for(caption.text, lang), 32)
        missing = glyph(font, "\U0010fffd")  # a code point no font draws: .notdef
        for ch in set(caption.text) - {" ", "\n"}:
            assert not np.array_equal(glyph(font, ch), missing), f"{ch!r} has no glyph"
    out = burn_in(sample, reference_movie, tmp_path / f"review-{lang}.mov", ALL, lang)
    got, ref = frames(out, {30}), frames(reference_movie, {30})
    assert diff(top_right(got[30]), top_right(ref[30])) > 10


def test_credit_card_png_and_movie(tmp_path, sample):
    block = credit_block(sample, ALL, "ja")
    png = render.credit_card_png(block, tmp_path / "card.png", size=(960, 540))
    with av.open(str(png)) as container:
        image = next(container.decode(video=0)).to_ndarray(format="rgb24")
    assert image.shape == (540, 960, 3)
    assert (image > 128).any(axis=2).sum() > 2000  # white text on black
    assert not image[:10].any()  # top margin stays black
    mov = render.credit_card_movie(block, tmp_path / "card.mov", seconds_long=3,
                                   size=(640, 360))
    with av.open(str(mov)) as container:
        assert container.streams.audio, "silent stereo track"
        video = container.streams.video[0]
        count = sum(1 for _ in container.decode(video))
    assert count == 3 * 24
    assert png.stat().st_mode & 0o777 != 0o600  # a normal file, not mkstemp's private one


def test_empty_credit_card_is_refused(tmp_path, sample):
    sample.segments.clear()
    with pytest.raises(UsageError, match="empty"):
        render.credit_card_png(credit_block(sample, ALL), tmp_path / "card.png")


def test_missing_ffmpeg_is_a_clear_render_error(tmp_path, reference_movie, sample, monkeypatch):
    monkeypatch.setenv("AICLEAR_FFMPEG", str(tmp_path / "no-ffmpeg-here"))
    with pytest.raises(RenderError, match="ffmpeg not found .*install it"):
        burn_in(sample, reference_movie, tmp_path / "out.mov", ALL)
    monkeypatch.delenv("AICLEAR_FFMPEG")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError, match="ffmpeg not found on PATH"):
        render.ffmpeg_binary()
    assert not (tmp_path / "out.mov").exists()


def test_burn_in_refuses_to_overwrite_the_reference(reference_movie, sample):
    with pytest.raises(UsageError, match="overwrite the reference"):
        burn_in(sample, reference_movie, reference_movie, ALL)


def test_unreadable_reference_is_a_media_error(tmp_path, sample):
    bad = tmp_path / "ref.mov"
    bad.write_bytes(b"not a movie")
    with pytest.raises(MediaError, match="ref.mov"):
        burn_in(sample, bad, tmp_path / "out.mov", ALL)
    with pytest.raises(MediaError, match="not found"):
        burn_in(sample, tmp_path / "missing.mov", tmp_path / "out.mov", ALL)


def test_failed_render_leaves_no_partial_output(tmp_path, reference_movie, sample):
    out = tmp_path / "review.nosuchformat"
    with pytest.raises(RenderError, match="ffmpeg failed .*review.nosuchformat"):
        burn_in(sample, reference_movie, out, ALL)
    assert list(tmp_path.iterdir()) == []


def test_missing_font_file_is_a_usage_error(tmp_path, reference_movie, sample):
    with pytest.raises(UsageError, match="font file not found"):
        burn_in(sample, reference_movie, tmp_path / "out.mov", ALL,
                font=str(tmp_path / "no-such-font.ttf"))


def test_reference_with_a_pre_roll_is_lined_up_by_timecode(tmp_path, ffmpeg_bin, sample):
    """The reference starts at 00:59:58:00, two seconds before the cut's 01:00:00:00."""
    import subprocess

    ref = tmp_path / "preroll.mov"
    subprocess.run([ffmpeg_bin, "-v", "error", "-f", "lavfi", "-i",
                    "color=c=0x505050:s=320x180:r=24:d=8", "-timecode", "00:59:58:00",
                    "-c:v", "libx264", "-qp", "0", "-pix_fmt", "yuv420p", str(ref)],
                   check=True, timeout=60)
    out = burn_in(sample, ref, tmp_path / "review.mov", ALL)
    # the first label starts at timeline frame 24, i.e. reference frame 48 + 24 = 72
    wanted = {24, 71, 72}
    got, base = frames(out, wanted), frames(ref, wanted)
    assert diff(top_right(got[24]), top_right(base[24])) < 1.5
    assert diff(top_right(got[71]), top_right(base[71])) < 1.5
    assert diff(top_right(got[72]), top_right(base[72])) > 10


def test_stray_reference_timecode_falls_back_to_first_frame(sample):
    from fractions import Fraction

    assert render._shift(sample, "01:00:00:00", Fraction(20)) == 0
    assert render._shift(sample, "00:59:58:00", Fraction(20)) == 2
    assert render._shift(sample, "10:00:00:00", Fraction(20)) == 0  # hours apart: ignored
    assert render._shift(sample, "not a timecode", Fraction(20)) == 0
    sample.timeline.global_start_time = None
    assert render._shift(sample, "00:59:58:00", Fraction(20)) == 0
