"""Extractors: a document's bytes to located text segments, one module per format family."""
