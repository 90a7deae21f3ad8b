"""Retrieval adapters: lexical ranking of a document's chunks."""
