// The docs site's one script, served as assets/docs.js (hand-written, no library; the pages allow no inline script):
// search over the index page's embedded entries, wheel zoom and drag pan of the lineage pictures, and on a model's
// page the column picker that lights up a column's upstream and downstream columns. It builds the DOM with
// textContent only, so nothing from the project is ever parsed as HTML.
export const DOCS_SCRIPT = String.raw`(function () {
  'use strict';

  function readJson(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent || 'null'); } catch (e) { return null; }
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  // Search: every term must appear in the entry; names that start with the query come first.
  function setUpSearch() {
    var input = document.getElementById('search');
    var list = document.getElementById('search-results');
    var entries = readJson('search-index') || [];
    if (!input || !list) return;
    function rank(entry, query) {
      var name = entry.name.toLowerCase();
      var score = name === query ? 0 : name.indexOf(query) === 0 ? 1 : name.indexOf(query) >= 0 ? 2 : 3;
      return score + (entry.kind === 'column' || entry.kind === 'dimension' ? 0.5 : 0);
    }
    function show() {
      var query = input.value.trim().toLowerCase();
      list.textContent = '';
      if (!query) return;
      var terms = query.split(/\s+/);
      var found = entries.filter(function (e) {
        var text = (e.name + ' ' + (e.of || '') + ' ' + (e.description || '') + ' ' + e.kind).toLowerCase();
        return terms.every(function (t) { return text.indexOf(t) >= 0; });
      });
      found.sort(function (a, b) { return rank(a, query) - rank(b, query) || a.name.localeCompare(b.name); });
      if (!found.length) { list.appendChild(element('li', 'none', 'no match')); return; }
      found.slice(0, 40).forEach(function (e) {
        var li = element('li', 'result');
        var a = element('a', 'result-name', e.name);
        a.setAttribute('href', e.url);
        li.appendChild(a);
        li.appendChild(element('span', 'result-kind', e.kind + (e.of ? ' of ' + e.of : '')));
        if (e.description) li.appendChild(element('span', 'result-description', e.description));
        list.appendChild(li);
      });
    }
    input.addEventListener('input', show);
    input.addEventListener('keydown', function (event) {
      if (event.key !== 'Enter') return;
      var first = list.querySelector('a');
      if (first) window.location.href = first.getAttribute('href');
    });
    show();
  }

  // Zoom about the pointer with the wheel, pan by dragging, reset with a double click. A drag that ends on a link
  // does not follow it.
  function zoomable(svg) {
    var base = svg.viewBox.baseVal;
    var initial = { x: base.x, y: base.y, w: base.width, h: base.height };
    var view = { x: initial.x, y: initial.y, w: initial.w, h: initial.h };
    var drag = null;
    var dragged = false;
    function apply() { svg.setAttribute('viewBox', [view.x, view.y, view.w, view.h].join(' ')); }
    // The frame is as tall as the picture at its fitted width, within reason.
    var frame = svg.parentNode;
    if (frame && frame.classList && frame.classList.contains('graph')) {
      var fit = Math.min(1, frame.clientWidth / initial.w);
      frame.style.height = Math.round(Math.max(200, Math.min(initial.h * fit + 4, window.innerHeight * 0.75))) + 'px';
    }
    function scale() { var m = svg.getScreenCTM(); return m ? m.a : 1; }
    function toUser(event) {
      var m = svg.getScreenCTM();
      if (!m) return { x: view.x, y: view.y };
      var point = new DOMPoint(event.clientX, event.clientY).matrixTransform(m.inverse());
      return { x: point.x, y: point.y };
    }
    svg.addEventListener('wheel', function (event) {
      event.preventDefault();
      var at = toUser(event);
      var factor = event.deltaY < 0 ? 0.85 : 1 / 0.85;
      var w = Math.min(initial.w * 4, Math.max(initial.w / 15, view.w * factor));
      factor = w / view.w;
      view.x = at.x - (at.x - view.x) * factor;
      view.y = at.y - (at.y - view.y) * factor;
      view.w = w;
      view.h = view.h * factor;
      apply();
    }, { passive: false });
    svg.addEventListener('pointerdown', function (event) {
      if (event.button !== 0) return;
      drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y, scale: scale() };
      dragged = false;
    });
    window.addEventListener('pointermove', function (event) {
      if (!drag) return;
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) dragged = true;
      if (!dragged) return;
      svg.classList.add('dragging');
      view.x = drag.vx - dx / drag.scale;
      view.y = drag.vy - dy / drag.scale;
      apply();
    });
    window.addEventListener('pointerup', function () {
      drag = null;
      svg.classList.remove('dragging');
    });
    svg.addEventListener('click', function (event) {
      if (dragged) { event.preventDefault(); event.stopPropagation(); dragged = false; }
    }, true);
    svg.addEventListener('dblclick', function () {
      view = { x: initial.x, y: initial.y, w: initial.w, h: initial.h };
      apply();
    });
  }

  // A model's page: the picked column, the columns it is computed from (up) and those computed from it (down).
  function setUpColumnLineage() {
    var lineage = readJson('column-lineage');
    var pick = document.getElementById('column-pick');
    var svg = document.getElementById('column-graph');
    var unknown = document.getElementById('column-unknown');
    if (!lineage || !pick || !svg) return;
    function highlight(key) {
      var entry = lineage[key] || { up: [], down: [], unknown: [] };
      var up = {};
      var down = {};
      entry.up.forEach(function (k) { up[k] = true; });
      entry.down.forEach(function (k) { down[k] = true; });
      svg.classList.toggle('picking', !!key);
      Array.prototype.forEach.call(svg.querySelectorAll('.col'), function (g) {
        var k = g.getAttribute('data-key');
        g.classList.toggle('sel', k === key);
        g.classList.toggle('up', !!up[k]);
        g.classList.toggle('down', !!down[k]);
      });
      Array.prototype.forEach.call(svg.querySelectorAll('.edge'), function (path) {
        var from = path.getAttribute('data-from');
        var to = path.getAttribute('data-to');
        var lit = (up[from] && (up[to] || to === key)) || (down[to] && (down[from] || from === key));
        path.classList.toggle('lit', !!lit);
      });
      if (unknown) {
        unknown.textContent = '';
        entry.unknown.forEach(function (reason) { unknown.appendChild(element('li', '', 'not traced: ' + reason)); });
      }
    }
    pick.addEventListener('change', function () { highlight(pick.value); });
    svg.addEventListener('click', function (event) {
      var target = event.target;
      var row = target && target.closest ? target.closest('.col') : null;
      if (!row) return;
      var key = row.getAttribute('data-key');
      if (!lineage[key]) {
        // Another model's column: its own page, with the column picked there.
        var box = row.closest('.col-box');
        var page = box ? box.getAttribute('data-page') : null;
        if (page) window.location.href = page + '#col-' + encodeURIComponent(key.slice(key.lastIndexOf('|') + 1));
        return;
      }
      pick.value = key;
      highlight(key);
    });
    var hash = decodeURIComponent(window.location.hash || '');
    if (hash.indexOf('#col-') === 0) {
      var wanted = hash.slice(5);
      Array.prototype.forEach.call(pick.options, function (option) {
        if (option.value.slice(option.value.lastIndexOf('|') + 1) === wanted) pick.value = option.value;
      });
      if (pick.value) highlight(pick.value);
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    setUpSearch();
    Array.prototype.forEach.call(document.querySelectorAll('svg.zoomable'), zoomable);
    setUpColumnLineage();
  });
})();
`;
