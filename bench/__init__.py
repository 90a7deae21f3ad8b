"""Benchmarks that print figures against a named baseline measured in the same run."""
