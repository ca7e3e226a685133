#!/usr/bin/env bash
# Run every check CI runs: lint, types, the import contract and the whole test suite
# (GUI tests offscreen, PostgreSQL tests against a throwaway server started here).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
export QT_QPA_PLATFORM=offscreen

source ./scripts/pg.sh
pg_start
trap pg_stop EXIT

echo "== ruff" && ruff check .
./scripts/static.sh
echo "== pytest" && python -m pytest "$@"
