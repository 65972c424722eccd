#!/usr/bin/env bash
# Install the systemd user timer that runs `briefing daily` every morning.
#   scripts/install-timer.sh [--config FILE] [--time HH:MM] [--briefing PATH] [--dry-run]
#   scripts/install-timer.sh --uninstall
# Without systemd it prints a crontab line to use instead (see scripts/cron.example).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
config="${BRIEFING_CONFIG:-}"
at="06:00"
briefing=""
dry_run=0
uninstall=0
while [ $# -gt 0 ]; do
    case "$1" in
        --config) config="$2"; shift 2 ;;
        --time) at="$2"; shift 2 ;;
        --briefing) briefing="$2"; shift 2 ;;
        --dry-run) dry_run=1; shift ;;
        --uninstall) uninstall=1; shift ;;
        -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install-timer: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
units="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user"

if [ "$uninstall" = 1 ]; then
    systemctl --user disable --now briefing.timer 2>/dev/null || true
    rm -f "$units/briefing.service" "$units/briefing.timer"
    systemctl --user daemon-reload 2>/dev/null || true
    echo "Removed the briefing timer."
    exit 0
fi

[[ "$at" =~ ^([01][0-9]|2[0-3]):[0-5][0-9]$ ]] || {
    echo "install-timer: --time must be HH:MM (24-hour), got '$at'" >&2; exit 2; }

if [ -z "$briefing" ]; then
    if [ -x "$here/../.venv/bin/briefing" ]; then
        briefing="$(cd "$here/.." && pwd)/.venv/bin/briefing"
    else
        briefing="$(command -v briefing || true)"
    fi
fi
[ -n "$briefing" ] && [ -x "$briefing" ] || {
    echo "install-timer: cannot find the briefing command: install it, or pass --briefing PATH" >&2
    exit 1; }
briefing="$(cd "$(dirname "$briefing")" && pwd)/$(basename "$briefing")"

if [ -z "$config" ]; then
    config="${XDG_CONFIG_HOME:-$HOME/.config}/briefing/briefing.toml"
fi
case "$config" in /*) ;; *) config="$PWD/$config" ;; esac
if [ ! -f "$config" ] && [ "$dry_run" = 0 ]; then
    "$briefing" init "$config" >/dev/null
    echo "Wrote a starter config to $config: edit its [[sources]]."
fi
workdir="$(dirname "$config")"

# systemd unit lines take paths unquoted: % doubled, spaces as \x20; then made safe for sed
esc() { printf '%s' "$1" | sed -e 's/%/%%/g' -e 's/ /\\x20/g' -e 's/[\\&|]/\\&/g'; }
service="$(sed -e "s|^ExecStart=.*|ExecStart=$(esc "$briefing") --quiet daily --config $(esc "$config") --wait|" \
               -e "s|^WorkingDirectory=.*|WorkingDirectory=$(esc "$workdir")|" \
               "$here/systemd/briefing.service")"
timer="$(sed -e "s|^OnCalendar=.*|OnCalendar=*-*-* $at:00|" "$here/systemd/briefing.timer")"

if [ "$dry_run" = 1 ]; then
    printf '### %s\n%s\n### %s\n%s\n' "$units/briefing.service" "$service" \
        "$units/briefing.timer" "$timer"
    exit 0
fi

if ! command -v systemctl >/dev/null || ! systemctl --user show-environment >/dev/null 2>&1; then
    echo "No systemd user session here. Add this line with \`crontab -e\` instead:"
    echo "${at#*:} ${at%:*} * * * cd \"$workdir\" && \"$briefing\" --quiet daily --config \"$config\" --wait"
    exit 0
fi
mkdir -p "$units"
printf '%s\n' "$service" >"$units/briefing.service"
printf '%s\n' "$timer" >"$units/briefing.timer"
systemctl --user daemon-reload
systemctl --user enable --now briefing.timer
echo "Installed: the briefing is made every day at $at (missed runs catch up at login)."
echo "Check with: systemctl --user list-timers briefing.timer"
if command -v loginctl >/dev/null && [ "$(loginctl show-user "$USER" -p Linger --value 2>/dev/null)" != "yes" ]; then
    echo "To run it while you are logged out: loginctl enable-linger $USER"
fi
