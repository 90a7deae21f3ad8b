"""Embedding models that run in-process with what a registry package ships."""
