"""Reads of the accounts app, scoped by ``actor``."""
