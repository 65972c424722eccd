#!/usr/bin/env bash
# Set up (if needed) and make a briefing from the sample article shipped in samples/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/briefing make samples/community-solar.txt "$@"
