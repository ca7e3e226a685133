"""The hostile corpus: every file is generated here, at test time (no blobs committed).

Each generator writes one file under a folder it is given and returns its path.
``assert_error_line`` holds the message contract: exactly one stderr line,
``aiclear: error: <file>[:<place>]: <problem>``, and never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import opentimelineio as otio

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange
NO_TAG = {"aiclear": {"tag": False}}


def base_timeline(name: str = "Hostile base") -> otio.schema.Timeline:
    """Two AI clips and one honest clip on V1, one AI voice on A1, at 24 fps from 01:00:00:00."""
    tl = otio.schema.Timeline(name, global_start_time=RT(86400, 24))
    v1 = otio.schema.Track("V1")
    a1 = otio.schema.Track("A1", kind=otio.schema.TrackKind.Audio)
    for clip_name, frames in (("SC01_TK01", 48), ("SORA2_beach", 24), ("GENAI_plate", 36)):
        ref = otio.schema.ExternalReference(target_url=f"/media/{clip_name}.mov",
                                            available_range=TR(RT(0, 24), RT(1000, 24)))
        v1.append(otio.schema.Clip(clip_name, media_reference=ref,
                                   source_range=TR(RT(10, 24), RT(frames, 24))))
    a1.append(otio.schema.Gap(source_range=TR(RT(0, 24), RT(24, 24))))
    a1.append(otio.schema.Clip("ElevenLabs_voice", source_range=TR(RT(0, 24), RT(48, 24))))
    tl.tracks.extend([v1, a1])
    return tl


def base_json() -> dict[str, Any]:
    return json.loads(base_timeline().to_json_string())


def write_json(folder: Path, name: str, data: Any) -> Path:
    """JSON as OTIO writes it, but allowing NaN / Infinity literals (RapidJSON reads them)."""
    path = folder / name
    path.write_text(json.dumps(data, indent=1, allow_nan=True))
    return path


def clips_of(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for track in data["tracks"]["children"]:
        for item in track["children"]:
            if item["OTIO_SCHEMA"].startswith("Clip"):
                yield item


def mutate_first_ai_clip(folder: Path, name: str, change: Callable[[dict[str, Any]], None]) -> Path:
    data = base_json()
    clip = next(c for c in clips_of(data) if c["name"] == "SORA2_beach")
    change(clip)
    return write_json(folder, name, data)


def deep_stacks(folder: Path, name: str, depth: int) -> Path:
    """An AI clip inside ``depth`` nested stacks (a compound clip bomb), one level per line."""
    clip = base_timeline().tracks[0][1].clone()
    text = clip.to_json_string(indent=-1)
    for _ in range(depth):
        text = '{"OTIO_SCHEMA": "Stack.1", "name": "nest", "children": [\n' + text + "]}"
    data = base_json()
    data["tracks"]["children"][0]["children"] = ["@@"]
    body = json.dumps(data).replace('"@@"', text)
    path = folder / name
    path.write_text(body)
    return path


def deep_metadata(folder: Path, name: str, depth: int) -> Path:
    data = base_json()
    data["metadata"] = {"@@": 0}
    body = json.dumps(data).replace('{"@@": 0}', '{"a":' * depth + "1" + "}" * depth)
    path = folder / name
    path.write_text(body)
    return path


def fcp7_xml() -> str:
    return otio.adapters.write_to_string(base_timeline(), "fcp_xml")


def billion_laughs(root: str = "xmeml") -> str:
    entities = ['<!ENTITY lol0 "lollollollollollollollollollol">']
    entities += [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE ' + root + " [\n " + "\n ".join(entities)
            + f'\n]>\n<{root} version="4"><sequence><name>&lol9;</name></sequence></{root}>\n')


def external_entity(url: str) -> str:
    return ('<?xml version="1.0"?>\n<!DOCTYPE xmeml [\n <!ENTITY ext SYSTEM "' + url + '">\n]>\n'
            '<xmeml version="4"><sequence><name>&ext;</name></sequence></xmeml>\n')


def aaf_bytes(folder: Path) -> bytes:
    """A real (small) AAF with one composition, written by pyaaf2."""
    import aaf2

    path = folder / ".real.aaf"
    with aaf2.open(str(path), "w") as f:
        f.content.mobs.append(f.create.CompositionMob("hostile"))
    data = path.read_bytes()
    path.unlink()
    return data


def make_fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def symlink_loop(folder: Path, name: str) -> Path:
    a, b = folder / name, folder / f"loop-{name}"
    a.symlink_to(b)
    b.symlink_to(a)
    return a


def assert_error_line(err: str, path: Path | str, place: str | None, problem: str = ".+") -> str:
    """Exactly one line, ``aiclear: error: <path>[:<place>]: <problem>``, no traceback."""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, f"expected one stderr line, got {len(lines)}: {err[:500]!r}"
    where = re.escape(str(path)) + (f":{place}" if place is not None else "")
    pattern = rf"aiclear: error: {where}: {problem}"
    assert re.fullmatch(pattern, lines[0]), f"{lines[0][:400]!r} !~ {pattern!r}"
    return lines[0]


class NetworkAttempt(AssertionError):
    pass


@contextmanager
def no_network(monkeypatch: Any) -> Iterator[list[tuple[str, Any]]]:
    """Record (and refuse) every socket connect and name lookup made inside the block."""
    attempts: list[tuple[str, Any]] = []

    def connect(self: socket.socket, address: Any) -> None:
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        attempts.append(("connect", address))
        raise NetworkAttempt(f"network connect to {address!r}")

    def lookup(*args: Any, **kwargs: Any) -> Any:
        attempts.append(("getaddrinfo", args[:2]))
        raise NetworkAttempt(f"name lookup of {args[:2]!r}")

    real_connect = socket.socket.connect
    with monkeypatch.context() as m:
        m.setattr(socket.socket, "connect", connect)
        m.setattr(socket.socket, "connect_ex", connect)
        m.setattr(socket, "getaddrinfo", lookup)
        m.setattr(socket, "create_connection", lambda *a, **k: lookup(*a))
        yield attempts
