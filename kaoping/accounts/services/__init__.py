"""Writes of the accounts app, one module per concept (import from the module):
``logins`` (issuing logins and slips), ``passwords`` (changes, reset codes, deactivation)."""
