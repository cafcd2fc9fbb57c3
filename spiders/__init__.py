"""One module per site: its ``SiteRules`` and its spider."""
