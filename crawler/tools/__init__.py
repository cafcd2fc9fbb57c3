"""Developer tools: one-page fetching, newsite proposals, snapshot case files, the local mirror server."""
