"""Errors the library raises; each message says what went wrong and what to do next."""

from __future__ import annotations


class BriefingError(Exception):
    """Base of every error the CLI turns into one line and exit code 1."""

    exit_code = 1


class UsageError(BriefingError):
    """The command line asked for something that cannot be done as given (exit code 2)."""

    exit_code = 2


class SourceError(BriefingError):
    """A source could not be read, fetched or parsed."""


class EmptyArticleError(SourceError):
    """A source had no text worth reading aloud."""


class BlockedAddressError(SourceError):
    """A feed's link (or a redirect) led to a private address, which briefing will not fetch."""


class ConfigError(BriefingError):
    """The configuration file or a setting is wrong."""


class EngineError(BriefingError):
    """The speech engine is missing, broken, or failed on a segment."""


class VoiceNotFoundError(EngineError):
    """The voice asked for does not exist."""


class WorkerTimeout(EngineError):
    """A speech worker did not answer in time; it has been killed."""


class WorkerDied(EngineError):
    """A speech worker process exited or broke its pipe."""


class EngineWriteError(EngineError):
    """The engine could not write its audio (a full disk, a file-size limit): no retry helps."""


class AudioError(BriefingError):
    """ffmpeg is missing or failed, or the audio could not be written."""


class OutputError(BriefingError):
    """The output could not be written where it was asked for."""


class LockedError(BriefingError):
    """Another run holds the archive's lock."""


class ScriptFileError(BriefingError):
    """A Markdown script could not be read back."""


class DateError(UsageError):
    """An episode date outside what a briefing can be dated (or too far ahead of today)."""


class NoVoiceError(VoiceNotFoundError):
    """No voice of the engine speaks a story's language."""


class DestinationError(OutputError):
    """Writing the episode would replace a file that is not an earlier briefing's."""


class TempDirError(BriefingError):
    """No writable temporary folder: speech and audio work need one."""


class PlayerError(BriefingError):
    """No audio player was found to play an episode, or it failed."""


class SchedulerError(BriefingError):
    """The Dask scheduler of a batch cannot be reached, or Dask is not installed."""


class DownloadError(BriefingError):
    """A voice could not be downloaded, or what came did not pass its checks."""
