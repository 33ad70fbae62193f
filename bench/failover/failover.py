#!/usr/bin/env python3
"""P4: how long viewers are still sent to a box after it is killed (-9).

Usage: failover.py RUN_DIR PUBLISHER_BASE FILE_NAME KILLS

Per kill: picks the box the redirect of FILE_NAME names first (else one the live playlist's segments name), kills its
box agent JVM with SIGKILL, then polls every POLL_MS (default 10 ms), over keep-alive connections to the publisher:
the ranked redirect of FILE_NAME (/r/NAME?format=json), the live playlist /live/demo/index.m3u8, and the ranked
redirect of each of its newest SEGMENTS (default 3) segments (what a player near the live edge fetches next). An answer
names the box when it holds the box's file server address (IP:DATA_PORT). Polling goes on until no answer has named it
for QUIET_S seconds (default 3). The sample is the time from the kill to the end of the last answer naming the box (0
when none did after the kill). Then the box is started again (./dandelion restart box-K) and the next kill waits until
the publisher's pool has it live and connected again. Prints one row per kill, then p50/p99/max.
Environment: POLL_MS, SEGMENTS, QUIET_S, MAX_WAIT_S (default 30, the bound on one kill's polling), RESTART_WAIT_S
(default 180, the bound on a box coming back).
"""
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse

RUN, BASE, NAME, KILLS = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
POLL = int(os.environ.get("POLL_MS", "10")) / 1000
SEGMENTS = int(os.environ.get("SEGMENTS", "3"))
QUIET = float(os.environ.get("QUIET_S", "3"))
MAX_WAIT = float(os.environ.get("MAX_WAIT_S", "30"))
RESTART_WAIT = float(os.environ.get("RESTART_WAIT_S", "180"))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PIDS = os.path.join(RUN, "pids")
publisher = urllib.parse.urlsplit(BASE)


class Publisher:
    """One keep-alive connection to the publisher, opened again when it fails."""

    def __init__(self):
        self.connection = None

    def get(self, path):
        for attempt in (1, 2):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(publisher.hostname, publisher.port, timeout=5)
                self.connection.request("GET", path)
                response = self.connection.getresponse()
                return response.status, response.read().decode("utf-8", "replace")
            except (OSError, http.client.HTTPException):
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def boxes():
    """Box name -> (file server address IP:DATA_PORT, PID) of every box in the run directory."""
    found = {}
    for entry in sorted(os.listdir(PIDS)):
        match = re.fullmatch(r"(box-\d+)\.address", entry)
        if match:
            name = match.group(1)
            ip, _, data = open(os.path.join(PIDS, entry)).read().split()
            pid = int(open(os.path.join(PIDS, name + ".pid")).read().strip())
            found[name] = (f"{ip}:{data}", pid)
    return found


def playlist_segments(text):
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def answers(client):
    """Every answer of one poll round as (asked at, answered at, text): what a viewer would be told right now."""
    timed = []

    def ask(path):
        asked = time.monotonic()
        status, text = client.get(path)
        timed.append((asked, time.monotonic(), text))
        return status, text

    ask(f"/r{NAME}?format=json")
    status, playlist = ask("/live/demo/index.m3u8")
    if status == 200:
        for segment in playlist_segments(playlist)[-SEGMENTS:]:
            if segment.startswith("/r/"):
                ask(segment + "?format=json")
    return timed


def choose_victim(client, known):
    by_address = {address: name for name, (address, _) in known.items()}
    status, body = client.get(f"/r{NAME}?format=json")
    if status == 200:
        for url in json.loads(body)["urls"]:
            name = by_address.get(urllib.parse.urlsplit(url).netloc)
            if name:
                return name, "redirect"
    for _, _, text in answers(client)[1:]:
        for address, name in by_address.items():
            if address in text:
                return name, "playlist"
    return None, None


def pool_live(client, name):
    """Whether the publisher's pool has the box live with a ready connection."""
    box_id = open(os.path.join(RUN, name, "box-id.txt")).read().strip()
    status, body = client.get("/api/v1/boxes")
    if status != 200:
        return False
    return any(box["id"] == box_id and box["live"] and box["connection"] == "READY" for box in json.loads(body))


def accepts(address):
    import socket

    ip, port = address.rsplit(":", 1)
    try:
        with socket.create_connection((ip, int(port)), timeout=0.5):
            return True
    except OSError:
        return False


def percentile(values, p):
    ordered = sorted(values)
    # nearest rank
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def main():
    client = Publisher()
    samples = []
    print("| kill | box | named by | last answer naming it, ms after the kill | that request asked at, ms | answers "
          "naming it | requests | ms per request (with the pauses) | file server after the kill | back live after s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for kill in range(1, KILLS + 1):
        known = boxes()
        deadline = time.monotonic() + 60
        victim, named_by = choose_victim(client, known)
        while victim is None and time.monotonic() < deadline:
            time.sleep(0.5)
            victim, named_by = choose_victim(client, known)
        if victim is None:
            sys.exit(f"kill {kill}: no answer names any box")
        address, pid = known[victim]
        killed = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        last_named = last_asked = None
        naming = rounds = requests = 0
        while True:
            timed = answers(client)
            now = time.monotonic()
            rounds += 1
            requests += len(timed)
            for asked, answered, text in timed:
                if address in text:
                    last_named, last_asked = answered, asked
                    naming += 1
            quiet_since = last_named if last_named is not None else killed
            if now - quiet_since >= QUIET or now - killed >= MAX_WAIT:
                break
            time.sleep(POLL)
        polled = now - killed
        sample = (last_named - killed) * 1000 if last_named is not None else 0.0
        asked_ms = f"{(last_asked - killed) * 1000:.0f}" if last_asked is not None else "-"
        if now - (last_named or killed) < QUIET:
            sample = float("inf")  # still named when MAX_WAIT ran out
        samples.append(sample)
        file_server = "still serves" if accepts(address) else "stopped"
        restart = subprocess.run([os.path.join(ROOT, "dandelion"), "restart", victim], capture_output=True,
                                 text=True, env=dict(os.environ, DANDELION_RUN_DIR=RUN))
        if restart.returncode != 0:
            sys.exit(f"kill {kill}: ./dandelion restart {victim} failed:\n{restart.stdout}{restart.stderr}")
        back_deadline = time.monotonic() + RESTART_WAIT
        while not pool_live(client, victim):
            if time.monotonic() > back_deadline:
                sys.exit(f"kill {kill}: {victim} not live in the publisher's pool {RESTART_WAIT:.0f} s after restart")
            time.sleep(0.5)
        back = time.monotonic() - killed
        print(f"| {kill} | {victim} | {named_by} | {sample:.0f} | {asked_ms} | {naming} | {requests} | "
              f"{polled / requests * 1000:.1f} | "
              f"{file_server} | {back:.0f} |", flush=True)
    print()
    print(f"RESULT kills={len(samples)} p50_ms={percentile(samples, 50):.0f} p99_ms={percentile(samples, 99):.0f} "
          f"max_ms={max(samples):.0f} min_ms={min(samples):.0f}")


main()
