"""Helpers that tests of several stages use: small stores, logged-in clients (not shipped to readers)."""
