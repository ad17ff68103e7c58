/*
 * The dashboard's script (flags-dashboard). Hand-written, no build step, nothing fetched: every page
 * works without it; it adds search as you type, the rollout preview and live updates through
 * server-sent events. It writes text with textContent only, never HTML.
 */
(function () {
  'use strict';

  var body = document.body;
  var base = body.getAttribute('data-base') || '';
  var page = body.getAttribute('data-page') || '';
  // What the browser tests read: how long each filter took, when each live update arrived.
  var probe = (window.flagsDashboard = { timings: [], updates: [], connected: false });
  var rowsByKey = {};

  function byId(id) {
    return document.getElementById(id);
  }

  function pct(x) {
    return Math.round(x * 1000) / 1000 + '%';
  }

  // ------------------------------------------------------------------ all flags: filters

  function setupFilters() {
    var table = byId('flags');
    var q = byId('q');
    if (!table || !q) {
      return;
    }
    var form = q.form;
    var tag = byId('tag');
    var owner = byId('owner');
    var state = byId('state');
    var past = byId('past');
    var malformed = byId('malformed');
    var count = byId('count');
    var rows = table.tBodies[0].rows;
    var index = new Array(rows.length);
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var e = {
        row: r,
        key: r.id.substring(2),
        text: r.cells[0].textContent.toLowerCase(),
        owner: r.cells[3].textContent,
        tags: ' ' + (r.getAttribute('data-tags') || '') + ' ',
        on: r.getAttribute('data-on'),
        past: r.hasAttribute('data-past'),
        bad: r.hasAttribute('data-bad'),
        hidden: r.hidden
      };
      index[i] = e;
      rowsByKey[e.key] = e;
    }

    function apply(ev) {
      var needle = q.value.trim().toLowerCase();
      var t = tag.value;
      var o = owner.value;
      var s = state.value;
      var p = past.checked;
      var m = malformed.checked;
      var shown = 0;
      for (var i = 0; i < index.length; i++) {
        var e = index[i];
        var keep =
          (needle === '' || e.text.indexOf(needle) >= 0) &&
          (t === '' || e.tags.indexOf(' ' + t + ' ') >= 0) &&
          (o === '' || e.owner === o) &&
          (s === '' || (s === 'on' ? e.on === '1' : e.on === '0')) &&
          (!p || e.past) &&
          (!m || e.bad);
        if (keep) {
          shown++;
        }
        if (e.hidden === keep) {
          e.row.hidden = !keep;
          e.hidden = !keep;
        }
      }
      count.textContent =
        shown === index.length
          ? index.length + (index.length === 1 ? ' flag' : ' flags')
          : shown + ' of ' + index.length + ' flags';
      if (window.history && window.history.replaceState) {
        var params = new URLSearchParams(new FormData(form));
        params.forEach(function (value, name) {
          if (value === '') {
            params.delete(name);
          }
        });
        var query = params.toString();
        window.history.replaceState(null, '', form.action + (query ? '?' + query : ''));
      }
      if (ev && ev.timeStamp) {
        var start = ev.timeStamp;
        // After the frame that shows the result is painted.
        requestAnimationFrame(function () {
          setTimeout(function () {
            probe.timings.push({ kind: 'filter', ms: performance.now() - start, shown: shown });
          }, 0);
        });
      }
    }

    q.addEventListener('input', apply);
    [tag, owner, state, past, malformed].forEach(function (el) {
      el.addEventListener('change', apply);
    });
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      apply();
    });
    var button = form.querySelector('button[type=submit]');
    if (button) {
      button.hidden = true;
    }
  }

  // ------------------------------------------------------------------ one flag: the rollout preview

  function rolloutChange(from, to) {
    if (to > from) {
      return 'Adds ' + pct(to - from) + ' of users (those placed between ' + pct(from) + ' and ' +
        pct(to) + '): they start getting on. Everyone who has it keeps it.';
    }
    if (to < from) {
      return 'Removes ' + pct(from - to) + ' of users (those placed between ' + pct(to) + ' and ' +
        pct(from) + '): they go back to off. Nobody else changes.';
    }
    return 'No user changes: the rollout is already ' + pct(to) + '.';
  }

  function setupSlider() {
    var num = byId('percentage');
    var range = byId('percentage-range');
    var out = byId('rollout-preview');
    if (!num || !range || !out) {
      return;
    }
    var from = parseFloat(num.getAttribute('data-current'));
    range.hidden = false;
    function preview(source) {
      if (source === range) {
        num.value = range.value;
      } else if (num.value !== '') {
        range.value = num.value;
      }
      var to = parseFloat(num.value);
      out.textContent = isNaN(to) || to < 0 || to > 100 ? 'Give a share from 0 to 100.' : rolloutChange(from, Math.round(to * 1000) / 1000);
    }
    range.addEventListener('input', function () {
      preview(range);
    });
    num.addEventListener('input', function () {
      preview(num);
    });
    preview(num);
  }

  // ------------------------------------------------------------------ live updates

  function setText(cell, text) {
    if (cell && cell.textContent !== text) {
      cell.textContent = text;
    }
  }

  function updateRow(d) {
    var e = rowsByKey[d.key];
    if (!e) {
      if (!d.deleted) {
        var n = byId('new-flags');
        if (n) {
          n.textContent = 'New flag ' + d.key + ': reload the page to see it.';
          n.hidden = false;
        }
      }
      return;
    }
    var row = e.row;
    if (d.deleted) {
      row.classList.add('gone');
      setText(row.cells[1].firstChild, 'Deleted');
      return;
    }
    var badge = row.cells[1].firstChild;
    badge.className = 'st ' + d.stateClass;
    setText(badge, d.state);
    setText(row.cells[2], d.rollout);
    setText(row.cells[3], d.owner);
    setText(row.cells[4], d.killDate);
    row.cells[4].classList.toggle('past', d.past);
    setText(row.cells[5], d.lastChange);
    e.on = d.malformed ? '' : d.state === 'On' ? '1' : '0';
    e.owner = d.owner;
    e.past = d.past;
    e.bad = d.malformed;
    row.setAttribute('data-on', e.on);
    row.classList.remove('flash');
    // Restart the highlight: reading offsetWidth applies the removal first.
    void row.offsetWidth;
    row.classList.add('flash');
  }

  function updateFlagPage(d) {
    if (d.key !== body.getAttribute('data-key')) {
      return;
    }
    if (!d.deleted && String(d.version) === body.getAttribute('data-version')) {
      return;
    }
    var n = byId('live-notice');
    if (!n) {
      return;
    }
    n.textContent = d.deleted
      ? 'This flag was deleted just now. '
      : (d.actor || 'Someone') + ' changed this flag just now: it is now version ' + d.version +
        ' (' + d.state + ', rollout ' + d.rollout + ')' + (d.reason ? ' — “' + d.reason + '”' : '') +
        '. Your forms still change version ' + body.getAttribute('data-version') + ', so saving will ask you to review. ';
    var a = document.createElement('a');
    a.href = window.location.pathname;
    a.textContent = 'Reload to see it';
    n.appendChild(a);
    n.hidden = false;
    var s = byId('state');
    if (s && !d.deleted) {
      s.className = 'st ' + d.stateClass;
      s.textContent = d.state;
    }
  }

  function updateStatus(d) {
    var s = byId('store-status');
    if (s) {
      s.textContent = d.text;
    }
    var banner = byId('store-banner');
    if (banner) {
      banner.hidden = d.status === 'OK';
      if (banner.firstChild) {
        banner.firstChild.textContent = 'Store: ' + d.text + '. ';
      }
    }
  }

  function connect() {
    if (!window.EventSource || page === 'message' || page === 'confirm') {
      return;
    }
    var live = byId('live');
    var source = new EventSource(base + '/events');
    source.addEventListener('hello', function () {
      probe.connected = true;
      if (live) {
        live.hidden = false;
        live.textContent = 'Live';
        live.className = 'live';
      }
    });
    source.onerror = function () {
      probe.connected = false;
      if (live) {
        live.textContent = 'Reconnecting…';
        live.className = 'live off';
      }
    };
    source.addEventListener('flag', function (m) {
      var d = JSON.parse(m.data);
      if (page === 'all') {
        updateRow(d);
      } else if (page === 'flag') {
        updateFlagPage(d);
      }
      probe.updates.push({ key: d.key, version: d.version, at: Date.now(), sentAt: d.sentAt });
    });
    source.addEventListener('status', function (m) {
      updateStatus(JSON.parse(m.data));
    });
    window.addEventListener('pagehide', function () {
      source.close();
    });
  }

  setupFilters();
  setupSlider();
  connect();
})();
