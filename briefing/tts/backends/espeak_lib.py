"""Find and load libespeak-ng once per process: the system's, else espeakng-loader's."""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from pathlib import Path
from typing import NamedTuple

from briefing.errors import EngineError

# Output modes of espeak_Initialize (speak_lib.h).
AUDIO_OUTPUT_RETRIEVAL = 1  # what pyttsx3 uses: synthesis on espeak's own thread
AUDIO_OUTPUT_SYNCHRONOUS = 2  # what our direct backend uses: synthesis in the caller's thread

# The soname pyttsx3's driver asks for first; dlopen() answers it with an already
# loaded copy, which is how pyttsx3 ends up on espeakng-loader's library.
SYSTEM_SONAME = "libespeak-ng.so.1"


class EspeakLibrary(NamedTuple):
    """The loaded library and where it came from (for `briefing doctor`)."""

    dll: ctypes.CDLL
    source: str  # "system", "espeakng-loader" or "BRIEFING_ESPEAK_LIBRARY"
    path: str
    data_path: str  # "" when the library's compiled-in default is used
    version: str


_lock = threading.Lock()
_loaded: EspeakLibrary | None = None
# Which output mode this process initialized the library in, and in which process:
# a forked child inherits the variable but is a different process.
_initialized: tuple[int, int] | None = None  # (pid, mode)


def _explicit() -> str | None:
    """$BRIEFING_ESPEAK_LIBRARY: a specific libespeak-ng.so to use (a custom build, or a
    path that does not exist to check how briefing behaves without the library)."""
    return os.environ.get("BRIEFING_ESPEAK_LIBRARY") or None


def _find_system() -> str | None:
    if os.environ.get("BRIEFING_ESPEAK_BUNDLED"):  # lets tests and doctor force the bundled copy
        return None
    # dlopen() by soname finds the distribution's package (libespeak-ng1) in ~1 ms;
    # ctypes.util.find_library would run ldconfig and then gcc to learn the same, ~30 ms
    # in every run and every speech worker when there is no system copy.
    try:
        ctypes.CDLL(SYSTEM_SONAME)
    except OSError:
        return None
    return SYSTEM_SONAME


def _load_bundled() -> tuple[ctypes.CDLL, str, str]:
    try:
        import espeakng_loader
    except ImportError as exc:
        raise EngineError(
            "libespeak-ng not found: install it (apt-get install libespeak-ng1) "
            "or the espeakng-loader package (pip install espeakng-loader)"
        ) from exc
    data = Path(espeakng_loader.get_data_path())
    # The bundled library's compiled-in data path points at its build machine; without
    # ESPEAK_DATA_PATH it prints an error about phontab and calls exit(1), killing
    # Python. It must be set before the library first initializes.
    os.environ["ESPEAK_DATA_PATH"] = str(data.parent)
    path = espeakng_loader.get_library_path()
    try:
        dll = ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
    except OSError as exc:
        raise EngineError(
            f"could not load espeakng-loader's libespeak-ng ({path}): {exc}; "
            "reinstall it (pip install --force-reinstall espeakng-loader) "
            "or install the system library (apt-get install libespeak-ng1)"
        ) from exc
    return dll, path, str(data)


def load() -> EspeakLibrary:
    """Load libespeak-ng (once per process) and return it; raise EngineError if there is none.

    Everything that touches the library, pyttsx3 included, calls this first: it makes
    pyttsx3's own `libespeak-ng.so.1` lookup find the copy loaded here.
    """
    global _loaded
    with _lock:
        if _loaded is not None:
            return _loaded
        explicit = _explicit()
        system = explicit or _find_system()
        if explicit is not None:
            try:
                dll = ctypes.CDLL(explicit, mode=ctypes.RTLD_GLOBAL)
            except OSError as exc:
                raise EngineError(
                    f"BRIEFING_ESPEAK_LIBRARY points at {explicit}, which could not be loaded "
                    f"({exc}): fix the path or unset it"
                ) from None
            source, path, data = "BRIEFING_ESPEAK_LIBRARY", explicit, os.environ.get(
                "ESPEAK_DATA_PATH", "")
        elif system is not None:
            dll = ctypes.CDLL(system, mode=ctypes.RTLD_GLOBAL)
            source, path, data = "system", system, os.environ.get("ESPEAK_DATA_PATH", "")
        else:
            dll, path, data = _load_bundled()
            source = "espeakng-loader"
        dll.espeak_Info.restype = ctypes.c_char_p
        dll.espeak_Info.argtypes = [ctypes.c_void_p]
        raw = dll.espeak_Info(None) or b""
        version = raw.decode("utf-8", "replace").split()[0] if raw else "unknown"
        _loaded = EspeakLibrary(dll, source, path, data, version)
        return _loaded


def initialized_mode() -> int | None:
    """The output mode the library was initialized in, in this process, or None."""
    if _initialized is not None and _initialized[0] == os.getpid():
        return _initialized[1]
    # pyttsx3 initializes the library itself (RETRIEVAL mode) when an engine is made.
    driver = sys.modules.get("pyttsx3.drivers.espeak")
    if driver is not None and getattr(driver.EspeakDriver, "_moduleInitialized", False):
        return AUDIO_OUTPUT_RETRIEVAL
    if _initialized is not None:
        # Inherited through fork: the library state came along with the memory.
        return _initialized[1]
    return None


def mark_initialized(mode: int) -> None:
    """Record that this process initialized the library in `mode` (one mode per process)."""
    global _initialized
    current = initialized_mode()
    if current is not None and current != mode:
        raise EngineError(
            f"libespeak-ng is already initialized in output mode {current} in this process; "
            f"mode {mode} needs its own worker process (a briefing bug: please report it)"
        )
    _initialized = (os.getpid(), mode)


def info() -> dict[str, str]:
    """Which libespeak-ng is in use, for `briefing doctor`."""
    lib = load()
    return {
        "library": lib.source,
        "path": lib.path,
        "data_path": lib.data_path or "(compiled-in default)",
        "version": lib.version,
    }
