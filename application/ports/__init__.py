"""Ports: one typing.Protocol per collaborator family; adapters implement them."""
