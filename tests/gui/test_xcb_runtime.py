"""Defect 8 of issue 16: set-up installs what Qt's xcb platform plugin links against, and
the panel starts on a real X server (Xvfb) with QT_QPA_PLATFORM=xcb."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

PySide6 = pytest.importorskip("PySide6")

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]
QT = Path(PySide6.__file__).parent / "Qt"
XCB_LIBS = (QT / "plugins" / "platforms" / "libqxcb.so", QT / "lib" / "libQt6XcbQpa.so.6")


def _linked_x_libraries() -> set[str]:
    names: set[str] = set()
    for lib in XCB_LIBS:
        out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True, check=True).stdout
        names.update(re.findall(r"^\s*(lib(?:xcb|xkbcommon|X11)[\w.+-]*\.so[.\d]*)", out, re.M))
    return names


def _setup_packages() -> set[str]:
    text = (ROOT / "scripts" / "setup.sh").read_text()
    block = re.search(r"xcb=\(([^)]*)\)", text)
    assert block, "scripts/setup.sh names no xcb packages"
    return set(block.group(1).split())


@pytest.mark.skipif(not shutil.which("dpkg") or not shutil.which("ldd"), reason="Debian only")
def test_setup_installs_every_x_library_qt_links() -> None:
    wanted = _setup_packages()
    for soname in sorted(_linked_x_libraries()):
        found = subprocess.run(["dpkg", "-S", soname], capture_output=True, text=True)
        if found.returncode:
            pytest.fail(f"{soname} is not installed (scripts/setup.sh should install it)")
        package = found.stdout.split(":", 1)[0]
        assert package in wanted, f"{soname} comes from {package}, missing in scripts/setup.sh"


@pytest.mark.skipif(not shutil.which("Xvfb"), reason="needs Xvfb")
def test_panel_starts_on_a_real_x_server(tmp_path: Path) -> None:
    display = f":{80 + os.getpid() % 100}"
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        code = ("from PySide6.QtWidgets import QApplication;"
                "app = QApplication([]); print(app.platformName())")
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, timeout=60)
        assert run.returncode == 0, run.stderr[-400:]
        assert run.stdout.strip() == "xcb"
    finally:
        server.terminate()
        server.wait(10)
