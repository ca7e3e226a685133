"""The profile's ``disclosure:`` section, read once into typed settings.

Keys (all optional; see resources/schemas/profile.schema.json)::

    disclosure:
      on_screen: all | deepfakes | classes | none   # which segments get an on-screen label
      on_screen_classes: [generated, edited, contains]   # for ``classes``
      limited_style: minimal | none   # deepfakes mode: what a limited disclosure shows
      merge_gap_seconds: 1.0          # labels closer than this merge into one cue
      min_display_seconds: 2.0        # a cue stays at least this long (not into the next)
      max_line_chars: 42              # default from the language template
      max_lines: 3                    # headline + context lines
      reading_speed_cps: 17           # cues are held to be read at this speed (language default)
      position: top-right             # top-right | top-left | bottom-right | bottom-left | bottom-center
      language: en
      programme_evidently_artistic: false   # Art. 50(4): the whole work is artistic/fiction
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from aiclear.errors import UsageError
from aiclear.model import JsonObject
from aiclear.policy.profile import Profile

MODES = ("all", "deepfakes", "classes", "none")
POSITIONS = ("top-right", "top-left", "bottom-right", "bottom-left", "bottom-center")
CLASSES = ("generated", "edited", "contains", "enhanced")


@dataclass(frozen=True, slots=True)
class DisclosureSettings:
    on_screen: str = "classes"
    on_screen_classes: tuple[str, ...] = ("generated", "edited", "contains")
    limited_style: str = "minimal"
    merge_gap_seconds: float = 1.0
    min_display_seconds: float = 2.0
    max_line_chars: int | None = None  # None: the language's default
    max_lines: int = 3
    reading_speed_cps: float | None = None  # None: the language's default
    position: str = "top-right"
    language: str = "en"
    programme_evidently_artistic: bool = False


#: what every disclosure entry point accepts: a Profile, a profile's data dict, just its
#: ``disclosure`` section, or None for the defaults
ProfileLike = Profile | Mapping[str, object] | None


def section(profile: ProfileLike) -> JsonObject:
    """The ``disclosure`` section of a Profile, of a profile's data dict, or the section itself."""
    if profile is None:
        return {}
    data = profile.data if isinstance(profile, Profile) else profile
    if not isinstance(data, Mapping):
        raise UsageError(f"expected a profile or a mapping, got {type(profile).__name__}")
    inner = data.get("disclosure")
    if isinstance(inner, Mapping):
        return dict(inner)
    if "aiclear_profile" in data or "rules" in data or "name" in data:
        return {}  # a whole profile without a disclosure section
    return dict(data)


def settings(profile: ProfileLike) -> DisclosureSettings:
    raw = section(profile)
    base = DisclosureSettings()
    mode = str(raw.get("on_screen", base.on_screen))
    _check(mode, MODES, "on_screen")
    position = str(raw.get("position", base.position))
    _check(position, POSITIONS, "position")
    style = str(raw.get("limited_style", base.limited_style))
    _check(style, ("minimal", "none"), "limited_style")
    given = raw.get("on_screen_classes", base.on_screen_classes)
    # each item is checked below; one value that is not a list is checked as one class
    classes = tuple(str(c) for c in (given if isinstance(given, Iterable) else [given]))
    for c in classes:
        _check(c, CLASSES, "on_screen_classes")
    return DisclosureSettings(
        on_screen=mode,
        on_screen_classes=classes,
        limited_style=style,
        merge_gap_seconds=_number(raw, "merge_gap_seconds", base.merge_gap_seconds),
        min_display_seconds=_number(raw, "min_display_seconds", base.min_display_seconds),
        max_line_chars=_optional_int(raw, "max_line_chars"),
        max_lines=max(1, int(_number(raw, "max_lines", base.max_lines))),
        reading_speed_cps=_optional_float(raw, "reading_speed_cps"),
        position=position,
        language=str(raw.get("language", base.language)),
        programme_evidently_artistic=bool(raw.get("programme_evidently_artistic", False)),
    )


def _check(value: str, allowed: tuple[str, ...], key: str) -> None:
    if value not in allowed:
        raise UsageError(f"profile disclosure.{key}: {value!r} (expected one of {', '.join(allowed)})")


def _number(raw: Mapping[str, object], key: str, default: float) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise UsageError(f"profile disclosure.{key}: {value!r} (expected a number >= 0)")
    return float(value)


def _optional_float(raw: Mapping[str, object], key: str) -> float | None:
    return None if raw.get(key) is None else _number(raw, key, 0)


def _optional_int(raw: Mapping[str, object], key: str) -> int | None:
    return None if raw.get(key) is None else int(_number(raw, key, 0))
