"""The pytest side of snapshot cases."""
