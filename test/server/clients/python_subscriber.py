"""A third-party client: Debian's python3-socketio (5.x, Engine.IO protocol 4).

Usage: python_subscriber.py URL TOKEN TRANSPORT (polling or websocket) [reconnect]

Connects with the token, prints one JSON line per event it receives (`sync`, then
`notification:new`, `unread:count`), and exits 0 once a new_post notification arrived, or 1 after
20 s. The test publishes a post when it reads the `sync` line. With `reconnect`, the client
reconnects at its defaults when the connection drops, and a new post counts once it has
reconnected (live or in the `sync` after it): the test restarts the server in between.
"""
import json
import sys
import threading

import socketio

url, token, transport = sys.argv[1], sys.argv[2], sys.argv[3]
reconnect = sys.argv[4:] == ["reconnect"]
client = socketio.Client(reconnection=reconnect)
done = threading.Event()
connects = 0
printing = threading.Lock()


def report(name, payload):
    # Handlers run on the client's threads: one whole line at a time.
    with printing:
        sys.stdout.write(json.dumps({"event": name, "payload": payload}) + "\n")
        sys.stdout.flush()


@client.event
def connect():
    global connects
    connects += 1
    report("transport", client.transport())


@client.event
def disconnect():
    # Its own disconnect as it exits is not reported: only a cut before the end.
    if not done.is_set():
        report("disconnect", None)


def counts(item):
    return item.get("type") == "new_post" and (not reconnect or connects > 1)


@client.on("sync")
def on_sync(payload):
    report("sync", payload)
    if reconnect and any(counts(item) for item in payload["items"]):
        done.set()


@client.on("unread:count")
def on_count(payload):
    report("unread:count", payload)


@client.on("notification:new")
def on_new(payload):
    report("notification:new", payload)
    if counts(payload):
        done.set()


@client.on("connect_error")
def on_refused(data):
    report("connect_error", data)
    if not reconnect:  # reconnecting, its attempts are refused until the server is back
        done.set()


client.connect(url, auth={"token": token}, transports=[transport], wait_timeout=10)
arrived = done.wait(30 if reconnect else 20)
client.disconnect()
sys.exit(0 if arrived else 1)
