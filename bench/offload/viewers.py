#!/usr/bin/env python3
"""P5: simulated HLS viewers of the publisher's live stream, counting who served their bytes and how long they stalled.

Usage: viewers.py PUBLISHER_BASE SECONDS VIEWERS [PLAYLIST_PATH]     (playlist default /live/demo/index.m3u8)

Each viewer is a thread that plays the live playlist as a player does: it starts 3 segments from the end of the first
playlist it loads (hls.js's default live sync distance), reloads the playlist every target duration (half of it when
nothing new was listed), fetches each new segment in order following redirects (the publisher's /r/ 302 to a box, or
its /origin/ copy), and counts each segment's bytes by the host:port that answered them with 200. A failed fetch
(connection refused by a killed box, an error status, a 5 s timeout) is asked again from the playlist's URI after
RETRY_DELAY_S (default 0.5 s), at most 6 times, as hls.js retries a fragment. Its buffer: playback starts once the
first segment is in and plays in real time while segments are buffered; a stall is the time between the buffer running
dry (everything fetched has played out) and the next segment being in. Bytes from the publisher's address are origin
bytes; everything else came from boxes. Prints the totals and one RESULT line.
"""
import http.client
import os
import re
import sys
import threading
import time
import urllib.parse
from collections import defaultdict

BASE, SECONDS, VIEWERS = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
PLAYLIST = sys.argv[4] if len(sys.argv) > 4 else "/live/demo/index.m3u8"
RETRY_DELAY = float(os.environ.get("RETRY_DELAY_S", "0.5"))
MAX_RETRIES = 6
START_BEHIND = 3
STALL_REPORTED = 1.0
ORIGIN = urllib.parse.urlsplit(BASE).netloc
started = time.monotonic()
deadline = started + SECONDS
lock = threading.Lock()
segment_bytes = defaultdict(int)
origin_by_window = defaultdict(int)
totals = defaultdict(float)
stalls = []
failures = defaultdict(int)
startups = []


class Client:
    """A viewer's keep-alive connections, one per host:port."""

    def __init__(self):
        self.connections = {}

    def get(self, url):
        """GET following redirects: (status, body, host:port that answered)."""
        for _ in range(5):
            parts = urllib.parse.urlsplit(url)
            path = parts.path + ("?" + parts.query if parts.query else "")
            connection = self.connections.get(parts.netloc)
            if connection is None:
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
                self.connections[parts.netloc] = connection
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                del self.connections[parts.netloc]
                raise
            if response.status in (301, 302, 303, 307, 308):
                url = urllib.parse.urljoin(url, response.getheader("Location"))
                continue
            return response.status, body, parts.netloc
        raise OSError("too many redirects")


def parse(text):
    """(target duration, [(sequence number, duration, URI)]) of a media playlist."""
    target, sequence, duration, segments = 2.0, 0, None, []
    for line in text.splitlines():
        if line.startswith("#EXT-X-TARGETDURATION:"):
            target = float(line.split(":", 1)[1])
        elif line.startswith("#EXT-X-MEDIA-SEQUENCE:"):
            sequence = int(line.split(":", 1)[1])
        elif line.startswith("#EXTINF:"):
            duration = float(re.match(r"#EXTINF:([0-9.]+)", line).group(1))
        elif line and not line.startswith("#"):
            segments.append((sequence, duration or target, line))
            sequence += 1
            duration = None
    return target, segments


def viewer(number):
    client = Client()
    playlist_url = urllib.parse.urljoin(BASE, PLAYLIST)
    next_sequence = None
    play_start = None
    buffered = 0.0  # seconds of media fetched
    stalled = 0.0  # seconds spent stalled so far
    joined = time.monotonic()
    while time.monotonic() < deadline:
        reloaded = time.monotonic()
        try:
            status, body, _ = client.get(playlist_url)
        except OSError:
            status, body = 0, b""
        if status != 200:
            with lock:
                failures["playlist"] += 1
            time.sleep(0.5)
            continue
        with lock:
            totals["playlist_bytes"] += len(body)
        target, segments = parse(body.decode())
        if not segments:
            time.sleep(target / 2)
            continue
        if next_sequence is None:
            next_sequence = segments[max(0, len(segments) - START_BEHIND)][0]
        if next_sequence < segments[0][0]:
            with lock:
                totals["skipped_segments"] += segments[0][0] - next_sequence
            next_sequence = segments[0][0]
        fresh = [segment for segment in segments if segment[0] >= next_sequence]
        for sequence, duration, uri in fresh:
            if time.monotonic() >= deadline:
                break
            url = urllib.parse.urljoin(playlist_url, uri)
            for attempt in range(MAX_RETRIES + 1):
                try:
                    status, body, served_by = client.get(url)
                except OSError as ex:
                    status, body, served_by = 0, b"", type(ex).__name__
                if status == 200:
                    break
                with lock:
                    failures[f"{served_by} {status}"] += 1
                time.sleep(RETRY_DELAY)
            else:
                with lock:
                    totals["lost_segments"] += 1
                next_sequence = sequence + 1
                continue
            now = time.monotonic()
            if play_start is None:
                play_start = now
                with lock:
                    startups.append(now - joined)
            else:
                dry_at = play_start + stalled + buffered
                if now > dry_at:
                    stalled += now - dry_at
                    with lock:
                        stalls.append((now - dry_at, number, round(dry_at - started, 1)))
            buffered += duration
            with lock:
                segment_bytes[served_by] += len(body)
                totals["segments"] += 1
                if served_by == ORIGIN:
                    origin_by_window[int((now - started) // 10) * 10] += len(body)
            next_sequence = sequence + 1
        pause = target if fresh else target / 2
        time.sleep(max(0.0, min(reloaded + pause, deadline) - time.monotonic()))
    # A stall still going on at the end counts too
    if play_start is not None:
        dry_at = play_start + stalled + buffered
        now = time.monotonic()
        if now > dry_at:
            with lock:
                stalls.append((now - dry_at, number, round(dry_at - started, 1)))


threads = [threading.Thread(target=viewer, args=(n,), daemon=True) for n in range(1, VIEWERS + 1)]
for thread in threads:
    thread.start()
    time.sleep(2.0 / VIEWERS)  # viewers join over one segment, not in step
for thread in threads:
    thread.join(SECONDS + 60)

total = sum(segment_bytes.values())
origin = segment_bytes.get(ORIGIN, 0)
long_stalls = [stall for stall in stalls if stall[0] > STALL_REPORTED]
print("Segment bytes by server:")
for server, count in sorted(segment_bytes.items()):
    print(f"  {server:24} {count:>12,}{'  (origin)' if server == ORIGIN else ''}")
print(f"Origin bytes by 10 s window since the start: {dict(sorted(origin_by_window.items()))}")
print(f"Failed fetches (answering server or error, status): {dict(failures)}")
print(f"Stalls (seconds, viewer, began at s): {[(round(s, 2), v, t) for s, v, t in sorted(stalls, reverse=True)][:10]}")
print(f"Start-up (first segment in), s: max {max(startups, default=0):.2f}")
print(f"RESULT viewers={VIEWERS} seconds={SECONDS:.0f} segments={totals['segments']:.0f} segment_bytes={total} "
      f"origin_bytes={origin} box_share_pct={100 * (total - origin) / total if total else 0:.2f} "
      f"playlist_bytes={totals['playlist_bytes']:.0f} stalls={len(stalls)} stalls_over_1s={len(long_stalls)} "
      f"longest_stall_s={max((s for s, _, _ in stalls), default=0):.2f} failed_fetches={sum(failures.values())} "
      f"lost_segments={totals['lost_segments']:.0f} skipped_segments={totals['skipped_segments']:.0f}")
