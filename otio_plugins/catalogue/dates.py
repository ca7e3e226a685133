"""Dates in catalogues and registers: YAML reads ``2026-12-31`` as a date object, JSON
Schema wants strings, and rules compare moments. One place turns them all into UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time


def iso_dates(value: object) -> object:
    """``value`` with every date or datetime inside it turned into its ISO string."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [iso_dates(v) for v in value]
    return value


def moment(value: object, *, end_of_day: bool = False) -> datetime | None:
    """An ISO date or date-time as an aware UTC datetime; None when it is not one.

    A bare date is its first instant, or with ``end_of_day`` its last (an agreement
    that "expires 2026-12-31" still covers media made that day).
    """
    if isinstance(value, datetime):
        parsed: datetime | None = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time.max if end_of_day else time.min)
    elif isinstance(value, str) and value.strip():
        text = value.strip().replace("Z", "+00:00")
        try:
            if len(text) == 10:
                parsed = datetime.combine(date.fromisoformat(text),
                                          time.max if end_of_day else time.min)
            else:
                parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
