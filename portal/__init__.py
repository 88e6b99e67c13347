"""Mijn Haren, the self-service portal of the municipality of Haren."""
