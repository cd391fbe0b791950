"""WSGI entry point for gunicorn: `gunicorn -k gevent -w 1 queue_server.wsgi:app`."""

import gc

from . import create_app

app = create_app()

# Everything built so far (modules, halls, the app) lives as long as the process. Freezing it keeps
# the cyclic collector from scanning it again on every full collection, which in a web process holding
# hundreds of displays otherwise stops every greenlet for tens of milliseconds (docs/performance.md).
gc.collect()
gc.freeze()
