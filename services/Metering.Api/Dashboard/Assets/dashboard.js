// The Metering dashboard: polls the ledger API once a second with the key the user gave, and shows what it returns.
// No framework and no other host: the charts arrive as SVG rendered (and escaped) by the service, the rest is text.
'use strict';

const POLL_MS = 1000;
const KEY_ITEM = 'metering.apiKey';

// Money arrives as exact decimal strings; Intl formats a string exactly, rounded to cents half to even like invoices.
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', roundingMode: 'halfEven' });
const rate = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 4, roundingMode: 'halfEven' });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const count = new Intl.NumberFormat('en-US');
const time = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });
const LEVELS = ['normal', 'warn', 'slowdown', 'block'];

const state = { key: null, me: null, tenant: null, sort: null, overview: [], timer: 0, generation: 0 };
const $ = (id) => document.getElementById(id);

class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${state.key}`, Accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
    } catch { /* not a problem document */ }
    throw new ApiError(response.status, detail);
  }
  return response.json();
}

const money = (value) => (value == null ? '—' : usd.format(value));
const ratio = (value) => (value == null ? '—' : percent.format(value));

function show(id, visible) {
  $(id).hidden = !visible;
}

function setValue(id, text, exact) {
  const element = $(id);
  element.textContent = text;
  if (exact == null) {
    element.removeAttribute('data-value');
  } else {
    element.dataset.value = exact;
  }
}

function level(name) {
  const badge = document.createElement('span');
  badge.className = `level level-${LEVELS.includes(name) ? name : 'unknown'}`;
  badge.textContent = name;
  return badge;
}

// the strictest level of a tenant's scoped budgets in force, and how many are above normal
function scopedLevels(r) {
  if (r.throttledScopes === 0) {
    return 'normal';
  }
  const shown = document.createElement('span');
  shown.append(level(r.scopedLevel), ` ${r.throttledScopes} ${r.throttledScopes === 1 ? 'scope' : 'scopes'}`);
  return shown;
}

function cell(row, content, className) {
  const td = row.insertCell();
  if (content instanceof Node) {
    td.append(content);
  } else {
    td.textContent = content;
  }
  if (className) {
    td.className = className;
  }
  return td;
}

function fail(message) {
  $('error').textContent = message;
  show('error', message != null);
}

// ---- the overview (admin and billing keys) ----

const sortKeys = {
  tenantId: (r) => r.tenantId,
  throttleLevel: (r) => LEVELS.indexOf(r.throttleLevel),
  scopedLevel: (r) => LEVELS.indexOf(r.scopedLevel) * 1000 + r.throttledScopes,
  spend: (r) => Number(r.spend),
  projectedSpend: (r) => (r.projectedSpend == null ? -1 : Number(r.projectedSpend)),
  budget: (r) => (r.budget == null ? -1 : Number(r.budget)),
  projectedBudgetUse: (r) => (r.projectedBudgetUse == null ? -1 : Number(r.projectedBudgetUse)),
  events: (r) => r.events,
};

function renderOverview() {
  let rows = state.overview;
  if (state.sort) {
    const key = sortKeys[state.sort.column];
    const direction = state.sort.descending ? -1 : 1;
    rows = [...rows].sort((a, b) => (key(a) < key(b) ? -direction : key(a) > key(b) ? direction : 0));
  }
  const body = $('tenants').tBodies[0];
  body.replaceChildren();
  for (const r of rows) {
    const row = body.insertRow();
    row.dataset.tenant = r.tenantId;
    if (r.tenantId === state.tenant) {
      row.classList.add('selected');
    }
    const link = document.createElement('a');
    link.href = `#tenant=${encodeURIComponent(r.tenantId)}`;
    link.textContent = r.tenantId;
    cell(row, link);
    cell(row, level(r.throttleLevel));
    cell(row, scopedLevels(r));
    cell(row, money(r.spend), 'num').dataset.value = r.spend;
    cell(row, money(r.projectedSpend), 'num');
    cell(row, money(r.budget), 'num');
    cell(row, ratio(r.projectedBudgetUse), 'num');
    cell(row, count.format(r.events), 'num');
  }
  if (rows.length === 0) {
    cell(body.insertRow(), 'No usage and no budgets yet.').colSpan = 8;
  }
  for (const button of $('tenants').tHead.querySelectorAll('button[data-sort]')) {
    const th = button.parentElement;
    if (state.sort && state.sort.column === button.dataset.sort) {
      th.setAttribute('aria-sort', state.sort.descending ? 'descending' : 'ascending');
    } else {
      th.removeAttribute('aria-sort');
    }
  }
}

function sortBy(column) {
  const descending = state.sort && state.sort.column === column ? !state.sort.descending : column !== 'tenantId';
  state.sort = { column, descending };
  renderOverview();
}

// ---- one tenant ----

function renderTenant(d) {
  const s = d.summary;
  $('tenant-name').textContent = s.tenantId;
  $('tenant-cycle').textContent = `cycle ${s.cycle} (${s.status}), ${time.format(new Date(s.start))} to ${time.format(new Date(s.end))} UTC`;
  const throttle = s.throttleLevel || 'normal';
  $('level').replaceWith(Object.assign(level(throttle), { id: 'level' }));
  setValue('spend', money(s.cost), s.cost);
  setValue('projected', money(s.projectedSpend), s.projectedSpend);
  setValue('budget', s.budget ? money(s.budget.amount) : 'none', s.budget ? s.budget.amount : null);
  setValue('cache-hit-ratio', ratio(s.cacheHitRatio), s.cacheHitRatio);
  setValue('reasoning-tokens', count.format(s.reasoningTokens), String(s.reasoningTokens));
  setValue('effective-rate', s.effectiveRatePerMillion == null ? '—' : rate.format(s.effectiveRatePerMillion), s.effectiveRatePerMillion);
  setValue('billed-tokens', count.format(s.billedTokens), String(s.billedTokens));
  setValue('events', count.format(s.events), String(s.events));
  setValue('waste', `${count.format(s.reservedOutputWaste.tokens)} tokens · ${money(s.reservedOutputWaste.cost)}`, s.reservedOutputWaste.cost);

  // Server-rendered SVG: every text in it was escaped by the service, and the page's policy allows no script in it.
  $('spend-chart').innerHTML = d.charts.spend;
  $('tier-chart').innerHTML = d.charts.tiers;
  $('model-chart').innerHTML = d.charts.models;
  $('bucket-chart').innerHTML = d.charts.buckets;

  const budgets = $('budgets').tBodies[0];
  budgets.replaceChildren();
  for (const b of d.budgets) {
    const row = budgets.insertRow();
    row.dataset.scope = `${b.scope.kind}:${b.scope.value}`;
    cell(row, `${b.scope.kind} ${b.scope.value}`);
    cell(row, b.period === 'day' ? 'day (UTC)' : 'cycle');
    cell(row, level(b.level));
    cell(row, money(b.spendToDate), 'num');
    cell(row, money(b.projectedSpend), 'num');
    cell(row, money(b.amount), 'num');
    cell(row, b.periodStart || '—');
  }
  if (d.budgets.length === 0) {
    cell(budgets.insertRow(), 'No scoped budgets: only the tenant budget, if any, applies.').colSpan = 7;
  }

  const body = $('commands').tBodies[0];
  body.replaceChildren();
  for (const c of d.commands) {
    const row = body.insertRow();
    cell(row, String(c.sequence), 'num');
    cell(row, time.format(new Date(c.issuedAt)));
    cell(row, c.scope ? `${c.cycle} · ${c.scope.kind} ${c.scope.value} per ${c.period}` : c.cycle);
    cell(row, level(c.level));
    cell(row, String(c.requestRateFactor), 'num');
    cell(row, c.reason);
  }
  if (d.commands.length === 0) {
    cell(body.insertRow(), 'No throttle command yet: the tenant has always run at its normal rate.').colSpan = 6;
  }
}

// ---- polling ----

async function refresh() {
  const generation = state.generation;
  const everyTenant = state.me.role === 'admin' || state.me.role === 'billing';
  const [overview, tenant] = await Promise.allSettled([
    everyTenant ? api('/v1/dashboard/tenants') : Promise.resolve(null),
    state.tenant ? api(`/v1/tenants/${encodeURIComponent(state.tenant)}/dashboard`) : Promise.resolve(null),
  ]);
  if (generation !== state.generation) {
    return; // the tenant changed while these were in flight
  }

  for (const result of [overview, tenant]) {
    if (result.status === 'rejected' && result.reason instanceof ApiError && result.reason.status === 401) {
      signOut('That API key is not accepted (revoked or mistyped).');
      return;
    }
  }

  if (overview.status === 'fulfilled' && overview.value) {
    state.overview = overview.value;
    renderOverview();
  }
  show('overview', everyTenant);

  if (tenant.status === 'fulfilled' && tenant.value) {
    renderTenant(tenant.value);
    show('tenant', true);
    fail(null);
  } else if (tenant.status === 'rejected' && tenant.reason instanceof ApiError && tenant.reason.status < 500) {
    // Refused (another tenant's data) or a bad tenant id: show why, and nothing of the tenant.
    show('tenant', false);
    fail(`Tenant ${state.tenant}: ${tenant.reason.message}`);
  } else if (!state.tenant) {
    show('tenant', false);
    fail(null);
  }

  const failed = [overview, tenant].find((r) => r.status === 'rejected' && !(r.reason instanceof ApiError && r.reason.status < 500));
  $('status').textContent = failed
    ? `Reconnecting… (${failed.reason.message})`
    : `Live · updated ${time.format(new Date())} UTC`;
  $('status').classList.toggle('stale', Boolean(failed));
}

function schedule(delay) {
  clearTimeout(state.timer);
  state.timer = setTimeout(async () => {
    try {
      await refresh();
    } catch (error) {
      $('status').textContent = `Reconnecting… (${error.message})`;
      $('status').classList.add('stale');
    }
    if (state.key) {
      schedule(POLL_MS);
    }
  }, delay);
}

function tenantFromHash() {
  const match = /(?:^|[#&])tenant=([^&]*)/.exec(location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

async function start() {
  try {
    state.me = await api('/v1/whoami');
  } catch (error) {
    signOut(error instanceof ApiError && error.status === 401 ? 'That API key is not accepted.' : `The service did not answer: ${error.message}`);
    return;
  }
  show('sign-in', false);
  show('sign-out', true);
  state.tenant = tenantFromHash() || state.me.tenantId;
  schedule(0);
}

function signOut(message) {
  clearTimeout(state.timer);
  state.key = null;
  state.me = null;
  sessionStorage.removeItem(KEY_ITEM);
  for (const id of ['overview', 'tenant', 'sign-out']) {
    show(id, false);
  }
  show('sign-in', true);
  $('status').textContent = '';
  fail(message || null);
}

document.addEventListener('DOMContentLoaded', () => {
  // A key may come in the fragment (#key=…), which browsers never send to a server; it is moved to this tab's storage
  // and taken out of the address bar at once.
  const fromFragment = /(?:^|[#&])key=([^&]*)/.exec(location.hash);
  if (fromFragment) {
    sessionStorage.setItem(KEY_ITEM, decodeURIComponent(fromFragment[1]));
    const rest = location.hash.replace(/(^#|&)key=[^&]*/, '$1').replace(/^#&/, '#');
    history.replaceState(null, '', location.pathname + (rest === '#' ? '' : rest));
  }

  $('sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    state.key = $('key').value.trim();
    $('key').value = '';
    sessionStorage.setItem(KEY_ITEM, state.key);
    start();
  });
  $('sign-out').addEventListener('click', () => signOut());
  $('tenants').tHead.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-sort]');
    if (button) {
      sortBy(button.dataset.sort);
    }
  });
  window.addEventListener('hashchange', () => {
    if (state.me) {
      state.tenant = tenantFromHash() || state.me.tenantId;
      state.generation += 1;
      show('tenant', false);
      schedule(0);
    }
  });

  state.key = sessionStorage.getItem(KEY_ITEM);
  if (state.key) {
    start();
  } else {
    signOut();
  }
});
