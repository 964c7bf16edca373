// incidents serve: the page. It only displays what the API returns: every
// figure comes from /api/report (the bytes of `incidents report --format
// json`), every colour and class from /api/meta and /api/choropleth; nothing
// is counted here. The URL's query holds the filters (the API's parameter
// names) and MapLibre's hash the view, so a link restores both.
//
// Readiness, for tests and benchmarks: body[data-map-ready] is "1" once the
// map is idle with the incidents' tiles of the current filters loaded ("0"
// while they load); body[data-panel-ready] is "1" once the region panel shows
// a report, "0" while it loads, "error" when the API refused the request.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const body = document.body;

  // Parameters the form edits, and the API's other filters, kept from a
  // shared URL and passed on as they are (shown in #extra, removable).
  const FORM = ['region', 'month', 'type', 'sub-type', 'actor', 'text', 'tag', 'status', 'overlapping'];
  const EXTRA = ['country', 'from', 'to', 'week', 'year', 'bbox', 'near', 'radius'];
  // Not filters: report refuses them (a report counts reviewed incidents and
  // never an incident that only overlaps its period).
  const LIST_ONLY = ['status', 'overlapping'];
  const PERIOD = ['month', 'week', 'year', 'from', 'to'];
  const DEFAULT_VIEW = { view: 'points', by: 'admin2', measure: 'incidents' };

  const state = {
    meta: null,
    filters: {}, // name -> value, only those set
    view: { ...DEFAULT_VIEW },
    months: [], // YYYY-MM from meta.first to meta.last
    admin1: null,
    fittedRegion: null, // the region the map was last fitted to
    recordUid: null,
    // A month from the URL that the month picker cannot hold ("2025-13"):
    // sent as it is, so that the server names what is wrong with it.
    rawMonth: null,
  };
  let map = null;
  let incidentsLoaded = false;
  // Resolved when the map's style is loaded: sources and layers exist.
  let styleLoaded = false;
  let resolveMapLoaded;
  const mapLoaded = new Promise((resolve) => {
    resolveMapLoaded = resolve;
  });
  // Each kind of request gets a number; an answer to an older one is dropped.
  const generation = { panel: 0, choropleth: 0, check: 0, record: 0 };

  // ---------------------------------------------------------------- helpers

  /** An element with attributes and children (strings become text). */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  /** A number as the CLI prints it, or "unknown" for null. */
  function num(v) {
    return v === null || v === undefined ? 'unknown' : String(v);
  }

  /** A change with its sign: +3, -2, 0; "unknown" for null. */
  function signed(v) {
    if (v === null || v === undefined) return 'unknown';
    return v > 0 ? `+${v}` : String(v).replace('-', '\u2212');
  }

  function span(start, end) {
    return start === end ? start : `${start} to ${end}`;
  }

  /** Only web links become links: a source's URL is data, not trusted. */
  function safeUrl(u) {
    try {
      const url = new URL(u);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  }

  function externalLink(href, text) {
    const url = safeUrl(href);
    if (!url) return document.createTextNode(text);
    return el('a', { href: url, rel: 'noreferrer', target: '_blank', text });
  }

  /** An error the API answered with: its JSON names the parameter. */
  class ApiError extends Error {
    constructor(status, json, url) {
      const what = json && json.error ? json.error : `HTTP ${status}`;
      super(what);
      this.status = status;
      this.json = json || {};
      this.url = url;
    }
  }

  async function getJson(path, params) {
    const q = params ? params.toString() : '';
    const url = q ? `${path}?${q}` : path;
    const res = await fetch(url, { headers: { Accept: 'application/json' } });
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    if (!res.ok) throw new ApiError(res.status, json, url);
    if (json === null) throw new ApiError(res.status, { error: `${url}: not JSON` }, url);
    return json;
  }

  function message(text, bad) {
    const m = $('message');
    m.textContent = text || '';
    m.classList.toggle('bad', !!bad);
  }

  // ------------------------------------------------------------ parameters

  function hasPeriod() {
    return PERIOD.some((p) => state.filters[p]);
  }

  /** The filters of list, export and the tiles. */
  function listParams() {
    const p = new URLSearchParams();
    for (const name of [...FORM, ...EXTRA]) {
      const v = state.filters[name];
      if (v) p.set(name, v);
    }
    return p;
  }

  /** The filters of report, chart and choropleth. */
  function reportParams() {
    const p = listParams();
    for (const name of LIST_ONLY) p.delete(name);
    return p;
  }

  function pageParams() {
    const p = listParams();
    for (const [k, v] of Object.entries(state.view)) {
      if (v !== DEFAULT_VIEW[k]) p.set(k, v);
    }
    return p;
  }

  function absolute(path) {
    return new URL(path, location.href).href;
  }

  function tileUrl() {
    const q = listParams().toString();
    // MapLibre fetches tiles in its worker: the URL must be absolute, and
    // its {z}/{x}/{y} must stay unescaped.
    return absolute('/tiles/') + '{z}/{x}/{y}.mvt' + (q ? `?${q}` : '');
  }

  function readUrl() {
    const q = new URLSearchParams(location.search);
    state.filters = {};
    for (const name of [...FORM, ...EXTRA]) {
      const v = q.get(name);
      if (v) state.filters[name] = v;
    }
    state.view = { ...DEFAULT_VIEW };
    for (const k of Object.keys(DEFAULT_VIEW)) {
      const v = q.get(k);
      if (v) state.view[k] = v;
    }
  }

  function writeUrl() {
    const q = pageParams().toString();
    history.replaceState(history.state, '', location.pathname + (q ? `?${q}` : '') + location.hash);
  }

  // ------------------------------------------------------------------ form

  function fillForm() {
    const f = state.filters;
    for (const name of ['region', 'month', 'actor', 'text', 'tag']) $(name).value = f[name] || '';
    state.rawMonth = f.month && $('month').value !== f.month ? f.month : null;
    $('type').value = f.type || '';
    if (f.type && $('type').value !== f.type) {
      // A type the meta does not list: keep it, the server will say.
      $('type').append(el('option', { value: f.type, text: f.type }));
      $('type').value = f.type;
    }
    fillSubTypes();
    $('sub-type').value = f['sub-type'] || '';
    if (f['sub-type'] && $('sub-type').value !== f['sub-type']) {
      $('sub-type').append(el('option', { value: f['sub-type'], text: f['sub-type'] }));
      $('sub-type').value = f['sub-type'];
    }
    $('status').value = f.status || '';
    if (f.status && $('status').value !== f.status) {
      $('status').append(el('option', { value: f.status, text: f.status }));
      $('status').value = f.status;
    }
    $('overlapping').checked = f.overlapping === 'true';
    $(`view-${state.view.view === 'choropleth' ? 'choropleth' : 'points'}`).checked = true;
    $('by').value = state.view.by;
    $('measure').value = state.view.measure;
    syncSlider();
    showExtra();
  }

  function readForm() {
    const f = {};
    for (const name of ['region', 'month', 'type', 'sub-type', 'actor', 'text', 'tag', 'status']) {
      const v = $(name).value.trim();
      if (v) f[name] = v;
    }
    if ($('overlapping').checked) f.overlapping = 'true';
    if (!f.month && state.rawMonth) f.month = state.rawMonth;
    for (const name of EXTRA) {
      if (state.filters[name]) f[name] = state.filters[name];
    }
    state.filters = f;
    state.view = {
      view: $('view-choropleth').checked ? 'choropleth' : 'points',
      by: $('by').value,
      measure: $('measure').value,
    };
  }

  function fillSubTypes() {
    const select = $('sub-type');
    const type = $('type').value;
    select.replaceChildren(el('option', { value: '', text: 'All sub-types' }));
    for (const t of state.meta.event_types) {
      if (type && t.name !== type) continue;
      const group = type ? select : el('optgroup', { label: t.name });
      for (const s of t.sub_types) group.append(el('option', { value: s, text: s }));
      if (!type) select.append(group);
    }
  }

  /** The filters from a shared URL that the form has no field for. */
  function showExtra() {
    const box = $('extra');
    const names = EXTRA.filter((n) => state.filters[n]);
    box.hidden = names.length === 0;
    box.replaceChildren();
    if (!names.length) return;
    box.append('Also: ');
    for (const n of names) {
      box.append(
        el('code', { text: `${n}=${state.filters[n]}` }),
        el('button', {
          type: 'button',
          'aria-label': `Remove the filter ${n}`,
          text: '\u00d7',
          onclick: () => {
            delete state.filters[n];
            apply();
          },
        }),
        ' ',
      );
    }
  }

  function monthsBetween(first, last) {
    const out = [];
    if (!first || !last) return out;
    let [y, m] = first.slice(0, 7).split('-').map(Number);
    const [ly, lm] = last.slice(0, 7).split('-').map(Number);
    while (y < ly || (y === ly && m <= lm)) {
      out.push(`${y}-${String(m).padStart(2, '0')}`);
      m += 1;
      if (m > 12) {
        m = 1;
        y += 1;
      }
    }
    return out;
  }

  function syncSlider() {
    const s = $('slider');
    const i = state.months.indexOf($('month').value);
    if (i >= 0) s.value = String(i);
    const label = $('month').value || 'all dates';
    $('slider-label').textContent = label;
    s.setAttribute('aria-valuetext', label);
  }

  let sliderTimer = null;
  function wireForm() {
    const form = $('filters');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      apply();
    });
    for (const id of ['region', 'actor', 'text', 'tag']) {
      $(id).addEventListener('change', apply);
    }
    $('type').addEventListener('change', () => {
      fillSubTypes();
      apply();
    });
    for (const id of ['sub-type', 'status', 'overlapping', 'by', 'measure', 'view-points', 'view-choropleth']) {
      $(id).addEventListener('change', apply);
    }
    $('month').addEventListener('change', () => {
      state.rawMonth = null;
      syncSlider();
      apply();
    });
    $('clear-period').addEventListener('click', () => {
      state.rawMonth = null;
      $('month').value = '';
      syncSlider();
      apply();
    });
    const slider = $('slider');
    slider.addEventListener('input', () => {
      const m = state.months[Number(slider.value)];
      if (!m) return;
      state.rawMonth = null;
      $('month').value = m;
      $('slider-label').textContent = m;
      slider.setAttribute('aria-valuetext', m);
      // Dragging: load the month the slider rests on, not every one passed.
      clearTimeout(sliderTimer);
      sliderTimer = setTimeout(apply, 250);
    });
    slider.addEventListener('change', () => {
      clearTimeout(sliderTimer);
      apply();
    });
    $('record-close').addEventListener('click', closeRecord);
  }

  // ------------------------------------------------------------------ apply

  let lastApplied = null;

  /** Reads the form, writes the URL, and reloads what the filters change. */
  function apply() {
    readForm();
    showExtra();
    writeUrl();
    const key = pageParams().toString();
    if (key === lastApplied) return;
    lastApplied = key;
    const list = listParams();
    $('download-geojson').href = `/api/incidents?${withParam(list, 'format', 'geojson')}`;
    $('download-csv').href = `/api/incidents?${withParam(list, 'format', 'csv')}`;
    for (const name of FORM) $(name).removeAttribute('aria-invalid');
    clearError();
    if (styleLoaded) {
      setTiles();
      updateMode();
    }
    if (state.filters.region && hasPeriod()) {
      loadPanel();
    } else {
      emptyPanel();
      checkFilters();
    }
  }

  function withParam(params, k, v) {
    const p = new URLSearchParams(params);
    p.set(k, v);
    return p.toString();
  }

  let currentTiles = null;
  function setTiles() {
    const url = tileUrl();
    if (url === currentTiles) return;
    currentTiles = url;
    incidentsLoaded = false;
    body.dataset.mapReady = '0';
    map.getSource('incidents').setTiles([url]);
  }

  /** Without a report to load, asks the export for one row so that a bad
   * filter is named in the panel (the tiles' answers cannot say why). */
  async function checkFilters() {
    const n = ++generation.check;
    const p = listParams();
    if ([...p.keys()].length === 0) return;
    p.set('limit', '1');
    p.set('format', 'geojsonseq');
    const url = `/api/incidents?${p}`;
    try {
      const res = await fetch(url);
      if (res.ok || n !== generation.check) {
        if (res.body) res.body.cancel();
        return;
      }
      let json = null;
      try {
        json = JSON.parse(await res.text());
      } catch {
        json = null;
      }
      if (n === generation.check) {
        showError(new ApiError(res.status, json, url));
        body.dataset.panelReady = 'error';
      }
    } catch (e) {
      if (n === generation.check) {
        showError(e);
        body.dataset.panelReady = 'error';
      }
    }
  }

  // ------------------------------------------------------------------ errors

  function clearError() {
    const box = $('panel-error');
    box.hidden = true;
    box.replaceChildren();
  }

  /** Shows an error in the panel, naming the parameter the API named. */
  function showError(err) {
    const box = $('panel-error');
    box.hidden = false;
    const j = err.json || {};
    const head = j.parameter ? `Parameter ${j.parameter}` : 'The request failed';
    box.replaceChildren(
      el('strong', { text: head }),
      el('span', { text: err.message }),
      j.expected && !err.message.includes(j.expected)
        ? el('div', { class: 'sub', text: `expected: ${j.expected}` })
        : null,
    );
    const field = j.parameter && $(j.parameter);
    if (field && FORM.includes(j.parameter)) field.setAttribute('aria-invalid', 'true');
  }

  // ------------------------------------------------------------------ panel

  function emptyPanel() {
    generation.panel += 1;
    body.dataset.panelReady = '0';
    $('panel-title').textContent = 'Region';
    $('panel-body').replaceChildren(
      el('p', { class: 'note', text: 'Choose a region and a period to see its figures.' }),
    );
  }

  async function loadPanel() {
    const n = ++generation.panel;
    body.dataset.panelReady = '0';
    $('panel-body').setAttribute('aria-busy', 'true');
    const params = reportParams();
    try {
      const report = await getJson('/api/report', params);
      if (n !== generation.panel) return;
      renderPanel(report, params);
      body.dataset.panelReady = '1';
      fitRegion(report.region);
    } catch (err) {
      if (n !== generation.panel) return;
      $('panel-title').textContent = 'Region';
      $('panel-body').replaceChildren();
      showError(err);
      body.dataset.panelReady = 'error';
    } finally {
      if (n === generation.panel) $('panel-body').removeAttribute('aria-busy');
    }
  }

  function figure(name, ...content) {
    return el('dd', { dataset: { figure: name } }, ...content);
  }

  function renderPanel(r, params) {
    const region = r.region || {};
    const title = region.name
      ? `${region.name} (${[region.code, region.level, region.country].filter(Boolean).join(', ')})`
      : 'Everywhere';
    $('panel-title').textContent = title;
    const f = r.fatalities || {};
    const p = r.previous_period;
    const figures = el(
      'dl',
      { class: 'figures', id: 'figures' },
      el('dt', { text: 'Period' }),
      figure('period', span(r.period.start, r.period.end)),
      el('dt', { text: 'Incidents' }),
      figure('incidents', el('span', { class: 'big', text: num(r.incidents) })),
      el('dt', { text: 'Fatalities' }),
      figure(
        'fatalities',
        el('span', { class: 'big', text: num(f.best) }),
        f.best === null || f.best === undefined ? '' : ` (low ${num(f.low)}, high ${num(f.high)})`,
        el('div', {
          class: 'sub',
          dataset: { figure: 'fatalities-cover' },
          text: `over ${num(f.known_incidents)} of ${num(r.incidents)} incidents`,
        }),
      ),
      el('dt', { text: 'Civilian fatalities' }),
      figure(
        'civilian',
        num(r.civilian_fatalities),
        el('span', { class: 'sub', text: ` over ${num(r.civilian_known_incidents)} incidents` }),
      ),
    );
    if (p) {
      const pf = p.fatalities || {};
      figures.append(
        el('dt', { text: 'Previous period' }),
        figure(
          'previous',
          span(p.start, p.end),
          el('div', {
            dataset: { figure: 'previous-incidents' },
            text: `${num(p.incidents)} incidents (change ${signed(p.incidents_change)})`,
          }),
          el('div', {
            dataset: { figure: 'previous-fatalities' },
            text:
              `fatalities ${num(pf.best)} over ${num(pf.known_incidents)} incidents ` +
              `(change ${signed(p.fatalities_change)})`,
          }),
        ),
      );
    }
    figures.append(el('dt', { text: 'Only overlap' }), figure('overlapping', num(r.overlapping_total)));
    if (r.parent_without_district !== undefined && r.parent_without_district !== null) {
      figures.append(
        el('dt', { text: 'Governorate, no district' }),
        figure('parent-without-district', num(r.parent_without_district)),
      );
    }

    const parts = [figures];
    const waiting = r.awaiting_review || {};
    if (waiting.incidents || waiting.tallies) {
      parts.push(
        el('p', {
          class: 'note',
          text: `${waiting.incidents} draft incidents and ${waiting.tallies} draft tallies in this scope await review (not counted).`,
        }),
      );
    }
    if (state.filters.status) {
      parts.push(
        el('p', { class: 'note', text: 'The figures count reviewed incidents only, whatever the map shows.' }),
      );
    }

    parts.push(el('h3', { text: 'Reported tallies' }));
    const tallies = r.tallies || [];
    if (tallies.length) {
      parts.push(
        el(
          'table',
          { id: 'tallies' },
          el(
            'thead',
            {},
            el('tr', {}, ...['Value', 'Reported', 'Source'].map((h) => el('th', { text: h }))),
          ),
          el(
            'tbody',
            {},
            tallies.map((t) =>
              el(
                'tr',
                { dataset: { uid: t.uid }, title: t.notes || '' },
                el('td', { class: 'value', text: num(t.value) }),
                el(
                  'td',
                  {},
                  el('strong', { text: t.metric }),
                  el('div', { class: 'sub', text: span(t.period_start, t.period_end) }),
                  el('div', {
                    class: 'sub',
                    text: t.region_code ? `${t.region} (${t.region_code})` : t.region || '',
                  }),
                ),
                el(
                  'td',
                  {},
                  t.source || '',
                  el('div', { class: 'sub', text: `coverage: ${t.coverage}${t.derived ? '; derived' : ''}` }),
                ),
              ),
            ),
          ),
        ),
      );
    } else {
      parts.push(el('p', { class: 'note', text: 'None for this region and period.' }));
    }

    parts.push(el('h3', { text: 'Incidents that only overlap the period (not counted)' }));
    const overlapping = r.overlapping || [];
    if (overlapping.length) {
      parts.push(
        el(
          'ul',
          { class: 'plain', id: 'overlapping-list' },
          overlapping.map((o) =>
            el(
              'li',
              { dataset: { uid: o.uid } },
              el('button', { type: 'button', class: 'link', text: o.title || o.uid, onclick: () => openRecord(o.uid) }),
              el('div', {
                class: 'sub',
                text: `${o.event_type}; ${span(o.date_start, o.date_end)}; ${o.place || ''}; fatalities ${num(o.fatalities)}`,
              }),
            ),
          ),
        ),
      );
    } else {
      parts.push(el('p', { class: 'note', text: 'None.' }));
    }

    const chartParams = precedingPeriods(params);
    chartParams.set('measure', state.view.measure);
    // Drawn at about twice the panel's width: its text stays readable.
    chartParams.set('width', '680');
    chartParams.set('height', '520');
    const chart = el('img', {
      id: 'chart',
      alt: `Chart: ${state.view.measure} per period up to this one in ${title}, with the reported figures`,
      src: `/api/chart.svg?${chartParams}`,
    });
    chart.addEventListener('error', () => {
      chart.replaceWith(el('p', { class: 'note', text: 'The chart could not be drawn.' }));
    });
    parts.push(el('h3', { text: 'The preceding periods' }), chart);
    $('panel-body').replaceChildren(...parts);
  }

  /** The chart's range: the 12 periods up to the chosen month or year, as
   * `report --format html` draws them. (The server is to do this itself when
   * given only the period; until then the page names the range.) */
  function precedingPeriods(params) {
    const p = new URLSearchParams(params);
    const month = p.get('month');
    const year = p.get('year');
    if (month && /^\d{4}-\d{2}$/.test(month)) {
      const [y, m] = month.split('-').map(Number);
      const back = y * 12 + (m - 1) - 11;
      p.delete('month');
      p.set('from', `${Math.floor(back / 12)}-${String((back % 12) + 1).padStart(2, '0')}`);
      p.set('to', month);
      p.set('by', 'month');
    } else if (year && /^\d{4}$/.test(year)) {
      p.delete('year');
      p.set('from', String(Number(year) - 11));
      p.set('to', year);
      p.set('by', 'year');
    }
    return p;
  }

  // ------------------------------------------------------------------ record

  async function openRecord(uid) {
    const n = ++generation.record;
    state.recordUid = uid;
    const section = $('record');
    section.hidden = false;
    section.dataset.uid = uid;
    section.dataset.ready = '0';
    $('record-title').textContent = uid;
    $('record-body').replaceChildren(el('p', { class: 'note', text: 'Loading\u2026' }));
    const path = `/api/incidents/${encodeURIComponent(uid)}`;
    try {
      const [inc, history] = await Promise.all([getJson(path), getJson(`${path}/history`)]);
      if (n !== generation.record) return;
      renderRecord(inc, history);
      section.dataset.ready = '1';
    } catch (err) {
      if (n !== generation.record) return;
      $('record-body').replaceChildren(
        el('p', { class: 'bad', role: 'alert', text: err.message }),
      );
      section.dataset.ready = 'error';
    }
    $('side').scrollTop = 0;
    $('record-title').focus();
  }

  function closeRecord() {
    generation.record += 1;
    state.recordUid = null;
    $('record').hidden = true;
  }

  function renderRecord(i, history) {
    $('record-title').textContent = i.title || i.uid;
    const rows = [
      ['uid', i.uid],
      ['Type', [i.event_type, i.sub_event_type].filter(Boolean).join(' / ')],
      ['Dates', `${span(i.date_start, i.date_end)} (${i.date_precision})`],
      ['Place', i.place],
      [
        'Point',
        i.latitude === null || i.latitude === undefined
          ? null
          : `${i.latitude}, ${i.longitude} (geo precision ${i.geo_precision})`,
      ],
      [
        'Regions',
        [i.country, i.admin1 && `${i.admin1} (${i.admin1_code})`, i.admin2 && `${i.admin2} (${i.admin2_code})`]
          .filter(Boolean)
          .join(' / '),
      ],
      ['Reported as', [i.reported_admin1, i.reported_admin2].filter(Boolean).join(' / ')],
      [
        'Fatalities',
        i.fatalities === null && i.fatalities_low === null && i.fatalities_high === null
          ? 'unknown'
          : `${num(i.fatalities)} (low ${num(i.fatalities_low)}, high ${num(i.fatalities_high)})`,
      ],
      ['Civilian fatalities', num(i.civilian_fatalities)],
      ['Actor 1', i.actor1],
      ['Actor 2', i.actor2],
      ['Associated', i.assoc_actors],
      ['Tags', (i.tags || []).join(', ')],
      ['Status', i.status],
      ['Merged into', i.merged_into],
      ['Review note', i.review_note],
      ['Confidence', i.confidence],
      ['Created', i.created_at],
      ['Updated', i.updated_at],
    ];
    const dl = el('dl', { class: 'figures', id: 'record-fields' });
    for (const [k, v] of rows) {
      if (v === null || v === undefined || v === '') continue;
      dl.append(el('dt', { text: k }), el('dd', { dataset: { field: k }, text: String(v) }));
    }
    const parts = [dl];
    if (i.notes) parts.push(el('h3', { text: 'Notes' }), el('p', { class: 'notes', text: i.notes }));

    parts.push(el('h3', { text: 'Sources' }));
    const sources = i.sources || [];
    parts.push(
      sources.length
        ? el(
            'ul',
            { class: 'plain', id: 'record-sources' },
            sources.map((s) =>
              el(
                'li',
                {},
                el('strong', { text: s.publisher || 'Source' }),
                s.published ? ` (${s.published})` : '',
                ': ',
                s.url ? externalLink(s.url, s.title || s.url) : s.title || '(no title)',
                s.excerpt ? el('blockquote', { text: s.excerpt }) : null,
              ),
            ),
          )
        : el('p', { class: 'note', text: 'None recorded.' }),
    );

    const evidence = i.evidence || [];
    if (evidence.length) {
      parts.push(
        el('h3', { text: 'Evidence (from the report text)' }),
        el(
          'ul',
          { class: 'plain', id: 'record-evidence' },
          evidence.map((e) =>
            el('li', {}, el('strong', { text: e.field }), `: \u201c${e.text}\u201d`, e.context ? el('blockquote', { text: e.context }) : null),
          ),
        ),
      );
    }

    parts.push(el('h3', { text: 'History' }));
    parts.push(
      history.length
        ? el(
            'ul',
            { class: 'plain history', id: 'record-history' },
            history.map((h) =>
              el(
                'li',
                {},
                `${h.at} ${h.action} by ${h.by || 'unknown'}${h.import ? ` (import ${h.import})` : ''}`,
                h.changes ? el('div', { class: 'changes', text: h.changes }) : null,
              ),
            ),
          )
        : el('p', { class: 'note', text: 'No history.' }),
    );
    $('record-body').replaceChildren(...parts);
  }

  // ------------------------------------------------------------------ map

  const EMPTY = { type: 'FeatureCollection', features: [] };

  function bboxOf(features) {
    let w = Infinity;
    let s = Infinity;
    let e = -Infinity;
    let n = -Infinity;
    const walk = (c) => {
      if (typeof c[0] === 'number') {
        if (c[0] < w) w = c[0];
        if (c[0] > e) e = c[0];
        if (c[1] < s) s = c[1];
        if (c[1] > n) n = c[1];
      } else {
        for (const x of c) walk(x);
      }
    };
    for (const f of features) if (f.geometry) walk(f.geometry.coordinates);
    return w === Infinity ? null : [[w, s], [e, n]];
  }

  function createMap(bounds) {
    maplibregl.setWorkerUrl(absolute('/assets/vendor/maplibre-gl/maplibre-gl-csp-worker.js'));
    currentTiles = tileUrl();
    const style = {
      version: 8,
      sources: {
        admin1: {
          type: 'geojson',
          data: state.admin1 || EMPTY,
          attribution: 'Boundaries: OCHA COD-AB, Natural Earth',
        },
        choropleth: { type: 'geojson', data: EMPTY },
        incidents: { type: 'vector', tiles: [currentTiles], minzoom: 0, maxzoom: 16 },
      },
      // Circles, fills and lines only: no glyphs or sprites to fetch.
      layers: [
        // Outside the database's countries (the boundaries have only theirs).
        { id: 'outside', type: 'background', paint: { 'background-color': '#dfe8ee' } },
        // The governorates of the database's countries are the land drawn.
        { id: 'land', type: 'fill', source: 'admin1', paint: { 'fill-color': '#f4f3ef' } },
        {
          id: 'choropleth-fill',
          type: 'fill',
          source: 'choropleth',
          layout: { visibility: 'none' },
          paint: { 'fill-color': ['get', 'fill'], 'fill-opacity': 0.9 },
        },
        { id: 'admin1-line', type: 'line', source: 'admin1', paint: { 'line-color': '#a0a0a0', 'line-width': 0.6 } },
        {
          id: 'choropleth-line',
          type: 'line',
          source: 'choropleth',
          layout: { visibility: 'none' },
          paint: { 'line-color': '#6b6b6b', 'line-width': 0.8 },
        },
        {
          id: 'region-line',
          type: 'line',
          source: 'admin1',
          filter: ['==', ['get', 'code'], ''],
          paint: { 'line-color': '#1b1f23', 'line-width': 2.2 },
        },
        {
          id: 'incidents',
          type: 'circle',
          source: 'incidents',
          'source-layer': 'incidents',
          paint: {
            'circle-color': ['get', 'colour'],
            // One incident: sized by its best estimate of fatalities; a
            // cluster (count > 1): by the number of incidents in it.
            'circle-radius': [
              'case',
              ['>', ['get', 'count'], 1],
              ['min', 26, ['+', 6, ['*', 1.6, ['sqrt', ['get', 'count']]]]],
              ['min', 14, ['+', 5.5, ['sqrt', ['coalesce', ['get', 'fatalities'], 0]]]],
            ],
            'circle-stroke-color': ['case', ['>', ['get', 'count'], 1], '#ffffff', '#222222'],
            'circle-stroke-width': ['case', ['>', ['get', 'count'], 1], 2, 0.8],
          },
        },
      ],
    };
    const options = {
      container: 'map',
      style,
      hash: true,
      maxZoom: 16,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      attributionControl: { compact: false },
    };
    if (!/^#\d/.test(location.hash) && bounds) {
      options.bounds = bounds;
      options.fitBoundsOptions = { padding: 20 };
    }
    map = new maplibregl.Map(options);
    // For tests and benchmarks: where a point is drawn, what the map shows.
    window.incidentsMap = map;
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');

    map.on('sourcedata', (e) => {
      if (e.sourceId === 'incidents' && e.isSourceLoaded) incidentsLoaded = true;
    });
    map.on('idle', () => {
      if (incidentsLoaded && body.dataset.mapReady !== '1') body.dataset.mapReady = '1';
      listInView();
    });
    map.on('error', (e) => {
      const err = e.error || {};
      // A tile refused for a bad filter: the panel names the parameter.
      if (err.status === 400) return;
      const text = `Map: ${err.message || err}`;
      message(text, true);
      console.error(text);
    });

    const popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false, offset: 8 });
    map.on('mousemove', 'incidents', (e) => {
      map.getCanvas().style.cursor = 'pointer';
      const p = e.features[0].properties;
      popup
        .setLngLat(e.features[0].geometry.coordinates)
        .setText(
          p.count > 1
            ? `${p.count} incidents, most of them ${p.event_type} (click to zoom in)`
            : `${p.event_type}: ${p.uid}${p.fatalities !== undefined ? `, fatalities ${p.fatalities}` : ''}`,
        )
        .addTo(map);
    });
    map.on('mouseleave', 'incidents', () => {
      map.getCanvas().style.cursor = '';
      popup.remove();
    });
    map.on('click', 'incidents', (e) => {
      const f = e.features[0];
      const p = f.properties;
      if (p.count > 1) {
        map.easeTo({ center: f.geometry.coordinates, zoom: Math.min(map.getZoom() + 2, 16) });
      } else if (p.uid) {
        openRecord(p.uid);
      }
    });
    const unitPopup = new maplibregl.Popup({ closeButton: false, closeOnClick: false, offset: 4 });
    map.on('mousemove', 'choropleth-fill', (e) => {
      if (map.queryRenderedFeatures(e.point, { layers: ['incidents'] }).length) return;
      const p = e.features[0].properties;
      unitPopup.setLngLat(e.lngLat).setText(`${p.name} (${p.code}): ${num(p.value)} ${state.view.measure}`).addTo(map);
    });
    map.on('mouseleave', 'choropleth-fill', () => unitPopup.remove());

    map.on('load', () => {
      styleLoaded = true;
      setTiles();
      updateMode();
      resolveMapLoaded();
    });
  }

  /** The single incidents drawn in the view, as buttons: the keyboard's way
   * to a record (clusters are opened by zooming in). */
  function listInView() {
    const list = $('in-view');
    const seen = new Set();
    const items = [];
    let clusters = false;
    for (const f of map.queryRenderedFeatures({ layers: ['incidents'] })) {
      const p = f.properties;
      if (p.count > 1) {
        clusters = true;
        continue;
      }
      if (!p.uid || seen.has(p.uid)) continue;
      seen.add(p.uid);
      if (items.length < 50) items.push(p);
    }
    list.replaceChildren(
      ...items.map((p) =>
        el(
          'li',
          {},
          el(
            'button',
            { type: 'button', dataset: { uid: p.uid }, onclick: () => openRecord(p.uid) },
            swatch(p.colour),
            `${p.uid} (${p.event_type})`,
          ),
        ),
      ),
    );
    const notes = [];
    if (items.length === 50) notes.push('The first 50 shown; zoom in for others.');
    if (clusters) notes.push('Circles with a white ring hold several incidents: zoom in to list them.');
    if (!items.length && !clusters) notes.push('None in this view.');
    $('in-view-note').textContent = notes.join(' ');
  }

  function swatch(colour, square) {
    const s = el('span', { class: square ? 'swatch square' : 'swatch', 'aria-hidden': 'true' });
    s.style.background = colour; // CSSOM, which the CSP allows
    return s;
  }

  function pointLegend() {
    return [
      el('h3', { text: 'Incidents (precision 1 or 2)' }),
      el(
        'ul',
        {},
        state.meta.event_types.map((t) => el('li', {}, swatch(t.colour), t.name)),
      ),
      el('p', { text: 'Size: fatalities (best estimate). White ring: several incidents; click to zoom in.' }),
    ];
  }

  function updateMode() {
    const choropleth = state.view.view === 'choropleth';
    for (const id of ['choropleth-fill', 'choropleth-line']) {
      map.setLayoutProperty(id, 'visibility', choropleth ? 'visible' : 'none');
    }
    $('by').disabled = !choropleth;
    if (!choropleth) {
      generation.choropleth += 1;
      $('legend').replaceChildren(...pointLegend());
      return;
    }
    loadChoropleth();
  }

  async function loadChoropleth() {
    const n = ++generation.choropleth;
    if (!hasPeriod()) {
      map.getSource('choropleth').setData(EMPTY);
      $('legend').replaceChildren(
        el('h3', { text: 'Choropleth' }),
        el('p', { text: 'Choose a period (a month) to shade the units.' }),
        ...pointLegend(),
      );
      return;
    }
    const p = reportParams();
    p.set('by', state.view.by);
    p.set('measure', state.view.measure);
    try {
      const fc = await getJson('/api/choropleth', p);
      if (n !== generation.choropleth) return;
      map.getSource('choropleth').setData(fc);
      renderChoroplethLegend(fc);
    } catch (err) {
      if (n !== generation.choropleth) return;
      map.getSource('choropleth').setData(EMPTY);
      $('legend').replaceChildren(el('h3', { text: 'Choropleth' }), el('p', { text: 'Not drawn: see the panel.' }));
      showError(err);
    }
  }

  function renderChoroplethLegend(fc) {
    const measure = fc.measure || state.view.measure;
    const items = (fc.legend || []).map((c) =>
      el('li', {}, swatch(c.fill, true), c.from === c.to ? String(c.from) : `${c.from} to ${c.to}`),
    );
    items.unshift(el('li', {}, swatch('#ffffff', true), 'none'));
    $('legend').replaceChildren(
      el('h3', { text: `${measure} by ${state.view.by === 'admin1' ? 'governorate' : 'district'}` }),
      el('ul', { id: 'legend-classes' }, items),
      fc.footnote ? el('p', { text: fc.footnote }) : null,
    );
  }

  /** Fits the map to the report's region once each time the region changes:
   * the bundled admin1 outline when it is one, else the choropleth's
   * units of the region (districts, custom regions). */
  async function fitRegion(region) {
    if (!map || !region || !region.code) return;
    await mapLoaded;
    const key = region.code;
    if (state.fittedRegion === key) return;
    const first = state.fittedRegion === null;
    state.fittedRegion = key;
    map.setFilter('region-line', ['==', ['get', 'code'], region.level === 'admin1' ? region.code : '']);
    // A shared link with a view keeps its view.
    if (first && /^#\d/.test(initialHash)) return;
    let features = state.admin1.features.filter((f) => f.properties && f.properties.code === region.code);
    if (!bboxOf(features)) {
      const p = reportParams();
      p.set('by', 'admin2');
      try {
        features = (await getJson('/api/choropleth', p)).features || [];
      } catch {
        features = [];
      }
    }
    const b = bboxOf(features);
    if (b) map.fitBounds(b, { padding: 30, maxZoom: 11, duration: 0 });
  }

  // ------------------------------------------------------------------ start

  const initialHash = location.hash;

  async function start() {
    readUrl();
    try {
      const [meta, admin1] = await Promise.all([
        getJson('/api/meta'),
        getJson('/api/boundaries', new URLSearchParams({ level: 'admin1' })),
      ]);
      state.meta = meta;
      state.admin1 = admin1;
    } catch (err) {
      message(`Could not start: ${err.message}`, true);
      console.error(err);
      return;
    }
    const meta = state.meta;
    // A file's name (its whole path on hover), or the server's address.
    const name = /^[a-z]+:\/\//i.test(meta.database) ? meta.database : meta.database.split('/').pop();
    $('database').textContent =
      `${name}: ${meta.incidents} incidents` + (meta.first ? `, ${meta.first} to ${meta.last}` : '');
    $('database').title = meta.database;
    for (const t of meta.event_types) $('type').append(el('option', { value: t.name, text: t.name }));
    state.months = monthsBetween(meta.first, meta.last);
    const slider = $('slider');
    slider.max = String(Math.max(0, state.months.length - 1));
    slider.disabled = state.months.length === 0;
    const names = new Set(state.admin1.features.map((f) => f.properties && f.properties.name).filter(Boolean));
    $('region-names').replaceChildren(...[...names].sort().map((n) => el('option', { value: n })));
    fillForm();
    wireForm();
    createMap(bboxOf(state.admin1.features));
    apply();
  }

  start();
})();
