// Draws the report from the JSON in #report-data (see ReportPage and SearchReport for its
// fields and units). Values from the warehouse go into the document as text (textContent) and
// into chart tooltips HTML-escaped, never as markup. Each chart's element gets data-points (the
// data points it drew) once ECharts reports it 'finished'.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var PALETTE = ['#1f6fb4', '#d1495b', '#2a9d5c', '#8e5bc8', '#ee8b1d', '#16a3b8', '#8c564b', '#d45fb0'];
  var KIND_ORDER = ['activation', 'saved_input', 'relu_mask', 'activation_gradient', 'param_gradient',
    'trainable_weights', 'trainable_biases', 'classifier', 'momentum', 'workspace'];
  var budgetKiB = data.budget_bytes / 1024;
  // Device time per step as the third objective (the box's time edge, ms), or null.
  var timeRef = data.time_reference_ms === undefined ? null : data.time_reference_ms;
  var charts = [];

  function esc(s) { return echarts.format.encodeHTML(String(s)); }
  function acc(x) { return x === null || x === undefined ? '-' : Number(x).toFixed(4); }
  function kib(bytes) { return bytes === null || bytes === undefined ? '-' : (bytes / 1024).toFixed(1) + ' KiB'; }
  function grouped(n) { return n === null || n === undefined ? '-' : Number(n).toLocaleString('en-US'); }
  function shortId(id) { return id ? id.substring(0, 12) : '-'; }
  function ms(t) { return t === null || t === undefined ? '-' : Number(t).toFixed(2) + ' ms'; }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  // One colour per channel selection strategy, in name order, the same in every chart.
  var strategies = [];
  data.fidelities.forEach(function (p) {
    p.runs.forEach(function (r) { if (strategies.indexOf(r.strategy) < 0) { strategies.push(r.strategy); } });
    (p.front || []).forEach(function (m) { if (strategies.indexOf(m.strategy) < 0) { strategies.push(m.strategy); } });
  });
  strategies.sort();
  function colour(s) { return PALETTE[strategies.indexOf(s) % PALETTE.length]; }

  function chart(element, option) {
    var c = echarts.init(element, null, { renderer: 'svg' });
    c.on('finished', function () {
      var points = 0;
      c.getOption().series.forEach(function (s) {
        (s.data || []).forEach(function (d) {
          var v = d && d.value !== undefined ? d.value : d;
          if (v !== null && v !== '-' && v !== undefined) { points++; }
        });
      });
      element.setAttribute('data-points', String(points));
    });
    c.setOption(option);
    charts.push(c);
    return c;
  }

  // Every front member of every fidelity, in page order: what the picker lists.
  var members = [];
  data.fidelities.forEach(function (p) {
    (p.front || []).forEach(function (m) { members.push({ panel: p, member: m }); });
  });

  function memberTip(m, p) {
    var s = '<b>front member ' + esc(shortId(m.run_id)) + '</b>' + (data.fidelities.length > 1 ? ' (fidelity ' + p.fidelity + ')' : '')
      + '<br>accuracy ' + acc(m.accuracy) + (m.accuracy_ci95 !== null ? ' &plusmn; ' + acc(m.accuracy_ci95) : '')
      + ' (' + m.replicates + (m.replicates === 1 ? ' run' : ' replicates') + '), test ' + acc(m.test_accuracy)
      + '<br>peak SRAM ' + kib(m.arena_bytes) + (m.lin2022_bytes !== null ? ', lin2022 ' + kib(m.lin2022_bytes) : '')
      + ', device time ' + ms(m.device_time_ms) + ' per step';
    if (m.tied_with) { s += '<br>tie of ' + esc(shortId(m.tied_with)) + ' (within the noise)'; }
    return s + '<br>' + esc(m.policy);
  }

  function runTip(r) {
    return '<b>run ' + esc(shortId(r.run_id)) + '</b> (generation ' + r.generation + (r.role ? ', ' + esc(r.role) : '') + ')'
      + '<br>accuracy ' + acc(r.accuracy) + ', test ' + acc(r.test_accuracy) + ', peak SRAM ' + kib(r.arena_bytes)
      + ', ' + ms(r.device_time_ms) + ' per step<br>' + esc(r.policy);
  }

  // Every run (faded) and the front members (outlined; diamonds: ties) of a panel, one pair of
  // series per selection strategy, at x = position(point).
  function pointSeries(p, position) {
    var series = [];
    strategies.forEach(function (s) {
      series.push({
        name: s, type: 'scatter', z: 2, symbolSize: 6,
        itemStyle: { color: colour(s), opacity: 0.3 },
        data: p.runs.filter(function (r) { return r.strategy === s; }).map(function (r) {
          return { value: [position(r), r.accuracy], tip: runTip(r) };
        })
      });
      series.push({
        name: s, type: 'scatter', z: 4, symbolSize: 13,
        itemStyle: { color: colour(s), borderColor: '#111', borderWidth: 1.5, opacity: 1 },
        data: (p.front || []).filter(function (m) { return m.strategy === s; }).map(function (m) {
          return {
            value: [position(m), m.accuracy], symbol: m.tied_with ? 'diamond' : 'circle',
            tip: memberTip(m, p), pick: members.findIndex(function (x) { return x.member === m; })
          };
        })
      });
    });
    return series;
  }

  function scatterChart(div, legend, xAxis, series) {
    var c = chart(div, {
      animation: false,
      legend: { top: 0, data: legend },
      grid: { left: 64, right: 32, top: 40, bottom: 52 },
      tooltip: { trigger: 'item', confine: true, formatter: function (x) { return x.data && x.data.tip ? x.data.tip : ''; } },
      xAxis: xAxis,
      yAxis: { type: 'value', name: 'validation accuracy', nameLocation: 'middle', nameGap: 46, scale: true },
      series: series
    });
    c.on('click', function (x) { if (x.data && x.data.pick >= 0) { pick(x.data.pick); } });
  }

  function frontPanel(p, container) {
    var title = 'Fidelity level ' + p.fidelity + (p.iterations.length ? ' (' + p.iterations.join(', ') + ' steps)' : '');
    if (data.fidelities.length > 1) { container.appendChild(el('h3', title)); }
    var row = timeRef === null ? container : el('div', null, 'row');
    if (row !== container) { container.appendChild(row); }
    var div = el('div', null, timeRef === null ? 'chart' : 'chart half');
    div.id = 'front-chart-' + p.fidelity;
    row.appendChild(div);
    // Both panels are in the row before either chart is drawn: a chart takes its element's width
    // when it is created, and a lone half would take the whole row.
    var timeDiv = timeRef === null ? null : el('div', null, 'chart half');
    if (timeDiv) {
      timeDiv.id = 'front-time-chart-' + p.fidelity;
      row.appendChild(timeDiv);
    }
    var series = pointSeries(p, function (x) { return x.arena_bytes / 1024; });
    var budgetLine = {
      silent: true, symbol: 'none', lineStyle: { color: '#c0392b', type: 'dashed', width: 1.5 },
      label: { formatter: 'SRAM budget ' + budgetKiB.toFixed(0) + ' KiB', position: 'insideEndTop', color: '#c0392b' },
      data: [{ xAxis: budgetKiB }]
    };
    // With two objectives the front is a staircase over SRAM; with time it is not (a member may be
    // below another in this projection and faster), so only its members are marked.
    var proper = timeRef !== null ? [] : (p.front || []).filter(function (m) { return !m.tied_with; })
      .sort(function (a, b) { return a.arena_bytes - b.arena_bytes; });
    series.push({
      name: 'front', type: 'line', step: 'end', silent: true, z: 3, showSymbol: false,
      lineStyle: { color: '#333', width: 1.5 }, itemStyle: { color: '#333' },
      data: proper.map(function (m) { return [m.arena_bytes / 1024, m.accuracy]; }),
      markLine: budgetLine
    });
    scatterChart(div, timeRef === null ? strategies.concat(['front']) : strategies, {
      type: 'value', name: 'peak training-step SRAM (KiB, arena model)', nameLocation: 'middle', nameGap: 30, min: 0,
      max: function (v) { return Math.ceil(Math.max(v.max, budgetKiB) * 1.06 / 16) * 16; }
    }, series);
    if (timeDiv) {
      scatterChart(timeDiv, strategies, {
        type: 'value', name: 'estimated device time per training step (ms)', nameLocation: 'middle', nameGap: 30,
        scale: true
      }, pointSeries(p, function (x) { return x.device_time_ms; }));
    }
  }

  function hypervolumeChart() {
    var div = document.getElementById('hypervolume-chart');
    var levels = [];
    data.hypervolume.forEach(function (h) { if (levels.indexOf(h.fidelity) < 0) { levels.push(h.fidelity); } });
    levels.sort(function (a, b) { return a - b; });
    chart(div, {
      animation: false,
      legend: { data: levels.map(function (f) { return 'fidelity ' + f; }) },
      grid: { left: 64, right: 32, top: 40, bottom: 52 },
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return Number(v).toFixed(4); } },
      xAxis: { type: 'value', name: 'generation', nameLocation: 'middle', nameGap: 30, minInterval: 1 },
      yAxis: { type: 'value', name: 'hypervolume (fraction of the box)', nameLocation: 'middle', nameGap: 46, min: 0,
        max: function (v) { return Math.min(1, Math.ceil(v.max * 11) / 10); } },
      series: levels.map(function (f) {
        return {
          name: 'fidelity ' + f, type: 'line', symbolSize: 7,
          data: data.hypervolume.filter(function (h) { return h.fidelity === f; })
            .map(function (h) { return [h.generation, h.fraction]; })
        };
      })
    });
  }

  var breakdown = null;
  var curve = null;

  function layerLabel(layer, kinds) {
    if (layer < 0) { return 'input'; }
    return kinds.indexOf('classifier') >= 0 ? 'fc' : String(layer);
  }

  function breakdownOption(run) {
    var byLayer = {};
    var kinds = [];
    run.breakdown.forEach(function (e) {
      (byLayer[e.layer] = byLayer[e.layer] || []).push(e.kind);
      if (kinds.indexOf(e.kind) < 0) { kinds.push(e.kind); }
    });
    kinds.sort(function (a, b) {
      var i = KIND_ORDER.indexOf(a), j = KIND_ORDER.indexOf(b);
      return (i < 0 ? 99 : i) - (j < 0 ? 99 : j) || (a < b ? -1 : 1);
    });
    var layers = Object.keys(byLayer).map(Number).sort(function (a, b) { return a - b; });
    return {
      animation: false,
      title: { text: 'SRAM live at the arena peak, by layer and buffer kind', left: 'center', textStyle: { fontSize: 13 } },
      legend: { top: 22, data: kinds.map(function (k) { return k.replace(/_/g, ' '); }) },
      grid: { left: 64, right: 20, top: 84, bottom: 52 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' },
        valueFormatter: function (v) { return v === '-' ? '-' : grouped(Math.round(v * 1024)) + ' B'; } },
      xAxis: { type: 'category', name: 'layer', nameLocation: 'middle', nameGap: 30,
        data: layers.map(function (l) { return layerLabel(l, byLayer[l]); }) },
      yAxis: { type: 'value', name: 'KiB', nameLocation: 'middle', nameGap: 46 },
      series: kinds.map(function (k) {
        return {
          name: k.replace(/_/g, ' '), type: 'bar', stack: 'sram',
          data: layers.map(function (l) {
            var sum = null;
            run.breakdown.forEach(function (e) { if (e.layer === l && e.kind === k) { sum = (sum || 0) + e.bytes; } });
            return sum === null ? '-' : sum / 1024;
          })
        };
      })
    };
  }

  function curveOption(run) {
    var n = run.validation_curve.length;
    return {
      animation: false,
      title: { text: 'Validation accuracy during training (' + n + (n === 1 ? ' evaluation, at the end)' : ' evaluations)'),
        left: 'center', textStyle: { fontSize: 13 } },
      grid: { left: 64, right: 20, top: 48, bottom: 52 },
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return acc(v); } },
      xAxis: { type: 'value', name: 'training step', nameLocation: 'middle', nameGap: 30, min: 0, max: run.iterations },
      yAxis: { type: 'value', name: 'validation accuracy', nameLocation: 'middle', nameGap: 46,
        min: function (v) { return Math.max(0, Math.floor((v.min - 0.05) * 10) / 10); },
        max: function (v) { return Math.min(1, Math.ceil((v.max + 0.05) * 10) / 10); } },
      series: [{
        name: 'validation accuracy', type: 'line', symbolSize: 8, showSymbol: true, color: '#1f6fb4',
        // evaluations are evenly spaced over the run, the last at its end
        data: run.validation_curve.map(function (v, i) { return [Math.round(run.iterations * (i + 1) / n), v]; })
      }]
    };
  }

  function figure(dl, term, value) {
    dl.appendChild(el('dt', term));
    dl.appendChild(el('dd', value));
  }

  function pick(index) {
    if (index < 0 || index >= members.length) { return; }
    var select = document.getElementById('member-select');
    select.value = String(index);
    var m = members[index].member;
    var run = m.run;
    document.getElementById('member-policy').textContent = m.policy;
    var dl = document.getElementById('member-figures');
    dl.textContent = '';
    figure(dl, 'run', m.run_id);
    figure(dl, 'validation accuracy', acc(m.accuracy) + (m.accuracy_ci95 !== null ? ' \u00b1 ' + acc(m.accuracy_ci95) : '')
      + ' (' + m.replicates + (m.replicates === 1 ? ' run)' : ' replicates)'));
    figure(dl, 'test accuracy', acc(m.test_accuracy) + (m.test_ci95 !== null ? ' \u00b1 ' + acc(m.test_ci95) : ''));
    figure(dl, 'peak SRAM (arena)', grouped(m.arena_bytes) + ' B');
    figure(dl, 'SRAM (lin2022)', m.lin2022_bytes === null ? '-' : grouped(m.lin2022_bytes) + ' B');
    figure(dl, 'device time per step', Number(m.device_time_ms).toFixed(2) + ' ms');
    if (run) {
      figure(dl, 'training MACs per step', grouped(run.train_macs));
      figure(dl, 'updated weights per step', (100 * run.updated_fraction).toFixed(2) + ' %');
      figure(dl, 'coverage over the run', (100 * run.coverage).toFixed(1) + ' %');
      figure(dl, 'learning rate', run.learning_rate === null ? '-' : String(run.learning_rate));
      figure(dl, 'training steps', grouped(run.iterations));
      figure(dl, 'model / data / device', run.model + ' / ' + run.dataset + ' / ' + run.device);
    }
    if (m.tied_with) { figure(dl, 'tie of', m.tied_with); }
    var breakdownDiv = document.getElementById('breakdown-chart');
    var curveDiv = document.getElementById('curve-chart');
    if (run) {
      if (!breakdown) { breakdown = chart(breakdownDiv, breakdownOption(run)); } else { breakdown.setOption(breakdownOption(run), true); }
      if (!curve) { curve = chart(curveDiv, curveOption(run)); } else { curve.setOption(curveOption(run), true); }
    }
    document.querySelectorAll('tr[data-pick]').forEach(function (tr) {
      tr.classList.toggle('picked', tr.getAttribute('data-pick') === String(index));
    });
  }

  function memberPicker() {
    var select = document.getElementById('member-select');
    members.forEach(function (x, i) {
      var m = x.member;
      var label = (data.fidelities.length > 1 ? 'fidelity ' + x.panel.fidelity + ' \u00b7 ' : '')
        + kib(m.arena_bytes) + (timeRef === null ? '' : ' \u00b7 ' + ms(m.device_time_ms)) + ' \u00b7 accuracy '
        + acc(m.accuracy) + ' \u00b7 ' + shortId(m.run_id) + (m.tied_with ? ' (tie)' : '');
      var o = el('option', label);
      o.value = String(i);
      select.appendChild(o);
    });
    select.addEventListener('change', function () { pick(Number(select.value)); });
  }

  function frontTables() {
    var container = document.getElementById('front-tables');
    data.fidelities.forEach(function (p) {
      if (!p.front) { return; }
      if (data.fidelities.length > 1) { container.appendChild(el('h3', 'Fidelity level ' + p.fidelity + ', after generation ' + p.front_generation)); }
      var table = el('table');
      var head = el('tr');
      ['run', 'val acc', '\u00b195%', 'n', 'test acc', 'arena KiB', 'lin2022 KiB', 'ms/step', 'policy', ''].forEach(function (h) { head.appendChild(el('th', h)); });
      table.appendChild(head);
      function row(m, index, note) {
        var tr = el('tr');
        if (index >= 0) {
          tr.setAttribute('data-pick', String(index));
          tr.addEventListener('click', function () { pick(index); });
        }
        tr.appendChild(el('td', shortId(m.run_id), 'id'));
        tr.appendChild(el('td', acc(m.accuracy), 'num'));
        tr.appendChild(el('td', m.accuracy_ci95 === null ? '-' : acc(m.accuracy_ci95), 'num'));
        tr.appendChild(el('td', m.replicates, 'num'));
        tr.appendChild(el('td', acc(m.test_accuracy), 'num'));
        tr.appendChild(el('td', (m.arena_bytes / 1024).toFixed(1), 'num'));
        tr.appendChild(el('td', m.lin2022_bytes === null ? '-' : (m.lin2022_bytes / 1024).toFixed(1), 'num'));
        tr.appendChild(el('td', Number(m.device_time_ms).toFixed(2), 'num'));
        tr.appendChild(el('td', m.policy, 'policy'));
        tr.appendChild(el('td', note));
        table.appendChild(tr);
      }
      p.front.forEach(function (m) {
        row(m, members.findIndex(function (x) { return x.member === m; }), m.tied_with ? 'tie of ' + shortId(m.tied_with) : '');
      });
      if (p.reference) {
        var best = Math.max.apply(null, p.front.map(function (m) { return m.accuracy; }));
        row(p.reference, -1, 'dense fine-tuning, the usual upper bound (' + (p.reference.arena_bytes > data.budget_bytes
          ? 'over the budget: a reference, not a candidate' : 'within the budget')
          + (p.reference.accuracy < best ? '; below the front\u2019s best at this training budget' : '') + ')');
      }
      container.appendChild(table);
    });
  }

  function summary() {
    var parts = ['status ' + data.status, 'after generation ' + data.generation,
      data.runs_done + ' runs searched, ' + data.runs_stored + ' stored',
      'SRAM budget ' + grouped(data.budget_bytes) + ' B'];
    data.fidelities.forEach(function (p) {
      if (p.hypervolume_fraction !== undefined) {
        parts.push((timeRef === null ? '' : '3-D ') + 'hypervolume ' + p.hypervolume_fraction.toFixed(4)
          + ' of the box (accuracy 0..1 x 0..' + grouped(data.budget_bytes) + ' B'
          + (timeRef === null ? '' : ' x 0..' + timeRef.toFixed(1) + ' ms, a dense step') + ')'
          + (data.fidelities.length > 1 ? ' at fidelity ' + p.fidelity : ''));
      }
    });
    if (data.infeasible_repaired !== undefined) {
      var infeasible = data.infeasible_repaired + data.infeasible_rejected;
      parts.push(infeasible + ' of ' + data.candidates_generated + ' candidates generated did not fit the budget'
        + ' (never trained: ' + data.infeasible_repaired + ' repaired into feasible ones, '
        + data.infeasible_rejected + ' discarded)');
    } else {
      parts.push(data.infeasible_rejected + ' of ' + data.candidates_considered
        + ' candidates discarded by the budget before training');
    }
    document.getElementById('summary').textContent = parts.join(' \u00b7 ');
    var config = data.config_json;
    try { config = JSON.stringify(JSON.parse(config), null, 2); } catch (e) { /* shown as stored */ }
    document.getElementById('config').textContent = config;
    document.getElementById('footer').textContent = 'Generated by ' + data.generated_by + ' at ' + data.generated_at
      + '; charts: Apache ECharts ' + data.echarts_version + ' (inlined). Started ' + data.started_at + ', last commit ' + data.updated_at + '.';
  }

  summary();
  var fronts = document.getElementById('fronts');
  data.fidelities.forEach(function (p) { frontPanel(p, fronts); });
  hypervolumeChart();
  memberPicker();
  frontTables();
  if (members.length) {
    // The member shown first: the most accurate of the last fidelity's front.
    var best = 0;
    members.forEach(function (x, i) {
      if (x.panel === members[best].panel ? x.member.accuracy > members[best].member.accuracy : x.panel.fidelity > members[best].panel.fidelity) { best = i; }
    });
    pick(best);
  } else {
    document.getElementById('member-policy').textContent = 'This search has no front yet.';
  }
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();
