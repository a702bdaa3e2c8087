"""Benchmarks of each stage, run by `newsdesk bench …`."""
