/*
 * Dandelion viewer: plays a live HLS stream with hls.js and shows, per loaded segment,
 * which box served it, and the running share of bytes that came from boxes instead of
 * the publisher (the offload ratio).
 *
 * The page has one <video data-dandelion-src="PLAYLIST URL">. Bytes whose final URL
 * (after redirects, e.g. /r/... to a box) has the playlist's origin came from the
 * publisher itself ("origin"); any other host is a box. Figures are also kept in
 * window.dandelionStats for tests and curious viewers:
 *   { boxBytes, originBytes, segments: [{ url, host, bytes, fromBox }] }
 */
(function () {
  'use strict';

  var RECENT_ROWS = 8;

  var video = document.querySelector('video[data-dandelion-src]');
  if (!video) {
    return;
  }
  var playlist = new URL(video.dataset.dandelionSrc, document.baseURI);
  var stats = { boxBytes: 0, originBytes: 0, segments: [] };
  window.dandelionStats = stats;
  var overlay = createOverlay(video);

  if (window.Hls && window.Hls.isSupported()) {
    play(new window.Hls());
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    // Safari on iOS plays HLS itself but tells the page nothing about segments.
    video.src = playlist.href;
    setStatus('Native HLS playback: no per-segment figures in this browser.', false);
  } else {
    setStatus('This browser cannot play HLS (no Media Source Extensions).', true);
  }

  function play(hls) {
    hls.on(window.Hls.Events.FRAG_LOADED, function (event, data) {
      record(data);
    });
    hls.on(window.Hls.Events.MANIFEST_PARSED, function () {
      setStatus('Playing ' + video.dataset.dandelionStream, false);
      // autoplay alone is not always honoured once the source is set late.
      var started = video.play();
      if (started && started.catch) {
        started.catch(function () {
          setStatus('Press play to start.', false);
        });
      }
    });
    hls.on(window.Hls.Events.ERROR, function (event, data) {
      if (!data.fatal) {
        return;
      }
      var code = data.response && data.response.code;
      if (data.details === 'manifestLoadError' && code === 404) {
        setStatus('Stream ' + video.dataset.dandelionStream + ' is not live.', true);
      } else {
        setStatus('Playback stopped: ' + data.details + (code ? ' (HTTP ' + code + ')' : ''), true);
      }
    });
    hls.loadSource(playlist.href);
    hls.attachMedia(video);
  }

  function record(data) {
    var frag = data.frag;
    // The XHR's responseURL is where the bytes really came from, after any redirect.
    var details = data.networkDetails;
    var url = (details && details.responseURL) || frag.url;
    // stats.loaded: the payload may already have been handed (detached) to the demuxer
    // worker by the time this event arrives.
    var bytes = frag.stats.loaded || (data.payload ? data.payload.byteLength : 0);
    var where = new URL(url, playlist);
    var fromBox = where.origin !== playlist.origin;
    var segment = { url: url, host: fromBox ? where.host : 'origin', bytes: bytes, fromBox: fromBox };
    stats.segments.push(segment);
    if (fromBox) {
      stats.boxBytes += bytes;
    } else {
      stats.originBytes += bytes;
    }
    render(segment);
  }

  function createOverlay(target) {
    var panel = element('aside', 'dandelion-overlay');
    panel.setAttribute('aria-label', 'Where this stream comes from');
    var parts = {
      ratio: element('div', 'dandelion-ratio', '–'),
      caption: element('div', 'dandelion-caption', 'of the video bytes came from boxes'),
      bar: element('div', 'dandelion-bar'),
      totals: element('div', 'dandelion-totals', 'waiting for the first segment'),
      recent: element('ol', 'dandelion-recent'),
      status: element('div', 'dandelion-status', 'Loading…')
    };
    parts.boxShare = element('span', 'dandelion-bar-box');
    parts.bar.appendChild(parts.boxShare);
    ['ratio', 'caption', 'bar', 'totals', 'recent', 'status'].forEach(function (name) {
      panel.appendChild(parts[name]);
    });
    target.parentNode.appendChild(panel);
    return parts;
  }

  function render(segment) {
    var total = stats.boxBytes + stats.originBytes;
    var share = total > 0 ? stats.boxBytes / total : 0;
    overlay.ratio.textContent = (share * 100).toFixed(1) + ' %';
    overlay.boxShare.style.width = (share * 100) + '%';
    var fromBoxes = stats.segments.filter(function (s) { return s.fromBox; }).length;
    overlay.totals.textContent = 'boxes ' + size(stats.boxBytes) + ' · origin ' + size(stats.originBytes) +
      ' · ' + stats.segments.length + ' segments (' + fromBoxes + ' from boxes)';

    var row = element('li', segment.fromBox ? 'dandelion-from-box' : 'dandelion-from-origin');
    row.appendChild(element('span', 'dandelion-name', lastPathPart(segment.url)));
    row.appendChild(element('span', 'dandelion-host', segment.host));
    row.appendChild(element('span', 'dandelion-bytes', size(segment.bytes)));
    overlay.recent.insertBefore(row, overlay.recent.firstChild);
    while (overlay.recent.children.length > RECENT_ROWS) {
      overlay.recent.removeChild(overlay.recent.lastChild);
    }
  }

  function setStatus(text, isError) {
    overlay.status.textContent = text;
    overlay.status.classList.toggle('dandelion-error', isError);
  }

  // textContent only: URLs and host names are never parsed as HTML.
  function element(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function lastPathPart(url) {
    var path = new URL(url, playlist).pathname;
    return decodeURIComponent(path.substring(path.lastIndexOf('/') + 1));
  }

  function size(bytes) {
    if (bytes < 1000) {
      return bytes + ' B';
    }
    if (bytes < 1000 * 1000) {
      return (bytes / 1000).toFixed(1) + ' kB';
    }
    return (bytes / 1000 / 1000).toFixed(2) + ' MB';
  }
})();
