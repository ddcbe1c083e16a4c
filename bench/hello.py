"""The baseline of the requests/s figures: Flask's "hello world", served like the portal."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """The smallest page Flask can serve."""
    return "Hello, World!"
