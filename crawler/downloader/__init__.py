"""Between a request and its response: replay, the mirror handler, robots.txt, retries, redirects, incremental skips."""
