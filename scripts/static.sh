#!/usr/bin/env bash
# Static checks over the installed import layout: mypy and the import-linter contract
# (the core never imports Qt). The folders differ from the import names (otio_plugins/
# is aiclear, adapters/ is aiclear.adapters ...), so both run on a copy laid out as the
# package installs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
view=$root/build/static
rm -rf "$view" && mkdir -p "$view/aiclear"
cp -r otio_plugins/. "$view/aiclear/"
for sub in adapters gui resources; do cp -r "$sub" "$view/aiclear/$sub"; done
find "$view" -name __pycache__ -prune -exec rm -rf {} +

echo "== mypy"
(cd "$view" && "${MYPY:-mypy}" --config-file "$root/pyproject.toml" -p aiclear) 2>&1 | sed -E \
    -e "s#^aiclear/(adapters|gui|resources)/#\1/#" -e "s#^aiclear/#otio_plugins/#"
status=${PIPESTATUS[0]}

echo "== import contract"
(cd "$view" && PYTHONPATH="$view" lint-imports --config "$root/pyproject.toml") || status=1
exit "$status"
