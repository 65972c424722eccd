"""Articles and their key sentences -> a Script meant to be heard, and its Markdown form."""

from briefing.script.write import Pauses, paragraph_breaks, spoken_date, story_title, write_script

__all__ = ["Pauses", "paragraph_breaks", "spoken_date", "story_title", "write_script"]
