// Tributary Console: progressive enhancement only. Every page works without this script; with it,
// tables sort and filter, rows are keyboard-navigable links, destructive forms ask first, and
// charts draw (uPlot) and refresh from the broker's in-memory history.
(function () {
  'use strict';

  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) return '';
    return cell.hasAttribute('data-value') ? cell.getAttribute('data-value') : cell.textContent.trim();
  }

  function sortTable(table, index, th) {
    var tbody = table.tBodies[0];
    if (!tbody) return;
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      var nx = parseFloat(x), ny = parseFloat(y);
      var cmp = (!isNaN(nx) && !isNaN(ny) && /^-?[\d.]+/.test(x) && /^-?[\d.]+/.test(y))
        ? nx - ny : x.localeCompare(y, undefined, {numeric: true});
      return ascending ? cmp : -cmp;
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
  }

  function enhanceTables(root) {
    root.querySelectorAll('table.sortable').forEach(function (table) {
      if (table.dataset.enhanced) return;
      table.dataset.enhanced = 'true';
      table.querySelectorAll('thead th').forEach(function (th, index) {
        th.tabIndex = 0;
        th.setAttribute('role', 'columnheader');
        th.title = 'Sort by ' + th.textContent.trim();
        th.addEventListener('click', function () { sortTable(table, index, th); });
        th.addEventListener('keydown', function (e) {
          if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortTable(table, index, th); }
        });
      });
    });
    root.querySelectorAll('tr[data-href]').forEach(function (row) {
      if (row.dataset.enhanced) return;
      row.dataset.enhanced = 'true';
      row.tabIndex = 0;
      row.addEventListener('click', function (e) {
        if (e.target.closest('a, button, input, select, textarea')) return;
        window.location = row.dataset.href;
      });
      row.addEventListener('keydown', function (e) {
        if (e.key === 'Enter') { window.location = row.dataset.href; }
        var sibling = e.key === 'ArrowDown' ? row.nextElementSibling : e.key === 'ArrowUp' ? row.previousElementSibling : null;
        while (sibling && sibling.offsetParent === null) {
          sibling = e.key === 'ArrowDown' ? sibling.nextElementSibling : sibling.previousElementSibling;
        }
        if (sibling) { e.preventDefault(); sibling.focus(); }
      });
    });
  }

  function applyFilters() {
    document.querySelectorAll('[data-filter-table]').forEach(function (input) {
      var table = document.getElementById(input.dataset.filterTable);
      if (!table || !table.tBodies[0]) return;
      var text = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var name = (row.cells[0] ? row.cells[0].textContent : '').toLowerCase();
        row.classList.toggle('filtered', text !== '' && name.indexOf(text) < 0);
      });
    });
    document.querySelectorAll('[data-toggle-rows]').forEach(function (box) {
      document.querySelectorAll('tr.' + box.dataset.toggleRows).forEach(function (row) {
        row.classList.toggle('hidden', !box.checked);
      });
    });
  }

  var formatters = {
    bytes: function (v) {
      if (v == null) return '';
      var units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'], i = 0;
      while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
      return (i === 0 ? Math.round(v) : v.toFixed(1)) + ' ' + units[i];
    },
    records: function (v) { return v == null ? '' : (v >= 100 ? Math.round(v).toLocaleString() : (+v.toFixed(1)).toString()); }
  };
  var colors = ['#1f6feb', '#bf3989', '#1a7f37', '#9a6700'];

  function drawChart(figure) {
    if (typeof uPlot === 'undefined') return;
    var series = figure.dataset.series.split(',');
    var fmt = formatters[figure.dataset.unit] || formatters.records;
    fetch(figure.dataset.src, {headers: {'Accept': 'application/json'}})
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (data) {
        var columns = [data.time].concat(series.map(function (s) { return data[s]; }));
        var loading = figure.querySelector('.loading');
        if (data.time.length < 2) {
          if (loading) loading.textContent = 'Collecting samples… the chart starts after the first few seconds.';
          return;
        }
        if (loading) loading.remove();
        if (figure._plot) { figure._plot.setData(columns); return; }
        var width = Math.max(280, figure.clientWidth - 20);
        figure._plot = new uPlot({
          width: width, height: 200,
          scales: {x: {time: true}},
          axes: [{}, {values: function (u, vals) { return vals.map(fmt); }, size: 80}],
          series: [{}].concat(series.map(function (s, i) {
            return {label: s, stroke: colors[i % colors.length], width: 2, value: function (u, v) { return fmt(v); }};
          }))
        }, columns, figure);
        figure.dataset.drawn = 'true';
      })
      .catch(function (e) {
        var loading = figure.querySelector('.loading');
        if (loading) loading.textContent = 'Could not load the chart: ' + e.message;
      });
  }

  function startCharts() {
    document.querySelectorAll('figure.chart[data-src]').forEach(function (figure) {
      drawChart(figure);
      var seconds = parseInt(figure.dataset.refresh || '5', 10);
      setInterval(function () { if (!document.hidden) drawChart(figure); }, Math.max(1, seconds) * 1000);
    });
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { e.preventDefault(); }
  });
  document.addEventListener('input', function (e) {
    if (e.target.matches('[data-filter-table]')) applyFilters();
  });
  document.addEventListener('change', function (e) {
    if (e.target.matches('[data-toggle-rows]')) applyFilters();
  });
  document.addEventListener('htmx:afterSwap', function (e) { enhanceTables(document); applyFilters(); });
  document.addEventListener('DOMContentLoaded', function () {
    enhanceTables(document);
    applyFilters();
    startCharts();
  });
})();
