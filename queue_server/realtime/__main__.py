"""`python -m queue_server.realtime`: the relay as a process of its own.

Web processes then run with BIANMIN_RELAY=0 and only deliver what the relay publishes through the
Socket.IO Redis message queue, so turning stream entries into events no longer competes with
requests for the web process's core.
"""

import gc
import logging
import signal

from flask_socketio import SocketIO

from config.settings import Settings
from queue_server.hub import Hub
from queue_server.realtime.messagequeue import message_queue
from queue_server.realtime.relay import Relay


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = Settings.from_env()
    # Without an app this SocketIO only publishes to the message queue (write-only), on the channel
    # the web processes listen to.
    socketio = SocketIO(message_queue=settings.redis_url, async_mode="threading",
                        client_manager=message_queue(settings.redis_url, write_only=True))
    relay = Relay(socketio, Hub.from_settings(settings))
    # As in the web process (queue_server/wsgi.py): what start-up built stays, so the collector skips it.
    gc.collect()
    gc.freeze()
    signal.signal(signal.SIGTERM, lambda *_: relay.release())
    try:
        relay.run()
    except KeyboardInterrupt:
        pass
    finally:
        relay.release()


if __name__ == "__main__":
    main()
