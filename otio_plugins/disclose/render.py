"""Renders through the ffmpeg binary: the burn-in review copy and the credit card.

Every text reaches ffmpeg as a UTF-8 file named by ``textfile=`` with ``expansion=none``,
so nothing a timeline or record holds (quotes, colons, backslashes, ``%{pts}``,
semicolons) is ever parsed as filter-graph syntax or expanded. The filter graph is
built by ffmpeg-python, which escapes every option value, and so every path we put in
it (font files, text files); input and output files are passed with the ``file:``
protocol so a name such as ``http:...`` can never make ffmpeg fetch a URL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import ffmpeg
import opentimelineio as otio

from aiclear.disclose.credits import CreditBlock
from aiclear.disclose.events import events_for
from aiclear.disclose.fonts import font_for
from aiclear.disclose.settings import ProfileLike, settings
from aiclear.disclose.templates import wording
from aiclear.disclose.text import clean, wrap
from aiclear.disclose.timing import seconds, start_offset
from aiclear.errors import MediaError, RenderError, UsageError
from aiclear.model import TimelineResult

TIMEOUT = 3600  # a feature-length burn-in on two cores takes minutes, never an hour
CARD_COLUMNS = 64  # wider lines wrap on the card
MARGIN = 0.04  # of the frame height, inside the title-safe area


@dataclass(frozen=True, slots=True)
class Caption:
    """One drawtext: text shown from ``start`` to ``end`` seconds at a corner."""

    text: str
    start: Fraction
    end: Fraction
    position: str
    lang: str
    colour: str = "white"


def ffmpeg_binary() -> str:
    """The ffmpeg executable (``AICLEAR_FFMPEG`` or PATH), or a RenderError saying how to get it."""
    configured = os.environ.get("AICLEAR_FFMPEG")
    found = shutil.which(configured or "ffmpeg")
    if not found:
        where = f"at AICLEAR_FFMPEG={configured}" if configured else "on PATH"
        raise RenderError(
            f"ffmpeg not found {where}: install it (apt-get install ffmpeg, brew install ffmpeg) "
            "to render burn-ins and cards")
    return found


def review_captions(result: TimelineResult, profile: ProfileLike = None, lang: str | None = None
                    ) -> list[Caption]:
    """What the review copy draws: each label event, and PROVISIONAL (or REJECTED) with the
    clip name over every segment that is not cleared."""
    conf = settings(profile)
    code = lang or conf.language
    words = wording(code)
    captions = [Caption(e.text, *_span(e.start_frame, e.end_frame, result.rate),
                        conf.position, code) for e in events_for(result, profile, code)]
    for start, end, status, clips in _uncleared_runs(result):
        word = words.text("labels", "rejected" if status == "rejected" else "provisional")
        captions.append(Caption(f"{word} · {', '.join(clips)}", *_span(start, end, result.rate),
                                _opposite(conf.position), code, "yellow"))
    return captions


def _uncleared_runs(result: TimelineResult) -> list[tuple[int, int, str, list[str]]]:
    """Overlapping uncleared segments share one PROVISIONAL caption (one corner, no overprint)."""
    runs: list[tuple[int, int, str, list[str]]] = []
    for seg in sorted(result.segments, key=lambda s: (s.start_frame, s.end_frame)):
        if seg.status == "cleared" or not seg.enabled or seg.end_frame <= seg.start_frame:
            continue
        if runs and seg.start_frame < runs[-1][1]:
            start, end, status, clips = runs[-1]
            status = "rejected" if "rejected" in (status, seg.status) else status
            runs[-1] = (start, max(end, seg.end_frame), status, [*clips, clean(seg.clip)])
        else:
            runs.append((seg.start_frame, seg.end_frame, seg.status, [clean(seg.clip)]))
    return runs


def burn_in(result: TimelineResult, reference: str | Path, output: str | Path,
            profile: ProfileLike = None, lang: str | None = None, font: str | None = None,
            progress: Callable[[float], None] | None = None) -> Path:
    """Draw the review captions over ``reference`` into ``output``, written atomically.

    The reference is lined up by its start timecode when it carries one (a QuickTime
    ``tmcd`` track or a ``timecode`` tag, e.g. an export with a pre-roll slate), else its
    first frame is taken as the timeline's first frame. Returns the output path."""
    ref, out = _paths(reference, output)
    _check_font(font)
    height, ref_tc, length = _probe(ref)
    shift = _shift(result, ref_tc, length)
    captions = [Caption(c.text, c.start + shift, c.end + shift, c.position, c.lang, c.colour)
                for c in review_captions(result, profile, lang)]
    with _workdir() as work:
        source = ffmpeg.input(f"file:{ref}")
        video = _draw(source.video, captions, height, work, font)
        _run(lambda tmp: ffmpeg.output(video, f"file:{tmp}", map="0:a?", acodec="copy",
                                       vcodec="libx264", pix_fmt="yuv420p", crf=18,
                                       preset="veryfast"), out, work,
             progress=progress, seconds=float(length))
    return out


def credit_card_png(block: CreditBlock, output: str | Path, size: tuple[int, int] = (1920, 1080),
                    font: str | None = None) -> Path:
    """The credit block centred on a black card, as one PNG."""
    out = Path(output).resolve()
    _check_font(font)
    with _workdir() as work:
        video = _card(block, size, 1, 1, work, font)
        _run(lambda tmp: ffmpeg.output(video, f"file:{tmp}", vframes=1, f="image2",
                                       vcodec="png"), out, work)
    return out


def credit_card_movie(block: CreditBlock, output: str | Path, seconds_long: float = 5.0,
                      rate: int = 24, size: tuple[int, int] = (1920, 1080),
                      font: str | None = None) -> Path:
    """The credit card held for ``seconds_long`` with silent stereo, H.264 in a movie."""
    out = Path(output).resolve()
    _check_font(font)
    with _workdir() as work:
        video = _card(block, size, rate, seconds_long, work, font)
        silence = ffmpeg.input(f"anullsrc=r=48000:cl=stereo:d={seconds_long}", f="lavfi")
        _run(lambda tmp: ffmpeg.output(video, silence.audio, f"file:{tmp}", vcodec="libx264",
                                       pix_fmt="yuv420p", acodec="aac", shortest=None), out,
             work)
    return out


def _card(block: CreditBlock, size: tuple[int, int], rate: int, duration: float, work: Path,
          font: str | None) -> ffmpeg.nodes.FilterableStream:
    if block.empty:
        raise UsageError("no AI segments to credit: the credit card would be empty")
    width, height = size
    lines = [part for line in block.lines() for part in (wrap(line.strip(), CARD_COLUMNS) or [""])]
    fontsize = max(12, min(height // 22, int(height * 0.85 / (len(lines) * 1.45))))
    top = (height - int(len(lines) * fontsize * 1.45)) // 2
    video = ffmpeg.input(f"color=c=black:s={width}x{height}:r={rate}:d={duration}",
                         f="lavfi").video
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        size_here = int(fontsize * 1.3) if index == 0 else fontsize
        video = video.filter(
            "drawtext", fontfile=font or font_for(line, block.lang), textfile=_textfile(work, line),
            expansion="none", fontsize=size_here, fontcolor="white",
            x="(w-text_w)/2", y=str(top + int(index * fontsize * 1.45)))
    return video


def _draw(video: ffmpeg.nodes.FilterableStream, captions: Sequence[Caption], height: int,
          work: Path, font: str | None) -> ffmpeg.nodes.FilterableStream:
    fontsize = max(12, height // 24)
    margin = int(height * MARGIN)
    for caption in captions:
        x, y = _xy(caption.position, margin)
        # end is exclusive: stop half a frame early so the first frame after stays clean
        video = video.filter(
            "drawtext", fontfile=font or font_for(caption.text, caption.lang),
            textfile=_textfile(work, caption.text), expansion="none", fontsize=fontsize,
            fontcolor=caption.colour, box=1, boxcolor="black@0.6", boxborderw=fontsize // 3,
            line_spacing=fontsize // 4, x=x, y=y,
            enable=f"between(t,{float(caption.start):.6f},{float(caption.end):.6f})")
    return video


def _span(start_frame: int, end_frame: int, rate: float) -> tuple[Fraction, Fraction]:
    half = seconds(1, rate) / 2
    return seconds(start_frame, rate) - half, seconds(end_frame, rate) - half


def _xy(position: str, margin: int) -> tuple[str, str]:
    x = {"left": str(margin), "right": f"w-text_w-{margin}",
         "center": "(w-text_w)/2"}[position.split("-")[1]]
    y = str(margin) if position.startswith("top") else f"h-text_h-{margin}"
    return x, y


def _opposite(position: str) -> str:
    """PROVISIONAL goes in the corner away from the label, so neither hides the other."""
    return "bottom-left" if position.startswith("top") else "top-left"


def _textfile(work: Path, text: str) -> str:
    handle, name = tempfile.mkstemp(dir=work, suffix=".txt")
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return name


@contextmanager
def _workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="aiclear-render-") as name:
        yield Path(name)


def _paths(reference: str | Path, output: str | Path) -> tuple[Path, Path]:
    ref = Path(reference).resolve()
    out = Path(output).resolve()
    if not ref.is_file():
        raise MediaError(ref, "reference movie not found", expected="a movie exported from the cut")
    if out == ref:
        raise UsageError(f"{out}: the output would overwrite the reference movie")
    return ref, out


def _shift(result: TimelineResult, ref_tc: str | None, length: Fraction) -> Fraction:
    """Seconds to add to timeline times to land on the reference's frames: by timecode when
    both have one and they overlap, else 0 (first frame = first frame)."""
    has_start = result.timeline is None or result.timeline.global_start_time is not None
    if not ref_tc or not has_start:
        return Fraction(0)
    try:
        ref_start = otio.opentime.from_timecode(ref_tc, result.rate)
    except (ValueError, TypeError):
        return Fraction(0)  # an unreadable tag: fall back to first frame = first frame
    frames = start_offset(result) - round(ref_start.value_rescaled_to(result.rate))
    shift = seconds(frames, result.rate)
    return shift if abs(shift) < length else Fraction(0)  # no overlap: a stray tag


def _check_font(font: str | None) -> None:
    # drawtext silently falls back to a default face when fontfile is missing
    if font is not None and not Path(font).is_file():
        raise UsageError(f"{font}: font file not found")


def _probe(ref: Path) -> tuple[int, str | None, Fraction]:
    """The reference's picture height, start timecode (None when it has none) and length."""
    try:
        with av.open(str(ref)) as container:
            stream = next(iter(container.streams.video), None)
            if stream is None:
                raise MediaError(ref, "no video stream", expected="a movie with picture")
            tags = [dict(s.metadata) for s in container.streams] + [dict(container.metadata)]
            found = next((t["timecode"] for t in tags if t.get("timecode")), None)
            length = Fraction(container.duration or 0, av.time_base)
            return int(stream.codec_context.height), found, length
    except av.FFmpegError as err:
        raise MediaError(ref, f"cannot read: {err}", expected="a movie ffmpeg can decode") from err


def _run(build: Callable[[Path], ffmpeg.nodes.OutputStream], out: Path, work: Path,
         progress: Callable[[float], None] | None = None, seconds: float = 0.0) -> None:
    """Render to a temp file beside ``out`` (same suffix, so the muxer is right), then replace.
    ``build(tmp)`` is the ffmpeg-python output node writing ``tmp``.

    ``progress(fraction)`` is called as ffmpeg reports its position (``-progress``) when
    the length in ``seconds`` is known."""
    binary = ffmpeg_binary()
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}.", suffix=out.suffix)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        args = ffmpeg.compile(build(tmp), cmd=binary, overwrite_output=True)
        args[1:1] = ["-nostdin", "-hide_banner", "-loglevel", "error"]
        _graph_to_file(args, work)
        try:
            if progress is not None and seconds > 0:
                done = _run_reporting(args, progress, seconds)
            else:
                done = subprocess.run(args, capture_output=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise RenderError(f"ffmpeg failed to run: {err}") from err
        if done.returncode != 0:
            tail = " ".join(done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:])
            raise RenderError(f"ffmpeg failed (exit {done.returncode}) writing {out}: {tail}")
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a render is a normal file
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def _run_reporting(args: list[str], progress: Callable[[float], None], seconds: float
                   ) -> subprocess.CompletedProcess[bytes]:
    """Run ffmpeg with ``-progress pipe:1`` and report ``out_time_us`` as a fraction.
    Its error output is small (``-loglevel error``), so reading stdout first cannot block."""
    args = [args[0], "-progress", "pipe:1", "-nostats", *args[1:]]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        for raw in proc.stdout:
            key, _, value = raw.decode("ascii", "replace").strip().partition("=")
            if key == "out_time_us" and value.isdigit():
                progress(min(1.0, int(value) / 1e6 / seconds))
        err = proc.stderr.read()
        code = proc.wait(timeout=TIMEOUT)
    return subprocess.CompletedProcess(args, code, b"", err)


def _graph_to_file(args: list[str], work: Path) -> None:
    """Hand ffmpeg the filter graph in a file: thousands of labels overflow a command line."""
    if "-filter_complex" in args:
        index = args.index("-filter_complex")
        script = work / "graph.txt"
        script.write_text(args[index + 1], encoding="utf-8")
        args[index:index + 2] = ["-filter_complex_script", str(script)]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
