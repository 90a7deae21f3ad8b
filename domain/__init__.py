"""The pure core: entities, value objects, tier policy, text handling. Standard library and attrs only."""
