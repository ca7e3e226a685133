"""What the commands print on a terminal: colour, a progress bar, one success line.

Colour and bars only on a terminal (``isatty``), never with ``NO_COLOR`` set or
``TERM=dumb``: output to a pipe or a file stays byte-for-byte what scripts and tests read.
Success lines go to stderr, so stdout stays the command's result.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from aiclear.model import Report

#: report lines and the style each gets on a terminal
_STYLES = (
    (re.compile(r"^(PASS)\b"), "bold green"),
    (re.compile(r"^(BLOCKED|ERROR)\b"), "bold red"),
    (re.compile(r"^\s+(BLOCK)\b"), "red"),
    (re.compile(r"^\s+(WARN)\b"), "yellow"),
    (re.compile(r"\b(provisional)\b"), "yellow"),
    (re.compile(r"\b(cleared)\b"), "green"),
    (re.compile(r"\b(rejected)\b"), "red"),
)


def colour(stream: TextIO | None = None) -> bool:
    """True when ``stream`` (stdout by default) is a terminal that wants colour."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def print_report(text: str) -> None:
    """The text report on stdout: styled on a terminal, the plain bytes anywhere else."""
    if not colour():
        sys.stdout.write(text)
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    for line in text.splitlines():
        styled = Text(line)
        for pattern, style in _STYLES:
            for match in pattern.finditer(line):
                styled.stylize(style, match.start(1), match.end(1))
        console.print(styled)


def print_summary(report: Report) -> None:
    """On a terminal only, after the report: per blocked timeline, what fixes its blockers
    (aiclear.review.blocks groups), the compact answer to "what do I do next"."""
    if not colour():
        return
    from rich.console import Console

    from aiclear.review.blocks import FIXES, fix_for

    console = Console(highlight=False, soft_wrap=True)
    for t in report.timelines:
        counts: dict[str, int] = {}
        for f in t.blocking:
            counts[fix_for(f.rule)] = counts.get(fix_for(f.rule), 0) + 1
        if counts:
            parts = " · ".join(f"{FIXES[fix][0]} ({counts[fix]})" for fix in FIXES if fix in counts)
            name = f"{t.path} [{t.name}]" if t.name else t.path
            console.print(f"[bold red]✗[/bold red] {name}: {parts}")


def done(message: str) -> None:
    """One line on stderr saying what a command wrote."""
    if colour(sys.stderr):
        from rich.console import Console

        Console(stderr=True, highlight=False).print(f"[green]✓[/green] {message}")
        return
    sys.stderr.write(f"aiclear: {message}\n")


@contextmanager
def progress_bar(what: str) -> Iterator[Callable[[float], None]]:
    """A bar on a terminal's stderr, advanced with fractions 0..1; silent elsewhere."""
    if not colour(sys.stderr):
        yield lambda _fraction: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=1.0)
        yield lambda fraction: bar.update(task, completed=fraction)
