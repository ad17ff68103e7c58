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
  // Filters the list again after a live update, keeping how many rows are shown; set by
  // setupFilters on the list page.
  var refilter = function () {};

  function byId(id) {
    return document.getElementById(id);
  }

  function setText(el, text) {
    if (el && el.textContent !== text) {
      el.textContent = text;
    }
  }

  function pct(x) {
    return Math.round(x * 1000) / 1000 + '%';
  }

  // ------------------------------------------------------------------ all flags: filters

  // The page's rows are the first page of the server's filter; the data block #rows has every
  // flag, so the script filters all of them as you type and shows the first PAGE that match.
  var PAGE = 200;
  var table = null;
  var entries = [];
  var matching = [];
  var limit = PAGE;

  function entry(a) {
    return {
      key: a[0], text: (a[0] + ' ' + a[1]).toLowerCase(), description: a[1], owner: a[2],
      tags: ' ' + a[3] + ' ', on: a[4], past: a[5], bad: a[6], state: a[7], stateClass: a[8],
      rollout: a[9], killDate: a[10], lastChange: a[11], deleted: false
    };
  }

  function cell(tr, className, text) {
    var td = document.createElement('td');
    td.className = className;
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function rowOf(e) {
    var tr = document.createElement('tr');
    tr.id = 'f-' + e.key;
    var key = document.createElement('td');
    key.className = 'c-key';
    var a = document.createElement('a');
    a.href = base + '/flags/' + e.key;
    a.textContent = e.key;
    key.appendChild(a);
    if (e.description) {
      var small = document.createElement('small');
      small.textContent = e.description;
      key.appendChild(small);
    }
    tr.appendChild(key);
    var state = document.createElement('td');
    state.className = 'c-state';
    var badge = document.createElement('span');
    state.appendChild(badge);
    tr.appendChild(state);
    cell(tr, 'c-rollout', '');
    cell(tr, 'c-owner', '');
    cell(tr, 'c-kill', '');
    cell(tr, 'c-change', '');
    fill(tr, e);
    return tr;
  }

  function fill(tr, e) {
    var badge = tr.cells[1].firstChild;
    badge.className = 'st ' + e.stateClass;
    setText(badge, e.deleted ? 'Deleted' : e.state);
    setText(tr.cells[2], e.rollout);
    setText(tr.cells[3], e.owner);
    setText(tr.cells[4], e.killDate);
    tr.cells[4].className = e.past ? 'c-kill past' : 'c-kill';
    setText(tr.cells[5], e.lastChange);
    tr.setAttribute('data-on', e.on);
    tr.classList.toggle('gone', e.deleted);
  }

  function setupFilters() {
    table = byId('flags');
    var q = byId('q');
    var data = byId('rows');
    if (!table || !q || !data) {
      return;
    }
    var form = q.form;
    var tag = byId('tag');
    var owner = byId('owner');
    var state = byId('state');
    var past = byId('past');
    var malformed = byId('malformed');
    var count = byId('count');
    var pager = byId('pager');
    entries = JSON.parse(data.textContent).map(entry);
    entries.forEach(function (e) {
      rowsByKey[e.key] = e;
    });
    var more = document.createElement('button');
    more.type = 'button';
    more.className = 'secondary';
    more.id = 'more';
    more.hidden = true;
    pager.textContent = '';
    pager.appendChild(more);
    more.addEventListener('click', function () {
      limit += PAGE;
      render();
    });

    var rendered = [];

    function render() {
      var n = Math.min(limit, matching.length);
      var same = rendered.length === n;
      for (var j = 0; same && j < n; j++) {
        same = rendered[j] === matching[j];
      }
      // The same rows as shown (typing "f", "fl", "fla" in 10,000 flags): nothing to rebuild.
      if (!same) {
        var body = document.createElement('tbody');
        for (var i = 0; i < n; i++) {
          body.appendChild(rowOf(matching[i]));
        }
        table.replaceChild(body, table.tBodies[0]);
        rendered = matching.slice(0, n);
      }
      var total = entries.length;
      var text = matching.length === total
        ? total + (total === 1 ? ' flag' : ' flags')
        : matching.length + ' of ' + total + ' flags';
      count.textContent = n < matching.length ? text + ', 1 to ' + n + ' shown' : text;
      more.hidden = n >= matching.length;
      if (!more.hidden) {
        more.textContent = 'Show ' + Math.min(PAGE, matching.length - n) + ' more';
      }
    }

    function filtered() {
      var needle = q.value.trim().toLowerCase();
      var t = tag.value;
      var o = owner.value;
      var s = state.value;
      var p = past.checked;
      var m = malformed.checked;
      return entries.filter(function (e) {
        return (needle === '' || e.text.indexOf(needle) >= 0) &&
          (t === '' || e.tags.indexOf(' ' + t + ' ') >= 0) &&
          (o === '' || e.owner === o) &&
          (s === '' || (s === 'on' ? e.on === '1' : e.on === '0')) &&
          (!p || e.past) &&
          (!m || e.bad);
      });
    }

    // A flag that became malformed, was switched, or passed its kill date joins or leaves the
    // filtered rows and the count at once (regression: with "malformed only" on, a flag broken by
    // a raw SET after the page loaded never appeared).
    refilter = function () {
      matching = filtered();
      render();
    };

    function apply(ev) {
      matching = filtered();
      limit = PAGE;
      render();
      if (window.history && window.history.replaceState) {
        var params = new URLSearchParams(new FormData(form));
        var keep = new URLSearchParams();
        params.forEach(function (value, name) {
          if (value !== '') {
            keep.append(name, value);
          }
        });
        var query = keep.toString();
        window.history.replaceState(null, '', form.action + (query ? '?' + query : ''));
      }
      if (ev && ev.timeStamp) {
        var start = ev.timeStamp;
        var shown = matching.length;
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
    apply();
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
    if (d.deleted) {
      e.deleted = true;
    } else {
      e.on = d.malformed ? '' : d.state === 'On' ? '1' : '0';
      e.state = d.state;
      e.stateClass = d.stateClass;
      e.rollout = d.rollout;
      e.owner = d.owner;
      e.killDate = d.killDate;
      e.past = d.past;
      e.bad = d.malformed;
      e.lastChange = d.lastChange;
    }
    refilter();
    var row = byId('f-' + d.key);
    if (row) {
      fill(row, e);
      row.classList.remove('flash');
      // Restart the highlight: reading offsetWidth applies the removal first.
      void row.offsetWidth;
      row.classList.add('flash');
    }
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
    updatePlan(d);
  }

  // The guarded rollout section: a step the controller wrote arrives as a change of the flag.
  function updatePlan(d) {
    var share = byId('plan-percent');
    if (!share || d.deleted) {
      return;
    }
    if (share.getAttribute('data-live') === 'true' && /%$/.test(d.rollout)) {
      setText(share, d.rollout);
    }
    var state = byId('plan-state');
    if (state && d.actor === 'guarded-rollout') {
      var moved = byId('plan-moved');
      if (!moved) {
        moved = document.createElement('span');
        moved.id = 'plan-moved';
        state.appendChild(document.createTextNode(' '));
        state.appendChild(moved);
      }
      setText(moved, 'The plan changed the flag just now' + (d.reason ? ': ' + d.reason : '') +
        '. Reload to see its step and the guard’s numbers.');
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
    source.addEventListener('many', function (m) {
      var d = JSON.parse(m.data);
      var n = byId(page === 'all' ? 'new-flags' : 'live-notice');
      if (n) {
        n.textContent = d.count + ' or more flags changed at once: reload the page to see them. ';
        n.hidden = false;
      }
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
