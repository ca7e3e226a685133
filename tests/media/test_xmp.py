"""XMP DigitalSourceType from movies (PyAV) and stills (our own block readers)."""

from __future__ import annotations

import struct
import time
import zlib
from pathlib import Path

import pytest

from aiclear.media import xmp
from aiclear.media.probe import FileProber, ProbeConfig

TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
COMPOSITE_AI = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
NS = 'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"'
RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'


@pytest.fixture(scope="module")
def prober() -> FileProber:
    return FileProber(ProbeConfig())


@pytest.mark.parametrize(("name", "uri"), [
    ("xmp_ai.mov", TRAINED), ("xmp_ai.mp4", TRAINED), ("xmp_ai.png", TRAINED), ("xmp_ai.jpg", TRAINED),
    ("xmp_ai.tif", COMPOSITE_AI),
])
def test_exiftool_xmp_marks_ai(library, prober, name, uri):
    probe = prober.probe(str(library[name]))
    assert probe.is_ai
    [ev] = [e for e in probe.evidence if e["kind"] == "xmp"]
    assert ev["source_type"] == uri
    assert ev["ai"] is True
    assert probe.hints["source_type"] == uri


def test_digital_capture_xmp_is_not_ai(library, prober):
    probe = prober.probe(str(library["xmp_capture.jpg"]))
    assert not probe.is_ai
    [ev] = probe.evidence
    assert ev["kind"] == "xmp"
    assert ev["ai"] is False
    assert ev["source_type"].endswith("Capture")


def test_packet_forms_element_attribute_and_resource():
    element = (f"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF {RDF}><rdf:Description {NS}>"
               f"<Iptc4xmpExt:DigitalSourceType>{TRAINED}</Iptc4xmpExt:DigitalSourceType>"
               "</rdf:Description></rdf:RDF></x:xmpmeta>")
    attribute = (f"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF {RDF}>"
                 f"<rdf:Description {NS} Iptc4xmpExt:DigitalSourceType='{COMPOSITE_AI}'/>"
                 "</rdf:RDF></x:xmpmeta>")
    resource = (f"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF {RDF}><rdf:Description {NS}>"
                f"<Iptc4xmpExt:DigitalSourceType rdf:resource='{TRAINED}'/>"
                "</rdf:Description></rdf:RDF></x:xmpmeta>")
    assert xmp.source_types(element) == [TRAINED]
    assert xmp.source_types(attribute.encode()) == [COMPOSITE_AI]
    assert xmp.source_types(resource) == [TRAINED]
    assert xmp.source_types("<broken " + element) == [TRAINED]  # regex fallback


def test_entity_expansion_is_never_performed():
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
            + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">'
                      for i in range(1, 10))
            + f']><x {NS}><Iptc4xmpExt:DigitalSourceType>&lol9;</Iptc4xmpExt:DigitalSourceType>'
            f'<Iptc4xmpExt:DigitalSourceType>{TRAINED}</Iptc4xmpExt:DigitalSourceType></x>')
    external = (f'<!DOCTYPE x [<!ENTITY e SYSTEM "http://127.0.0.1:9/x">]><x {NS}>'
                f"<Iptc4xmpExt:DigitalSourceType>&e;</Iptc4xmpExt:DigitalSourceType></x>")
    start = time.monotonic()
    found = xmp.source_types(bomb)
    assert time.monotonic() - start < 1.0
    assert TRAINED in found
    assert all(len(v) < 200 for v in found)
    assert all("lol" * 3 not in v for v in found)
    assert xmp.source_types(external) == []  # "&e;" is not a source type, and nothing resolved


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def test_compressed_png_itxt_is_read_and_capped(tmp_path: Path, library):
    src = library["xmp_ai.png"].read_bytes()
    packet = (f"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF {RDF}><rdf:Description {NS} "
              f"Iptc4xmpExt:DigitalSourceType='{TRAINED}'/></rdf:RDF></x:xmpmeta>").encode()
    itxt = b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + zlib.compress(packet)
    png = tmp_path / "compressed.png"
    png.write_bytes(src[:8] + _png_chunk(b"iTXt", itxt) + _png_chunk(b"IEND", b""))
    assert xmp.source_types(xmp.still_packet(png) or b"") == [TRAINED]
    bomb = b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + zlib.compress(b" " * (64 << 20))
    png.write_bytes(src[:8] + _png_chunk(b"iTXt", bomb) + _png_chunk(b"IEND", b""))
    assert len(xmp.still_packet(png) or b"") <= xmp.MAX_PACKET


@pytest.mark.parametrize("blob", [
    b"\x89PNG\r\n\x1a\n\xff\xff\xff\xffiTXt",  # absurd chunk length
    b"\xff\xd8\xff\xe1\x00",  # JPEG segment cut short
    b"\xff\xd8\xff\xe1\x00\x01",  # JPEG segment length below its own header
    b"II*\x00\xff\xff\xff\x7f",  # TIFF IFD offset past the end
    b"MM\x00*\x00\x00\x00\x08\x00\x01\x02\xbc\x00\x07\xff\xff\xff\xff\x00\x00\x00\x00",
])
def test_malformed_stills_give_no_packet_and_no_crash(tmp_path: Path, blob: bytes, prober):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(blob)
    assert xmp.still_packet(bad) is None
    probe = prober.probe(str(bad))
    assert not probe.is_ai


def test_iptc_ai_system_names_the_tool(tmp_path: Path, library, prober):
    packet = (f"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF {RDF}><rdf:Description {NS} "
              f"Iptc4xmpExt:DigitalSourceType='{TRAINED}'>"
              "<Iptc4xmpExt:AISystemUsed>Midjourney</Iptc4xmpExt:AISystemUsed>"
              "<Iptc4xmpExt:AISystemVersionUsed>6.1</Iptc4xmpExt:AISystemVersionUsed>"
              "</rdf:Description></rdf:RDF></x:xmpmeta>").encode()
    assert xmp.ai_system(packet) == ("Midjourney", "6.1")
    src = library["xmp_capture.jpg"].read_bytes()  # reuse a JPEG; swap in our APP1 block
    app1 = b"http://ns.adobe.com/xap/1.0/\x00" + packet
    jpg = tmp_path / "mj.jpg"
    jpg.write_bytes(src[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + src[2:])
    probe = prober.probe(str(jpg))
    assert probe.is_ai
    assert probe.hints["tool"] == {"product": "Midjourney", "vendor": "Midjourney",
                                  "version": "6.1"}
    assert [e.get("tool") for e in probe.evidence if e["ai"]] == ["Midjourney 6.1"]
