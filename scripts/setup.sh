#!/usr/bin/env bash
# Set up aiclear on a fresh Debian/Ubuntu machine: system tools, a venv in .venv, the
# package with every extra. Safe to run again; it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v exiftool >/dev/null || need+=(libimage-exiftool-perl)
[ -x "$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -n1)" ] || need+=(postgresql)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need+=(fonts-noto-cjk)
dpkg -s libegl1 >/dev/null 2>&1 || need+=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3)
# The panel on an X display (Qt's xcb platform plugin): exactly the libraries libqxcb.so and
# libQt6XcbQpa.so.6 link against (ldd), which a minimal Debian desktop lacks in part.
xcb=(libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
     libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
     libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon0 libxkbcommon-x11-0)
for pkg in "${xcb[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    echo "setup: installing system packages: ${need[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[all]'
echo "setup: ready (.venv/bin/aiclear)" >&2
