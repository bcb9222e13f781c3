"""Entry point: `flask --app wsgi …` and `gunicorn wsgi:app`."""
from quiz import create_app

app = create_app()
