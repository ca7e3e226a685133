"""IPTC ``Iptc4xmpExt:DigitalSourceType`` from XMP packets.

Movies (MOV/MP4) hand us the packet through PyAV (``export_xmp``). For stills we pull the
packet out of the file ourselves, reading only the container's metadata blocks: PNG
``iTXt XML:com.adobe.xmp``, JPEG ``APP1 http://ns.adobe.com/xap/1.0/``, TIFF tag 700.

The packet is hostile input: sizes are capped, and a packet with a DOCTYPE or ENTITY is
never handed to an XML parser (no entity expansion, no external fetches); a regex reads it
instead, which is also the fallback for malformed XML.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path
from typing import BinaryIO

IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
MAX_PACKET = 4 << 20  # XMP packets are kilobytes; anything past 4 MiB is not metadata
MAX_BLOCKS = 4096  # PNG chunks / JPEG segments walked before giving up

_MAX_VALUE = 200


def source_types(packet: bytes | str) -> list[str]:
    """Every ``Iptc4xmpExt:DigitalSourceType`` value in an XMP packet, in document order."""
    return values(packet, "DigitalSourceType")


def ai_system(packet: bytes | str) -> tuple[str | None, str | None]:
    """IPTC 2025.1 ``AISystemUsed`` / ``AISystemVersionUsed``: the generator, when named."""
    name = values(packet, "AISystemUsed")
    version = values(packet, "AISystemVersionUsed")
    return (name[0] if name else None), (version[0] if version else None)


def values(packet: bytes | str, local: str) -> list[str]:
    """Every value of the IPTC Extension property ``local``: element text (or the first
    rdf:li of an Alt/Seq), rdf:resource, or an attribute on rdf:Description."""
    text = packet.decode("utf-8", "replace") if isinstance(packet, bytes) else packet
    text = text[:MAX_PACKET].lstrip("\ufeff")
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        return _by_regex(text, local)
    import xml.etree.ElementTree as ET  # only once a packet is read (~0.01 s of start-up)

    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return _by_regex(text, local)
    tag = f"{{{IPTC_EXT}}}{local}"
    found: list[str] = []
    for element in root.iter():
        if element.tag == tag:
            items = [li for li in element.iter() if li.tag == f"{{{RDF}}}li"]
            inner = (items[0].text or "") if items else "".join(element.itertext())
            found.append(inner.strip() or element.get(f"{{{RDF}}}resource", "").strip())
        found.append((element.get(tag) or "").strip())
    return _clean(found)


def _by_regex(text: str, local: str) -> list[str]:
    name = re.escape(local)
    patterns = (rf"{name}[^>]*>\s*([^<]+?)\s*<",  # <x:Name>value</x:Name>
                rf"{name}\s*=\s*[\"']([^\"']+)[\"']",  # x:Name="value"
                rf"{name}[^>]*rdf:resource\s*=\s*[\"']([^\"']+)[\"']")
    return _clean([m.group(1) for p in patterns for m in re.finditer(p, text, re.IGNORECASE)])


def _clean(found: list[str]) -> list[str]:
    """Drop empties and unexpanded entity references; cap lengths; keep first occurrences."""
    kept = (" ".join(v.split())[:_MAX_VALUE] for v in found)
    return list(dict.fromkeys(v for v in kept if v and "&" not in v))


def still_packet(path: str | Path) -> bytes | None:
    """The XMP packet embedded in a PNG, JPEG or TIFF file, or None."""
    with open(path, "rb") as fh:
        head = fh.read(8)
        fh.seek(0)
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return _png(fh)
        if head.startswith(b"\xff\xd8"):
            return _jpeg(fh)
        if head[:4] in (b"II*\x00", b"MM\x00*"):
            return _tiff(fh)
    return None


def _png(fh: BinaryIO) -> bytes | None:
    fh.seek(8)
    for _ in range(MAX_BLOCKS):
        header = fh.read(8)
        if len(header) < 8:
            return None
        length, kind = struct.unpack(">I4s", header)
        if kind == b"IEND":
            return None
        if kind != b"iTXt" or length > MAX_PACKET:
            fh.seek(length + 4, 1)  # data + CRC
            continue
        packet = _png_itxt(fh.read(length))
        fh.seek(4, 1)
        if packet is not None:
            return packet
    return None


def _png_itxt(data: bytes) -> bytes | None:
    keyword, _, rest = data.partition(b"\x00")
    if keyword != b"XML:com.adobe.xmp" or len(rest) < 2:
        return None
    compressed = rest[0] == 1
    # skip the language tag and the translated keyword, both NUL-terminated
    _, _, rest = rest[2:].partition(b"\x00")
    _, _, text = rest.partition(b"\x00")
    if not compressed:
        return text
    inflater = zlib.decompressobj()
    try:
        return inflater.decompress(text, MAX_PACKET)  # capped: no zip bombs
    except zlib.error:
        return None


_XMP_APP1 = b"http://ns.adobe.com/xap/1.0/\x00"


def _jpeg(fh: BinaryIO) -> bytes | None:
    fh.seek(2)
    for _ in range(MAX_BLOCKS):
        marker = _next_marker(fh)
        if marker is None or marker in (0xDA, 0xD9):  # start of scan / end of image
            return None
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            continue
        raw = fh.read(2)
        if len(raw) < 2:
            return None
        size = struct.unpack(">H", raw)[0] - 2
        if size < 0:
            return None
        if marker == 0xE1:
            data = fh.read(size)
            if data.startswith(_XMP_APP1):
                return data[len(_XMP_APP1):]
        else:
            fh.seek(size, 1)
    return None


def _next_marker(fh: BinaryIO) -> int | None:
    byte = fh.read(1)
    if byte != b"\xff":
        return None
    while byte == b"\xff":  # any number of fill bytes may precede a marker
        byte = fh.read(1)
    return byte[0] if byte else None


def _tiff(fh: BinaryIO) -> bytes | None:
    header = fh.read(8)
    if len(header) < 8:
        return None
    order = "<" if header[:2] == b"II" else ">"
    offset = struct.unpack(order + "I", header[4:8])[0]
    fh.seek(offset)
    raw = fh.read(2)
    if len(raw) < 2:
        return None
    count = min(struct.unpack(order + "H", raw)[0], MAX_BLOCKS)
    for _ in range(count):
        entry = fh.read(12)
        if len(entry) < 12:
            return None
        tag, kind, n, value = struct.unpack(order + "HHI4s", entry)
        if tag != 700 or kind not in (1, 7) or n > MAX_PACKET:
            continue
        if n <= 4:
            return value[:n]
        fh.seek(struct.unpack(order + "I", value)[0])
        return fh.read(n)
    return None
