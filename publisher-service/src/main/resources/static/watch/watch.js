/*
 * Dandelion viewer: plays a live HLS stream with hls.js and shows, per loaded segment,
 * which box served it, and the running share of bytes that came from boxes instead of
 * the publisher (the offload ratio).
 *
 * The page has one <video data-dandelion-src="PLAYLIST URL" data-dandelion-key="KEY">.
 * Bytes whose final URL (after redirects, e.g. /r/... to a box) has the playlist's origin
 * came from the publisher itself ("origin"); any other host is a box.
 *
 * Integrity: a box could serve other bytes than the publisher gave it. Every segment a
 * box served is hashed (SHA-256) before hls.js sees it and looked up in the stream's
 * manifest (../live/{stream}/manifest.json), which the publisher signs with the key the
 * page carries (Ed25519, checked with WebCrypto). A segment that does not match, or that
 * the manifest (fetched again once) does not list, is never played: it is reported to the
 * publisher (POST /api/v1/reports), which checks the box itself, and fetched again from
 * the publisher's own /origin/ copy. Where WebCrypto or Ed25519 is missing (a page not in
 * a secure context, an old browser) the overlay says "cannot verify" and playback goes on.
 *
 * Figures are also kept in window.dandelionStats for tests and curious viewers:
 *   { boxBytes, originBytes, segments: [{ url, host, bytes, fromBox, integrity }],
 *     integrity: 'checking' | 'verifying' | 'cannot verify: …',
 *     verified, tampered, tamperedSegments: [{ name, host, url, sha256, why, refetched, verdict }] }
 */
(function () {
  'use strict';

  var RECENT_ROWS = 8;
  var TAMPERED_ROWS = 4;
  var ORIGIN_TIMEOUT_MS = 20000;

  var video = document.querySelector('video[data-dandelion-src]');
  if (!video) {
    return;
  }
  var playlist = new URL(video.dataset.dandelionSrc, document.baseURI);
  var stream = video.dataset.dandelionStream;
  var stats = {
    boxBytes: 0, originBytes: 0, segments: [],
    integrity: 'checking', verified: 0, tampered: 0, tamperedSegments: []
  };
  window.dandelionStats = stats;
  var overlay = createOverlay(video);
  // Kept apart: window.dandelionStats stays plain data
  var tamperedRows = new WeakMap();
  var integrity = createIntegrity(video.dataset.dandelionKey);

  if (window.Hls && window.Hls.isSupported()) {
    play(new window.Hls({
      fLoader: integrity.loaderFor(window.Hls.DefaultConfig.loader),
      // Whole segments only: no byte reaches the player before it is checked
      progressive: false,
      lowLatencyMode: false
    }));
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    // Safari on iOS plays HLS itself but tells the page nothing about segments.
    video.src = playlist.href;
    setStatus('Native HLS playback: no per-segment figures in this browser.', false);
    integrity.cannotVerify('native HLS playback hands the page no segment');
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
    var checked = integrity.outcomeOf(frag);
    // Where the bytes really came from, after any redirect: the XHR's responseURL, or
    // the publisher's copy that replaced a tampered segment.
    var details = data.networkDetails;
    var url = (checked && checked.url) || (details && details.responseURL) || frag.url;
    // stats.loaded: the payload may already have been handed (detached) to the demuxer
    // worker by the time this event arrives.
    var bytes = frag.stats.loaded || (data.payload ? data.payload.byteLength : 0);
    var where = new URL(url, playlist);
    var fromBox = where.origin !== playlist.origin;
    var segment = {
      url: url, host: fromBox ? where.host : 'origin', bytes: bytes, fromBox: fromBox,
      integrity: checked ? checked.outcome : 'unverified'
    };
    stats.segments.push(segment);
    if (fromBox) {
      stats.boxBytes += bytes;
    } else {
      stats.originBytes += bytes;
    }
    render(segment);
  }

  /*
   * The integrity check: a fragment loader class for hls.js wrapping its default one,
   * the signed manifest, and what it found.
   */
  function createIntegrity(keyText) {
    var manifestUrl = new URL('manifest.json', playlist);
    var originBase = new URL('../../origin/', playlist);
    var reportsUrl = new URL('../../api/v1/reports', playlist);
    var outcomes = new WeakMap();
    var manifest = null;
    var manifestLoading = null;
    var keyReady = importKey(keyText);
    keyReady.then(function (key) {
      if (key && stats.integrity === 'checking') {
        stats.integrity = 'verifying';
        renderIntegrity();
      }
    });

    function importKey(text) {
      if (!window.crypto || !window.crypto.subtle) {
        cannotVerify('WebCrypto is missing (the page is not in a secure context)');
        return Promise.resolve(null);
      }
      var raw;
      try {
        raw = base64url(text || '');
      } catch (error) {
        raw = null;
      }
      if (!raw || raw.length !== 32) {
        cannotVerify('the page carries no valid publisher key');
        return Promise.resolve(null);
      }
      return window.crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify'])
        .catch(function (error) {
          cannotVerify('this browser has no Ed25519 (' + error.name + ')');
          return null;
        });
    }

    function cannotVerify(why) {
      stats.integrity = 'cannot verify: ' + why;
      renderIntegrity();
    }

    // One manifest request at a time; every caller gets its answer.
    function loadManifest(key) {
      if (!manifestLoading) {
        manifestLoading = fetch(manifestUrl.href, { cache: 'no-store', credentials: 'same-origin' })
          .then(function (response) {
            if (!response.ok) {
              throw new Error('the manifest answered HTTP ' + response.status);
            }
            var signature = response.headers.get('Dandelion-Signature');
            return response.arrayBuffer().then(function (body) {
              if (!signature) {
                throw integrityError('the manifest is not signed');
              }
              var signatureBytes;
              try {
                signatureBytes = base64url(signature);
              } catch (error) {
                throw integrityError('the manifest signature is not Base64url');
              }
              return window.crypto.subtle.verify({ name: 'Ed25519' }, key, signatureBytes, body)
                .then(function (valid) {
                  if (!valid) {
                    throw integrityError('the manifest signature is invalid');
                  }
                  var parsed = JSON.parse(new TextDecoder().decode(body));
                  if (parsed.STREAM !== stream || !parsed.SEGMENTS || typeof parsed.SEGMENTS !== 'object') {
                    throw integrityError('the manifest is not this stream\'s');
                  }
                  manifest = parsed.SEGMENTS;
                  return manifest;
                });
            });
          });
        var loading = manifestLoading;
        var done = function () {
          if (manifestLoading === loading) {
            manifestLoading = null;
          }
        };
        loading.then(done, done);
      }
      return manifestLoading;
    }

    // The digest the publisher signed for a name, fetching the manifest again (once for
    // this segment) when the one at hand does not list it; null when neither does.
    function expectedDigest(name, key) {
      var first = manifest ? Promise.resolve(manifest) : loadManifest(key);
      return first.then(function (segments) {
        if (Object.prototype.hasOwnProperty.call(segments, name)) {
          return segments[name];
        }
        return loadManifest(key).then(function (fresh) {
          return Object.prototype.hasOwnProperty.call(fresh, name) ? fresh[name] : null;
        });
      });
    }

    /*
     * What to hand hls.js for a loaded segment: a promise of { data, url, outcome }, or a
     * rejection when no bytes that can be trusted were found.
     */
    function check(response, context) {
      var url = response.url || context.url;
      var where = new URL(url, playlist);
      var passed = function (outcome) {
        return { data: response.data, url: null, outcome: outcome };
      };
      if (where.origin === playlist.origin) {
        // The publisher itself, where the page and its key come from
        return Promise.resolve(passed('origin'));
      }
      if (context.rangeEnd || context.rangeStart) {
        // A byte range of a file cannot be checked against the whole file's digest
        return Promise.resolve(passed('unverified'));
      }
      return keyReady.then(function (key) {
        if (!key) {
          return passed('unverified');
        }
        var name = nameOf(where);
        return sha256Hex(response.data).then(function (digest) {
          if (!name) {
            return tampered(null, where, digest, 'its URL names no live segment', null);
          }
          return expectedDigest(name, key).then(function (expected) {
            if (expected === digest) {
              stats.verified++;
              renderIntegrity();
              return passed('verified');
            }
            return tampered(name, where, digest,
              expected ? 'its SHA-256 is not the signed one' : 'the signed manifest does not list it', expected);
          }, function (error) {
            if (error && error.name === 'NotSupportedError') {
              cannotVerify('this browser cannot verify Ed25519 signatures');
              return passed('unverified');
            }
            if (error && error.integrity) {
              return tampered(name, where, digest, error.message, null);
            }
            // No manifest to check against: the publisher's own copy instead, and
            // nothing to say against the box
            return fromOrigin(name, null);
          });
        });
      });
    }

    function tampered(name, where, digest, why, expected) {
      stats.tampered++;
      var entry = {
        name: name, host: where.host, url: where.href, sha256: digest, why: why,
        refetched: false, verdict: null
      };
      stats.tamperedSegments.push(entry);
      if (name) {
        report(entry);
      }
      renderIntegrity();
      return fromOrigin(name, expected).then(function (result) {
        entry.refetched = true;
        renderTampered(entry);
        return result;
      }, function (error) {
        renderTampered(entry);
        throw error;
      });
    }

    // The publisher's own copy of a segment, checked against the manifest when it lists it.
    function fromOrigin(name, expected) {
      if (!name) {
        return Promise.reject(new Error('no publisher copy of a segment without a name'));
      }
      var url = new URL(name.split('/').slice(2).map(encodeURIComponent).join('/'), originBase);
      var abort = new AbortController();
      var timer = setTimeout(function () { abort.abort(); }, ORIGIN_TIMEOUT_MS);
      return fetch(url.href, { cache: 'no-store', credentials: 'same-origin', signal: abort.signal })
        .then(function (response) {
          if (!response.ok) {
            throw new Error('the publisher answered HTTP ' + response.status + ' for ' + name);
          }
          return response.arrayBuffer().then(function (data) {
            if (!expected) {
              return { data: data, url: response.url, outcome: 'refetched' };
            }
            return sha256Hex(data).then(function (digest) {
              if (digest !== expected) {
                throw new Error('the publisher\'s copy of ' + name + ' is not the signed one either');
              }
              return { data: data, url: response.url, outcome: 'refetched' };
            });
          });
        })
        .finally(function () { clearTimeout(timer); });
    }

    function report(entry) {
      fetch(reportsUrl.href, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ FILE_PATH: entry.name, URL: entry.url, SHA256: entry.sha256 })
      }).then(function (response) {
        return response.ok ? response.json() : { verdict: 'refused (HTTP ' + response.status + ')' };
      }).then(function (answer) {
        entry.verdict = answer.verdict;
        renderTampered(entry);
      }, function () {
        entry.verdict = 'not sent';
        renderTampered(entry);
      });
    }

    /*
     * hls.js's fragment loader, wrapped: the default loader fetches the segment, then its
     * bytes go to hls.js only once checked; progress events never carry unchecked bytes.
     */
    function loaderFor(DefaultLoader) {
      function CheckingLoader(config) {
        this.inner = new DefaultLoader(config);
        this.stats = this.inner.stats;
        this.context = null;
        this.finished = false;
      }
      CheckingLoader.prototype.load = function (context, config, callbacks) {
        var self = this;
        this.context = context;
        this.finished = false;
        this.inner.load(context, config, {
          onSuccess: function (response, loadStats, loadContext, networkDetails) {
            check(response, loadContext).then(function (result) {
              if (self.finished) {
                return;
              }
              self.finished = true;
              outcomes.set(loadContext.frag, { outcome: result.outcome, url: result.url });
              if (result.url) {
                loadStats.loaded = loadStats.total = result.data.byteLength;
                loadStats.loading.end = Math.max(self.now(), loadStats.loading.first);
              }
              callbacks.onSuccess({ url: result.url || response.url, data: result.data, code: 200 },
                loadStats, loadContext, networkDetails);
            }, function (error) {
              if (self.finished) {
                return;
              }
              self.finished = true;
              callbacks.onError({ code: 0, text: 'No trustworthy copy: ' + error.message },
                loadContext, networkDetails, loadStats);
            });
          },
          onError: function (error, loadContext, networkDetails, loadStats) {
            self.finished = true;
            callbacks.onError(error, loadContext, networkDetails, loadStats);
          },
          onTimeout: function (loadStats, loadContext, networkDetails) {
            self.finished = true;
            callbacks.onTimeout(loadStats, loadContext, networkDetails);
          },
          onAbort: function (loadStats, loadContext, networkDetails) {
            self.finished = true;
            if (callbacks.onAbort) {
              callbacks.onAbort(loadStats, loadContext, networkDetails);
            }
          }
        });
      };
      CheckingLoader.prototype.now = function () {
        return window.performance.now();
      };
      CheckingLoader.prototype.abort = function () {
        this.inner.abort();
        this.finished = true;
      };
      CheckingLoader.prototype.destroy = function () {
        this.finished = true;
        this.inner.destroy();
      };
      return CheckingLoader;
    }

    return {
      loaderFor: loaderFor,
      cannotVerify: cannotVerify,
      outcomeOf: function (frag) {
        return outcomes.get(frag);
      }
    };
  }

  function integrityError(message) {
    var error = new Error(message);
    error.integrity = true;
    return error;
  }

  // A box URL is http://IP:DATA_PORT/{publisher-id}/live/{stream}/{segment}: the name is
  // what follows the publisher's ID.
  function nameOf(where) {
    var parts = where.pathname.split('/');
    if (parts.length < 5 || parts[2] !== 'live') {
      return null;
    }
    try {
      return '/' + parts.slice(2).map(decodeURIComponent).join('/');
    } catch (error) {
      return null;
    }
  }

  function sha256Hex(data) {
    return window.crypto.subtle.digest('SHA-256', data).then(function (digest) {
      return Array.prototype.map.call(new Uint8Array(digest), function (byte) {
        return (byte < 16 ? '0' : '') + byte.toString(16);
      }).join('');
    });
  }

  function base64url(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4) {
      base64 += '=';
    }
    var binary = window.atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  function createOverlay(target) {
    var panel = element('aside', 'dandelion-overlay');
    panel.setAttribute('aria-label', 'Where this stream comes from');
    var parts = {
      ratio: element('div', 'dandelion-ratio', '–'),
      caption: element('div', 'dandelion-caption', 'of the video bytes came from boxes'),
      bar: element('div', 'dandelion-bar'),
      totals: element('div', 'dandelion-totals', 'waiting for the first segment'),
      integrity: element('div', 'dandelion-integrity', 'integrity: checking…'),
      // Tampered segments stay in sight, apart from the rows that scroll by
      tampered: element('ol', 'dandelion-recent dandelion-alerts'),
      recent: element('ol', 'dandelion-recent'),
      status: element('div', 'dandelion-status', 'Loading…')
    };
    parts.boxShare = element('span', 'dandelion-bar-box');
    parts.bar.appendChild(parts.boxShare);
    ['ratio', 'caption', 'bar', 'totals', 'integrity', 'tampered', 'recent', 'status'].forEach(function (name) {
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
    addRow(overlay.recent, row, RECENT_ROWS);
  }

  function renderIntegrity() {
    var text;
    if (stats.integrity.indexOf('cannot verify') === 0) {
      text = 'integrity: ' + stats.integrity;
    } else {
      text = 'integrity: ' + stats.verified + ' verified' +
        (stats.tampered ? ' · ' + stats.tampered + ' tampered, not played' : '');
    }
    overlay.integrity.textContent = text;
    overlay.integrity.classList.toggle('dandelion-error', stats.tampered > 0);
  }

  // One row per tampered segment, updated as its refetch and the publisher's verdict come.
  function renderTampered(entry) {
    var text = 'tampered: box ' + entry.host + (entry.refetched ? ' → refetched from origin' : ' → not played') +
      (entry.verdict ? ' · publisher: ' + entry.verdict : '');
    var row = tamperedRows.get(entry);
    if (row) {
      row.lastChild.textContent = text;
      return;
    }
    row = element('li', 'dandelion-tampered');
    row.appendChild(element('span', 'dandelion-name',
      entry.name ? entry.name.substring(entry.name.lastIndexOf('/') + 1) : '?'));
    row.appendChild(element('span', 'dandelion-host', text));
    tamperedRows.set(entry, row);
    addRow(overlay.tampered, row, TAMPERED_ROWS);
  }

  function addRow(list, row, limit) {
    list.insertBefore(row, list.firstChild);
    while (list.children.length > limit) {
      list.removeChild(list.lastChild);
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
