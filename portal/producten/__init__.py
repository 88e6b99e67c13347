"""The product catalogue: every municipal product as data, its search, and its pages."""
