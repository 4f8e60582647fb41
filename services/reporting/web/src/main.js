// The live portfolio dashboard (/?portfolio=pf-1, optionally &period=2027Q1 for the
// KPIs): KPI tiles, initiatives ranked by value with their evidence, benefit-realisation
// and key-result charts, insights, and the open evidence review with continue / pivot /
// stop. It stays current through the service's event stream: each `change` refetches
// (debounced) what that change can affect; `resync` and a reconnect refetch everything.
import { api } from './api.js';
import { Charts } from './charts.js';
import { $, el, showError } from './dom.js';
import { DASH, days, enumName, kpiValue, money, number, percent, timestamp, title } from './format.js';

const DEBOUNCE_MS = 150;
const DECISIONS = ['CONTINUE', 'PIVOT', 'STOP'];

const query = new URLSearchParams(window.location.search);
const portfolio = query.get('portfolio');
// The KPIs' quarter ("2027Q1"); the service's current quarter when absent.
const period = query.get('period') || '';
const state = { currency: '', review: null, updates: 0 };
let charts = null;

// ---- rendering --------------------------------------------------------------------

function cell(field, text, value, extra = {}) {
  return el('td', { dataset: { field, ...(value === undefined || value === null ? {} : { value: String(value) }) }, ...extra }, text);
}

function spendText(row) {
  const spent = row.actualSpend;
  const budget = row.budget;
  if (spent === undefined && budget === undefined) return DASH;
  const text = `${money(spent, state.currency)} / ${money(budget, state.currency)}`;
  return spent !== undefined && budget ? `${text} (${percent(spent / budget)})` : text;
}

function benefitDetails(row, open) {
  const benefits = row.benefits || [];
  if (!benefits.length) return null;
  return el(
    'details',
    { open, dataset: { benefitsOf: row.initiativeId } },
    el('summary', {}, `${benefits.length} benefit${benefits.length === 1 ? '' : 's'}`),
    el(
      'ul',
      { className: 'benefits' },
      benefits.map((b) =>
        el(
          'li',
          { dataset: { benefit: b.benefitId } },
          `${b.metric || b.benefitId}: ${percent(b.realisedShare)} realised`,
          b.forecastShare !== undefined ? `, forecast ${percent(b.forecastShare)}` : '',
          ` · ${title(b.status)}`,
          b.statusReason ? ` — ${b.statusReason}` : '',
        ),
      ),
    ),
  );
}

function renderDashboard(d) {
  state.currency = (d.totals && d.totals.currency) || '';
  const name = d.name || d.portfolioId || portfolio;
  $('#portfolio-name').textContent = `${name} — value health`;
  document.title = `${name} — portfolio value health`;
  $('#as-of').textContent = d.asOf ? `as of ${timestamp(d.asOf)}` : 'loaded';

  const tbody = $('#initiative-rows');
  const open = new Set([...tbody.querySelectorAll('details[open]')].map((n) => n.dataset.benefitsOf));
  const rows = d.rows || [];
  tbody.replaceChildren(
    ...rows.map((r) => {
      const decision = enumName(r.lastDecision, 'DECISION_');
      return el(
        'tr',
        { dataset: { initiative: r.initiativeId, rank: String(r.rank || 0) } },
        cell('rank', r.rank ? String(r.rank) : DASH, r.rank || undefined),
        el(
          'th',
          { scope: 'row', dataset: { field: 'title' } },
          el('span', { className: 'title' }, r.title || r.initiativeId),
          el('span', { className: 'muted id' }, r.initiativeId),
          benefitDetails(r, open.has(r.initiativeId)),
        ),
        cell('score', number(r.score), r.score),
        cell('stage', r.stage ? title(r.stage) : DASH, r.stage || undefined),
        cell('kr-progress', percent(r.keyResultProgress), r.keyResultProgress),
        cell('benefit-realisation', percent(r.benefitRealisation), r.benefitRealisation),
        cell('benefit-status', r.benefitStatus ? title(r.benefitStatus) : DASH, r.benefitStatus || undefined, {
          className: r.benefitStatus ? `status status-${r.benefitStatus}` : '',
          title: (r.benefits || []).map((b) => b.statusReason).filter(Boolean).join('; ') || undefined,
        }),
        cell('spend', spendText(r), r.actualSpend),
        cell('schedule-variance', days(r.scheduleVarianceDays), r.scheduleVarianceDays),
        cell('last-decision', decision || DASH, decision || undefined, {
          title: r.lastDecisionRationale || undefined,
        }),
      );
    }),
  );
  $('#no-initiatives').hidden = rows.length > 0;

  const t = d.totals || {};
  $('#totals').replaceChildren(
    el(
      'dl',
      {},
      ...[
        ['Initiatives', number(t.initiatives, 0), 'initiatives'],
        ['Active / WIP limit', `${number(t.active, 0)} / ${t.wipLimit ? number(t.wipLimit, 0) : DASH}`, 'wip'],
        ['Spend / budget', `${money(t.actualSpend, state.currency)} / ${money(t.budget, state.currency)}`, 'spend'],
        [
          'Benefit value realised / planned',
          `${money(t.realisedBenefitValue, state.currency)} / ${money(t.plannedBenefitValue, state.currency)}`,
          'benefit-value',
        ],
        ['Benefits at risk', number(t.benefitsAtRisk, 0), 'benefits-at-risk'],
      ].map(([label, value, key]) => el('div', { dataset: { total: key } }, el('dt', {}, label), el('dd', {}, value))),
    ),
  );
  charts.update(d);
}

function renderKpis(response) {
  $('#kpi-period').textContent = response.period ? `(${response.period})` : '';
  $('#kpis').replaceChildren(
    ...(response.kpis || []).map((k) =>
      el(
        'li',
        { className: 'tile', dataset: { kpi: k.key, value: k.value === undefined ? undefined : String(k.value) } },
        el('span', { className: 'tile-name' }, k.name || k.key),
        el('span', { className: 'tile-value', dataset: { field: 'value' } }, kpiValue(k)),
        k.detail ? el('span', { className: 'tile-detail' }, k.detail) : null,
        (k.trend || []).length
          ? el(
              'span',
              { className: 'tile-trend', 'aria-label': 'trend over quarters' },
              k.trend.map((p) => `${p.quarter} ${kpiValue({ unit: k.unit, value: p.value })}`).join(' · '),
            )
          : null,
        el('details', {}, el('summary', {}, 'Definition'), el('p', {}, k.definition || '')),
      ),
    ),
  );
}

function renderInsights(response) {
  const insights = response.insights || [];
  $('#insights').replaceChildren(
    ...insights.map((i) =>
      el(
        'li',
        { className: `insight severity-${i.severity}`, dataset: { insight: i.kind, initiative: i.initiativeId || undefined } },
        el('span', { className: 'badge' }, i.severity === 'high' ? 'High' : 'Medium'),
        ' ',
        el('strong', {}, title(i.kind)),
        ': ',
        i.message,
        (i.evidence || []).length
          ? el('ul', { className: 'evidence' }, i.evidence.map((e) => el('li', {}, `${e.name}: ${e.value}`)))
          : null,
      ),
    ),
  );
  $('#no-insights').hidden = insights.length > 0;
}

function evidenceSummary(e = {}) {
  const parts = [
    `rank ${e.rank || DASH}`,
    `score ${number(e.score)}`,
    `key results ${percent(e.keyResultProgress)}`,
    `benefits ${percent(e.benefitRealisation)}${e.benefitStatus ? ` (${title(e.benefitStatus)})` : ''}`,
    `spend ${spendText(e)}`,
    `schedule ${days(e.scheduleVarianceDays)}`,
  ];
  return parts.join(' · ');
}

function renderReview(review) {
  state.review = review;
  $('#no-review').hidden = Boolean(review);
  $('#review-body').hidden = !review;
  if (!review) return;
  const open = review.state === 'REVIEW_STATE_OPEN';
  $('#review').dataset.reviewId = review.id;
  $('#review-id').textContent = review.id;
  $('#review-quarter').textContent = review.quarter;
  $('#review-state').textContent = open ? 'open' : 'closed';
  $('#decision-form').hidden = !open;
  $('#review-items').replaceChildren(
    ...(review.items || []).map((item) => {
      const recommendation = enumName(item.recommendation, 'RECOMMENDATION_');
      const decision = enumName(item.decision, 'DECISION_');
      const name = item.title || item.initiativeId;
      return el(
        'li',
        {
          className: 'review-item',
          dataset: { reviewItem: item.initiativeId, recommendation, decision: decision || undefined },
        },
        el('h3', {}, name, ' ', el('span', { className: 'muted id' }, item.initiativeId)),
        el(
          'p',
          {},
          'Recommendation: ',
          el('strong', { className: `rec rec-${recommendation}`, dataset: { field: 'recommendation' } }, recommendation || DASH),
          item.noEvidence ? el('span', { className: 'badge warn' }, 'no evidence') : null,
        ),
        el(
          'ul',
          { className: 'reasons', dataset: { field: 'reasons' } },
          (item.reasons || []).map((r) =>
            el(
              'li',
              { dataset: { rule: r.rule } },
              el('span', { className: 'muted' }, `${r.rule} → ${enumName(r.pointsTo, 'RECOMMENDATION_') || DASH}: `),
              r.detail,
            ),
          ),
        ),
        el('p', { className: 'muted', dataset: { field: 'evidence' } }, `Evidence at opening: ${evidenceSummary(item.evidence)}`),
        el(
          'p',
          { dataset: { field: 'decision' } },
          decision
            ? [
                'Decided ',
                el('strong', {}, decision),
                item.decidedBy ? ` by ${item.decidedBy}` : '',
                item.decidedAt ? ` on ${timestamp(item.decidedAt)}` : '',
                item.rationale ? ` — ${item.rationale}` : '',
              ]
            : 'No decision yet',
        ),
        open
          ? el(
              'div',
              { className: 'decide', role: 'group', 'aria-label': `Decide on ${name}` },
              DECISIONS.map((d) =>
                el(
                  'button',
                  {
                    type: 'button',
                    className: `decision-${d}${d === recommendation ? ' recommended' : ''}`,
                    dataset: { decisionButton: d, initiative: item.initiativeId },
                    'aria-pressed': d === decision ? 'true' : 'false',
                    onclick: () => decide(review.id, item.initiativeId, d),
                  },
                  title(d),
                ),
              ),
            )
          : null,
      );
    }),
  );
}

// ---- data flow ----------------------------------------------------------------------

// Each loader ignores answers older than the newest request it made.
function loader(key, fetcher, render) {
  let sequence = 0;
  return async () => {
    const mine = ++sequence;
    const target = document.querySelector(`[data-error-for="${key}"]`);
    try {
      const data = await fetcher();
      if (mine !== sequence) return;
      render(data);
      showError(target, null);
    } catch (error) {
      if (mine !== sequence) return;
      showError(target, error);
    }
  };
}

const loaders = {
  dashboard: loader('dashboard', () => api.dashboard(portfolio), renderDashboard),
  kpis: loader('kpis', () => api.kpis(portfolio, period), renderKpis),
  insights: loader('insights', () => api.insights(portfolio), renderInsights),
  reviews: loader(
    'reviews',
    () => api.reviews(portfolio),
    (response) => {
      // Newest first: the newest open review, else none.
      const reviews = response.reviews || [];
      renderReview(reviews.find((r) => r.state === 'REVIEW_STATE_OPEN') || null);
    },
  ),
};
const ALL = Object.keys(loaders);

const pending = new Set();
let timer = null;

async function flush() {
  timer = null;
  const kinds = [...pending];
  pending.clear();
  await Promise.all(kinds.map((k) => loaders[k]()));
  state.updates += 1;
  document.body.dataset.updates = String(state.updates);
}

function refresh(kinds, now = false) {
  for (const k of kinds) pending.add(k);
  if (now) {
    clearTimeout(timer);
    return flush();
  }
  if (timer === null) timer = setTimeout(flush, DEBOUNCE_MS);
  return undefined;
}

// What a change of a given event type can affect.
function affected(type = '') {
  if (/Review|Decision/.test(type)) return ['reviews', 'dashboard', 'kpis'];
  return ['dashboard', 'kpis', 'insights'];
}

async function decide(reviewId, initiativeId, decision) {
  const form = $('#decision-form');
  const target = document.querySelector('[data-error-for="decision"]');
  const buttons = [...document.querySelectorAll('[data-decision-button]')];
  buttons.forEach((b) => (b.disabled = true));
  try {
    const review = await api.recordDecision(reviewId, {
      initiativeId,
      decision: `DECISION_${decision}`,
      rationale: form.elements.rationale.value.trim(),
      decidedBy: form.elements.decided_by.value.trim(),
    });
    showError(target, null);
    renderReview(review);
    refresh(['dashboard', 'kpis']);
  } catch (error) {
    showError(target, error);
  } finally {
    document.querySelectorAll('[data-decision-button]').forEach((b) => (b.disabled = false));
  }
}

function connect() {
  const status = $('#live-status');
  const setStatus = (s, text) => {
    status.dataset.state = s;
    status.textContent = text;
  };
  const source = new EventSource(api.streamUrl(portfolio));
  let dropped = false;
  source.addEventListener('open', () => {
    setStatus('live', 'live');
    // Changes may have been missed while the stream was down.
    if (dropped) refresh(ALL);
    dropped = false;
  });
  source.addEventListener('error', () => {
    dropped = true;
    setStatus('reconnecting', source.readyState === EventSource.CLOSED ? 'stream closed; reload the page' : 'reconnecting…');
  });
  source.addEventListener('change', (e) => {
    let change = {};
    try {
      change = JSON.parse(e.data);
    } catch {
      // An unreadable change still means something changed.
    }
    refresh(affected(change.type));
  });
  source.addEventListener('resync', () => refresh(ALL));
  window.addEventListener('pagehide', () => source.close());
}

function start() {
  if (!portfolio) {
    $('#portfolio-picker').hidden = false;
    $('#live-status').textContent = 'no portfolio chosen';
    $('#portfolio-picker').addEventListener('submit', (e) => {
      e.preventDefault();
      const value = $('#portfolio-input').value.trim();
      if (value) window.location.search = `?portfolio=${encodeURIComponent(value)}`;
    });
    return;
  }
  $('#content').hidden = false;
  $('#portfolio-id').textContent = portfolio;
  $('#csv-export').href = api.csvUrl(portfolio);
  $('#csv-export').setAttribute('download', `dashboard-${portfolio}.csv`);
  charts = new Charts($('#benefit-chart'), $('#okr-chart'));
  // Subscribe first so nothing between the first load and the subscription is missed.
  connect();
  refresh(ALL, true);
}

start();
