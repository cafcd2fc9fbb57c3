"""Feed output: the exporters and the feed storage that survives a full disk."""
