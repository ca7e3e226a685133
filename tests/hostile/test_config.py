"""Hostile profiles and registers: Python tags, alias bombs, wrong schema, special files.

A bad profile or register is a usage problem for the whole run: exit 2 before any
timeline is read, one stderr line naming the file and (when it has one) the line.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from aiclear.cli import main
from tests.conftest import SAMPLES
from tests.hostile import corpus

CLEAN = str(SAMPLES / "clean_cut.otio")
PWNED = "aiclear-hostile-pwned"


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[Path], Path]
    place: str | None
    problem: str


def _yaml(name: str, body: str | bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body.replace("@PWNED@", str(folder / PWNED)))
        return path
    return make


def _bomb(levels: int = 9, width: int = 9) -> str:
    lines = ['  l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


PROFILE_HEAD = "aiclear_profile: 1\nname: hostile\n"
REGISTER_HEAD = "aiclear_register: 1\n"

PROFILE_CASES = [
    Case("python-apply", _yaml("apply.yaml", PROFILE_HEAD + "description: !!python/object/apply:os.system "
                                             "['touch @PWNED@']\n"),
         "3", r"not valid YAML: could not determine a constructor for the tag "
              r"'tag:yaml\.org,2002:python/object/apply:os\.system' \(expected a policy profile\)"),
    Case("python-name", _yaml("name.yaml", PROFILE_HEAD + "detect: !!python/name:os.system\n"),
         "3", r"not valid YAML: could not determine a constructor .+python/name:os\.system.+"),
    Case("python-new", _yaml("new.yaml", PROFILE_HEAD + "rules: !!python/object/new:subprocess.Popen "
                                         "[['touch', '@PWNED@']]\n"),
         "3", r"not valid YAML: could not determine a constructor .+python/object/new.+"),
    Case("alias-bomb", _yaml("bomb.yaml", PROFILE_HEAD + "description:\n" + _bomb()), r"\d+",
         r"YAML aliases expand to more than 1000000 nodes \(alias bomb\) \(expected a policy profile "
         r"without alias expansion tricks\)"),
    Case("alias-count", _yaml("aliases.yaml", PROFILE_HEAD + "description:\n  - &a x\n"
                                                             + "  - *a\n" * 300),
         r"\d+", r"more than 200 YAML aliases.+"),
    Case("recursive-alias", _yaml("recursive.yaml", PROFILE_HEAD + "description: &a [*a]\n"),
         "3", r"recursive YAML alias \(expected a policy profile without recursive aliases\)"),
    Case("deep-nesting", _yaml("deep.yaml", PROFILE_HEAD + "detect: " + "[" * 10_000 + "]" * 10_000 + "\n"),
         "3", r"YAML nested deeper than 512 levels \(expected a policy profile nested at most 512 "
              r"levels \(AICLEAR_MAX_DEPTH\)\)"),
    Case("deep-blocks", _yaml("blocks.yaml", PROFILE_HEAD + "detect:\n" + "".join(
        " " * (2 * i + 2) + "k:\n" for i in range(1500))), "1503",
         r"YAML nested too deeply \(expected a policy profile nested at most a few levels\)"),
    Case("wrong-type", _yaml("rules-list.yaml", PROFILE_HEAD + "rules: [1, 2]\n"),
         "3", r"rules: \[1, 2\] is not of type 'object' \(expected a value of type object\)"),
    Case("wrong-severity", _yaml("severity.yaml", PROFILE_HEAD + "rules:\n  scan.error: maybe\n"),
         "4", r"rules\.scan\.error: 'maybe' is not one of .+\(expected one of: .+\)"),
    Case("unknown-rule", _yaml("unknown.yaml", PROFILE_HEAD + "rules:\n  no.such: block\n"),
         "4", r"rules\.no\.such: unknown rule \(expected one of: .+\)"),
    Case("not-a-mapping", _yaml("list.yaml", "- 1\n- 2\n"), "1", "top level is not a mapping.+"),
    Case("truncated", _yaml("trunc.yaml", PROFILE_HEAD + "description: 'unterminated\n"),
         r"\d+", "not valid YAML: .+"),
    Case("invalid-utf8", _yaml("utf8.yaml", PROFILE_HEAD.encode() + b"description: \xff\xfe\n"),
         "3", r"byte 46 is not UTF-8 \(expected a UTF-8 policy profile\)"),
    Case("extends-cycle", _yaml("cycle.yaml", PROFILE_HEAD + "extends: ./cycle.yaml\n"),
         None, r"profile extends itself .+"),
    Case("dev-zero", lambda f: Path("/dev/zero"), None,
         r"is a device, not a regular file \(expected a YAML profile, or one of: .+\)"),
    Case("fifo", lambda f: corpus.make_fifo(f / "fifo.yaml"), None, r"is a FIFO, not a regular file.+"),
    Case("directory", lambda f: (f / "dir.yaml").mkdir() or f / "dir.yaml", None,
         r"is a directory, not a regular file.+"),
    Case("symlink-loop", lambda f: corpus.symlink_loop(f, "loop.yaml"), None, r"symbolic link loop.+"),
]

REGISTER_CASES = [
    Case("python-apply", _yaml("apply.yaml", REGISTER_HEAD + "assets:\n  - match: {file: x.mov}\n"
                                              "    tool: !!python/object/apply:os.system ['touch @PWNED@']\n"),
         "4", r"not valid YAML: could not determine a constructor .+ \(expected a AI register\)"),
    Case("alias-bomb", _yaml("bomb.yaml", REGISTER_HEAD + "assets: []\nproduction:\n" + _bomb()), r"\d+",
         r"YAML aliases expand to more than 1000000 nodes \(alias bomb\).+"),
    Case("deep-nesting", _yaml("deep.yaml", REGISTER_HEAD + "assets: " + "[" * 10_000 + "]" * 10_000 + "\n"),
         "2", r"YAML nested deeper than 512 levels.+"),
    Case("wrong-schema", _yaml("wrong.yaml", REGISTER_HEAD + "assets:\n  - match: {file: 5}\n"),
         "3", r"assets\.0\.match\.file: 5 is not of type 'string' \(expected an entry matching "
              r"register\.schema\.json\)"),
    Case("csv-unknown-column", _yaml("cols.csv", "file,evil\nx.mov,1\n"), "1", r"unknown column 'evil'.+"),
    Case("csv-binary", _yaml("bin.csv", bytes(range(256))), "2", r"byte 128 is not UTF-8.+"),
    Case("wrong-suffix", _yaml("reg.txt", "file\nx.mov\n"), None, r"unknown register format \.txt.+"),
    Case("dev-zero", lambda f: Path("/dev/zero"), None, r"is a device, not a regular file.+"),
    Case("fifo", lambda f: corpus.make_fifo(f / "fifo.yaml"), None, r"is a FIFO, not a regular file.+"),
    Case("symlink-loop", lambda f: corpus.symlink_loop(f, "loop.csv"), None, r"symbolic link loop.+"),
]


def _run(args: list[str], capsys: pytest.CaptureFixture[str], refused: bool = True) -> tuple[int, str]:
    started = time.monotonic()
    code = main(args)
    assert time.monotonic() - started < 20
    out, err = capsys.readouterr()
    assert (out == "") is refused  # a refusal comes before any report
    return code, err


@pytest.mark.parametrize("case", PROFILE_CASES, ids=[c.id for c in PROFILE_CASES])
def test_hostile_profile_is_refused(case: Case, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = case.make(tmp_path)
    code, err = _run(["check", CLEAN, "--profile", str(path)], capsys)
    assert code == 2
    corpus.assert_error_line(err, path, case.place, case.problem)
    assert not (tmp_path / PWNED).exists()


@pytest.mark.parametrize("case", REGISTER_CASES, ids=[c.id for c in REGISTER_CASES])
def test_hostile_register_is_refused(case: Case, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = case.make(tmp_path)
    code, err = _run(["check", CLEAN, "--register", str(path)], capsys)
    assert code == 2
    corpus.assert_error_line(err, path, case.place, case.problem)
    assert not (tmp_path / PWNED).exists()


def test_config_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(PROFILE_HEAD + "description: '" + "x" * 5000 + "'\n")
    monkeypatch.setenv("AICLEAR_MAX_CONFIG_BYTES", "4096")
    code, err = _run(["check", CLEAN, "--profile", str(path)], capsys)
    assert code == 2
    corpus.assert_error_line(err, path, None, r"file is 5\d\d\d bytes, over the limit of 4096 .+")


def test_register_entries_naming_special_files_only_match_names(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Register entries are patterns, never opened: /dev/zero, a FIFO or a URL in one is inert."""
    fifo = corpus.make_fifo(tmp_path / "plate.mov")
    register = tmp_path / "register.yaml"
    register.write_text(REGISTER_HEAD + "assets:\n"
                        "  - match: {file: /dev/zero}\n    tool: Sora\n"
                        f"  - match: {{file: {fifo}}}\n    tool: Sora\n"
                        "  - match: {glob: 'http://127.0.0.1:9/*'}\n    tool: Sora\n")
    code, err = _run(["check", CLEAN, "--register", str(register)], capsys, refused=False)
    assert (code, err) == (0, "")
    assert os.path.exists(fifo)
