"""`python -m api` is the `pharmakg` command."""

from api.cli import app

app(prog_name="pharmakg")
