"""A local profile over the production's: it may add, it may never weaken.

``combine(base, local)`` starts from ``base`` (the production's profile; the pinned one
once the production root is wired, else the built-in the local file ``extends:``) and
takes from ``local`` only what makes the policy stricter or says more:

- rules: new rules, and higher severities (off < warn < block); a lower one is ignored;
- gate.deliverables: the union (a local file can add a format, never drop one);
- clearance: narrower role lists only (a non-empty subset); ``allow_reference_approvals``
  only where the base already allows it; ``require_bound_approvals`` only switched on;
- detect: more tokens, phrases, tools, qualifiers and sources; negations and ignored
  extensions (which hide AI) stay the base's;
- disclosure: ``on_screen`` only upwards (none < deepfakes < classes < all), more classes,
  never ``programme_evidently_artistic`` the base does not grant; layout keys are local;
- media: more media roots, AI tool names and tag keys; never other trust anchors (they
  would make a stranger's C2PA signature "trusted"); timeouts and the cache are local.

Everything refused is logged as one line ``aiclear: profile FILE: KEY: ... ignored``
(warning) and listed in ``Profile.notices``.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path

from aiclear.errors import ProfileError
from aiclear.model import JsonObject
from aiclear.policy.profile import DEFAULT_PROFILE, Profile, builtin_folder, load_profile
from aiclear.safety import shape

log = logging.getLogger("aiclear.policy")

SEVERITY = {"off": 0, "warn": 1, "block": 2}
ON_SCREEN = {"none": 0, "deepfakes": 1, "classes": 2, "all": 3}
_DETECT_ADD = ("ai_tokens", "ai_phrases", "qualifiers", "sources")
_DETECT_TOOLS = ("tools", "qualified_tools")
_MEDIA_ADD = ("media_roots", "ai_tools", "tag_keys")
_MEDIA_LOCAL = ("probe_timeout", "cache")


def combine(base: Profile, local: Profile) -> Profile:
    """``base`` with what ``local`` adds; anything weakening is ignored with a notice."""
    notices: list[str] = []
    where = local.sources[0] if local.sources else local.name

    def refuse(key: str, why: str) -> None:
        line = f"aiclear: profile {where}: {key}: {why}; ignored (a local profile may only add)"
        notices.append(line)
        log.warning("%s", line)

    data = copy.deepcopy(base.data)
    theirs = local.data
    _rules(data, theirs, refuse)
    _gate(data, theirs, refuse)
    _clearance(data, theirs, refuse)
    _detect(data, theirs, refuse)
    _disclosure(data, theirs, refuse)
    _media(data, theirs, refuse)
    defaults = theirs.get("defaults")
    if isinstance(defaults, dict):
        _own(data, "defaults").update(copy.deepcopy(defaults))
    # the catalogue a local file names travels like --catalogue: the production root pins
    # which catalogue counts (ledger.catalogue in aiclear.scan.core)
    for key in ("description", "production", "catalogue"):
        if key in theirs and key not in data:
            data[key] = theirs[key]
    name = local.name if local.name == base.name else f"{local.name} (over {base.name})"
    data["name"] = name
    sources = tuple(dict.fromkeys((*local.sources, *base.sources)))
    return replace(Profile(name=name, data=data, sources=sources),
                   notices=tuple(notices))


def effective_profile(spec: str | Path | None, base: Profile | str | None = None) -> Profile:
    """The profile a command or hook applies (see ``_effective``); computed, and its
    notices logged, once per process for a file and a named base."""
    if isinstance(base, Profile):
        return _effective(str(spec or DEFAULT_PROFILE), base)
    return _cached(str(spec or DEFAULT_PROFILE), base)


@cache
def _cached(spec: str, base: str | None) -> Profile:
    return _effective(spec, base)


def _effective(spec: str | Path | None, base: Profile | str | None = None) -> Profile:
    """The profile a command or hook applies for ``--profile`` / ``AICLEAR_PROFILE``.

    With ``base`` (the production's pinned profile), anything named - a file or a built-in
    such as ``baseline`` - is combined over it. Without one, a built-in name is used as
    shipped, and a file is combined over the built-in profile it ``extends:`` (through any
    chain of files), else ``baseline``.
    """
    local = load_profile(spec)
    if base is None:
        if not local.sources or not _is_file(local.sources[0]):
            return local  # a built-in: shipped with aiclear, nothing to weaken it from
        base = _builtin_root(local) or DEFAULT_PROFILE
    base_profile = load_profile(base) if not isinstance(base, Profile) else base
    return combine(base_profile, local)


def _is_file(source: str) -> bool:
    return Path(source).resolve().parent != builtin_folder()


def _builtin_root(local: Profile) -> str | None:
    """The first built-in profile in the file's ``extends:`` chain."""
    for source in local.sources:
        if not _is_file(source):
            return Path(source).stem
    return None


Refuse = Callable[[str, str], None]


def _own(data: JsonObject, key: str) -> JsonObject:
    """``data[key]``, the mapping itself (created empty when absent), so what is added to
    it lands in ``data``. The base profile was validated: a section is a mapping."""
    value = data.setdefault(key, {})
    if not isinstance(value, dict):
        raise ProfileError(None, f"{key}: not a mapping", expected="a mapping")
    return value


def _theirs(data: JsonObject, key: str) -> JsonObject:
    """A section of the local profile, read only; ``{}`` when absent."""
    return shape.mapping(data.get(key))


def _rules(data: JsonObject, theirs: JsonObject, refuse: Refuse) -> None:
    ours = _own(data, "rules")
    for rule, severity in _theirs(theirs, "rules").items():
        have = str(ours.get(rule, "off"))
        if SEVERITY.get(str(severity), 0) >= SEVERITY.get(have, 0):
            ours[rule] = severity
        else:
            refuse(f"rules.{rule}", f"{severity} is weaker than the production's {have}")


def _gate(data: JsonObject, theirs: JsonObject, refuse: Refuse) -> None:
    gate = _theirs(theirs, "gate")
    ours = _own(data, "gate")
    if "deliverables" in gate:
        have = [str(s) for s in shape.items(ours.get("deliverables", []))]
        want = [str(s) for s in shape.items(gate.get("deliverables"))]
        missing = [s for s in have if _suffix(s) not in {_suffix(w) for w in want}]
        if missing:
            refuse("gate.deliverables", "drops " + ", ".join(missing))
        ours["deliverables"] = have + [w for w in want if _suffix(w) not in
                                       {_suffix(h) for h in have}]
    if gate.get("tag_on_read") is not None and gate["tag_on_read"] != ours.get("tag_on_read"):
        ours["tag_on_read"] = gate["tag_on_read"]  # display only: the gate does not use it


def _suffix(text: str) -> str:
    return "." + text.lower().lstrip(".")


def _clearance(data: JsonObject, theirs: JsonObject, refuse: Refuse) -> None:
    clearance = _theirs(theirs, "clearance")
    ours = _own(data, "clearance")
    default = _roles(ours.get("default", ["legal"]))
    if "default" in clearance:
        ours["default"] = _narrower("clearance.default", default, clearance["default"], refuse)
    roles = _own(ours, "roles")
    for use, wanted in _theirs(clearance, "roles").items():
        have = _roles(roles.get(use, ours.get("default", default)))
        roles[use] = _narrower(f"clearance.roles.{use}", have, wanted, refuse)
    if clearance.get("allow_reference_approvals") and not ours.get("allow_reference_approvals"):
        refuse("clearance.allow_reference_approvals",
               "approvals by reference are off in the production's profile")
    if clearance.get("require_bound_approvals") is True:
        ours["require_bound_approvals"] = True
    elif "require_bound_approvals" in clearance and ours.get("require_bound_approvals") is True:
        refuse("clearance.require_bound_approvals",
               "the production's profile counts only approvals bound to their record")


def _roles(value: object) -> list[str]:
    """A role list of the base profile (validated: role names)."""
    return [str(r) for r in shape.items(value)]


def _narrower(key: str, have: list[str], wanted: object, refuse: Refuse) -> list[str]:
    asked = [str(r) for r in shape.items(wanted)]
    extra = [r for r in asked if r not in have]
    if extra:
        refuse(key, "adds the role(s) " + ", ".join(extra))
    kept = [r for r in asked if r in have]
    if not kept:
        if not extra:
            refuse(key, "leaves no role that may clear")
        return have
    return kept


def _detect(data: JsonObject, theirs: JsonObject, refuse: Refuse) -> None:
    detect = _theirs(theirs, "detect")
    ours = _own(data, "detect")
    for key in _DETECT_ADD:
        if key in detect:
            have = shape.items(ours.get(key))
            wanted = shape.items(detect[key])
            dropped = [str(v) for v in have if v not in wanted]
            if dropped:
                refuse(f"detect.{key}", "drops " + ", ".join(dropped[:6])
                       + (" ..." if len(dropped) > 6 else ""))
            ours[key] = have + [v for v in wanted if v not in have]
    for key in _DETECT_TOOLS:
        tools_wanted = detect.get(key)
        if isinstance(tools_wanted, dict):
            tools = _own(ours, key)
            for name, value in tools_wanted.items():
                tools.setdefault(name, copy.deepcopy(value))
    for key in ("negations", "ignore_extensions"):
        if key in detect and _more(detect[key], ours.get(key)):
            refuse(f"detect.{key}", "would hide AI terms the production's profile finds")


def _more(wanted: object, have: object) -> bool:
    return bool(set(map(str, _as_list(wanted))) - set(map(str, _as_list(have))))


def _disclosure(data: JsonObject, theirs: JsonObject, refuse: Refuse) -> None:
    disclosure = _theirs(theirs, "disclosure")
    ours = _own(data, "disclosure")
    for key, value in disclosure.items():
        if key == "on_screen":
            have = str(ours.get("on_screen", "none"))
            if ON_SCREEN.get(str(value), 0) >= ON_SCREEN.get(have, 0):
                ours[key] = value
            else:
                refuse("disclosure.on_screen", f"{value} shows less than the production's {have}")
        elif key == "on_screen_classes":
            classes = shape.items(ours.get(key))
            ours[key] = classes + [c for c in shape.items(value) if c not in classes]
        elif key == "programme_evidently_artistic":
            if value and not ours.get(key):
                refuse(f"disclosure.{key}", "would allow a limited disclosure")
        else:
            ours[key] = copy.deepcopy(value)  # layout and language: how, not whether


def _media(data: JsonObject, theirs: JsonObject, refuse: Refuse) -> None:
    media = _theirs(theirs, "media")
    ours = _own(data, "media")
    for key in _MEDIA_ADD:
        if key in media:
            have = _as_list(ours.get(key))
            ours[key] = have + [v for v in _as_list(media[key]) if v not in have]
    for key in _MEDIA_LOCAL:
        if key in media:
            ours[key] = media[key]
    if "trust_anchors" in media and _as_list(media["trust_anchors"]) != _as_list(
            ours.get("trust_anchors")):
        refuse("media.trust_anchors", "a local profile cannot choose whom C2PA trusts")


def _as_list(value: object) -> list[object]:
    """One text as a list of one; a list as it is; None as empty. Other values (which the
    schema does not allow) read as a list of themselves, so they differ from every list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return shape.items(value) if isinstance(value, list | tuple) else [value]
