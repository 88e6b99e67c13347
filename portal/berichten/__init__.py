"""Outgoing messages to residents: an outbox written in the same transaction as the cause."""
