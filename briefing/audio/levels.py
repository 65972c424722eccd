"""The episode's audio format and loudness targets: one set, shared by every audio module."""

from __future__ import annotations

# Engines write mono 16-bit PCM; lines are joined at this rate, and the MP3 is made at
# OUTPUT_RATE, resampled once, at the end.
SPEECH_RATE = 22050  # what espeak-ng (and Piper's medium voices) write
OUTPUT_RATE = 44100  # Apple's and most apps' expectation for MP3
FRAME_SAMPLES = 1152  # MPEG-1 Layer III samples per frame
# The limiter's ceiling sits this far under the true-peak target: MP3 encoding overshoots,
# and the limiter sees 44.1 kHz samples, not the peaks between them. Limiting on 4x
# oversampled audio needed 0.25 dB less margin and cost ~8% more CPU on a cold run;
# measured true peaks stay at -1.4 dBTP or lower either way.
LIMIT_MARGIN_DB = 1.75
MP3_LOUDNESS_LOSS_LU = 0.45  # measured: LAME at 64-96 kbps loses ~0.45 LU of espeak speech
# Off the target by more, the episode is encoded again at a corrected gain: the README
# promises -16 LUFS, and podcast apps' own levelling is kinder to what is close.
LOUDNESS_TOLERANCE_LU = 0.3
