"""One use case per module: a small class with its ports as fields and one public call."""
