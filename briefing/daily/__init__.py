"""The unattended daily run: one at a time, once a day, nothing repeated, old episodes retired."""

from briefing.daily.log import log_to_file
from briefing.daily.run import DailyResult, run_daily
from briefing.lock import RunLock

__all__ = ["DailyResult", "RunLock", "log_to_file", "run_daily"]
