"""newsdesk: a self-hostable, AI-enhanced news aggregator."""

__version__ = "0.1.0"
