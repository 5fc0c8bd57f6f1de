"""A third-party client: Debian's python3-socketio (5.x, Engine.IO protocol 4).

Usage: python_subscriber.py URL TOKEN TRANSPORT (polling or websocket)

Connects with the token, prints one JSON line per event it receives (`sync`, then
`notification:new`, `unread:count`), and exits 0 once a new_post notification arrived, or 1 after
20 s. The test publishes a post when it reads the `sync` line.
"""
import json
import sys
import threading

import socketio

url, token, transport = sys.argv[1], sys.argv[2], sys.argv[3]
client = socketio.Client(reconnection=False)
done = threading.Event()
printing = threading.Lock()


def report(name, payload):
    # Handlers run on the client's threads: one whole line at a time.
    with printing:
        sys.stdout.write(json.dumps({"event": name, "payload": payload}) + "\n")
        sys.stdout.flush()


@client.event
def connect():
    report("transport", client.transport())


@client.on("sync")
def on_sync(payload):
    report("sync", payload)


@client.on("unread:count")
def on_count(payload):
    report("unread:count", payload)


@client.on("notification:new")
def on_new(payload):
    report("notification:new", payload)
    if payload.get("type") == "new_post":
        done.set()


@client.on("connect_error")
def on_refused(data):
    report("connect_error", data)
    done.set()


client.connect(url, auth={"token": token}, transports=[transport], wait_timeout=10)
arrived = done.wait(20)
client.disconnect()
sys.exit(0 if arrived else 1)
