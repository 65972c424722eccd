#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite: unit tests and end-to-end tests with the
# real speech engine and real ffmpeg. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
exec .venv/bin/python -m pytest "$@"
