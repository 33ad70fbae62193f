// The entrance's operator dashboard: reads the dashboard's server-sent events (with the admin token, so through
// fetch rather than EventSource, which cannot send one) and draws the map, the plots and the table from them.
// window.dandelionDashboard holds what is shown, for tests and for a look from the browser's console.
(function () {
  'use strict';

  var EVENTS = '/dandelion/api/v1/dashboard/events';
  var LAND = '/dandelion/dashboard/lib/land-110m.json';
  var TOKEN_KEY = 'dandelion.dashboard.token';
  var SVG = 'http://www.w3.org/2000/svg';
  var RETRY_MS = 3000;
  var PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
    '#bcbd22', '#17becf'];

  var state = {
    connection: 'connecting',
    entranceId: null,
    boxes: [],
    series: null,
    history: 720,
    events: 0,
    rows: 0,
    points: 0,
    unplaced: 0,
    landDrawn: false
  };
  window.dandelionDashboard = state;

  var plots = { live: null, exchanges: null, bytes: null, bytesBoxes: '' };

  function $(id) {
    return document.getElementById(id);
  }

  // --- token -------------------------------------------------------------------------------------------------

  // A token in the address (#token=…) is moved to the tab's session storage and out of the address bar.
  function takeTokenFromAddress() {
    var match = /(?:^#|&)token=([^&]*)/.exec(window.location.hash);
    if (match) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
      history.replaceState(null, '', window.location.pathname + window.location.search);
    }
  }

  // 401: no token or the wrong one, so the form asks for it; 403: the entrance has no token to check against
  // (strict mode without ENTRANCE_ADMIN_TOKEN), so no token helps and the form only says why.
  function askForToken(reason, helps) {
    setConnection('token', helps ? 'needs the admin token' : 'refused');
    $('token-reason').textContent = reason;
    $('token-form').hidden = false;
    Array.prototype.forEach.call($('token-form').querySelectorAll('label, button'), function (element) {
      element.hidden = !helps;
    });
    if (helps) {
      $('token-input').focus();
    }
  }

  function onTokenSubmitted(event) {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token-input').value.trim());
    $('token-input').value = '';
    $('token-form').hidden = true;
    connect();
  }

  // --- server-sent events ------------------------------------------------------------------------------------

  function setConnection(name, text) {
    state.connection = name;
    var badge = $('connection');
    badge.dataset.state = name;
    badge.textContent = text;
  }

  function retry(why) {
    setConnection('retrying', why + '; retrying');
    setTimeout(connect, RETRY_MS);
  }

  function connect() {
    var token = sessionStorage.getItem(TOKEN_KEY);
    var headers = { Accept: 'text/event-stream' };
    if (token) {
      headers.Authorization = 'Bearer ' + token;
    }
    setConnection('connecting', 'connecting');
    fetch(EVENTS, { headers: headers, cache: 'no-store' }).then(function (response) {
      if (response.status === 401 || response.status === 403) {
        return response.json().catch(function () {
          return {};
        }).then(function (problem) {
          if (response.status === 401) {
            sessionStorage.removeItem(TOKEN_KEY);
          }
          askForToken(problem.detail || ('The entrance answered ' + response.status), response.status === 401);
        });
      }
      if (!response.ok || !response.body) {
        retry('the entrance answered ' + response.status);
        return null;
      }
      setConnection('live', 'live');
      return read(response.body.getReader());
    }, function () {
      retry('cannot reach the entrance');
    });
  }

  function read(reader) {
    var decoder = new TextDecoder();
    var buffer = '';
    function next() {
      return reader.read().then(function (chunk) {
        if (chunk.done) {
          retry('the entrance closed the stream');
          return null;
        }
        buffer += decoder.decode(chunk.value, { stream: true });
        var end;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          var block = buffer.slice(0, end);
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
          onEvent(parseEvent(block));
        }
        return next();
      }, function () {
        retry('the stream broke');
      });
    }
    return next();
  }

  function parseEvent(block) {
    var event = { name: 'message', data: [] };
    block.split(/\r?\n/).forEach(function (line) {
      var colon = line.indexOf(':');
      if (colon <= 0) {
        return;
      }
      var field = line.slice(0, colon);
      var value = line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') {
        event.name = value;
      } else if (field === 'data') {
        event.data.push(value);
      }
    });
    return event;
  }

  function onEvent(event) {
    if (event.data.length === 0) {
      return;
    }
    var snapshot = JSON.parse(event.data.join('\n'));
    state.events++;
    state.entranceId = snapshot.entranceId;
    state.history = snapshot.history;
    state.boxes = snapshot.boxes;
    if (event.name === 'snapshot' || !state.series) {
      state.series = snapshot.series;
    } else {
      merge(state.series, snapshot.series, state.history);
    }
    render(snapshot);
  }

  // Appends the points of an update that are newer than those held, and keeps the last `limit`.
  function merge(into, more, limit) {
    var last = into.times.length ? into.times[into.times.length - 1] : -Infinity;
    for (var i = 0; i < more.times.length; i++) {
      if (more.times[i] <= last) {
        continue;
      }
      into.times.push(more.times[i]);
      into.liveBoxes.push(more.liveBoxes[i]);
      into.exchangesPerSecond.push(more.exchangesPerSecond[i]);
      Object.keys(into.boxBytesPerSecond).forEach(function (id) {
        var points = more.boxBytesPerSecond[id];
        into.boxBytesPerSecond[id].push(points ? points[i] : null);
      });
      Object.keys(more.boxBytesPerSecond).forEach(function (id) {
        if (!into.boxBytesPerSecond[id]) {
          var points = new Array(into.times.length - 1).fill(null);
          points.push(more.boxBytesPerSecond[id][i]);
          into.boxBytesPerSecond[id] = points;
        }
      });
    }
    var excess = into.times.length - limit;
    if (excess > 0) {
      into.times.splice(0, excess);
      into.liveBoxes.splice(0, excess);
      into.exchangesPerSecond.splice(0, excess);
      Object.keys(into.boxBytesPerSecond).forEach(function (id) {
        var points = into.boxBytesPerSecond[id];
        points.splice(0, excess);
        if (points.every(function (point) { return point === null; })) {
          delete into.boxBytesPerSecond[id];
        }
      });
    }
  }

  // --- drawing -----------------------------------------------------------------------------------------------

  function render(snapshot) {
    $('entrance-id').textContent = snapshot.entranceId;
    $('live-count').textContent = String(snapshot.boxes.length);
    $('updated-at').textContent = new Date(snapshot.at).toLocaleTimeString();
    renderTable(snapshot.boxes);
    renderPoints(snapshot.boxes);
    renderPlots(state.series);
  }

  function renderTable(boxes) {
    var body = document.querySelector('#boxes tbody');
    var rows = boxes.map(function (row) {
      var box = row.box;
      var system = box.system || {};
      var measured = row.measured || {};
      var tr = document.createElement('tr');
      tr.dataset.boxId = box.id;
      cell(tr, shortId(box.id)).title = box.id;
      cell(tr, place(box.geoip));
      var status = document.createElement('span');
      status.className = 'status ' + row.status;
      status.textContent = row.status;
      cell(tr, '').appendChild(status);
      cell(tr, ago(box.lastSeen, snapshotTime()), 'number');
      cell(tr, number(system.uplinkMbps, 1, ' Mbit/s'), 'number');
      cell(tr, disk(system), 'number');
      cell(tr, number(system.cpuIdle, 0, ' %'), 'number');
      cell(tr, number(measured.ttfbMillis, 0, ' ms'), 'number');
      cell(tr, number(measured.throughputMbps, 1, ' Mbit/s'), 'number');
      cell(tr, box.rank ? box.rank.score.toFixed(3) : null, 'number');
      cell(tr, reasons(box.rank), 'reasons');
      cell(tr, box.traffic ? bytes(box.traffic.bytes) : null, 'number');
      cell(tr, box.traffic ? String(box.traffic.requests) : null, 'number');
      return tr;
    });
    body.replaceChildren.apply(body, rows);
    state.rows = rows.length;
  }

  function snapshotTime() {
    return Date.now();
  }

  function cell(tr, text, className) {
    var td = document.createElement('td');
    if (text === null || text === undefined || text === '') {
      if (text !== '') {
        td.textContent = '–';
        td.className = 'blank';
      }
    } else {
      td.textContent = text;
      if (className) {
        td.className = className;
      }
    }
    tr.appendChild(td);
    return td;
  }

  function renderPoints(boxes) {
    var group = $('map-boxes');
    var circles = [];
    var unplaced = 0;
    boxes.forEach(function (row) {
      var geoip = row.box.geoip;
      if (!geoip || geoip.latitude == null || geoip.longitude == null) {
        unplaced++;
        return;
      }
      var circle = document.createElementNS(SVG, 'circle');
      var point = project(geoip.longitude, geoip.latitude);
      circle.setAttribute('cx', point[0].toFixed(2));
      circle.setAttribute('cy', point[1].toFixed(2));
      circle.setAttribute('r', '2.4');
      circle.setAttribute('class', row.status);
      circle.dataset.boxId = row.box.id;
      var title = document.createElementNS(SVG, 'title');
      title.textContent = row.box.id + ' · ' + (place(geoip) || 'unknown place') + ' · ' + row.status;
      circle.appendChild(title);
      circles.push(circle);
    });
    group.replaceChildren.apply(group, circles);
    state.points = circles.length;
    state.unplaced = unplaced;
    $('map-note').textContent = unplaced ? unplaced + ' live box(es) have no location and are not on the map.' : '';
  }

  // Equirectangular: longitude and latitude are x and y, in a 360 × 180 view box.
  function project(longitude, latitude) {
    return [longitude + 180, 90 - latitude];
  }

  // A ring that crosses the antimeridian is unwrapped (its longitudes run on past ±180) rather than drawn across the
  // whole map, and then drawn once more shifted by 360°: the view box clips each copy to its part.
  function ring(coordinates) {
    var offset = 0;
    var previous = null;
    var minX = Infinity;
    var maxX = -Infinity;
    var points = coordinates.map(function (position) {
      var longitude = position[0];
      if (previous !== null && Math.abs(longitude + offset - previous) > 180) {
        offset += longitude + offset > previous ? -360 : 360;
      }
      previous = longitude + offset;
      var point = project(previous, position[1]);
      minX = Math.min(minX, point[0]);
      maxX = Math.max(maxX, point[0]);
      return point;
    });
    var shifts = [0];
    if (minX < 0) {
      shifts.push(360);
    }
    if (maxX > 360) {
      shifts.push(-360);
    }
    return shifts.map(function (shift) {
      return points.map(function (point, i) {
        return (i ? 'L' : 'M') + (point[0] + shift).toFixed(2) + ' ' + point[1].toFixed(2);
      }).join('') + 'Z';
    }).join('');
  }

  function drawGrid() {
    var d = '';
    for (var longitude = -180; longitude <= 180; longitude += 30) {
      d += 'M' + (longitude + 180) + ' 0V180';
    }
    for (var latitude = -60; latitude <= 60; latitude += 30) {
      d += 'M0 ' + (90 - latitude) + 'H360';
    }
    var path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    $('map-grid').appendChild(path);
  }

  function drawLand() {
    fetch(LAND).then(function (response) {
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      return response.json();
    }).then(function (topology) {
      var land = topojson.feature(topology, topology.objects.land);
      var features = land.type === 'FeatureCollection' ? land.features : [land];
      var d = '';
      features.forEach(function (feature) {
        var geometry = feature.geometry;
        var polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
        polygons.forEach(function (polygon) {
          polygon.forEach(function (coordinates) {
            d += ring(coordinates);
          });
        });
      });
      var path = document.createElementNS(SVG, 'path');
      path.setAttribute('d', d);
      $('map-land').appendChild(path);
      state.landDrawn = true;
    }).catch(function (error) {
      $('map-note').textContent = 'The land outline did not load (' + error.message + ').';
    });
  }

  function renderPlots(series) {
    if (typeof uPlot === 'undefined' || !series) {
      return;
    }
    plots.live = plot(plots.live, 'plot-live', 'Live boxes', series.times,
      [{ label: 'live boxes', stroke: '#2f8f4e', values: series.liveBoxes, format: integer }]);
    plots.exchanges = plot(plots.exchanges, 'plot-exchanges', 'Heartbeats (EXCHANGE) per second', series.times,
      [{ label: 'exchanges/s', stroke: '#1f77b4', values: series.exchangesPerSecond, format: decimal }]);
    var ids = Object.keys(series.boxBytesPerSecond).sort();
    var key = ids.join(',');
    if (key !== plots.bytesBoxes && plots.bytes) {
      // Another set of boxes: a plot's lines are fixed when it is made
      plots.bytes.destroy();
      plots.bytes = null;
    }
    plots.bytesBoxes = key;
    plots.bytes = plot(plots.bytes, 'plot-bytes', 'Bytes served per second, per box', series.times,
      ids.map(function (id, i) {
        return { label: shortId(id), stroke: PALETTE[i % PALETTE.length], values: series.boxBytesPerSecond[id],
          format: rate };
      }));
  }

  function plot(existing, elementId, title, times, lines) {
    var data = [times].concat(lines.map(function (line) { return line.values; }));
    if (existing) {
      existing.setData(data);
      return existing;
    }
    var element = $(elementId);
    var format = lines.length ? lines[0].format : decimal;
    return new uPlot({
      title: title,
      width: Math.max(280, element.clientWidth),
      height: 120,
      scales: { x: { time: true } },
      series: [{}].concat(lines.map(function (line) {
        return { label: line.label, stroke: line.stroke, width: 1.5, spanGaps: false,
          value: function (u, value) { return value == null ? '–' : line.format(value); } };
      })),
      axes: [{}, { size: 84, values: function (u, values) { return values.map(format); } }]
    }, data, element);
  }

  // --- formatting --------------------------------------------------------------------------------------------

  function shortId(id) {
    return id.length > 14 ? id.slice(0, 12) + '…' : id;
  }

  function place(geoip) {
    if (!geoip) {
      return null;
    }
    return [geoip.city, geoip.country].filter(Boolean).join(', ') || null;
  }

  function ago(instant, now) {
    if (!instant) {
      return null;
    }
    var seconds = Math.max(0, Math.round((now - Date.parse(instant)) / 1000));
    return seconds + ' s ago';
  }

  function number(value, digits, unit) {
    return value == null ? null : value.toFixed(digits) + unit;
  }

  function disk(system) {
    if (system.diskAvailableGib == null) {
      return null;
    }
    var total = system.diskTotalGib != null ? ' of ' + system.diskTotalGib.toFixed(0) : '';
    return system.diskAvailableGib.toFixed(1) + total + ' GiB';
  }

  function reasons(rank) {
    if (!rank || !rank.reasons) {
      return null;
    }
    return Object.keys(rank.reasons).map(function (name) {
      return name + ' ' + rank.reasons[name].toFixed(2);
    }).join(' · ');
  }

  function bytes(value) {
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return (unit ? value.toFixed(1) : String(Math.round(value))) + ' ' + units[unit];
  }

  function rate(value) {
    return bytes(value) + '/s';
  }

  function integer(value) {
    return value == null ? '' : String(Math.round(value));
  }

  function decimal(value) {
    return value == null ? '' : (Math.abs(value) < 10 ? value.toFixed(2) : value.toFixed(0));
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('token-form').addEventListener('submit', onTokenSubmitted);
    drawGrid();
    drawLand();
    takeTokenFromAddress();
    connect();
  });
}());
