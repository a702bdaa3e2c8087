"""The ceiling of the web benchmark: a FastAPI route that returns a small HTML page and does nothing else."""

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()
PAGE = "<!doctype html><html><head><title>ok</title></head><body><p>A trivial route.</p></body></html>"


@app.get("/", response_class=HTMLResponse)
def trivial() -> str:
    return PAGE
