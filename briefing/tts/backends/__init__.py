"""Speech engines, one module each; registered by name in briefing.tts (BUILTINS + entry points)."""
