"""Scan settings: the one place they are built.

``SettingsSpec`` is what a front end says (profile, registers, rate, media options, which
ledger); calling it builds the ``ScanSettings`` the scan runs with: the profile and
registers loaded and validated, a media prober, and the one ledger factory. A spec is
small, typed and picklable, so a worker process (local pool or Dask) builds the same
settings again. The CLI and the hook environment only translate their inputs into a spec.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from aiclear.catalogue import Catalogue, load_catalogue
from aiclear.catalogue.load import profile_catalogue
from aiclear.detect.register import Register, load_register
from aiclear.policy.combine import effective_profile
from aiclear.policy.profile import Profile, load_profile
from aiclear.scan.ports import ClearanceView, MediaProber

LedgerFor = Callable[[Path | None], ClearanceView | None]

#: as in aiclear.ledger.location, which is not imported here: importing aiclear.ledger
#: loads SQLAlchemy and cryptography (~0.4 s), more than checking a 10k-clip timeline
LEDGER_ENV = "AICLEAR_LEDGER"
LEDGER_FILE = "aiclear-ledger.sqlite"


@dataclass
class ScanSettings:
    profile: Profile = field(default_factory=load_profile)
    registers: Sequence[Register] = ()
    rate: float | None = None  # for formats without one (EDL); else the profile default
    media: MediaProber | None = None
    ledger_for: LedgerFor | None = None
    catalogue: Catalogue | None = None  # approved tools (--catalogue, or the profile's)
    #: why media is not read although the caller gates with media (``--no-media``,
    #: ``AICLEAR_MEDIA=off``): what it does not read counts as unprobed
    media_off: str | None = None
    #: the options the fix hint ``aiclear approve SEGMENT --timeline ... OPTIONS`` repeats so
    #: the approve finds the segment the way the check did, as the user typed them
    hint_options: str = ""

    @property
    def default_rate(self) -> float:
        return self.rate or self.profile.default_rate


@dataclass(frozen=True)
class MediaOptions:
    """How to read media files; ``enabled=False`` reads none (names, markers, register only)."""

    enabled: bool = False
    media_root: tuple[str, ...] = ()
    trust_anchors: str | None = None
    no_cache: bool = False
    probe_timeout: float | None = None
    jobs: int | None = None
    progress: bool | None = None  # None: a bar when stderr is a terminal
    off_reason: str | None = None  # media was asked for and switched off: say so, count it unprobed


@dataclass(frozen=True)
class LedgerOptions:
    """Which ledger decides statuses: ``location`` (``--ledger``), else $AICLEAR_LEDGER, else
    the ledger beside each timeline. ``fresh``: open it again for every scan, for processes
    that live long (a conform script, the panel) and must see new approvals. ``trust_root``:
    pin this production root for the run (``--trust-root``; see aiclear.ledger.pins)."""

    location: str | None = None
    fresh: bool = False
    trust_root: str | None = None  # a production root fingerprint to trust for this run


@dataclass(frozen=True)
class SettingsSpec:
    """Everything needed to build ``ScanSettings``, again inside a worker process."""

    profile: str
    registers: tuple[str, ...] = ()
    rate: float | None = None
    media: MediaOptions = MediaOptions()
    ledger: LedgerOptions | None = None  # None: no ledger, every AI segment stays provisional
    catalogue: str | None = None  # approved-tools catalogue; None: the profile's, if any
    #: (Profile, Registers) read here, for workers that cannot read our files (for_cluster)
    loaded: tuple[Profile, tuple[Register, ...]] | None = None
    #: the fix hint's options as given here (for_cluster keeps them: workers run elsewhere)
    shown: str | None = None

    def __call__(self) -> ScanSettings:
        if self.loaded is not None:
            profile, registers = self.loaded[0], list(self.loaded[1])
        else:
            # a profile file only adds to the production's (policy.combine): until the
            # pinned production profile is wired, the base is the built-in the file extends
            profile = effective_profile(self.profile)
            registers = [load_register(p) for p in self.registers]
        where = self.catalogue or profile_catalogue(profile)
        return ScanSettings(profile=profile, registers=registers, rate=self.rate,
                            catalogue=load_catalogue(where) if where else None,
                            media=self._prober(profile), media_off=self.media.off_reason,
                            hint_options=self.shown if self.shown is not None else self._shown(),
                            ledger_for=ledger_factory(self.ledger) if self.ledger else None)

    def for_cluster(self) -> SettingsSpec:
        """This spec for workers in another folder or on another machine: the profile and
        registers travel read (labelled with the paths given here, so the report is the
        local one), and every path option travels absolute (media roots, trust anchors, a
        ledger file, the catalogue, and the profile's own files, which its ``media:``
        paths are relative to)."""
        profile = effective_profile(self.profile)
        profile = replace(profile, sources=tuple(_absolute(s) for s in profile.sources))
        registers = tuple(load_register(p) for p in self.registers)
        media = replace(self.media, media_root=tuple(_absolute(r) for r in self.media.media_root),
                        trust_anchors=_absolute(self.media.trust_anchors)
                        if self.media.trust_anchors else None)
        ledger = self.ledger
        if ledger is not None and ledger.location and "://" not in ledger.location:
            ledger = replace(ledger, location=_absolute(ledger.location))  # a URL stays as is
        catalogue = _absolute(self.catalogue) if self.catalogue else None
        return replace(self, media=media, ledger=ledger, catalogue=catalogue,
                       loaded=(profile, registers), shown=self._shown())

    def _shown(self) -> str:
        """``--register`` / ``--profile`` / ``--media-root`` as given (for the fix hint)."""
        parts: list[str] = []
        for register in self.registers:
            parts += ["--register", register]
        if self.profile != "baseline":
            parts += ["--profile", self.profile]
        if self.media.enabled:
            for root in self.media.media_root:
                parts += ["--media-root", root]
        return shlex.join(parts)

    def _prober(self, profile: Profile) -> MediaProber | None:
        if not self.media.enabled:
            return None
        sources = [p for p in profile.sources if p.endswith((".yaml", ".yml"))]
        folder = Path(sources[0]).parent if sources else None
        from aiclear.media.cli_args import prober_from_options  # PyAV and c2pa load only here

        options = asdict(self.media)
        options.pop("off_reason")
        options["media_root"] = list(self.media.media_root)
        return prober_from_options(options, profile.data, profile_dir=folder)


def _absolute(path: str) -> str:
    return os.path.abspath(os.path.expanduser(path))


def ledger_factory(options: LedgerOptions) -> LedgerFor:
    """The one ledger factory: timeline path -> the ledger's view, or None without a ledger.

    aiclear.ledger is imported only once a ledger can exist (one was named, or a timeline
    has the file beside it). Without ``fresh`` each ledger is read and verified once per
    process however many timelines share it."""
    opened: dict[str, ClearanceView | None] = {}

    def for_timeline(timeline_path: Path | None) -> ClearanceView | None:
        named = bool(options.location) or bool(os.environ.get(LEDGER_ENV, "").strip())
        beside = timeline_path is not None and (
            Path(timeline_path).resolve().parent / LEDGER_FILE).exists()
        if not named and not beside:
            return None  # what open_view() answers here, without the imports
        from aiclear.ledger import open_view, resolve_ledger

        if options.fresh:
            view: ClearanceView | None = open_view(options.location, timeline_path,
                                                   trust_root=options.trust_root)
            return view
        location = resolve_ledger(options.location, timeline_path)
        if location is None:
            return None
        if location not in opened:
            opened[location] = open_view(options.location, timeline_path,
                                         trust_root=options.trust_root)
        return opened[location]

    return for_timeline
