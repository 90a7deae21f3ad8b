"""Speech to text: the Whisper API (OpenAI or a compatible server) and offline pocketsphinx."""
