"""Errors the library raises; each message says what went wrong and what to do next."""

from __future__ import annotations


class BriefingError(Exception):
    """Base of every error the CLI turns into one line and exit code 1."""

    exit_code = 1


class SourceError(BriefingError):
    """A source could not be read, fetched or parsed."""


class EmptyArticleError(SourceError):
    """A source had no text worth reading aloud."""


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


class AudioError(BriefingError):
    """ffmpeg is missing or failed, or the audio could not be written."""


class OutputError(BriefingError):
    """The output could not be written where it was asked for."""


class LockedError(BriefingError):
    """Another run holds the archive's lock."""


class ScriptFileError(BriefingError):
    """A Markdown script could not be read back."""


class DownloadError(BriefingError):
    """A voice could not be downloaded, or what came did not pass its checks."""
