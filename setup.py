"""Map the fixed top-level folders into the single ``aiclear`` import namespace.

pyproject.toml holds the metadata; this file only exists because the folder names
(otio_plugins/, adapters/, gui/, resources/) differ from the import names and their
sub-packages have to be listed for setuptools.
"""

from pathlib import Path

from setuptools import setup

ROOTS = {
    "aiclear": "otio_plugins",
    "aiclear.adapters": "adapters",
    "aiclear.gui": "gui",
    "aiclear.resources": "resources",
}


def _packages() -> tuple[list[str], dict[str, str]]:
    packages: list[str] = []
    package_dir: dict[str, str] = {}
    for name, folder in ROOTS.items():
        package_dir[name] = folder
        for init in sorted(Path(folder).rglob("__init__.py")):
            rel = init.parent.relative_to(folder)
            parts = [] if str(rel) == "." else list(rel.parts)
            packages.append(".".join([name, *parts]))
    return packages, package_dir


PACKAGES, PACKAGE_DIR = _packages()

setup(
    packages=PACKAGES,
    package_dir=PACKAGE_DIR,
    package_data={pkg: ["*.json", "*.yaml", "*.yml", "*.csv", "*.txt", "*.qss", "*.html",
                        "*.ttf", "*.otf", "*.svg", "*.png", "**/*"] for pkg in PACKAGES},
    include_package_data=True,
)
