"""The broadcast path's own parts: lean frames, patient packet queues, batched publishes, the ready check."""

import base64
import json
import os
import socket

import engineio
import gevent
import pytest
import socketio
from wsproto.connection import Connection, ConnectionType
from wsproto.events import BytesMessage, TextMessage

from queue_server.hub import connect
from queue_server.realtime.messagequeue import BatchingRedisManager
from queue_server.realtime.websocket import LeanFrames, frame, use_lean_frames
from queue_server.realtime.writerqueue import PatientQueue, use_patient_queue
from queue_server.store.readycheck import ReadyCheckParser


@pytest.mark.parametrize("size", [0, 1, 125, 126, 1000, 65535, 65536, 70000])
def test_frames_decode_as_one_whole_message_in_a_websocket_client(size):
    client = Connection(ConnectionType.CLIENT)
    text = ("叫号" * size)[:size]
    client.receive_data(frame(text))
    (event,) = list(client.events())
    assert isinstance(event, TextMessage) and event.data == text and event.message_finished


def test_bytes_go_as_a_binary_frame():
    client = Connection(ConnectionType.CLIENT)
    client.receive_data(frame(b"\x00\x01\xff"))
    (event,) = list(client.events())
    assert isinstance(event, BytesMessage) and event.data == b"\x00\x01\xff"


def test_engineio_servers_get_lean_frames_and_the_shared_table_stays_untouched():
    from engineio.async_drivers import threading as threading_driver

    server = engineio.Server(async_mode="threading")
    assert use_lean_frames(server) is True
    assert issubclass(server._async["websocket"], LeanFrames)
    assert not issubclass(threading_driver._async["websocket"], LeanFrames)
    assert use_lean_frames(server) is True  # twice is harmless
    assert server._async["websocket"].__mro__.count(LeanFrames) == 1


def test_patient_queue_only_in_gevent_mode():
    threaded = engineio.Server(async_mode="threading")
    assert use_patient_queue(threaded) is False
    gevented = engineio.Server(async_mode="gevent")
    assert use_patient_queue(gevented) is True
    assert gevented.create_queue().__class__ is PatientQueue


def test_patient_queue_waits_past_the_timeout_it_is_given():
    q = PatientQueue()
    gevent.spawn_later(0.05, q.put, "packet")
    # engine.io would pass ping interval + timeout here; the packet comes later and is still taken.
    assert q.get(timeout=0.001) == "packet"
    with pytest.raises(gevent.queue.Empty):
        q.get(block=False)


def _manager(redis_url):
    manager = BatchingRedisManager(redis_url, channel="bianmin-test", write_only=True)
    server = socketio.Server(client_manager=manager, async_mode="threading")
    return server, manager


def _published(pubsub, timeout=1.0):
    out = []
    while True:
        message = pubsub.get_message(ignore_subscribe_messages=True, timeout=timeout)
        if message is None:
            return out
        out.append(json.loads(message["data"])["event"])
        timeout = 0.2


def test_a_batch_publishes_nothing_until_it_ends_then_everything_in_order_with_the_cursor(redis_url, redis):
    server, manager = _manager(redis_url)
    listener = connect(redis_url).pubsub()
    listener.subscribe("bianmin-test")
    listener.get_message(timeout=1)  # the subscribe confirmation
    with manager.batch(after=lambda pipe: pipe.set("test:cursor", "7-0")):
        for name in ("a", "b", "c"):
            server.emit(name, {"n": name}, to="hall:demo")
        assert listener.get_message(ignore_subscribe_messages=True, timeout=0.2) is None
        assert redis.get("test:cursor") is None
    assert _published(listener) == ["a", "b", "c"]
    assert redis.get("test:cursor") == "7-0"
    server.emit("d", {}, to="hall:demo")  # outside a batch: published at once
    assert _published(listener) == ["d"]


def test_a_failed_batch_publishes_nothing_and_saves_no_cursor(redis_url, redis):
    server, manager = _manager(redis_url)
    listener = connect(redis_url).pubsub()
    listener.subscribe("bianmin-test")
    listener.get_message(timeout=1)
    with pytest.raises(RuntimeError):
        with manager.batch(after=lambda pipe: pipe.set("test:cursor", "9-0")):
            server.emit("lost", {}, to="hall:demo")
            raise RuntimeError("relay died mid-batch")
    assert _published(listener, timeout=0.3) == []
    assert redis.get("test:cursor") is None


def test_ready_check_tells_a_clean_connection_from_one_with_data(redis_url):
    client = connect(redis_url)
    conn = client.connection_pool.get_connection()
    try:
        assert isinstance(conn._parser, ReadyCheckParser)
        assert conn.can_read() is False
        conn.send_command("PING")
        assert conn.can_read(timeout=1) is True
        assert conn.read_response() == "PONG"
        assert conn.can_read() is False
    finally:
        client.connection_pool.release(conn)


def test_a_connection_the_server_closed_is_replaced(redis_url, redis):
    client = connect(redis_url)
    client.client_setname("readycheck")
    for c in redis.client_list():
        if c.get("name") == "readycheck":
            redis.client_kill_filter(_id=c["id"])
    assert client.ping() is True


def test_the_live_server_refuses_deflate_and_sends_plain_frames(live_server_factory):
    server = live_server_factory()
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    try:
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall((
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n").encode())
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(4096)
        head, _, rest = data.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101")
        assert b"permessage-deflate" not in head.lower()
        while len(rest) < 2:
            rest += sock.recv(4096)
        assert rest[0] == 0x81  # FIN + text, RSV1 clear: not compressed
        client = Connection(ConnectionType.CLIENT)
        while True:
            client.receive_data(rest)
            events = list(client.events())
            if events:
                break
            rest = sock.recv(4096)
        assert events[0].data.startswith("0{")  # engine.io's open packet
    finally:
        sock.close()
