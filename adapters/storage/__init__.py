"""File storage adapters: blobs on the local file system."""
