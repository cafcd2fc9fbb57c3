"""The article store (SQLite) and the body fingerprints that link republished copies."""
