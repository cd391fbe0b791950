"""WSGI entry point for gunicorn: `gunicorn -k gevent -w 1 queue_server.wsgi:app`."""

from . import create_app

app = create_app()
