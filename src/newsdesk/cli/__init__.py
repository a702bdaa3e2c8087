"""CLI stage: the `newsdesk` command."""
