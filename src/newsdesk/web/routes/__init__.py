"""The reader pages' routes by resource, each page at its address and its JSON twin at `<address>.json`."""
