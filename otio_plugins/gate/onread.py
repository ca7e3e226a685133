"""Tag on read: the ``post_adapter_read`` hook puts a usage record on every AI clip of
whatever an OTIO adapter read, rebuilding records from round-trip carriers.

Off when the profile says ``gate: {tag_on_read: false}`` or the caller passes
``hook_function_argument_map={"aiclear": {"tag": False}}`` (aiclear's own reads do: the
scan tags by itself). A failure here never breaks the read: it is logged and the object
comes back as the adapter made it (the export gate scans again and fails closed).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from aiclear.gate import hookenv
from aiclear.gate import writeback as tag
from aiclear.safety import shape
from aiclear.scan.objects import scan_object
from aiclear.scan.settings import ScanSettings

if TYPE_CHECKING:  # annotations only: importing OTIO here is not needed at run time
    import opentimelineio as otio

log = logging.getLogger("aiclear.gate.writeback")


def enabled(argument_map: Mapping[str, object] | None) -> bool:
    return hookenv.options(argument_map).get("tag") is not False


def tag_object(obj: otio.core.SerializableObject, settings: ScanSettings) -> int:
    """Write records onto the AI clips of ``obj`` in place; returns how many."""
    return sum(tag.apply_records(result) for result in scan_object(obj, settings))


def hook_tag(in_timeline: otio.core.SerializableObject,
             argument_map: Mapping[str, object] | None = None) -> otio.core.SerializableObject:
    """OTIO ``post_adapter_read``."""
    try:
        if not enabled(argument_map):
            return in_timeline
        rate = shape.mapping((argument_map or {}).get("adapter_arguments")).get("rate")
        settings = hookenv.settings(hookenv.options(argument_map), rate)
        if settings.profile.section("gate").get("tag_on_read", True) is False:
            return in_timeline
        tagged = tag_object(in_timeline, settings)
        if tagged:
            log.info("aiclear: tagged %d AI clip(s) on read", tagged)
    except Exception as err:  # noqa: BLE001 - tagging must never break a read
        log.warning("aiclear: could not tag AI clips on read: %s: %s", type(err).__name__, err)
    return in_timeline
