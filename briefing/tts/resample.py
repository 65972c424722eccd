"""One resampling step from an engine's rate to the episode's (Kokoro's 24 kHz to 22.05 kHz).

Numpy only (it comes with ONNX Runtime, so with every neural engine). Done once, in the
speech worker, on the engine's float output, before the one conversion to 16-bit.
"""

from __future__ import annotations

from typing import Any

# Zeros on each side before the FFT: its wrap-around then rings into silence, never into
# the first or last syllable. 1,024 samples is ~43 ms, longer than the band-limit's ringing.
PAD = 1024


def resample(samples: Any, source_rate: int, target_rate: int) -> Any:
    """`samples` (1-D float) at `source_rate` -> `target_rate`, band-limited by the FFT
    (a brick-wall low-pass at the lower Nyquist frequency: no aliasing, no filter design)."""
    import numpy as np

    x = np.asarray(samples, dtype=np.float64)
    if source_rate == target_rate or x.size == 0:
        return x.astype(np.float32)
    padded = np.concatenate([np.zeros(PAD), x, np.zeros(PAD)])
    n_in = padded.size
    n_out = round(n_in * target_rate / source_rate)
    spectrum = np.fft.rfft(padded)
    keep = min(spectrum.size, n_out // 2 + 1)
    out = np.fft.irfft(spectrum[:keep], n_out) * (n_out / n_in)
    pad_out = round(PAD * target_rate / source_rate)
    body = round(x.size * target_rate / source_rate)
    return out[pad_out: pad_out + body].astype(np.float32)


def to_pcm16(samples: Any) -> bytes:
    """Float samples in [-1, 1] -> little-endian 16-bit PCM (clipped, never wrapped)."""
    import numpy as np

    x = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0)
    return (x * 32767.0).round().astype("<i2").tobytes()
