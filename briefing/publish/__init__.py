"""Everything written for the listener: MP3 tags and chapters, transcripts, manifest, feed."""
