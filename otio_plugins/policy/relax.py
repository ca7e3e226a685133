"""Which declared record fields relax what an asset needs, and whose signature they need.

A declaration (aiclear.ledger.declaration, the panel's Edit record) lays record fields
over an asset's record. Fields that make the record stricter count from any trusted key.
Fields that relax it count only when the signer holds a role that may clear the asset as
it stands, or is an admin; from anyone else every check ignores them and says so
(``declare.relaxing``). Relaxing means:

- ``people``: a person's consent moved to granted / not required, a union performer's
  replica terms newly complete, or a person dropped;
- ``fact_check`` toward verified; a ``principles`` answer toward yes (or dropped);
- ``lifecycle`` made temp; ``presented_as`` moved off archival;
- ``use``: one that other roles may clear, that leaves a person use (likeness, voice,
  replica), or that the tool is approved for where the current use is not.

Otherwise an editor's key could declare consent granted or a fact-check verified and so
satisfy the rules that make legal look at a clip, or lower its risk tier.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from aiclear.catalogue import Catalogue, tool_status
from aiclear.catalogue.checks import use_not_approved
from aiclear.detect.record import declare
from aiclear.model import UsageRecord
from aiclear.policy.profile import Profile
from aiclear.policy.risk import answers, clearing_roles, deciding_roles
from aiclear.policy.rules import GIVEN, PERSON_USES

#: a signer that may relax any declaration (besides the roles that clear the asset)
ADMIN = "admin"
ARCHIVAL = frozenset({"archival_or_primary_source"})
_FACT_RANK = {"failed": 0, "verified": 2}  # pending, n_a or none: 1
_ANSWER_RANK = {"no": 0, "unsure": 1, "yes": 2}  # unanswered: 2 (it escalates nothing)
UNIONS = frozenset({"sag_aftra", "sagaftra"})


@dataclass(frozen=True, slots=True)
class Screened:
    """A declaration's fields, split into those that count and what the rest would relax."""

    counted: dict[str, object]
    ignored: dict[str, str]  # field -> what it would relax ("consent", "use" ...)
    roles: frozenset[str]  # the roles that may clear the asset as it stands

    def refusal(self, who: str) -> str:
        """The one line a check shows for the ignored fields; ``who`` is "Name (role)"."""
        what = ", ".join(dict.fromkeys(self.ignored.values()))
        roles = " or ".join(sorted(self.roles)) or ADMIN
        return f"declaration by {who} would relax {what}; it needs a role that clears this " \
               f"use: {roles}"


def screen(record: UsageRecord, fields: Mapping[str, object], role: str, profile: Profile,
           catalogue: Catalogue | None = None) -> Screened:
    """Split ``fields`` declared by a signer with ``role`` over ``record`` (as it stands
    before them) into what counts and what is ignored."""
    roles = deciding_roles(record, profile)
    ignored: dict[str, str] = {}
    if role != ADMIN and role not in roles:
        for key, value in fields.items():
            check = _RELAXES.get(key)
            # a field with no check here cannot be shown to be stricter: it counts only
            # from a clearing role (fail closed if DECLARABLE grows without a check)
            what = check(record, value, profile, catalogue) if check else key
            if what:
                ignored[key] = what
    counted = {k: v for k, v in fields.items() if k not in ignored}
    return Screened(counted, ignored, roles)


def _after(record: UsageRecord, key: str, value: object) -> UsageRecord:
    trial = copy.deepcopy(record)
    declare(trial, {key: value}, "")
    return trial


def _use(record: UsageRecord, value: object, profile: Profile,
         catalogue: Catalogue | None) -> str | None:
    if value == record.get("use"):
        return None
    after = _after(record, "use", value)
    wider = not clearing_roles(after, profile) <= deciding_roles(record, profile)
    leaves_person = record.get("use") in PERSON_USES and value not in PERSON_USES
    return "use" if wider or leaves_person or _tool_now_approved(record, after, catalogue) \
        else None


def _tool_now_approved(before: UsageRecord, after: UsageRecord,
                       catalogue: Catalogue | None) -> bool:
    """The catalogue approves the tool for the declared use and not for the current one."""
    if catalogue is None:
        return False
    def refused(record: UsageRecord) -> bool:
        judged = copy.copy(record)
        judged["catalogue"] = tool_status(record, catalogue)
        return use_not_approved(judged, "") is not None

    return refused(before) and not refused(after)


def _lifecycle(record: UsageRecord, value: object, profile: Profile,
               catalogue: Catalogue | None) -> str | None:
    return "lifecycle" if value == "temp" and record.get("lifecycle") != "temp" else None


def _presented_as(record: UsageRecord, value: object, profile: Profile,
                  catalogue: Catalogue | None) -> str | None:
    was = record.get("presented_as")
    return "presented_as" if was in ARCHIVAL and value not in ARCHIVAL else None


def _fact_rank(value: object) -> int:
    status = value.get("status") if isinstance(value, dict) else value
    return _FACT_RANK.get(str(status or ""), 1)


def _fact_check(record: UsageRecord, value: object, profile: Profile,
                catalogue: Catalogue | None) -> str | None:
    return "fact_check" if _fact_rank(value) > _fact_rank(record.get("fact_check")) else None


def _principles(record: UsageRecord, value: object, profile: Profile,
                catalogue: Catalogue | None) -> str | None:
    before, after = answers(record), answers(_after(record, "principles", value))
    for key in {*before, *after}:
        was, now = before.get(key), after.get(key)
        if _ANSWER_RANK.get(now["answer"] if now else "yes", 1) \
                > _ANSWER_RANK.get(was["answer"] if was else "yes", 1):
            return "principles"
    return None


def _people(record: UsageRecord, value: object, profile: Profile,
            catalogue: Catalogue | None) -> str | None:
    before, after = _by_name(record.get("people")), _by_name(value)
    for name, person in before.items():
        theirs = after.get(name)
        if theirs is None:
            return "people"  # dropped: their consent is no longer asked for
        if _consented(theirs) > _consented(person) or _union_ok(theirs) > _union_ok(person):
            return "consent"
    return None


def _by_name(people: object) -> dict[str, Mapping[str, object]]:
    found = people if isinstance(people, list) else []
    return {str(p.get("name") or "").strip(): p for p in found if isinstance(p, dict)}


def _consent(person: Mapping[str, object]) -> Mapping[str, object]:
    consent = person.get("consent")
    return consent if isinstance(consent, dict) else {}


def _consented(person: Mapping[str, object]) -> bool:
    return _consent(person).get("status") in GIVEN


def _union_ok(person: Mapping[str, object]) -> bool:
    """What ``people.union_terms`` asks of a union performer: replica type and consent ref."""
    union = str(person.get("union") or "").lower().replace("-", "_")
    return union not in UNIONS or bool(person.get("replica_type") and _consent(person).get("ref"))


_Check = Callable[[UsageRecord, object, Profile, Catalogue | None], str | None]
_RELAXES: dict[str, _Check] = {
    "use": _use, "lifecycle": _lifecycle, "presented_as": _presented_as,
    "fact_check": _fact_check, "principles": _principles, "people": _people,
}
