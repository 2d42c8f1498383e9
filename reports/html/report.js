/* tcpspec HTML report: draws the tcpspec-report/1 document embedded in
 * the JSON element #report-data (docs/report-model.md).
 *
 * Plain DOM, no framework, no network. Every string from the report reaches
 * the page through text nodes or attribute setters, never innerHTML, so a
 * payload or a file name holding markup is shown as text.
 *
 * Large reports: the summary and one page of each list (PAGE rows) are built
 * at load; a case's or a connection's details (ladder, graph, tables) only
 * when its row is opened; a ladder draws LADDER_PAGE packets at a time. */
(function () {
  'use strict';

  var SVGNS = 'http://www.w3.org/2000/svg';
  var VERDICTS = ['pass', 'fail', 'error', 'xfail', 'xpass', 'skip'];
  var VKEY = {pass: 'passed', fail: 'failed', error: 'errors', xfail: 'xfail', xpass: 'xpass',
              skip: 'skipped'};
  var VNAME = {pass: 'passed', fail: 'failed', error: 'errors', xfail: 'expected failures',
               xpass: 'unexpected passes', skip: 'skipped'};
  var LEVELS = ['MUST', 'SHOULD', 'MAY', 'ANALYSIS'];
  var PAGE = 100;
  var LADDER_PAGE = 150;
  var DASH = '\u2014';
  var ARROW = '\u2192';

  var CONN_STATES = {
    S0: 'connection attempt seen, no reply',
    S1: 'established, not terminated',
    SF: 'normal establishment and termination',
    REJ: 'connection attempt rejected',
    S2: 'established, close attempt by originator seen (no reply from responder)',
    S3: 'established, close attempt by responder seen (no reply from originator)',
    RSTO: 'established, originator aborted (sent RST)',
    RSTR: 'responder sent RST',
    RSTOS0: 'originator sent SYN then RST, no SYN-ACK from responder',
    RSTRH: 'responder sent SYN-ACK then RST, no SYN from originator',
    SH: 'originator sent SYN then FIN, no SYN-ACK from responder',
    SHR: 'responder sent SYN-ACK then FIN, no SYN from originator',
    OTH: 'no SYN seen, midstream traffic'
  };
  var HISTORY_HELP = 'Zeek history: upper case = originator (A), lower case = responder (B). ' +
    'S syn, H syn-ack, A pure ack, D data, F fin, R rst, C bad checksum, G content gap, ' +
    'I inconsistent, Q multi-flag, T retransmission, W zero window, ^ direction flipped';

  var R = null;                 /* the report */
  var app = null;               /* <main id="app"> */
  var lists = {};               /* "cases" | "conns" | "matrix" -> PagedList */
  var caseIndex = null;         /* case id -> index in R.cases */
  var connIndex = null;         /* conn number -> index in R.connections */
  var ladders = {};             /* anchor prefix -> ladder (only while drawn) */
  var uid = 0;

  /* ---------- DOM helpers (text only through text nodes) ---------- */

  function safeHref(u) {
    var s = String(u);
    var clean = s.replace(/[\u0000-\u0020\u007f]/g, '');
    var m = /^([a-zA-Z][a-zA-Z0-9+.\-]*):/.exec(clean);
    if (m && !/^(https?|file)$/i.test(m[1]))
      return null;
    return s;
  }

  function append(e, kids) {
    if (kids == null || kids === false)
      return e;
    if (!Array.isArray(kids))
      kids = [kids];
    for (var i = 0; i < kids.length; i++) {
      var k = kids[i];
      if (k == null || k === false)
        continue;
      if (Array.isArray(k))
        append(e, k);
      else if (typeof k === 'object')
        e.appendChild(k);
      else
        e.appendChild(document.createTextNode(String(k)));
    }
    return e;
  }

  function h(tag, props, kids) {
    var e = document.createElement(tag);
    if (props) {
      for (var k in props) {
        var v = props[k];
        if (v == null || v === false)
          continue;
        if (k === 'text') e.textContent = String(v);
        else if (k === 'cls') e.className = v;
        else if (k === 'on') { for (var ev in v) e.addEventListener(ev, v[ev]); }
        else if (k === 'href') { var u = safeHref(v); if (u != null) e.setAttribute('href', u); }
        else if (k === 'style') { for (var st in v) e.style[st] = v[st]; }
        else if (k === 'checked' || k === 'value' || k === 'selected' || k === 'disabled') e[k] = v;
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    return append(e, kids);
  }

  function s(tag, attrs, kids) {
    var e = document.createElementNS(SVGNS, tag);
    if (attrs) {
      for (var k in attrs) {
        if (attrs[k] != null)
          e.setAttribute(k, String(attrs[k]));
      }
    }
    return append(e, kids);
  }

  function clear(e) {
    while (e.firstChild)
      e.removeChild(e.firstChild);
    return e;
  }

  function option(value, label, selected) {
    return h('option', {value: value, selected: !!selected}, label);
  }

  function debounce(fn, ms) {
    var t = null;
    return function () {
      if (t) clearTimeout(t);
      t = setTimeout(function () { t = null; fn(); }, ms);
    };
  }

  /* ---------- formatting ---------- */

  function isNum(v) { return typeof v === 'number' && isFinite(v); }

  function fmtInt(n) {
    if (n == null) return DASH;
    if (!isNum(n)) return String(n);
    if (Math.round(n) !== n) return String(n);
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  function fmtSecs(v) {
    if (v == null) return DASH;
    if (!isNum(v)) return String(v);
    var a = Math.abs(v);
    if (a === 0) return '0 s';
    if (a < 1e-3) return (v * 1e6).toFixed(0) + ' \u00b5s';
    if (a < 1) return (v * 1e3).toFixed(3) + ' ms';
    return v.toFixed(3) + ' s';
  }

  function fmtRel(t) {
    return isNum(t) ? t.toFixed(6) : '';
  }

  function fmtBytes(n) {
    if (!isNum(n)) return n == null ? DASH : String(n);
    if (n < 1024) return fmtInt(n) + ' B';
    var u = ['KiB', 'MiB', 'GiB', 'TiB'], v = n / 1024, i = 0;
    while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
    return fmtInt(n) + ' (' + v.toFixed(1) + ' ' + u[i] + ')';
  }

  function fmtRate(n) {
    if (!isNum(n)) return n == null ? DASH : String(n);
    var u = ['B/s', 'kB/s', 'MB/s', 'GB/s'], i = 0;
    while (n >= 1000 && i < u.length - 1) { n /= 1000; i++; }
    return (i ? n.toFixed(2) : n.toFixed(0)) + ' ' + u[i];
  }

  function fmtEpoch(v) {
    if (!isNum(v)) return v == null ? DASH : String(v);
    try { return new Date(v * 1000).toISOString().replace('T', ' ').replace('Z', ' UTC'); }
    catch (e) { return String(v); }
  }

  function fmtAny(v) {
    if (v == null) return DASH;
    if (isNum(v)) return Math.round(v) === v ? fmtInt(v) : String(+v.toPrecision(6));
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (Array.isArray(v)) return v.map(fmtAny).join(', ');
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }

  /* A statistics value by its (flattened) key: tcptrace's units. */
  function fmtStat(key, v) {
    if (v == null) return DASH;
    if (!isNum(v)) return fmtAny(v);
    if (/(^|\.)(first_ts|last_ts)$/.test(key)) return v > 1e8 ? fmtEpoch(v) : fmtSecs(v);
    if (/^rtt\.(min|avg|max|stdev)$|idle|duration|_rtt$/.test(key)) return fmtSecs(v);
    if (/throughput/.test(key)) return fmtRate(v);
    if (/bytes$|^window\.|^max_segment$|^mss$/.test(key)) return /^window\.avg$/.test(key) ?
      fmtInt(Math.round(v)) : fmtBytes(v);
    return fmtAny(v);
  }

  function endpointStr(ep, side) {
    if (!ep || typeof ep !== 'object') return '?';
    var a = side ? ep.dst : ep.src, p = side ? ep.dport : ep.sport;
    a = a == null ? '?' : String(a);
    if (a.indexOf(':') >= 0) a = '[' + a + ']';
    return a + ':' + (p == null ? '?' : p);
  }

  function connName(c) {
    return endpointStr(c.endpoints, 0) + ' ' + ARROW + ' ' + endpointStr(c.endpoints, 1);
  }

  function verdictBadge(v) {
    var k = VERDICTS.indexOf(v) >= 0 ? v : 'none';
    return h('span', {cls: 'v ' + k}, v == null ? DASH : String(v));
  }

  function levelBadge(l) {
    var k = LEVELS.indexOf(l) >= 0 ? l : '';
    return h('span', {cls: 'lv ' + k}, l == null ? DASH : String(l));
  }

  /* "RFC9293 3.10.7.4" or ("RFC9293", "3.1") -> link to the section. */
  function rfcLink(rfc, section) {
    var text = rfc == null ? '' : String(rfc);
    if (section != null && String(section) !== '') text += ' \u00a7' + section;
    var m = /RFC\s*0*(\d{1,5})(?:\s*\u00a7?\s*([0-9A-Za-z][0-9A-Za-z.\-]*))?/i.exec(String(rfc == null ? '' : rfc));
    if (!m) return text === '' ? DASH : text;
    var sec = section != null && String(section) !== '' ? String(section) : m[2];
    var url = 'https://www.rfc-editor.org/rfc/rfc' + m[1];
    if (sec) {
      var sm = /^([0-9]+(?:\.[0-9]+)*|[A-Z](?:\.[0-9]+)*)/.exec(sec);
      if (sm) url += (/^[A-Z]/.test(sm[1]) ? '#appendix-' : '#section-') + sm[1];
    }
    return h('a', {href: url, target: '_blank', rel: 'noopener noreferrer'}, text);
  }

  function rfcLinks(list) {
    if (!Array.isArray(list)) list = list == null ? [] : [list];
    var out = [];
    for (var i = 0; i < list.length; i++) {
      if (i) out.push(', ');
      out.push(rfcLink(list[i]));
    }
    return out.length ? out : DASH;
  }

  /* ---------- hash navigation ---------- */

  function setHash(id) {
    try { history.replaceState(null, '', '#' + id); } catch (e) { /* file: quirks */ }
  }

  function internalLink(id, label, title) {
    return h('a', {href: '#' + id, title: title, on: {click: function (ev) {
      ev.preventDefault();
      setHash(id);
      navigate(id);
    }}}, label);
  }

  function currentHash() {
    var raw = location.hash ? location.hash.slice(1) : '';
    if (!raw) return '';
    try { return decodeURIComponent(raw); } catch (e) { return raw; }
  }

  /* A connection's anchor: conn-N, or conn-fK-N (K: its input, 1-based)
   * when several inputs repeat N. */
  function connKey(c) {
    return c && c._key != null ? c._key : String(c && c.conn);
  }

  function navigate(id) {
    var m, idx, pkt = null, prefix;
    if (id.indexOf('case-') === 0 && lists.cases) {
      var rest = id.slice(5);
      idx = caseIndex[rest];
      if (idx == null && (m = /^(.*)-pkt-(\d+)$/.exec(rest))) {
        idx = caseIndex[m[1]];
        pkt = +m[2];
      }
      if (idx == null) return false;
      prefix = casePrefix(R.cases[idx], idx);
      return reveal(lists.cases, idx, prefix, pkt);
    }
    if ((m = /^conn-((?:f\d+-)?\d+)(?:-pkt-(\d+))?$/.exec(id)) && lists.conns) {
      idx = connIndex[m[1]];
      if (idx == null) return false;
      return reveal(lists.conns, idx, 'conn-' + m[1], m[2] != null ? +m[2] : null);
    }
    return false;
  }

  function reveal(list, idx, prefix, pkt) {
    var row = list.reveal(idx);
    if (!row) return false;
    if (pkt != null && ladders[prefix]) {
      ladders[prefix].show(pkt);
    } else {
      row.scrollIntoView({block: 'start'});
    }
    return true;
  }

  /* ---------- paginated list ---------- */

  /* opts: items, columns [{title, cell(item, i), sort(item, i), num, cls}],
   * detail(item, i) -> Node, rowId(item, i), rowCls(item, i), onOpen(item, i),
   * pageSize, onReset() (clear the filter controls) */
  function PagedList(opts) {
    var self = this;
    this.o = opts;
    this.items = opts.items;
    this.size = opts.pageSize || PAGE;
    this.page = 0;
    this.match = null;
    this.sortCol = -1;
    this.sortDir = 1;
    this.open = new Map();
    this.view = null;
    this.rows = new Map();
    this.root = h('div', {cls: 'plist'});
    this.pagerTop = h('div', {cls: 'pager'});
    this.pagerBottom = h('div', {cls: 'pager'});
    this.table = h('table', {cls: opts.tableCls || ''});
    var tr = h('tr');
    opts.columns.forEach(function (c, ci) {
      var th = h('th', {cls: (c.num && !(ci === 0 && opts.detail) ? 'num ' : '') + (c.cls ? c.cls + ' ' : '') +
        (c.sort ? 'sortable' : ''), title: c.help}, c.title);
      if (c.sort) {
        th.addEventListener('click', function () { self.sortBy(ci); });
      }
      tr.appendChild(th);
    });
    this.thead = h('thead', null, tr);
    this.tbody = h('tbody');
    append(this.table, [this.thead, this.tbody]);
    append(this.root, [this.pagerTop, this.table, this.pagerBottom]);
    this.refilter();
  }

  PagedList.prototype.setFilter = function (fn) {
    this.match = fn;
    this.refilter();
  };

  PagedList.prototype.refilter = function () {
    var v = [], items = this.items, m = this.match;
    for (var i = 0; i < items.length; i++) {
      if (!m || m(items[i], i))
        v.push(i);
    }
    this.view = v;
    this.applySort();
    this.page = 0;
    this.render();
  };

  PagedList.prototype.sortBy = function (ci) {
    if (this.sortCol === ci) this.sortDir = -this.sortDir;
    else { this.sortCol = ci; this.sortDir = this.o.columns[ci].num ? -1 : 1; }
    this.applySort();
    this.page = 0;
    this.render();
  };

  PagedList.prototype.applySort = function () {
    var ths = this.thead.firstChild.childNodes;
    for (var t = 0; t < ths.length; t++)
      ths[t].classList.remove('sorted-asc', 'sorted-desc');
    if (this.sortCol < 0) return;
    ths[this.sortCol].classList.add(this.sortDir > 0 ? 'sorted-asc' : 'sorted-desc');
    var key = this.o.columns[this.sortCol].sort, items = this.items, dir = this.sortDir;
    var keys = new Map();
    this.view.forEach(function (i) { keys.set(i, key(items[i], i)); });
    this.view.sort(function (a, b) {
      var ka = keys.get(a), kb = keys.get(b);
      if (ka == null && kb != null) return 1;
      if (kb == null && ka != null) return -1;
      if (ka < kb) return -dir;
      if (ka > kb) return dir;
      return a - b;
    });
  };

  PagedList.prototype.pages = function () {
    return Math.max(1, Math.ceil(this.view.length / this.size));
  };

  PagedList.prototype.go = function (p) {
    this.page = Math.max(0, Math.min(this.pages() - 1, p));
    this.render();
  };

  PagedList.prototype.renderPager = function (box) {
    var self = this, n = this.view.length, p = this.page, np = this.pages();
    clear(box);
    var from = n ? p * this.size + 1 : 0, to = Math.min(n, (p + 1) * this.size);
    if (np > 1) {
      append(box, [
        h('button', {disabled: p === 0, title: 'first page', on: {click: function () { self.go(0); }}}, '\u00ab'),
        h('button', {disabled: p === 0, title: 'previous page', on: {click: function () { self.go(p - 1); }}}, '\u2039 prev'),
        h('span', null, 'page ' + (p + 1) + ' of ' + fmtInt(np)),
        h('button', {disabled: p >= np - 1, title: 'next page', on: {click: function () { self.go(p + 1); }}}, 'next \u203a'),
        h('button', {disabled: p >= np - 1, title: 'last page', on: {click: function () { self.go(np - 1); }}}, '\u00bb')
      ]);
    }
    var txt = n ? 'showing ' + fmtInt(from) + '\u2013' + fmtInt(to) + ' of ' + fmtInt(n) : 'nothing matches';
    if (n !== this.items.length) txt += ' (filtered from ' + fmtInt(this.items.length) + ')';
    box.appendChild(h('span', {cls: 'count'}, txt));
  };

  PagedList.prototype.render = function () {
    var self = this, o = this.o, cols = o.columns;
    this.renderPager(this.pagerTop);
    this.renderPager(this.pagerBottom);
    this.pagerBottom.style.display = this.view.length > 20 ? '' : 'none';
    var body = h('tbody');
    this.rows = new Map();
    var end = Math.min(this.view.length, (this.page + 1) * this.size);
    for (var k = this.page * this.size; k < end; k++) {
      var i = this.view[k], it = this.items[i];
      var isOpen = this.open.has(i);
      var tr = h('tr', {cls: (o.detail ? 'clickable ' : '') + (isOpen ? 'open ' : '') +
        (o.rowCls ? o.rowCls(it, i) : ''), id: o.rowId ? o.rowId(it, i) : null});
      for (var c = 0; c < cols.length; c++) {
        var td = h('td', {cls: (cols[c].num && !(c === 0 && o.detail) ? 'num ' : '') + (cols[c].cls || '')});
        if (c === 0 && o.detail)
          td.appendChild(h('span', {cls: 'twisty'}, isOpen ? '\u25be' : '\u25b8'));
        append(td, cols[c].cell(it, i));
        tr.appendChild(td);
      }
      if (o.detail) {
        var tog = this.toggler(i);
        tr.tabIndex = 0;
        tr.setAttribute('aria-expanded', isOpen ? 'true' : 'false');
        tr.addEventListener('click', tog);
        tr.addEventListener('keydown', function (ev) {
          if (ev.target === ev.currentTarget && (ev.key === 'Enter' || ev.key === ' ')) {
            ev.preventDefault();
            tog(ev);
          }
        });
      }
      body.appendChild(tr);
      this.rows.set(i, tr);
      if (isOpen) {
        var node = this.open.get(i);
        if (!node) {
          node = o.detail(it, i);
          this.open.set(i, node);
        }
        body.appendChild(h('tr', {cls: 'detail'}, h('td', {colspan: cols.length}, node)));
      }
    }
    this.table.replaceChild(body, this.tbody);
    this.tbody = body;
    /* the detail nodes of closed rows are dropped, with their ladders */
    if (o.onRender) o.onRender();
    return self;
  };

  PagedList.prototype.toggler = function (i) {
    var self = this;
    return function (ev) {
      if (ev.target.closest && ev.target.closest('a, button, input, select')) return;
      if (self.open.has(i)) {
        self.open.delete(i);
        if (self.o.onClose) self.o.onClose(self.items[i], i);
      } else {
        self.open.set(i, null);
        if (self.o.onOpen) self.o.onOpen(self.items[i], i);
      }
      self.render();
    };
  };

  /* Opens item i (clearing the filter if it hides it) and returns its row. */
  PagedList.prototype.reveal = function (i) {
    var pos = this.view.indexOf(i);
    if (pos < 0) {
      if (this.o.onReset) this.o.onReset();
      this.match = null;
      this.view = this.items.map(function (_, j) { return j; });
      this.applySort();
      pos = this.view.indexOf(i);
      if (pos < 0) return null;
    }
    this.page = Math.floor(pos / this.size);
    if (!this.open.has(i)) this.open.set(i, null);
    this.render();
    return this.rows.get(i) || null;
  };

  /* ---------- header, notices, summary ---------- */

  function kindTitle(k) {
    return k === 'run' ? 'conformance run' : k === 'analyze' ? 'capture analysis' :
      k === 'matrix' ? 'conformance matrix' : String(k);
  }

  function renderHeader() {
    var tool = R.tool || {};
    var meta = h('p', {cls: 'meta'});
    if (R.target != null) append(meta, h('span', null, ['target ', h('b', null, String(R.target))]));
    if (R.created != null) append(meta, h('span', null, String(R.created)));
    if (tool.name != null || tool.version != null)
      append(meta, h('span', null, String(tool.name || 'tcpspec') + (tool.version != null ? ' ' + tool.version : '')));
    if (isNum(R.duration_ms)) append(meta, h('span', null, 'took ' + fmtSecs(R.duration_ms / 1000)));
    append(meta, h('span', null, String(R.schema)));
    var head = h('header', null, [
      h('h1', null, ['tcpspec ', kindTitle(R.kind), h('span', {cls: 'kind'}, String(R.kind))]),
      meta
    ]);
    if (Array.isArray(R.inputs) && R.inputs.length) {
      var shown = R.inputs.slice(0, 20).map(String).join(', ');
      if (R.inputs.length > 20) shown += ', \u2026 (' + fmtInt(R.inputs.length) + ' inputs)';
      head.appendChild(h('p', {cls: 'meta'}, ['inputs: ', h('code', null, shown)]));
    }
    app.appendChild(head);
  }

  function renderNotices() {
    var box = h('div', {id: 'notices'});
    var lim = R.limits || {}, tr = lim.truncated || {};
    var parts = [];
    if (tr.packets > 0)
      parts.push(fmtInt(tr.packets) + ' packets not shown (at most ' + fmtInt(lim.packets_per_item) +
                 ' per ' + (R.kind === 'run' ? 'case' : 'connection') + ')');
    if (tr.connections > 0)
      parts.push(fmtInt(tr.connections) + ' connections not detailed (at most ' +
                 fmtInt(lim.detailed_connections) + ' connections)');
    if (tr.findings > 0)
      parts.push(fmtInt(tr.findings) + ' findings not shown (at most ' + fmtInt(lim.findings_per_item) +
                 ' per item)');
    var sum = R.summary || {};
    var nconn = Array.isArray(R.connections) ? R.connections.length : 0;
    if (isNum(sum.connections) && sum.connections > nconn && !(tr.connections > 0) && R.kind === 'analyze')
      parts.push(fmtInt(sum.connections - nconn) + ' of ' + fmtInt(sum.connections) +
                 ' connections are counted in the summary but not listed');
    var ncase = Array.isArray(R.cases) ? R.cases.length : 0;
    if (isNum(sum.cases) && sum.cases > ncase && R.kind === 'run')
      parts.push(fmtInt(sum.cases - ncase) + ' of ' + fmtInt(sum.cases) + ' cases are counted in the summary but not listed');
    parts.forEach(function (p) {
      box.appendChild(h('p', {cls: 'notice'}, 'This report is truncated: ' + p + '. The counts in the summary include them.'));
    });
    if (R.schema !== 'tcpspec-report/1')
      box.appendChild(h('p', {cls: 'notice'}, 'This page was written for tcpspec-report/1; the report says ' +
        String(R.schema) + '. Fields it does not know are not shown.'));
    app.appendChild(box);
  }

  function tile(n, label, cls, onClick) {
    return h('button', {cls: 'tile ' + cls + (n === 0 ? ' zero' : ''), type: 'button',
      on: onClick ? {click: onClick} : null}, [
      h('span', {cls: 'n'}, fmtInt(n == null ? 0 : n)), h('span', {cls: 'l'}, label)]);
  }

  function verdictBar(o) {
    var total = 0;
    VERDICTS.forEach(function (v) { total += +o[VKEY[v]] || 0; });
    var bar = h('div', {cls: 'bar', title: VERDICTS.map(function (v) {
      return VNAME[v] + ' ' + (+o[VKEY[v]] || 0); }).join(', ')});
    VERDICTS.forEach(function (v) {
      var n = +o[VKEY[v]] || 0;
      if (n && total) bar.appendChild(h('span', {cls: v, style: {width: (100 * n / total) + '%'}}));
    });
    return bar;
  }

  /* by_area / by_rfc / by_level: name -> counts; a row filters the cases. */
  function verdictTable(title, obj, onPick, nameCell) {
    var names = Object.keys(obj || {});
    var box = h('div', null, h('h3', null, title));
    if (!names.length) {
      box.appendChild(h('p', {cls: 'note'}, 'none'));
      return box;
    }
    var head = h('tr', null, [h('th', null, title.replace(/^By /, '')), h('th', null, ''),
      VERDICTS.map(function (v) { return h('th', {cls: 'num', title: VNAME[v]}, v); }),
      h('th', {cls: 'num'}, 'total')]);
    var body = h('tbody');
    names.forEach(function (n) {
      var o = obj[n] || {}, total = 0;
      VERDICTS.forEach(function (v) { total += +o[VKEY[v]] || 0; });
      body.appendChild(h('tr', onPick ? {cls: 'clickable', title: 'show these cases', on: {click: function (ev) {
        if (ev.target.closest('a')) return;
        onPick(n);
      }}} : null, [
        h('td', null, nameCell ? nameCell(n) : n), h('td', null, verdictBar(o)),
        VERDICTS.map(function (v) {
          var x = +o[VKEY[v]] || 0;
          return h('td', {cls: 'num' + (x ? '' : ' zero')}, fmtInt(x));
        }),
        h('td', {cls: 'num'}, fmtInt(total))
      ]));
    });
    box.appendChild(h('table', null, [h('thead', null, head), body]));
    return box;
  }

  function levelTiles(levels, onClick) {
    return LEVELS.map(function (l) {
      var n = levels ? +levels[l] || 0 : 0;
      return tile(n, l + ' findings', l, onClick ? function () { onClick(l); } : null);
    });
  }

  function renderSummary() {
    var sum = R.summary || {};
    var sec = h('section', {id: 'summary'}, h('h2', null, 'Summary'));
    var tiles = h('div', {cls: 'tiles'});
    sec.appendChild(tiles);
    if (R.kind === 'run' || (R.kind === 'matrix' && isNum(sum.cases))) {
      append(tiles, tile(sum.cases, 'cases', '', function () { caseFilter({verdict: ''}); }));
      VERDICTS.forEach(function (v) {
        append(tiles, tile(sum[VKEY[v]], VNAME[v], v, function () { caseFilter({verdict: v}); }));
      });
    }
    if (R.kind === 'analyze') {
      append(tiles, tile(isNum(sum.connections) ? sum.connections : (R.connections || []).length,
        'connections', '', function () { connFilter({level: ''}); }));
      append(tiles, levelTiles(sum.findings, function (l) { connFilter({level: l}); }));
    } else if (sum.findings && typeof sum.findings === 'object' && LEVELS.some(function (l) { return sum.findings[l] > 0; })) {
      append(tiles, levelTiles(sum.findings, null));
    }
    var tables = h('div', {cls: 'summary-tables'});
    var nonEmpty = function (o) { return o && typeof o === 'object' && Object.keys(o).length > 0; };
    if (R.kind === 'run' || (R.kind === 'matrix' && (nonEmpty(sum.by_area) || nonEmpty(sum.by_rfc) || nonEmpty(sum.by_level)))) {
      var run = R.kind === 'run';
      append(tables, [
        verdictTable('By area', sum.by_area, run ? function (n) { caseFilter({area: n}); } :
          function (n) { matrixFilter(n + '/'); }),
        verdictTable('By RFC', sum.by_rfc, run ? function (n) { caseFilter({rfc: n}); } : null,
          function (n) { return rfcLink(n); }),
        verdictTable('By level', sum.by_level, run ? function (n) { caseFilter({level: n}); } : null)
      ]);
    }
    if (R.kind === 'analyze') {
      append(tables, [connStateTable(), findingIdTable()]);
    }
    if (R.kind === 'matrix' && R.matrix) {
      tables.appendChild(matrixTargetTable());
    }
    sec.appendChild(tables);
    app.appendChild(sec);
  }

  function connStateTable() {
    var counts = {}, conns = R.connections || [];
    for (var i = 0; i < conns.length; i++) {
      var st = conns[i] && conns[i].conn_state != null ? String(conns[i].conn_state) : '?';
      counts[st] = (counts[st] || 0) + 1;
    }
    var names = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; });
    var body = h('tbody');
    names.forEach(function (n) {
      body.appendChild(h('tr', {cls: 'clickable', title: 'show these connections',
        on: {click: function () { connFilter({state: n}); }}}, [
        h('td', null, h('code', null, n)), h('td', {cls: 'note'}, CONN_STATES[n] || ''),
        h('td', {cls: 'num'}, fmtInt(counts[n]))]));
    });
    return h('div', null, [h('h3', null, 'Connections by state'),
      names.length ? h('table', null, [h('thead', null, h('tr', null, [h('th', null, 'conn_state'),
        h('th', null, 'meaning'), h('th', {cls: 'num'}, 'connections')])), body]) : h('p', {cls: 'note'}, 'none')]);
  }

  function findingIdTable() {
    var ids = {}, conns = R.connections || [];
    for (var i = 0; i < conns.length; i++) {
      var fs = conns[i] && conns[i].findings;
      if (!Array.isArray(fs)) continue;
      var seen = {};
      for (var j = 0; j < fs.length; j++) {
        var f = fs[j], id = String(f.id);
        var e = ids[id] || (ids[id] = {n: 0, conns: 0, level: f.level, title: f.title, rfc: f.rfc, section: f.section});
        e.n++;
        if (!seen[id]) { seen[id] = 1; e.conns++; }
      }
    }
    var names = Object.keys(ids).sort(function (a, b) {
      var la = LEVELS.indexOf(ids[a].level), lb = LEVELS.indexOf(ids[b].level);
      return la !== lb ? la - lb : ids[b].n - ids[a].n;
    });
    var body = h('tbody');
    names.forEach(function (n) {
      var e = ids[n];
      body.appendChild(h('tr', {cls: 'clickable', title: 'show the connections with this finding',
        on: {click: function (ev) { if (!ev.target.closest('a')) connFilter({fid: n}); }}}, [
        h('td', null, levelBadge(e.level)), h('td', {title: e.title}, h('code', null, n)),
        h('td', null, rfcLink(e.rfc, e.section)),
        h('td', {cls: 'num'}, fmtInt(e.n)), h('td', {cls: 'num'}, fmtInt(e.conns))]));
    });
    return h('div', null, [h('h3', null, 'Findings by id'),
      names.length ? h('table', null, [h('thead', null, h('tr', null, [h('th', null, 'level'), h('th', null, 'id'),
        h('th', null, 'RFC'), h('th', {cls: 'num'}, 'findings'), h('th', {cls: 'num'}, 'connections')])), body])
        : h('p', {cls: 'note'}, 'no findings listed'),
      names.length ? h('p', {cls: 'note'}, 'Counted over the findings listed per connection in this report.') : null]);
  }

  /* ---------- run kind: cases ---------- */

  var caseCtl = null;

  function casePrefix(c, i) {
    return 'case-' + (c && c.id != null ? String(c.id) : String(i));
  }

  function caseFilter(f) {
    if (!caseCtl) return;
    caseCtl.set(f);
    caseCtl.section.scrollIntoView({block: 'start'});
  }

  function caseSearchText(c) {
    if (c._q == null) {
      c._q = [c.id, c.title, c.file, c.reason, c.area, c.level, (c.rfc || []).join ? (c.rfc || []).join(' ') : c.rfc,
        (c.tags || []).join ? (c.tags || []).join(' ') : c.tags].map(function (x) {
          return x == null ? '' : String(x);
        }).join('\n').toLowerCase();
    }
    return c._q;
  }

  function renderCases() {
    var cases = R.cases;
    caseIndex = {};
    cases.forEach(function (c, i) {
      if (c && c.id != null && caseIndex[String(c.id)] == null) caseIndex[String(c.id)] = i;
      else if (c && c.id == null) caseIndex[String(i)] = i;
    });
    var sec = h('section', {id: 'cases'}, h('h2', null, 'Cases (' + fmtInt(cases.length) + ')'));
    var q = h('input', {type: 'search', placeholder: 'filter: id, title, file, reason\u2026', 'aria-label': 'filter cases'});
    var vsel = h('select', {'aria-label': 'verdict'}, [option('', 'all verdicts'), option('!pass', 'not passed'),
      VERDICTS.map(function (v) { return option(v, v); })]);
    function distinct(get) {
      var m = {};
      cases.forEach(function (c) { [].concat(get(c) || []).forEach(function (x) { m[String(x)] = 1; }); });
      return Object.keys(m).sort();
    }
    var asel = h('select', {'aria-label': 'area'}, [option('', 'all areas'),
      distinct(function (c) { return c.area; }).map(function (a) { return option(a, a); })]);
    var lsel = h('select', {'aria-label': 'level'}, [option('', 'all levels'),
      distinct(function (c) { return c.level; }).map(function (a) { return option(a, a); })]);
    var rsel = h('select', {'aria-label': 'RFC'}, [option('', 'all RFCs'),
      distinct(function (c) { return c.rfc; }).map(function (a) { return option(a, a); })]);
    var ctl = h('div', {cls: 'controls'}, [q, vsel, asel, lsel, rsel]);
    sec.appendChild(ctl);

    function apply() {
      var text = q.value.trim().toLowerCase(), v = vsel.value, a = asel.value, l = lsel.value, r = rsel.value;
      if (!text && !v && !a && !l && !r) { list.setFilter(null); return; }
      list.setFilter(function (c) {
        if (v === '!pass' ? c.verdict === 'pass' : v && c.verdict !== v) return false;
        if (a && String(c.area) !== a) return false;
        if (l && String(c.level) !== l) return false;
        if (r && [].concat(c.rfc || []).map(String).indexOf(r) < 0) return false;
        return !text || caseSearchText(c).indexOf(text) >= 0;
      });
    }
    q.addEventListener('input', debounce(apply, 120));
    [vsel, asel, lsel, rsel].forEach(function (e) { e.addEventListener('change', apply); });

    function setSel(sel, val) {
      sel.value = val;
      if (sel.value !== val) sel.appendChild(option(val, val, true));
    }
    caseCtl = {section: sec, set: function (f) {
      q.value = '';
      setSel(vsel, f.verdict || ''); setSel(asel, f.area || ''); setSel(lsel, f.level || ''); setSel(rsel, f.rfc || '');
      apply();
    }};

    var list = new PagedList({
      items: cases,
      columns: [
        {title: 'verdict', cell: function (c) { return verdictBadge(c.verdict); },
         sort: function (c) { var k = ['fail', 'error', 'xpass', 'xfail', 'pass'].indexOf(c.verdict); return k < 0 ? 9 : k; }},
        {title: 'case', cls: 'nowrap', cell: function (c) { return h('code', null, c.id == null ? '' : String(c.id)); },
         sort: function (c) { return String(c.id); }},
        {title: 'title', cell: function (c) { return c.title == null ? '' : String(c.title); }, cls: 'ellipsis'},
        {title: 'level', cell: function (c) { return levelBadge(c.level); }, sort: function (c) { return String(c.level); }},
        {title: 'time', num: true, cell: function (c) { return isNum(c.duration_ms) ? c.duration_ms.toFixed(1) + ' ms' : DASH; },
         sort: function (c) { return c.duration_ms; }},
        {title: 'reason', cls: 'ellipsis', cell: function (c) { return c.reason ? String(c.reason) : ''; }}
      ],
      rowId: function (c, i) { return casePrefix(c, i); },
      rowCls: function (c) { return 'verdict-' + c.verdict; },
      detail: renderCaseDetail,
      onOpen: function (c, i) { setHash(casePrefix(c, i)); },
      onReset: function () { q.value = ''; vsel.value = ''; asel.value = ''; lsel.value = ''; rsel.value = ''; }
    });
    lists.cases = list;
    sec.appendChild(list.root);
    app.appendChild(sec);
  }

  function kv(pairs) {
    var dl = h('dl', {cls: 'kv'});
    pairs.forEach(function (p) {
      if (p && p[1] != null && p[1] !== '')
        append(dl, [h('dt', null, p[0]), h('dd', null, p[1])]);
    });
    return dl;
  }

  function renderCaseDetail(c, i) {
    var prefix = casePrefix(c, i);
    var box = h('div', {cls: 'detail-body'});
    var where = c.file != null ? String(c.file) + (c.line != null ? ':' + c.line : '') : null;
    append(box, [
      h('h3', null, [verdictBadge(c.verdict), ' ', c.title != null ? String(c.title) : String(c.id)]),
      kv([
        ['case', h('code', null, String(c.id))],
        ['file', where ? h('code', null, where) : null],
        ['RFC', c.rfc ? rfcLinks(c.rfc) : null],
        ['level', c.level != null ? levelBadge(c.level) : null],
        ['area', c.area],
        ['tags', Array.isArray(c.tags) && c.tags.length ? c.tags.join(', ') : null],
        ['failed step', c.failed_step != null ? 'step ' + c.failed_step +
          (c.failed_line != null ? ' (' + (c.file != null ? String(c.file) + ':' : 'line ') + c.failed_line + ')' : '') : null],
        ['duration', isNum(c.duration_ms) ? c.duration_ms.toFixed(1) + ' ms' : null],
        ['capture', c.pcap != null ? h('code', null, String(c.pcap)) : null]
      ])
    ]);
    if (c.reason)
      box.appendChild(h('div', {cls: 'reason ' + (c.verdict === 'pass' ? '' : c.verdict)}, String(c.reason)));

    var packets = Array.isArray(c.packets) ? c.packets : [];
    var steps = Array.isArray(c.steps) ? c.steps : [];
    var failed = (c.verdict === 'fail' || c.verdict === 'error' || c.verdict === 'xfail') && c.failed_step != null ?
      +c.failed_step : null;
    var lad = ladder({
      prefix: prefix, packets: packets, lanes: ['tester', 'target' + (R.target != null ? ' (' + R.target + ')' : '')],
      dirNames: ['tester ' + ARROW + ' target', 'target ' + ARROW + ' tester'],
      failedStep: failed, steps: steps, reason: c.reason, findings: c.findings
    });
    var stepList = renderSteps(steps, failed, lad);
    box.appendChild(h('h4', null, 'Packets and script'));
    if (c.packets_truncated)
      box.appendChild(h('p', {cls: 'notice'}, truncText(c.packets_truncated, packets.length, 'packets')));
    box.appendChild(h('div', {cls: 'ladder-wrap'}, [lad.node, stepList]));
    if (Array.isArray(c.findings) && c.findings.length) {
      box.appendChild(h('h4', null, 'Findings (' + fmtInt(c.findings.length) + ')'));
      box.appendChild(findingsPanel(c.findings, prefix, ['tester ' + ARROW + ' target', 'target ' + ARROW + ' tester']));
    }
    if (c.findings_truncated)
      box.appendChild(h('p', {cls: 'notice'}, truncText(c.findings_truncated, (c.findings || []).length, 'findings')));
    return box;
  }

  function truncText(t, shown, what) {
    if (isNum(t) && t > 0 && t !== 1)
      return fmtInt(t) + ' ' + what + ' not shown: the report keeps the first ' + fmtInt(shown) + '.';
    return 'More ' + what + ' were recorded than the report keeps: only the first ' + fmtInt(shown) + ' are shown.';
  }

  function renderSteps(steps, failed, lad) {
    var box = h('div', {cls: 'steps'}, h('h4', null, 'Script steps'));
    if (!steps.length) {
      box.appendChild(h('p', {cls: 'note'}, 'no steps in the report'));
      return box;
    }
    var ol = h('ol');
    steps.forEach(function (st, k) {
      var idx = st.index != null ? +st.index : k + 1;
      var li = h('li', {cls: idx === failed ? 'failed' : '', title: st.line != null ? 'line ' + st.line : null}, [
        h('span', {cls: 'idx'}, idx + '.'),
        st.text != null ? String(st.text) : String(st.kind || ''),
        idx === failed ? h('b', null, '  \u2717 failed') : null
      ]);
      li.addEventListener('click', function () {
        var was = li.classList.contains('sel');
        Array.prototype.forEach.call(ol.childNodes, function (x) { x.classList.remove('sel'); });
        if (!was) li.classList.add('sel');
        lad.selectStep(was ? null : idx);
      });
      ol.appendChild(li);
    });
    box.appendChild(ol);
    box.appendChild(h('p', {cls: 'note'}, 'Click a step to mark its packets.'));
    return box;
  }

  /* ---------- ladder diagram ---------- */

  function optText(o) {
    if (o == null) return '';
    if (typeof o === 'string') return o;
    if (Array.isArray(o)) {
      return o.map(function (x) {
        if (x == null) return '';
        if (typeof x !== 'object') return String(x);
        var k = x.kind != null ? String(x.kind) : '?';
        if (x.value != null) return k + ' ' + x.value;
        if (x.val != null) return k + ' ' + x.val + ' ' + x.ecr;
        if (Array.isArray(x.blocks)) return k + ' ' + x.blocks.map(function (b) { return b.join('-'); }).join(' ');
        return k;
      }).join(',');
    }
    return fmtAny(o);
  }

  function pktLine(p) {
    var t = (p.flags != null && p.flags !== '' ? String(p.flags) : '.') +
      ' seq=' + (p.seq == null ? '?' : p.seq);
    if (p.ack != null) t += ' ack=' + p.ack;
    if (p.win != null) t += ' win=' + p.win;
    if (p.wnd != null && p.wnd !== p.win) t += '(' + p.wnd + ')';
    t += ' len=' + (p.len == null ? '?' : p.len);
    return t;
  }

  function isRetx(p) {
    return Array.isArray(p.labels) && p.labels.some(function (l) { return /retrans/.test(String(l)); });
  }

  function wrapText(text, width, maxLines) {
    var words = String(text).split(/\s+/), lines = [], cur = '';
    words.forEach(function (w) {
      while (w.length > width) {
        if (cur) { lines.push(cur); cur = ''; }
        lines.push(w.slice(0, width));
        w = w.slice(width);
      }
      if (!cur) cur = w;
      else if (cur.length + 1 + w.length <= width) cur += ' ' + w;
      else { lines.push(cur); cur = w; }
    });
    if (cur) lines.push(cur);
    if (lines.length > maxLines) {
      lines = lines.slice(0, maxLines);
      lines[maxLines - 1] = lines[maxLines - 1].slice(0, width - 1) + '\u2026';
    }
    return lines;
  }

  /* opts: prefix, packets, lanes [a, b], failedStep, steps, reason, findings.
   * Returns {node, show(num), selectStep(idx)}. */
  function ladder(opts) {
    var pk = opts.packets;
    var W = 1000, XA = 150, XB = 560, NX = XB + 16, MID = (XA + XB) / 2;
    var start = 0, target = null, selStep = null;
    var box = h('div', {cls: 'ladder-box'});
    var nav = h('div', {cls: 'pager'});
    var holder = h('div');
    append(box, [nav, holder]);

    /* packets with findings: a marker beside them */
    var fAt = {};
    (opts.findings || []).forEach(function (f) {
      if (f && f.packet != null) (fAt[f.packet] = fAt[f.packet] || []).push(f);
    });

    /* where the failing step shows: its packets, or a missing-segment row */
    var failIdx = {}, missingAt = -1, missingDir = 1, failStep = opts.failedStep;
    if (failStep != null) {
      var any = false, lastBefore = -1;
      pk.forEach(function (p, k) {
        if (p.step === failStep) { failIdx[k] = 1; any = true; }
        if (p.step != null && p.step < failStep) lastBefore = k;
      });
      var st = (opts.steps || []).filter(function (x, k) {
        return (x.index != null ? +x.index : k + 1) === failStep; })[0];
      var kind = st && st.kind ? String(st.kind) : '';
      if (!any && kind === 'expect_none') {
        for (var k2 = lastBefore + 1; k2 < pk.length; k2++) {
          if (pk[k2].dir === 1 && pk[k2].step == null) { failIdx[k2] = 1; any = true; break; }
        }
      }
      if (!any) {
        missingAt = lastBefore + 1;
        missingDir = kind === 'send' || kind === 'app' ? 0 : 1;
      }
      opts.failText = st ? 'step ' + failStep + ': ' + (st.text != null ? String(st.text) : kind) : 'step ' + failStep;
    }

    function draw() {
      clear(holder);
      var end = Math.min(pk.length, start + LADDER_PAGE);
      var rows = [];
      for (var k = start; k < end; k++) {
        if (k === missingAt) rows.push({missing: true});
        rows.push({k: k, p: pk[k]});
      }
      if (missingAt >= 0 && missingAt === end && end === pk.length)
        rows.push({missing: true});
      if (!pk.length && missingAt < 0) {
        holder.appendChild(h('p', {cls: 'note'}, 'No packets in the report.'));
        return;
      }
      /* row heights: a failing row grows to hold its reason */
      var reasonLines = opts.reason ? wrapText(opts.reason, 54, 10) : [];
      /* a row: flags/seq/ack line, options line, then the arrow under them */
      var y = 44, layout = [];
      rows.forEach(function (r) {
        var fail = r.missing || failIdx[r.k];
        var hgt = 46;
        if (fail) hgt = Math.max(46, 30 + 14 * reasonLines.length);
        layout.push({r: r, y: y, h: hgt});
        y += hgt;
      });
      var H = y + 8;
      var svg = s('svg', {width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img',
        'aria-label': 'ladder diagram: ' + opts.lanes[0] + ' and ' + opts.lanes[1]});
      svg.appendChild(s('title', null, 'Packets between ' + opts.lanes[0] + ' (left) and ' + opts.lanes[1] + ' (right)'));
      append(svg, [
        s('text', {x: XA, y: 16, 'text-anchor': 'middle', class: 'lad-head'}, opts.lanes[0]),
        s('text', {x: XB, y: 16, 'text-anchor': 'middle', class: 'lad-head'}, opts.lanes[1]),
        s('text', {x: 8, y: 34, class: 'lad-time'}, '#  time (s)'),
        s('line', {x1: XA, y1: 24, x2: XA, y2: H - 4, class: 'lad-lane'}),
        s('line', {x1: XB, y1: 24, x2: XB, y2: H - 4, class: 'lad-lane'})
      ]);
      layout.forEach(function (L) {
        var r = L.r, y0 = L.y, p = r.p, dir = r.missing ? missingDir : (p.dir === 1 ? 1 : 0);
        var fail = r.missing || failIdx[r.k];
        var cls = 'lad-row dir' + dir;
        if (r.missing) cls += ' missing';
        else {
          if (fail) cls += ' fail';
          if (isRetx(p)) cls += ' retrans';
          if (p.csum === 'bad') cls += ' badcsum';
          if (selStep != null && p.step === selStep) cls += ' sel';
          if (target != null && p.num === target) cls += ' target';
        }
        var g = s('g', {class: cls, id: r.missing ? opts.prefix + '-missing' : opts.prefix + '-pkt-' + p.num});
        g.appendChild(s('rect', {x: 0, y: y0, width: W, height: L.h, class: 'lad-row-bg'}));
        var xf = dir ? XB : XA, xt = dir ? XA : XB, ya = y0 + 30, yb = y0 + 40;
        g.appendChild(s('line', {x1: xf, y1: ya, x2: xt, y2: yb, class: 'lad-arrow'}));
        /* arrow head at the receiving lane */
        var ang = Math.atan2(yb - ya, xt - xf), hx = xt, hy = yb, len = 9, wid = 4;
        var bx = hx - len * Math.cos(ang), by = hy - len * Math.sin(ang);
        var px = -Math.sin(ang) * wid, py = Math.cos(ang) * wid;
        g.appendChild(s('polygon', {class: 'lad-head-tip', points: hx + ',' + hy + ' ' + (bx + px).toFixed(1) + ',' +
          (by + py).toFixed(1) + ' ' + (bx - px).toFixed(1) + ',' + (by - py).toFixed(1)}));
        if (r.missing) {
          append(g, [
            s('text', {x: MID, y: y0 + 12, 'text-anchor': 'middle', class: 'lad-lbl'},
              (missingDir ? 'expected from target' : 'expected') + ' \u2014 not seen'),
            s('text', {x: MID, y: y0 + 24, 'text-anchor': 'middle', class: 'lad-opt'},
              wrapText(opts.failText || '', 60, 1)[0] || '')
          ]);
        } else {
          var opt = optText(p.options);
          var extra = [];
          if (p.sack && p.sack.length && !/sack [0-9]/.test(opt))
            extra.push('sack ' + p.sack.map(function (b) { return b[0] + '-' + b[1]; }).join(' '));
          if (p.csum != null && p.csum !== 'ok' && p.csum !== 'unverified') extra.push('csum ' + p.csum);
          var line2 = [opt].concat(extra).filter(Boolean).join('  ');
          append(g, [
            s('text', {x: 8, y: y0 + 14, class: 'lad-time'}, '#' + (p.num == null ? '?' : p.num)),
            s('text', {x: 8, y: y0 + 27, class: 'lad-time'}, fmtRel(p.t)),
            s('text', {x: MID, y: y0 + 12, 'text-anchor': 'middle', class: 'lad-lbl'}, pktLine(p)),
            line2 ? s('text', {x: MID, y: y0 + 24, 'text-anchor': 'middle', class: 'lad-opt'},
              line2.length > 64 ? line2.slice(0, 63) + '\u2026' : line2) : null
          ]);
          var notes = [];
          if (p.step != null) notes.push(['lad-step', 'step ' + p.step]);
          if (Array.isArray(p.labels) && p.labels.length)
            notes.push(['lad-tag', '[' + p.labels.map(String).join('] [') + ']']);
          if (fAt[p.num]) {
            var fl = fAt[p.num];
            notes.push(['lad-tag', '\u2691 ' + String(fl[0].id) + (fl.length > 1 ? ' +' + (fl.length - 1) : '')]);
          }
          if (!fail) {
            var ny = y0 + 14;
            notes.forEach(function (n) {
              g.appendChild(s('text', {x: NX, y: ny, class: n[0]}, n[1].length > 58 ? n[1].slice(0, 57) + '\u2026' : n[1]));
              ny += 13;
            });
          }
          if (fAt[p.num])
            g.appendChild(s('title', null, fAt[p.num].map(function (f) {
              return String(f.level) + ' ' + String(f.id) + ': ' + String(f.reason == null ? '' : f.reason); }).join('\n')));
        }
        if (fail) {
          var ty = y0 + 14;
          g.appendChild(s('text', {x: NX, y: ty, class: 'lad-why'}, '\u2717 ' + (opts.failText || 'failed') +
            (r.missing ? '' : (p.step != null ? '' : ' (unexpected packet)'))));
          reasonLines.forEach(function (ln) {
            ty += 14;
            g.appendChild(s('text', {x: NX, y: ty, class: 'lad-why'}, ln));
          });
        }
        g.addEventListener('click', function () {
          if (r.missing) return;
          target = target === p.num ? null : p.num;
          draw();
        });
        svg.appendChild(g);
      });
      holder.appendChild(svg);
      /* window navigation */
      clear(nav);
      if (pk.length > LADDER_PAGE) {
        append(nav, [
          h('button', {disabled: start === 0, on: {click: function () { start = Math.max(0, start - LADDER_PAGE); draw(); }}},
            '\u25c0 earlier'),
          h('span', null, 'packets ' + fmtInt(start + 1) + '\u2013' + fmtInt(end) + ' of ' + fmtInt(pk.length) + ' in the report'),
          h('button', {disabled: end >= pk.length, on: {click: function () { start = start + LADDER_PAGE; draw(); }}},
            'later \u25b6')
        ]);
      }
    }

    function indexOfNum(num) {
      for (var k = 0; k < pk.length; k++)
        if (pk[k].num === num) return k;
      return -1;
    }

    var api = {
      node: box,
      show: function (num) {
        var k = indexOfNum(num);
        if (k < 0) {
          box.scrollIntoView({block: 'start'});
          return false;
        }
        if (k < start || k >= start + LADDER_PAGE) start = Math.max(0, k - 10);
        target = num;
        draw();
        var g = document.getElementById(opts.prefix + '-pkt-' + num);
        if (g) g.scrollIntoView({block: 'center'});
        return true;
      },
      selectStep: function (idx) {
        selStep = idx;
        if (idx != null) {
          for (var k = 0; k < pk.length; k++) {
            if (pk[k].step === idx) {
              if (k < start || k >= start + LADDER_PAGE) start = Math.max(0, k - 10);
              break;
            }
          }
        }
        draw();
      }
    };
    draw();
    ladders[opts.prefix] = api;
    return api;
  }

  /* ---------- findings table ---------- */

  /* prefix: the anchor prefix of the packets (a string, or a function of
   * the finding for findings outside any case or connection) */
  function findingsPanel(list, prefix, dirNames) {
    var box = h('div', {cls: 'findings'});
    /* strictest first, then in packet order */
    list = list.map(function (f, k) { return {f: f, k: k}; }).sort(function (a, b) {
      var la = LEVELS.indexOf(a.f.level), lb = LEVELS.indexOf(b.f.level);
      la = la < 0 ? 9 : la; lb = lb < 0 ? 9 : lb;
      return la !== lb ? la - lb : a.k - b.k;
    }).map(function (x) { return x.f || {}; });
    var counts = {}, ids = {};
    list.forEach(function (f) {
      counts[f.level] = (counts[f.level] || 0) + 1;
      ids[String(f.id)] = 1;
    });
    var on = {};
    var checks = LEVELS.filter(function (l) { return counts[l]; }).map(function (l) {
      on[l] = true;
      var cb = h('input', {type: 'checkbox', checked: true});
      cb.addEventListener('change', function () { on[l] = cb.checked; apply(); });
      return h('label', null, [cb, ' ', levelBadge(l), ' (' + fmtInt(counts[l]) + ')']);
    });
    var idSel = h('select', {'aria-label': 'finding id'}, [option('', 'all ids'),
      Object.keys(ids).sort().map(function (i) { return option(i, i); })]);
    var q = h('input', {type: 'search', placeholder: 'filter reason\u2026', 'aria-label': 'filter findings'});
    idSel.addEventListener('change', apply);
    q.addEventListener('input', debounce(apply, 120));
    box.appendChild(h('div', {cls: 'controls'}, [checks, idSel, q]));

    function pktLink(n, f) {
      var pre = typeof prefix === 'function' ? prefix(f) : prefix;
      if (n == null) return DASH;
      if (pre == null) return '#' + n;
      return internalLink(pre + '-pkt-' + n, '#' + n, 'show packet ' + n + ' in the ladder');
    }
    var pl = new PagedList({
      items: list, pageSize: 50,
      columns: [
        {title: 'level', cell: function (f) { return levelBadge(f.level); },
         sort: function (f) { var k = LEVELS.indexOf(f.level); return k < 0 ? 9 : k; }},
        {title: 'id', cell: function (f) { return h('code', {title: f.title}, String(f.id)); },
         sort: function (f) { return String(f.id); }},
        {title: 'RFC', cell: function (f) { return rfcLink(f.rfc, f.section); }},
        {title: 'dir', cell: function (f) { return f.dir === 0 || f.dir === 1 ? dirNames[f.dir] : DASH; }},
        {title: 'packet', num: true, cell: function (f) {
          return [pktLink(f.packet, f), f.ref_packet != null ? [' (ref ', pktLink(f.ref_packet, f), ')'] : null]; },
         sort: function (f) { return f.packet; }},
        {title: 'reason', cell: function (f) {
          return [f.title != null ? h('div', null, String(f.title)) : null,
            f.reason != null ? h('code', null, String(f.reason)) : null]; }}
      ]
    });
    function apply() {
      var id = idSel.value, text = q.value.trim().toLowerCase();
      pl.setFilter(function (f) {
        if (LEVELS.indexOf(f.level) >= 0 && !on[f.level]) return false;
        if (id && String(f.id) !== id) return false;
        return !text || (String(f.reason) + ' ' + String(f.title) + ' ' + String(f.id)).toLowerCase().indexOf(text) >= 0;
      });
    }
    box.appendChild(pl.root);
    return box;
  }

  /* ---------- analyze kind: connections ---------- */

  var connCtl = null;

  function connFilter(f) {
    if (!connCtl) return;
    connCtl.set(f);
    connCtl.section.scrollIntoView({block: 'start'});
  }

  function dirStat(c, d, key) {
    var st = c.stats && c.stats[d];
    return st && isNum(st[key]) ? st[key] : null;
  }

  function connPackets(c) {
    var a = dirStat(c, 'orig', 'packets'), b = dirStat(c, 'resp', 'packets');
    if (a != null || b != null) return (a || 0) + (b || 0);
    return Array.isArray(c.packets) ? c.packets.length : null;
  }

  function connBytes(c) {
    var a = dirStat(c, 'orig', 'bytes'), b = dirStat(c, 'resp', 'bytes');
    if (a != null || b != null) return (a || 0) + (b || 0);
    return null;
  }

  function connSearch(c) {
    if (c._q == null) {
      var ids = {};
      (c.findings || []).forEach(function (f) { ids[String(f.id)] = 1; });
      c._q = ['#' + c.conn, connName(c), c.conn_state, c.history, c.input, Object.keys(ids).join(' ')].map(function (x) {
        return x == null ? '' : String(x); }).join('\n').toLowerCase();
    }
    return c._q;
  }

  function hasFindingId(c, id) {
    var fs = c.findings;
    if (!Array.isArray(fs)) return false;
    for (var i = 0; i < fs.length; i++)
      if (String(fs[i].id) === id) return true;
    return false;
  }

  function renderConns() {
    var conns = R.connections;
    connIndex = {};
    var t0 = Infinity, seen = {}, inputs = {}, multi = false;
    (Array.isArray(R.inputs) ? R.inputs : []).forEach(function (x, k) { inputs[String(x)] = k + 1; });
    conns.forEach(function (c) {
      if (!c) return;
      var n = String(c.conn);
      if (seen[n]) multi = true;
      seen[n] = 1;
    });
    conns.forEach(function (c, i) {
      if (!c || typeof c !== 'object') { conns[i] = c = {conn: null}; }
      var n = String(c.conn);
      c._key = multi && c.input != null && inputs[String(c.input)] ? 'f' + inputs[String(c.input)] + '-' + n : n;
      if (connIndex[c._key] == null) connIndex[c._key] = i;
      if (isNum(c.first_ts) && c.first_ts < t0) t0 = c.first_ts;
    });
    var several = Array.isArray(R.inputs) && R.inputs.length > 1;
    var sec = h('section', {id: 'connections'}, h('h2', null, 'Connections (' + fmtInt(conns.length) + ')'));
    var q = h('input', {type: 'search', placeholder: 'filter: address, port, state, history, finding id\u2026',
      'aria-label': 'filter connections'});
    var lsel = h('select', {'aria-label': 'findings level'}, [option('', 'any findings'),
      LEVELS.map(function (l) { return option(l, 'with ' + l + ' findings'); }), option('none', 'without findings')]);
    var states = {};
    conns.forEach(function (c) { if (c && c.conn_state != null) states[String(c.conn_state)] = 1; });
    var ssel = h('select', {'aria-label': 'conn_state'}, [option('', 'all states'),
      Object.keys(states).sort().map(function (x) { return option(x, x); })]);
    var fids = {};
    conns.forEach(function (c) { (c.findings || []).forEach(function (f) { fids[String(f.id)] = 1; }); });
    var fsel = h('select', {'aria-label': 'finding id'}, [option('', 'any finding id'),
      Object.keys(fids).sort().map(function (x) { return option(x, x); })]);
    sec.appendChild(h('div', {cls: 'controls'}, [q, lsel, ssel, fsel]));

    function apply() {
      var text = q.value.trim().toLowerCase(), l = lsel.value, st = ssel.value, fid = fsel.value;
      if (!text && !l && !st && !fid) { list.setFilter(null); return; }
      list.setFilter(function (c) {
        var lv = c.findings_by_level || {};
        if (l === 'none') {
          if (LEVELS.some(function (x) { return lv[x] > 0; })) return false;
        } else if (l && !(lv[l] > 0)) return false;
        if (st && String(c.conn_state) !== st) return false;
        if (fid && !hasFindingId(c, fid)) return false;
        return !text || connSearch(c).indexOf(text) >= 0;
      });
    }
    q.addEventListener('input', debounce(apply, 150));
    [lsel, ssel, fsel].forEach(function (e) { e.addEventListener('change', apply); });
    connCtl = {section: sec, set: function (f) {
      q.value = '';
      lsel.value = f.level || ''; ssel.value = f.state || ''; fsel.value = f.fid || '';
      apply();
    }};

    function lvCol(l) {
      return {title: l, num: true, help: l + ' findings', cell: function (c) {
        var n = c.findings_by_level ? c.findings_by_level[l] : null;
        return n ? h('span', {cls: 'lv ' + l}, fmtInt(n)) : h('span', {cls: 'zero'}, n == null ? DASH : '0');
      }, sort: function (c) { return c.findings_by_level ? +c.findings_by_level[l] || 0 : 0; }};
    }
    var list = new PagedList({
      items: conns,
      columns: [
        {title: 'conn', num: true, cell: function (c) { return String(c.conn); }, sort: function (c) { return c.conn; }},
        several ? {title: 'input', cls: 'ellipsis', cell: function (c) { return c.input == null ? '' : String(c.input); },
         sort: function (c) { return String(c.input); }} : null,
        {title: 'endpoints (A \u2192 B)', cell: function (c) { return h('code', null, connName(c)); },
         sort: function (c) { return connName(c); }},
        {title: 'state', cell: function (c) {
          return h('code', {title: CONN_STATES[c.conn_state] || ''}, c.conn_state == null ? DASH : String(c.conn_state)); },
         sort: function (c) { return String(c.conn_state); }},
        {title: 'history', help: HISTORY_HELP, cell: function (c) { return h('code', null, c.history == null ? '' : String(c.history)); }},
        {title: 'start', num: true, help: 'seconds after the first connection started', cell: function (c) {
          return isNum(c.first_ts) && isFinite(t0) ? '+' + (c.first_ts - t0).toFixed(3) : DASH; },
         sort: function (c) { return c.first_ts; }},
        {title: 'duration', num: true, cell: function (c) { return fmtSecs(c.duration); }, sort: function (c) { return c.duration; }},
        {title: 'packets', num: true, cell: function (c) {
          return [fmtInt(connPackets(c)), c.packets_truncated ? h('span', {title: 'not every packet is in the report', cls: 'lv SHOULD'}, ' \u2702') : null]; },
         sort: function (c) { return connPackets(c); }},
        {title: 'bytes', num: true, cell: function (c) { return fmtInt(connBytes(c)); }, sort: function (c) { return connBytes(c); }},
        lvCol('MUST'), lvCol('SHOULD'), lvCol('MAY'), lvCol('ANALYSIS')
      ].filter(Boolean),
      rowId: function (c) { return 'conn-' + connKey(c); },
      detail: renderConnDetail,
      onOpen: function (c) { setHash('conn-' + connKey(c)); },
      onReset: function () { q.value = ''; lsel.value = ''; ssel.value = ''; fsel.value = ''; }
    });
    lists.conns = list;
    sec.appendChild(list.root);
    app.appendChild(sec);
  }

  function flatten(o, pre, out) {
    Object.keys(o || {}).forEach(function (k) {
      var v = o[k];
      if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v, pre + k + '.', out);
      else out[pre + k] = v;
    });
    return out;
  }

  function statsTable(stats) {
    var a = flatten(stats && stats.orig, '', {}), b = flatten(stats && stats.resp, '', {});
    var keys = Object.keys(a);
    Object.keys(b).forEach(function (k) { if (!(k in a)) keys.push(k); });
    if (!keys.length) return h('p', {cls: 'note'}, 'no statistics in the report');
    var body = h('tbody');
    keys.forEach(function (k) {
      body.appendChild(h('tr', null, [h('td', null, k.replace(/_/g, ' ')),
        h('td', {cls: 'num'}, fmtStat(k, a[k])), h('td', {cls: 'num'}, fmtStat(k, b[k]))]));
    });
    return h('table', {style: {maxWidth: '760px'}}, [h('thead', null, h('tr', null, [h('th', null, 'per direction'),
      h('th', {cls: 'num'}, 'A \u2192 B (orig)'), h('th', {cls: 'num'}, 'B \u2192 A (resp)')])), body]);
  }

  var CONN_SHOWN = {conn: 1, endpoints: 1, first_ts: 1, duration: 1, conn_state: 1, history: 1, stats: 1,
    findings_by_level: 1, packets: 1, packets_truncated: 1, findings: 1, findings_truncated: 1, input: 1,
    _q: 1, _key: 1};

  function renderConnDetail(c) {
    var prefix = 'conn-' + connKey(c);
    var box = h('div', {cls: 'detail-body'});
    var ep = c.endpoints || {};
    var facts = kv([
      ['input', c.input != null ? h('code', null, String(c.input)) : null],
      ['A (originator)', h('code', null, endpointStr(ep, 0))],
      ['B (responder)', h('code', null, endpointStr(ep, 1))],
      ['IP', ep.ip != null ? 'IPv' + ep.ip : null],
      ['conn_state', c.conn_state != null ? [h('code', null, String(c.conn_state)),
        CONN_STATES[c.conn_state] ? ' \u2014 ' + CONN_STATES[c.conn_state] : ''] : null],
      ['history', c.history != null ? [h('code', {title: HISTORY_HELP}, String(c.history)),
        h('span', {cls: 'note'}, '  (upper case: A, lower case: B; hover for the letters)')] : null],
      ['started', isNum(c.first_ts) ? fmtEpoch(c.first_ts) : null],
      ['duration', c.duration != null ? fmtSecs(c.duration) : null]
    ].concat(Object.keys(c).filter(function (k) {
      return !CONN_SHOWN[k] && (c[k] == null || typeof c[k] !== 'object' || Array.isArray(c[k]) ||
        Object.keys(c[k]).length < 6);
    }).map(function (k) {
      return [k.replace(/_/g, ' '), /rtt|_ts$|time/.test(k) && isNum(c[k]) ? fmtStat(k, c[k]) : fmtAny(c[k])];
    })));
    append(box, [
      h('h3', null, 'Connection ' + c.conn + ': ' + connName(c)),
      h('div', {cls: 'conn-top'}, [h('div', null, facts),
        h('div', null, [h('h4', null, 'Per-direction statistics'), statsTable(c.stats)])])
    ]);
    var pk = Array.isArray(c.packets) ? c.packets : [];
    if (c.packets_truncated)
      box.appendChild(h('p', {cls: 'notice'}, truncText(isNum(c.packets_truncated) ? c.packets_truncated :
        (connPackets(c) > pk.length ? connPackets(c) - pk.length : true), pk.length, 'packets')));

    var lad = null;
    box.appendChild(h('h4', null, 'Time-sequence graph'));
    box.appendChild(tsgPanel(c, function (num) { if (lad) lad.show(num); }));

    var fl = Array.isArray(c.findings) ? c.findings : [];
    box.appendChild(h('h4', null, 'Findings (' + fmtInt(fl.length) + ')'));
    if (fl.length) box.appendChild(findingsPanel(fl, prefix, ['A \u2192 B', 'B \u2192 A']));
    else box.appendChild(h('p', {cls: 'note'}, 'none'));
    if (c.findings_truncated) {
      var lvTotal = 0;
      LEVELS.forEach(function (l) { lvTotal += c.findings_by_level ? +c.findings_by_level[l] || 0 : 0; });
      box.appendChild(h('p', {cls: 'notice'}, truncText(isNum(c.findings_truncated) ? c.findings_truncated :
        (lvTotal > fl.length ? lvTotal - fl.length : true), fl.length, 'findings')));
    }

    box.appendChild(h('h4', null, 'Ladder'));
    lad = ladder({prefix: prefix, packets: pk,
      lanes: ['A ' + endpointStr(ep, 0), 'B ' + endpointStr(ep, 1)], findings: c.findings});
    box.appendChild(lad.node);
    return box;
  }

  /* ---------- time-sequence graph (tcptrace) ---------- */

  function niceTicks(lo, hi, n) {
    var span = hi - lo;
    if (!(span > 0)) return {vals: [lo], step: 1};
    var step = Math.pow(10, Math.floor(Math.log(span / n) / Math.LN10));
    var err = span / n / step;
    if (err >= 7.5) step *= 10; else if (err >= 3.5) step *= 5; else if (err >= 1.5) step *= 2;
    var vals = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9 && vals.length < 50; v += step)
      vals.push(+v.toPrecision(12));
    return {vals: vals, step: step};
  }

  function tsgPanel(c, onPick) {
    var pk = Array.isArray(c.packets) ? c.packets : [];
    var bytes = [0, 0];
    pk.forEach(function (p) { if (p.len > 0 && (p.dir === 0 || p.dir === 1)) bytes[p.dir] += p.len; });
    var st = {dir: bytes[1] > bytes[0] ? 1 : 0, dom: null, full: false};
    var wrap = h('div', {cls: 'tsg'});
    var ep = c.endpoints || {};
    var bA = h('button', {type: 'button'}, 'A \u2192 B data (' + fmtInt(bytes[0]) + ' B)');
    var bB = h('button', {type: 'button'}, 'B \u2192 A data (' + fmtInt(bytes[1]) + ' B)');
    var full = h('input', {type: 'checkbox'});
    var reset = h('button', {type: 'button'}, 'reset zoom');
    var holder = h('div', {cls: 'tsg-box'});
    var note = h('p', {cls: 'note'});
    bA.addEventListener('click', function () { st.dir = 0; st.dom = null; draw(); });
    bB.addEventListener('click', function () { st.dir = 1; st.dom = null; draw(); });
    full.addEventListener('change', function () { st.full = full.checked; st.dom = null; draw(); });
    reset.addEventListener('click', function () { st.dom = null; draw(); });
    append(wrap, [
      h('div', {cls: 'tabs'}, [bA, bB, h('label', null, [full, ' whole window line']), reset]),
      holder,
      h('div', {cls: 'tsg-legend'}, [
        h('span', null, [h('i', {cls: 'k-data'}), 'data segment (seq to seq+len)']),
        h('span', null, [h('i', {cls: 'k-retx'}), 'retransmission (R)']),
        h('span', null, [h('i', {cls: 'k-ack'}), 'ACK from the peer']),
        h('span', null, [h('i', {cls: 'k-win'}), 'receive window (ack + wnd)']),
        h('span', null, [h('i', {cls: 'k-sack'}), 'SACK block']),
        h('span', null, [h('i', {cls: 'k-zw'}), 'zero window (Z)'])
      ]),
      note
    ]);
    function draw() {
      bA.className = st.dir === 0 ? 'on' : '';
      bB.className = st.dir === 1 ? 'on' : '';
      clear(holder);
      holder.appendChild(tsgSvg(pk, st, note, function (dom) { st.dom = dom; draw(); }, onPick,
        st.dir ? endpointStr(ep, 1) : endpointStr(ep, 0)));
    }
    draw();
    return wrap;
  }

  function r1(v) { return Math.round(v * 10) / 10; }

  function tsgSvg(pk, st, note, onZoom, onPick, sender) {
    var d = st.dir;
    var W = 940, H = 400, ML = 84, MR = 18, MT = 14, MB = 44, PW = W - ML - MR, PH = H - MT - MB;
    var segs = [], marks = [], acks = [];
    var tMin = Infinity, tMax = -Infinity, yMin = Infinity, yMax = -Infinity, winTop = -Infinity;
    pk.forEach(function (p) {
      if (!isNum(p.t)) return;
      if (p.t < tMin) tMin = p.t;
      if (p.t > tMax) tMax = p.t;
      if (p.dir === d) {
        if (!isNum(p.seq)) return;
        var len = isNum(p.len) ? p.len : 0, fl = String(p.flags || '');
        if (len > 0) {
          segs.push({t: p.t, a: p.seq, b: p.seq + len, rx: isRetx(p), num: p.num});
          yMin = Math.min(yMin, p.seq); yMax = Math.max(yMax, p.seq + len);
        }
        if (fl.indexOf('S') >= 0 || fl.indexOf('F') >= 0 || fl.indexOf('R') >= 0) {
          var y = fl.indexOf('F') >= 0 ? p.seq + len : p.seq;
          marks.push({t: p.t, y: y, txt: fl.indexOf('S') >= 0 ? 'S' : fl.indexOf('F') >= 0 ? 'F' : 'R', num: p.num});
          yMin = Math.min(yMin, y); yMax = Math.max(yMax, y + 1);
        }
      } else if (p.dir === 1 - d && isNum(p.ack)) {
        var wnd = isNum(p.wnd) ? p.wnd : null;
        var zero = wnd === 0 || (Array.isArray(p.labels) && p.labels.some(function (l) { return /zero_?window$/.test(String(l)); }));
        acks.push({t: p.t, ack: p.ack, wnd: wnd, sack: Array.isArray(p.sack) ? p.sack : null, zero: zero, num: p.num});
        yMin = Math.min(yMin, p.ack); yMax = Math.max(yMax, p.ack);
        if (wnd != null) winTop = Math.max(winTop, p.ack + wnd);
        if (Array.isArray(p.sack)) p.sack.forEach(function (b) {
          if (isNum(b[0]) && isNum(b[1])) { yMin = Math.min(yMin, b[0]); yMax = Math.max(yMax, b[1]); }
        });
      }
    });
    clear(note);
    if (!segs.length && !acks.length && !marks.length) {
      return h('p', {cls: 'note'}, 'Nothing to draw in this direction (no data segments and no ACKs in the report).');
    }
    if (!isFinite(tMin)) { tMin = 0; tMax = 1; }
    var clipped = false;
    if (winTop > yMax) {
      var range = Math.max(1, yMax - yMin);
      if (st.full || winTop - yMax <= range) yMax = winTop;
      else { clipped = true; yMax = yMax + range * 0.5; }
    }
    if (tMax <= tMin) tMax = tMin + 1e-3;
    if (yMax <= yMin) yMax = yMin + 1;
    var padY = (yMax - yMin) * 0.04, padT = (tMax - tMin) * 0.02;
    var dom = st.dom || {t0: tMin - padT, t1: tMax + padT, y0: yMin - padY, y1: yMax + padY};
    var X = function (t) { return ML + (t - dom.t0) / (dom.t1 - dom.t0) * PW; };
    var Y = function (v) { return MT + PH - (v - dom.y0) / (dom.y1 - dom.y0) * PH; };

    var svg = s('svg', {width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img',
      'aria-label': 'time-sequence graph of the data sent by ' + sender});
    svg.appendChild(s('title', null, 'Time-sequence graph: data sent by ' + sender + ', ACKs and window from its peer'));
    var cid = 'tsg-clip-' + (++uid);
    svg.appendChild(s('defs', null, s('clipPath', {id: cid}, s('rect', {x: ML, y: MT, width: PW, height: PH}))));

    /* grid and ticks */
    var tx = niceTicks(dom.t0, dom.t1, 8), ty = niceTicks(dom.y0, dom.y1, 7);
    var dec = Math.max(0, Math.min(9, -Math.floor(Math.log(tx.step) / Math.LN10)));
    tx.vals.forEach(function (v) {
      var x = r1(X(v));
      append(svg, [s('line', {x1: x, y1: MT, x2: x, y2: MT + PH, class: 'tsg-grid'}),
        s('text', {x: x, y: MT + PH + 14, 'text-anchor': 'middle', class: 'tsg-tick'}, v.toFixed(dec))]);
    });
    ty.vals.forEach(function (v) {
      var y = r1(Y(v));
      append(svg, [s('line', {x1: ML, y1: y, x2: ML + PW, y2: y, class: 'tsg-grid'}),
        s('text', {x: ML - 6, y: y + 3.5, 'text-anchor': 'end', class: 'tsg-tick'}, fmtInt(Math.round(v)))]);
    });
    append(svg, [
      s('rect', {x: ML, y: MT, width: PW, height: PH, class: 'tsg-frame'}),
      s('text', {x: ML + PW / 2, y: H - 8, 'text-anchor': 'middle', class: 'tsg-axis'}, 'time (s)'),
      s('text', {x: 14, y: MT + PH / 2, 'text-anchor': 'middle', class: 'tsg-axis',
        transform: 'rotate(-90 14 ' + (MT + PH / 2) + ')'}, 'relative sequence number')
    ]);

    var plot = s('g', {'clip-path': 'url(#' + cid + ')'});
    /* ACK line and window line: step functions over the peer's ACKs */
    var ackD = '', winD = '', sackD = '', zwD = '', last = null, lastW = null;
    var tEnd = X(Math.max(tMax, dom.t1));
    acks.forEach(function (a) {
      var x = r1(X(a.t));
      ackD += last == null ? 'M' + x + ' ' + r1(Y(a.ack)) : 'H' + x + 'V' + r1(Y(a.ack));
      last = a;
      if (a.wnd != null) {
        var yw = r1(Y(a.ack + a.wnd));
        winD += lastW == null ? 'M' + x + ' ' + yw : 'H' + x + 'V' + yw;
        lastW = a;
      } else if (lastW != null) {
        winD += 'H' + x;
        lastW = null;
      }
      if (a.sack) a.sack.forEach(function (b) {
        if (isNum(b[0]) && isNum(b[1])) sackD += 'M' + r1(x + 2) + ' ' + r1(Y(b[0])) + 'V' + r1(Y(b[1]));
      });
      if (a.zero) {
        var zy = r1(Y(a.ack));
        zwD += 'M' + x + ' ' + (zy - 5) + 'l5 5l-5 5l-5 -5z';
      }
    });
    if (last) ackD += 'H' + r1(tEnd);
    if (lastW) winD += 'H' + r1(tEnd);
    var dataD = '', retxD = '', retxN = 0;
    segs.forEach(function (g) {
      var x = r1(X(g.t)), ya = r1(Y(g.a)), yb = r1(Y(g.b));
      var part = 'M' + x + ' ' + ya + 'V' + yb + 'M' + (x - 2.5) + ' ' + yb + 'h5M' + (x - 2.5) + ' ' + ya + 'h5';
      if (g.rx) { retxD += part; retxN++; } else dataD += part;
    });
    append(plot, [
      winD ? s('path', {d: winD, class: 'tsg-win'}) : null,
      ackD ? s('path', {d: ackD, class: 'tsg-ack'}) : null,
      sackD ? s('path', {d: sackD, class: 'tsg-sack'}) : null,
      dataD ? s('path', {d: dataD, class: 'tsg-data'}) : null,
      retxD ? s('path', {d: retxD, class: 'tsg-retx'}) : null,
      zwD ? s('path', {d: zwD, class: 'tsg-zw'}) : null
    ]);
    var labels = 0;
    segs.forEach(function (g) {
      if (g.rx && labels < 300) {
        labels++;
        plot.appendChild(s('text', {x: r1(X(g.t) + 3), y: r1(Y(g.b) - 2), class: 'tsg-retx-l'}, 'R'));
      }
    });
    var zl = 0;
    acks.forEach(function (a) {
      if (a.zero && zl < 300) {
        zl++;
        plot.appendChild(s('text', {x: r1(X(a.t) + 6), y: r1(Y(a.ack) - 6), class: 'tsg-zw-l'}, 'Z'));
      }
    });
    marks.forEach(function (m, k) {
      if (k < 300) plot.appendChild(s('text', {x: r1(X(m.t) + 3), y: r1(Y(m.y) + 4), class: 'tsg-mark'}, m.txt));
    });
    svg.appendChild(plot);

    var n = [fmtInt(segs.length) + ' data segments', fmtInt(retxN) + ' retransmitted', fmtInt(acks.length) + ' ACKs'];
    append(note, n.join(', ') + '. Drag to zoom, double-click or \u201creset zoom\u201d to see everything; ' +
      'click near a segment to find its packet in the ladder.' +
      (clipped ? ' The window line reaches ' + fmtInt(winTop) + ', above the top of the graph: tick \u201cwhole window line\u201d to see it.' : ''));

    /* drag to zoom, click to pick */
    var drag = null, band = null;
    function pt(ev) {
      var r = svg.getBoundingClientRect();
      return {x: (ev.clientX - r.left) * W / r.width, y: (ev.clientY - r.top) * H / r.height};
    }
    svg.addEventListener('mousedown', function (ev) {
      var p = pt(ev);
      if (p.x < ML || p.x > ML + PW || p.y < MT || p.y > MT + PH) return;
      ev.preventDefault();
      drag = p;
      band = s('rect', {x: p.x, y: p.y, width: 0, height: 0, class: 'tsg-zoom'});
      svg.appendChild(band);
    });
    svg.addEventListener('mousemove', function (ev) {
      if (!drag) return;
      var p = pt(ev);
      band.setAttribute('x', Math.min(p.x, drag.x)); band.setAttribute('y', Math.min(p.y, drag.y));
      band.setAttribute('width', Math.abs(p.x - drag.x)); band.setAttribute('height', Math.abs(p.y - drag.y));
    });
    function inv(p) {
      return {t: dom.t0 + (p.x - ML) / PW * (dom.t1 - dom.t0), y: dom.y0 + (MT + PH - p.y) / PH * (dom.y1 - dom.y0)};
    }
    function up(ev) {
      if (!drag) return;
      var p = pt(ev), a = drag;
      drag = null;
      if (band && band.parentNode) band.parentNode.removeChild(band);
      if (Math.abs(p.x - a.x) > 6 && Math.abs(p.y - a.y) > 6) {
        var u = inv({x: Math.min(p.x, a.x), y: Math.max(p.y, a.y)}), v = inv({x: Math.max(p.x, a.x), y: Math.min(p.y, a.y)});
        onZoom({t0: u.t, t1: v.t, y0: u.y, y1: v.y});
      } else if (onPick) {
        var best = null, bd = 14;
        segs.forEach(function (g) {
          var dx = Math.abs(X(g.t) - p.x), ya = Y(g.a), yb = Y(g.b);
          var dy = p.y > ya ? p.y - ya : p.y < yb ? yb - p.y : 0;
          if (dx + dy < bd) { bd = dx + dy; best = g.num; }
        });
        acks.forEach(function (g) {
          var dd = Math.abs(X(g.t) - p.x) + Math.abs(Y(g.ack) - p.y);
          if (dd < bd) { bd = dd; best = g.num; }
        });
        if (best != null) onPick(best);
      }
    }
    svg.addEventListener('mouseup', up);
    svg.addEventListener('mouseleave', function () {
      drag = null;
      if (band && band.parentNode) band.parentNode.removeChild(band);
    });
    svg.addEventListener('dblclick', function () { onZoom(null); });
    return svg;
  }

  /* ---------- matrix kind ---------- */

  function matrixTargetTable() {
    var m = R.matrix, targets = Array.isArray(m.targets) ? m.targets : [];
    var rows = Array.isArray(m.cases) ? m.cases : [];
    var body = h('tbody');
    targets.forEach(function (t) {
      var o = {passed: 0, failed: 0, errors: 0, xfail: 0, xpass: 0, skipped: 0}, none = 0;
      rows.forEach(function (r) {
        var cell = r.cells && r.cells[t];
        if (cell && VKEY[cell.verdict]) o[VKEY[cell.verdict]]++;
        else none++;
      });
      body.appendChild(h('tr', null, [h('td', null, h('b', null, String(t))), h('td', null, verdictBar(o)),
        VERDICTS.map(function (v) { var x = o[VKEY[v]]; return h('td', {cls: 'num' + (x ? '' : ' zero')}, fmtInt(x)); }),
        h('td', {cls: 'num' + (none ? '' : ' zero')}, fmtInt(none))]));
    });
    return h('div', null, [h('h3', null, 'By target'), h('table', null, [h('thead', null, h('tr', null, [
      h('th', null, 'target'), h('th', null, ''), VERDICTS.map(function (v) { return h('th', {cls: 'num'}, v); }),
      h('th', {cls: 'num', title: 'not run on this target'}, 'not run')])), body])]);
  }

  function matrixDiffers(r, targets) {
    var seen = null;
    for (var i = 0; i < targets.length; i++) {
      var c = r.cells && r.cells[targets[i]], v = c ? String(c.verdict) : '';
      if (seen == null) seen = v;
      else if (seen !== v) return true;
    }
    return false;
  }

  var matrixCtl = null;

  function matrixFilter(text) {
    if (!matrixCtl) return;
    matrixCtl.set(text);
    matrixCtl.section.scrollIntoView({block: 'start'});
  }

  function renderMatrix() {
    var m = R.matrix, targets = Array.isArray(m.targets) ? m.targets.map(String) : [];
    var rows = Array.isArray(m.cases) ? m.cases : [];
    var sec = h('section', {id: 'matrix'}, h('h2', null, 'Case \u00d7 target matrix (' + fmtInt(rows.length) +
      ' cases, ' + fmtInt(targets.length) + ' targets)'));
    var q = h('input', {type: 'search', placeholder: 'filter: case id or title\u2026', 'aria-label': 'filter matrix'});
    var diff = h('input', {type: 'checkbox'});
    var bad = h('input', {type: 'checkbox'});
    sec.appendChild(h('div', {cls: 'controls'}, [q, h('label', null, [diff, ' only cases whose verdict differs between targets']),
      h('label', null, [bad, ' only cases not passing everywhere'])]));
    function apply() {
      var text = q.value.trim().toLowerCase(), dOnly = diff.checked, bOnly = bad.checked;
      if (!text && !dOnly && !bOnly) { list.setFilter(null); return; }
      list.setFilter(function (r) {
        if (dOnly && !matrixDiffers(r, targets)) return false;
        if (bOnly && targets.every(function (t) { var c = r.cells && r.cells[t]; return c && c.verdict === 'pass'; }))
          return false;
        return !text || (String(r.id) + ' ' + String(r.title)).toLowerCase().indexOf(text) >= 0;
      });
    }
    q.addEventListener('input', debounce(apply, 120));
    matrixCtl = {section: sec, set: function (text) { q.value = text; apply(); }};
    diff.addEventListener('change', apply);
    bad.addEventListener('change', apply);
    var cols = [{title: 'case', cell: function (r) {
      return [h('code', null, r.id == null ? '' : String(r.id)), r.title != null ? h('div', {cls: 'note'}, String(r.title)) : null];
    }, sort: function (r) { return String(r.id); }}];
    targets.forEach(function (t) {
      cols.push({title: t, cls: 'cell', cell: function (r) {
        var c = r.cells && r.cells[t];
        if (!c) return h('span', {cls: 'v none', title: 'not run on ' + t}, 'n/a');
        var badge = verdictBadge(c.verdict);
        var tip = t + ': ' + String(c.verdict) + (c.reason ? ' \u2014 ' + String(c.reason) : '');
        if (c.report != null && safeHref(c.report) != null)
          return h('a', {href: String(c.report), title: tip + ' (open the ladder)'}, badge);
        badge.setAttribute('title', tip);
        return badge;
      }, sort: function (r) {
        var c = r.cells && r.cells[t], k = c ? ['fail', 'error', 'xpass', 'xfail', 'pass'].indexOf(c.verdict) : 9;
        return k < 0 ? 8 : k;
      }});
    });
    var list = new PagedList({items: rows, columns: cols, tableCls: 'matrix', pageSize: 200,
      rowId: function (r) { return 'matrix-' + r.id; },
      rowCls: function (r) { return matrixDiffers(r, targets) ? 'differs' : ''; }});
    lists.matrix = list;
    sec.appendChild(list.root);
    sec.appendChild(h('p', {cls: 'note'}, 'Each cell links to that target\u2019s report, at the case\u2019s ladder. ' +
      'A bar on the left marks a case whose verdict differs between targets.'));
    app.appendChild(sec);
  }

  /* findings outside cases and connections, if a report has any */
  function renderLooseFindings() {
    var sec = h('section', {id: 'findings'}, h('h2', null, 'Other findings (' + fmtInt(R.findings.length) + ')'));
    sec.appendChild(findingsPanel(R.findings, function (f) {
      if (f.conn == null || !connIndex) return null;
      var c = R.connections[connIndex[String(f.conn)]];
      return c ? 'conn-' + connKey(c) : null;
    }, ['A \u2192 B', 'B \u2192 A']));
    if (R.findings_truncated)
      sec.appendChild(h('p', {cls: 'notice'}, truncText(R.findings_truncated, R.findings.length, 'findings')));
    app.appendChild(sec);
  }

  /* ---------- start ---------- */

  function fatal(msg) {
    clear(app);
    app.appendChild(h('p', {cls: 'fatal'}, msg));
  }

  function autoOpen() {
    if (R.kind === 'run' && lists.cases) {
      for (var i = 0; i < R.cases.length; i++) {
        var v = R.cases[i] && R.cases[i].verdict;
        if (v === 'fail' || v === 'error') {
          lists.cases.reveal(i);
          return;
        }
      }
    }
    if (R.kind === 'analyze' && lists.conns && R.connections.length === 1)
      lists.conns.reveal(0);
  }

  function main() {
    app = document.getElementById('app');
    var data = document.getElementById('report-data');
    var t0 = performance.now();
    try {
      R = JSON.parse(data ? data.textContent : '');
    } catch (e) {
      fatal('The report data embedded in this page is not valid JSON: ' + e.message);
      return;
    }
    var t1 = performance.now();
    if (!R || typeof R !== 'object' || Array.isArray(R) || typeof R.schema !== 'string' ||
        R.schema.indexOf('tcpspec-report/') !== 0) {
      fatal('The data embedded in this page is not a tcpspec report (no "schema": "tcpspec-report/1").');
      return;
    }
    clear(app);
    document.title = 'tcpspec ' + kindTitle(R.kind) + (R.target != null ? ' \u2014 ' + R.target : '');
    renderHeader();
    renderNotices();
    renderSummary();
    if (R.matrix && typeof R.matrix === 'object') renderMatrix();
    if (Array.isArray(R.cases) && (R.cases.length || R.kind === 'run')) renderCases();
    if (Array.isArray(R.connections) && (R.connections.length || R.kind === 'analyze')) renderConns();
    if (Array.isArray(R.findings) && R.findings.length) renderLooseFindings();
    window.addEventListener('hashchange', function () {
      var id = currentHash();
      if (id) navigate(id);
    });
    var id = currentHash();
    if (!(id && navigate(id))) autoOpen();
    var t2 = performance.now();
    var b = document.body;
    b.setAttribute('data-parse-ms', (t1 - t0).toFixed(1));
    b.setAttribute('data-render-ms', t2.toFixed(1));
    b.setAttribute('data-rendered', R.kind);
    requestAnimationFrame(function () {
      setTimeout(function () { b.setAttribute('data-paint-ms', performance.now().toFixed(1)); }, 0);
    });
  }

  try {
    main();
  } catch (e) {
    if (app) fatal('This report could not be drawn: ' + (e && e.message ? e.message : String(e)));
    throw e;
  }
})();
