"""The keyless answerer: answers from the sources alone, with no language model (the offline engine)."""
