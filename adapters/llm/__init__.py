"""Language model adapters: vendor APIs and an offline extractive answerer."""
