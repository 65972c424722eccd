"""Segments -> the finished MP3: layout (pauses, chimes), chunks, encoder, loudness, ffmpeg."""
