#!/usr/bin/env python3
"""P1's driver: queues files for publishers and times until each publisher has recorded them all.

Usage: drive.py publish REDIS_HOST REDIS_PORT TIMEOUT_S REPLICAS PUBLISHER_ID=LISTFILE...
    Each LISTFILE holds the absolute paths of the files that publisher publishes, one a line, all under
    one of its allowed roots (given in the ROOT environment variable, to derive the public names).
    Pushes every task onto each publisher's queue ({ID}:FILE:FILES_SENDING_QUEUE, the original FileManager's
    format) in one pipelined write, then polls the queue and the processing list ({ID}:FILE:PROCESSING)
    every 10 ms: a task leaves the processing list only once the publisher recorded the file stored on
    PUBLISH_REPLICAS boxes, or failed. Then checks every file's state hash and replicas hash.
    Prints one line: seconds files stored_files acked_replicas acked_bytes failed
drive.py sink URL PARALLEL FILE...
    POSTs each file's bytes to URL, PARALLEL keep-alive connections, and prints the seconds it took.
Python 3 standard library only; the Redis protocol is spoken directly (no client library on the machine).
"""
import http.client
import json
import os
import socket
import sys
import threading
import time
import urllib.parse


class Redis:
    """Just enough RESP for pipelined commands."""

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port))
        self.file = self.sock.makefile("rb")

    def send(self, *commands):
        out = bytearray()
        for command in commands:
            out += b"*%d\r\n" % len(command)
            for arg in command:
                data = arg if isinstance(arg, bytes) else str(arg).encode()
                out += b"$%d\r\n%s\r\n" % (len(data), data)
        self.sock.sendall(out)
        return [self.reply() for _ in commands]

    def reply(self):
        line = self.file.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.file.read(n + 2)[:-2]
            return data.decode()
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.reply() for _ in range(n)]
        raise RuntimeError("unexpected reply %r" % line)


def publish(host, port, timeout, replicas, assignments):
    root = os.environ["ROOT"].rstrip("/")
    redis = Redis(host, port)
    plan = []
    for assignment in assignments:
        publisher, list_file = assignment.split("=", 1)
        paths = [line.strip() for line in open(list_file) if line.strip()]
        plan.append((publisher, paths))
    # TTL 60 s: the boxes' sweepers delete the files a minute later, so repeated runs do not fill the stores
    pushes = [["RPUSH", publisher + ":FILE:FILES_SENDING_QUEUE"]
              + [json.dumps({"FILE_PATH": path, "TTL": 60}) for path in paths] for publisher, paths in plan]
    started = time.monotonic()
    redis.send(*pushes)
    deadline = started + timeout
    lengths = [["LLEN", publisher + ":FILE:" + key] for publisher, _ in plan
               for key in ("FILES_SENDING_QUEUE", "PROCESSING")]
    while True:
        if sum(redis.send(*lengths)) == 0:
            break
        if time.monotonic() > deadline:
            break
        time.sleep(0.01)
    seconds = time.monotonic() - started
    files = stored = acked = acked_bytes = failed = 0
    for publisher, paths in plan:
        for path in paths:
            name = path[len(root):]
            state, replica_count = redis.send(["HGET", publisher + ":FILE:STATE:" + name, "STATE"],
                                              ["HLEN", publisher + ":FILE:REPLICAS:" + name])
            files += 1
            size = os.path.getsize(path)
            if state == "STORED":
                stored += 1
                acked += min(replica_count, replicas)
                acked_bytes += min(replica_count, replicas) * size
            else:
                failed += 1
    print(f"{seconds:.3f} {files} {stored} {acked} {acked_bytes} {failed}")


def sink(url, parallel, paths):
    target = urllib.parse.urlsplit(url)
    bodies = [open(path, "rb").read() for path in paths]
    errors = []

    def post(share):
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        for body in share:
            connection.request("POST", target.path or "/", body=body,
                               headers={"Content-Type": "application/octet-stream"})
            response = connection.getresponse()
            response.read()
            if response.status >= 300:
                errors.append(response.status)
        connection.close()

    threads = [threading.Thread(target=post, args=(bodies[i::parallel],)) for i in range(parallel)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    if errors:
        sys.exit(f"the sink answered {len(errors)} errors, e.g. {errors[0]}")
    print(f"{seconds:.3f}")


if __name__ == "__main__":
    if len(sys.argv) >= 7 and sys.argv[1] == "publish":
        publish(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6:])
    elif len(sys.argv) >= 5 and sys.argv[1] == "sink":
        sink(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    else:
        sys.exit(__doc__)
