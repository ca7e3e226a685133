"""Media-evidence resources: the list of AI tools that container tags may name."""
