// @ts-check
// The Usage view's script. It draws what the extension computed (src/core/usage/view.ts): summary
// figures, small SVG bar charts and the per-feature and per-model tables. Text goes in with
// textContent and charts are SVG elements: no HTML is ever built from strings.
(function () {
  'use strict';
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const SVG = 'http://www.w3.org/2000/svg';
  const main = /** @type {HTMLElement} */ (document.getElementById('main'));
  const tabs = /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('.tabs button'));
  const saved = vscode.getState() || {};
  /** @type {string} */
  let period = saved.period === '7d' || saved.period === '30d' ? saved.period : 'today';
  /** @type {any} */
  let data;

  /**
   * @param {string} tag
   * @param {{ className?: string, text?: string, attrs?: Record<string, string> }} [options]
   * @param {Node[]} [children]
   */
  function el(tag, options = {}, children = []) {
    const node = document.createElement(tag);
    if (options.className) node.className = options.className;
    if (options.text !== undefined) node.textContent = options.text;
    for (const [k, v] of Object.entries(options.attrs || {})) node.setAttribute(k, v);
    for (const c of children) node.appendChild(c);
    return node;
  }

  /** @param {number} n */
  function tokens(n) {
    if (n < 1000) return String(n);
    if (n < 1000000) return `${(n / 1000).toFixed(n < 10000 ? 1 : 0)}k`;
    return `${(n / 1000000).toFixed(1)}M`;
  }

  /** @param {Record<string, number>} cost */
  function money(cost) {
    const parts = Object.entries(cost || {})
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([c, v]) => `${v < 0.01 ? v.toFixed(4) : v < 1 ? v.toFixed(3) : v.toFixed(2)} ${c}`);
    if (parts.length) return parts.join(' + ');
    return data && data.pricing.priced ? `0 ${data.pricing.currency}` : '—';
  }

  /** @param {number | undefined} ms */
  function ms(ms) {
    if (ms === undefined) return '—';
    return ms < 1000 ? `≤${ms} ms` : `≤${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;
  }

  /** @param {any} row @param {'ttft' | 'total'} which */
  function latency(row, which) {
    const p50 = row[`${which}P50`];
    const p95 = row[`${which}P95`];
    if (p50 === undefined) return '—';
    return `${ms(p50)} / ${ms(p95)}`;
  }

  /**
   * @param {string} title
   * @param {{ x: number, y: number, width: number, height: number, value: number }[]} bars
   * @param {string[]} labels one per bar (tooltips)
   * @param {string} caption
   */
  function chart(title, bars, labels, caption) {
    const figure = el('figure', { className: 'chart' });
    figure.appendChild(el('figcaption', { text: title }));
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 300 60');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `${title}: ${caption}`);
    const base = document.createElementNS(SVG, 'line');
    base.setAttribute('x1', '0');
    base.setAttribute('x2', '300');
    base.setAttribute('y1', '60');
    base.setAttribute('y2', '60');
    base.setAttribute('class', 'axis');
    svg.appendChild(base);
    bars.forEach((b, i) => {
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('x', String(b.x));
      rect.setAttribute('y', String(b.y));
      rect.setAttribute('width', String(b.width));
      rect.setAttribute('height', String(b.height));
      rect.setAttribute('class', 'bar');
      const tip = document.createElementNS(SVG, 'title');
      tip.textContent = `${labels[i] || ''}: ${b.value}`;
      rect.appendChild(tip);
      svg.appendChild(rect);
    });
    figure.appendChild(svg);
    figure.appendChild(el('div', { className: 'muted small', text: caption }));
    return figure;
  }

  /** @param {string} label @param {string} value @param {string} [note] @param {string} [key] */
  function card(label, value, note, key) {
    return el('div', { className: 'card', attrs: key ? { 'data-card': key } : {} }, [
      el('div', { className: 'card-label', text: label }),
      el('div', { className: 'card-value', text: value }),
      ...(note ? [el('div', { className: 'muted small', text: note })] : []),
    ]);
  }

  const COLUMNS = [
    ['requests', 'Requests'],
    ['errors', 'Errors'],
    ['promptTokens', 'Prompt tokens'],
    ['completionTokens', 'Completion tokens'],
    ['ttft', 'First token p50 / p95'],
    ['total', 'Total time p50 / p95'],
    ['cost', 'Est. cost'],
  ];

  /** @param {string} caption @param {string} kind @param {any[]} rows */
  function table(caption, kind, rows) {
    const t = el('table', { attrs: { 'data-table': kind } });
    t.appendChild(el('caption', { text: caption }));
    const head = el('tr', {}, [el('th', { text: kind === 'features' ? 'Feature' : 'Model', attrs: { scope: 'col' } })]);
    for (const [, label] of COLUMNS) head.appendChild(el('th', { text: label, attrs: { scope: 'col' } }));
    t.appendChild(el('thead', {}, [head]));
    const body = el('tbody');
    for (const row of rows) {
      const tr = el('tr', { attrs: { 'data-key': row.key } }, [el('th', { text: row.label, attrs: { scope: 'row' } })]);
      for (const [col] of COLUMNS) {
        let text;
        if (col === 'ttft' || col === 'total') text = latency(row, col);
        else if (col === 'cost') text = money(row.cost);
        else if (col === 'errors') text = row.unreached ? `${row.errors} (${row.unreached} no server)` : String(row.errors);
        else if (col === 'promptTokens' || col === 'completionTokens') text = tokens(row[col]);
        else text = String(row[col]);
        tr.appendChild(el('td', { text, attrs: { 'data-col': col } }));
      }
      body.appendChild(tr);
    }
    if (rows.length === 0) body.appendChild(el('tr', {}, [el('td', { text: 'No requests in this period.', attrs: { colspan: String(COLUMNS.length + 1) } })]));
    t.appendChild(body);
    return t;
  }

  function render() {
    for (const tab of tabs) {
      const on = tab.dataset.period === period;
      tab.setAttribute('aria-selected', String(on));
      tab.classList.toggle('selected', on);
    }
    if (!data) return;
    const s = data.periods.find((/** @type {any} */ p) => p.period === period);
    const charts = data.charts[period];
    const total = s.total;
    const nodes = [];
    nodes.push(
      el('section', { className: 'cards' }, [
        card('Requests', String(total.requests), total.errors ? `${total.errors} failed${total.unreached ? `, ${total.unreached} never reached a server` : ''}` : 'none failed', 'requests'),
        card('Tokens', tokens(total.promptTokens + total.completionTokens), `${tokens(total.promptTokens)} prompt + ${tokens(total.completionTokens)} completion`, 'tokens'),
        card('Estimated cost', money(total.cost), data.pricing.priced ? `at ${data.pricing.inputPerMillion} / ${data.pricing.outputPerMillion} ${data.pricing.currency} per million tokens` : 'set prices in redline.pricing.*', 'cost'),
        card('First token p50 / p95', latency(total, 'ttft'), `total time ${latency(total, 'total')}`, 'latency'),
      ]),
    );
    const dayLabels = s.days.map((/** @type {any} */ d) => d.day);
    const hourLabels = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`);
    const chartRow = el('section', { className: 'charts' });
    if (period === 'today') chartRow.appendChild(chart('Requests per hour', charts.requests, hourLabels, '00:00 – 23:59'));
    else {
      chartRow.appendChild(chart('Requests per day', charts.requests, dayLabels, `${s.from} – ${s.to}`));
      chartRow.appendChild(chart('Tokens per day', charts.tokens, dayLabels, `${s.from} – ${s.to}`));
    }
    nodes.push(chartRow);
    nodes.push(table('By feature', 'features', s.features));
    nodes.push(table('By model', 'models', s.models));

    const c = s.completion;
    const rate = c.perActiveHour === undefined ? '—' : c.perActiveHour.toFixed(c.perActiveHour < 10 ? 1 : 0);
    const hits = c.cacheHitRate === undefined ? String(c.cacheHits) : `${c.cacheHits} (${Math.round(c.cacheHitRate * 100)}%)`;
    const completion = el('section', { className: 'completion', attrs: { 'data-section': 'completion' } }, [
      el('h2', { text: 'Inline suggestions' }),
      el('div', { className: 'cards' }, [
        card('Requests', String(c.requests), undefined, 'completion-requests'),
        card('Requests per active hour', rate, c.peakHour ? `busiest: ${String(c.peakHour.hour).padStart(2, '0')}:00 (${c.peakHour.requests})` : undefined, 'completion-rate'),
        card('Cache hits', hits, 'suggestions shown without a request', 'completion-cache'),
      ]),
      chart('Suggestion requests per hour of the day', charts.completionHours, hourLabels, '00:00 – 23:59'),
    ]);
    nodes.push(completion);
    const note = el('p', { className: 'muted small' });
    note.textContent =
      'Costs are estimates at the prices set (redline.pricing.*) when each request was made. A request that never reached a server counts as an error with no tokens. ' +
      'Latencies are upper bounds of histogram bins. Kept for 31 days in VS Code\'s extension storage.';
    const settings = el('button', { className: 'link', text: 'Pricing settings', attrs: { type: 'button', id: 'pricing' } });
    settings.addEventListener('click', () => vscode.postMessage({ type: 'openSettings' }));
    nodes.push(el('footer', {}, [note, settings]));
    main.replaceChildren(...nodes);
  }

  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      period = tab.dataset.period || 'today';
      vscode.setState({ period });
      render();
    });
  }
  /** @type {HTMLButtonElement} */ (document.getElementById('reset')).addEventListener('click', () => vscode.postMessage({ type: 'reset' }));

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || message.type !== 'data' || typeof message.data !== 'object') return;
    data = message.data;
    render();
  });
  render();
  vscode.postMessage({ type: 'ready' });
})();
