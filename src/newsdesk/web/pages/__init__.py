"""Reader pages as typed models: each page's one model, rendered by its template or sent as its JSON twin."""
