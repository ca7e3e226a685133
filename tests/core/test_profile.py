"""Profiles: the built-ins load, compose with extends:, and bad ones fail in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiclear.errors import ProfileError
from aiclear.policy.profile import builtin_names, load_profile


def test_builtin_profiles_load_and_extend_baseline() -> None:
    assert builtin_names() == ["baseline", "documentary", "eu-ai-act", "studio-partner"]
    studio = load_profile("studio-partner")
    assert studio.severity("clearance.provisional") == "block"  # inherited
    assert studio.severity("lifecycle.temp") == "block"  # overridden
    assert load_profile("baseline").severity("lifecycle.temp") == "warn"
    assert studio.section("detect")["ai_tokens"]  # inherited mapping


def test_roles_per_use_and_editor_never_clears(tmp_path: Path) -> None:
    baseline = load_profile("baseline")
    assert baseline.accepted_roles("voice") == {"legal"}
    assert baseline.accepted_roles("background_element") == {"producer", "legal"}
    assert baseline.accepted_roles(None) == {"legal", "producer"}
    bad = tmp_path / "p.yaml"
    bad.write_text("aiclear_profile: 1\nname: p\nextends: baseline\n"
                   "clearance:\n  roles:\n    voice: [editor]\n")
    with pytest.raises(ProfileError, match=r"p.yaml:6: clearance.roles.voice.0: .*one of: admin"):
        load_profile(str(bad))


def test_profile_file_extends_relative_file(tmp_path: Path) -> None:
    (tmp_path / "parent.yaml").write_text(
        "aiclear_profile: 1\nname: parent\nextends: documentary\ndefaults: {rate: 25}\n")
    (tmp_path / "child.yaml").write_text(
        "aiclear_profile: 1\nname: child\nextends: parent.yaml\nrules: {tool.declared: warn}\n")
    child = load_profile(str(tmp_path / "child.yaml"))
    assert child.name == "child"
    assert child.default_rate == 25
    assert child.severity("doc.archival") == "block"
    assert child.severity("tool.declared") == "warn"


@pytest.mark.parametrize(("text", "message"), [
    ("aiclear_profile: 1\nname: x\nrules:\n  clearance.provisionl: block\n",
     r"x.yaml:4: rules.clearance.provisionl: unknown rule \(expected one of: .*clearance.provisional"),
    ("aiclear_profile: 1\nname: x\nrules:\n  lifecycle.temp: maybe\n",
     r"x.yaml:4: rules.lifecycle.temp: .* \(expected one of: block, warn, off\)"),
    ("aiclear_profile: 1\nname: x\ncolour: red\n", r"x.yaml:1: \(top level\): .*colour"),
    ("aiclear_profile: 1\nname: x\nextends: nosuch\n", r"nosuch: unknown profile \(expected one of: baseline"),
    ("aiclear_profile: 1\nname: x\ndefaults: {rate: -3}\n", r"x.yaml:3: defaults.rate: .*expected a number above 0"),
    ("- just\n- a list\n", r"x.yaml:1: top level is not a mapping"),
    ("a: &a [1]\nb: *a\nname: !!python/name:os.system\n", r"x.yaml:3: not valid YAML"),
])
def test_bad_profile_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text)
    with pytest.raises(ProfileError, match=message) as err:
        load_profile(str(path))
    assert "\n" not in str(err.value)


def test_extends_cycle_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("aiclear_profile: 1\nname: a\nextends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("aiclear_profile: 1\nname: b\nextends: a.yaml\n")
    with pytest.raises(ProfileError, match="cycle"):
        load_profile(str(tmp_path / "a.yaml"))


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 10)}]" for i in range(1, 30)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ProfileError, match="aliases"):
        load_profile(str(path))


@pytest.mark.parametrize("name", builtin_names())
def test_every_builtin_profile_passes_the_schema(name: str) -> None:
    # check loads built-in profiles without jsonschema (its import is half of the
    # start-up), so this is where they are validated: by the schema, as a user file is
    import jsonschema

    from aiclear.policy import profile
    from aiclear.safety import yamlio

    builtin = load_profile(name)
    assert all(profile._is_builtin(Path(p)) for p in builtin.sources)
    for source in map(Path, builtin.sources):  # libyaml reads them as the hostile-input loader
        assert profile._builtin(source)[0] == yamlio.load(source, ProfileError, "profile")[0]
    jsonschema.Draft202012Validator(profile._schema()).validate(builtin.data)


def test_a_copy_of_a_builtin_profile_outside_the_package_is_validated(tmp_path: Path) -> None:
    from aiclear.policy import profile

    source = Path(load_profile("baseline").sources[0])
    copy = tmp_path / "baseline.yaml"
    copy.write_text(source.read_text(encoding="utf-8") + "\nbogus_key: 1\n", encoding="utf-8")
    assert not profile._is_builtin(copy)
    with pytest.raises(ProfileError, match="bogus_key"):
        load_profile(str(copy))
