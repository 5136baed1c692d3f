// The accountant's page: signs in with the gateway's login, then asks the gateway's audit routes
// (/v1/audit/...) and shows their answers: search, a job's timeline as a picture (SVG), the
// month's reconciliation with its differences, the log's verification; each shown answer can be
// saved as CSV (UTF-8 or Shift_JIS), which the gateway exports. No framework and nothing from the
// internet: this file, the page and its style are served by the gateway itself.

const SESSION_KEY = 'workshare.audit.session';
const SVG = 'http://www.w3.org/2000/svg';
const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;

const KIND_LABELS = {
  invoice: '請求書 invoice',
  statement: '支払通知書 statement',
  transfer: '振込 transfer',
  journal: '仕訳 journal',
};
const BREAK_LABELS = {
  changed: '改変 changed',
  missing: '欠落 missing',
  inserted: '挿入 inserted',
  reordered: '順序 reordered',
  seal: '封印 seal',
};

// ---- small helpers ---------------------------------------------------------------------------------

const $ = (id) => {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found;
};

/** An element with attributes (`class`, `data-*`, aria...) and children (nodes or text). */
const h = (tag, attributes = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
};

/** An SVG element, the same way. */
const s = (tag, attributes = {}, ...children) => {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
};

/** Integer yen with thousands separators: ¥136,800 (negative: −¥431). */
const yen = (amount) => {
  const digits = String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${amount < 0 ? '−' : ''}¥${digits}`;
};

/** Tokyo wall-clock parts of an instant (Japan keeps no daylight saving time: UTC+9 always). */
const tokyoParts = (instant) => {
  const t = new Date(new Date(instant).getTime() + TOKYO_OFFSET_MS);
  const pad = (n) => String(n).padStart(2, '0');
  return {
    date: `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`,
    short: `${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())}`,
    time: `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`,
  };
};

/** `2026-11-04 09:30` (Tokyo) for a time the gateway answered. */
const tokyo = (instant) => {
  if (instant === null || instant === undefined || instant === '') return '—';
  const parts = tokyoParts(instant);
  return `${parts.date} ${parts.time}`;
};

/** A personal text as the audit service answers it: the text, or that it was forgotten or withheld. */
const personal = (value, fallback = '—') => {
  if (value === null || value === undefined) return { text: fallback, kind: 'none' };
  if (value.kind === 'text') return { text: value.text, kind: 'text' };
  if (value.kind === 'redacted') return { text: '削除済み (redacted)', kind: 'redacted' };
  return { text: '非開示 (withheld)', kind: 'withheld' };
};

/** A personal text as a <span>, redacted and withheld ones marked (class and style). */
const personalSpan = (value, fallback) => {
  const { text, kind } = personal(value, fallback);
  return h('span', { class: `personal personal-${kind}` }, text);
};

const shortId = (id) => (typeof id === 'string' && id.length > 12 ? `${id.slice(0, 8)}…` : (id ?? '—'));

// ---- session and calls -------------------------------------------------------------------------------

let session = null;
try {
  session = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
} catch {
  session = null;
}

const saveSession = (next) => {
  session = next;
  if (next === null) sessionStorage.removeItem(SESSION_KEY);
  else sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
};

class ProblemError extends Error {
  constructor(problem, status) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.problem = problem;
    this.status = status;
  }
}

const showStatus = (text) => {
  $('status').textContent = text;
};

const showError = (error) => {
  const box = $('error');
  if (error === null) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  const code = error instanceof ProblemError && error.problem?.code ? ` (${error.problem.code})` : '';
  box.textContent = `エラー Error: ${error.message}${code}`;
  box.hidden = false;
};

const readProblem = async (response) => {
  try {
    return await response.json();
  } catch {
    return null;
  }
};

/** New tokens for the refresh token (once), or the session ends. */
const refreshSession = async () => {
  if (session === null) return false;
  const response = await fetch('/v1/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken: session.refreshToken }),
  });
  if (!response.ok) {
    saveSession(null);
    return false;
  }
  const answer = await response.json();
  saveSession({ accessToken: answer.accessToken, refreshToken: answer.refreshToken, caller: answer.caller });
  return true;
};

/** A call to the gateway with the caller's token; an expired token is refreshed once. */
const call = async (path, init = {}, retried = false) => {
  const headers = { ...(init.headers ?? {}) };
  if (session !== null) headers.authorization = `Bearer ${session.accessToken}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (response.status === 401 && session !== null && !retried && (await refreshSession()))
    return call(path, init, true);
  if (!response.ok) {
    if (response.status === 401 && session === null) showSignedOut();
    throw new ProblemError(await readProblem(response), response.status);
  }
  return response;
};

const getJson = async (path) => (await call(path)).json();

/** The file name of a download: RFC 5987 `filename*` first, else `filename`. */
const fileNameOf = (disposition, fallback) => {
  if (disposition === null) return fallback;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (extended !== null) return decodeURIComponent(extended[1]);
  const plain = /filename="([^"]+)"/i.exec(disposition);
  return plain !== null ? plain[1] : fallback;
};

/** The last query shown in each section, which its export buttons save as CSV. */
const shown = {};

const exportShown = async (section, encoding) => {
  const path = shown[section];
  if (path === undefined) return;
  const url = new URL(path, location.origin);
  url.searchParams.set('format', 'csv');
  url.searchParams.set('encoding', encoding);
  const response = await call(`${url.pathname}${url.search}`);
  const blob = await response.blob();
  const name = fileNameOf(response.headers.get('content-disposition'), `audit-${section}.csv`);
  const link = h('a', { href: URL.createObjectURL(blob), download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  showStatus(`${name} を保存しました (saved, ${encoding === 'shift_jis' ? 'Shift_JIS' : 'UTF-8'})`);
};

const showExports = (section, path) => {
  shown[section] = path;
  for (const box of document.querySelectorAll(`[data-export="${section}"]`)) box.hidden = false;
};

/** Runs a handler of the page: its errors are shown, never thrown away. */
const guarded = (handler) => async (event) => {
  event?.preventDefault?.();
  showError(null);
  try {
    await handler(event);
  } catch (error) {
    showError(error instanceof Error ? error : new Error(String(error)));
  }
};

// ---- signing in ----------------------------------------------------------------------------------

const describeCaller = (caller) =>
  `${caller.subject} (${caller.roles.map((r) => r.role + (r.region ? `: ${r.region}` : '')).join(', ')})`;

const showSignedIn = async () => {
  $('login-section').hidden = true;
  $('workspace').hidden = false;
  $('session').hidden = false;
  $('signed-in-as').textContent = `ログイン中 Signed in: ${describeCaller(session.caller)}`;
  await Promise.all([loadJobs(), loadRegions()]);
};

const showSignedOut = () => {
  saveSession(null);
  $('login-section').hidden = false;
  $('workspace').hidden = true;
  $('session').hidden = true;
};

const login = async () => {
  const form = $('login-form');
  const email = form.elements.namedItem('email').value;
  const password = form.elements.namedItem('password').value;
  const response = await fetch('/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new ProblemError(await readProblem(response), response.status);
  const answer = await response.json();
  saveSession({ accessToken: answer.accessToken, refreshToken: answer.refreshToken, caller: answer.caller });
  form.reset();
  await showSignedIn();
  showStatus('ログインしました (signed in)');
};

const logout = async () => {
  const refreshToken = session?.refreshToken;
  showSignedOut();
  if (refreshToken !== undefined)
    await fetch('/v1/auth/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
  showStatus('ログアウトしました (signed out)');
};

const loadJobs = async () => {
  const select = $('timeline-job');
  const { jobs } = await getJson('/v1/jobs?pageSize=200');
  select.replaceChildren(
    ...jobs.map((job) => h('option', { value: job.jobId }, `${job.title} — ${job.regionId} (${job.status})`)),
  );
};

const loadRegions = async () => {
  const select = $('reconciliation-region');
  const { regions } = await getJson('/v1/regions');
  select.replaceChildren(...regions.map((r) => h('option', { value: r.regionId }, `${r.name} (${r.regionId})`)));
  const month = $('reconciliation-month');
  if (month.value === '') {
    // The month before the current Tokyo month: the one an accountant checks first.
    const now = tokyoParts(Date.now()).date;
    const [year, monthNumber] = now.split('-').map(Number);
    const previous = monthNumber === 1 ? `${year - 1}-12` : `${year}-${String(monthNumber - 1).padStart(2, '0')}`;
    month.value = previous;
  }
};

// ---- search ----------------------------------------------------------------------------------------

/** The Tokyo day after `YYYY-MM-DD`. */
const nextDay = (day) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const search = async () => {
  const form = $('search-form');
  const value = (name) => form.elements.namedItem(name).value.trim();
  const query = new URLSearchParams();
  // Days are Tokyo days: from its first instant, to the next day's first (the last day included).
  if (value('from') !== '') query.set('from', `${value('from')}T00:00:00+09:00`);
  if (value('to') !== '') query.set('to', `${nextDay(value('to'))}T00:00:00+09:00`);
  for (const name of ['minYen', 'maxYen', 'counterparty']) if (value(name) !== '') query.set(name, value(name));
  const path = query.size > 0 ? `/v1/audit/search?${query}` : '/v1/audit/search';
  const { records } = await getJson(path);
  const table = h(
    'table',
    { class: 'data', id: 'search-table' },
    h('caption', {}, `検索結果 Results: ${records.length} 件`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, '日付 Date'),
        h('th', { scope: 'col' }, '種別 Kind'),
        h('th', { scope: 'col' }, '書類 Document'),
        h('th', { scope: 'col' }, '取引先 Counterparty'),
        h('th', { scope: 'col', class: 'number' }, '金額 Amount'),
        h('th', { scope: 'col' }, '地域・月 Region, month'),
      ),
    ),
    h(
      'tbody',
      {},
      records.map((r) =>
        h(
          'tr',
          {},
          h('td', {}, r.date),
          h('td', {}, KIND_LABELS[r.kind] ?? r.kind),
          h('td', { class: 'id' }, r.documentId),
          h('td', {}, r.counterparty),
          h('td', { class: 'number' }, yen(r.amountYen)),
          h('td', {}, `${r.regionId} ${r.month}`),
        ),
      ),
    ),
  );
  $('search-results').replaceChildren(
    records.length === 0 ? h('p', { class: 'empty' }, '該当する取引はありません (nothing matches)') : table,
  );
  showExports('search', path);
  showStatus(`検索しました: ${records.length} 件 (searched)`);
};

// ---- a job's timeline ------------------------------------------------------------------------------

const PALETTE = ['#2f6db5', '#c2571a', '#2e8b57', '#8a4fb3', '#b8860b', '#1b8a99', '#b03060', '#5f6b2e'];

/** Time ticks of a readable step over [t0, t1]: at most about eight. */
const ticksOf = (t0, t1) => {
  const hour = 3_600_000;
  const steps = [hour, 3 * hour, 6 * hour, 12 * hour, 24 * hour, 48 * hour, 7 * 24 * hour, 14 * 24 * hour];
  const step = steps.find((candidate) => (t1 - t0) / candidate <= 8) ?? 28 * 24 * hour;
  // Ticks on Tokyo boundaries of the step: midnight Tokyo for a day or more, a Monday for a week
  // or more (1970-01-05, four days after the epoch, was a Monday).
  const phase = step >= 7 * 24 * hour ? 4 * 24 * hour : 0;
  const first = Math.ceil((t0 + TOKYO_OFFSET_MS - phase) / step) * step + phase - TOKYO_OFFSET_MS;
  const ticks = [];
  for (let t = first; t <= t1; t += step) ticks.push(t);
  return { ticks, daily: step >= 24 * hour };
};

const holderName = (span) => personal(span.memberName, shortId(span.memberId));

/** Each member of a timeline by the name its holds give her (as the reader may see it). */
const namesOf = (timeline) => {
  const names = new Map();
  for (const task of timeline.tasks)
    for (const span of task.spans) if (!names.has(span.memberId)) names.set(span.memberId, holderName(span));
  return names;
};

/** A member of a timeline by name (or her id, shortened, when no hold names her). */
const memberText = (names, memberId) =>
  memberId === null ? '担当者なし (unassigned)' : (names.get(memberId)?.text ?? shortId(memberId));

const drawTimeline = (timeline, now) => {
  const tasks = timeline.tasks;
  const times = [];
  for (const task of tasks) {
    for (const span of task.spans) {
      times.push(Date.parse(span.from));
      times.push(span.to === null ? now : Date.parse(span.to));
    }
    for (const handOff of task.handOffs) times.push(Date.parse(handOff.at));
  }
  const width = 1000;
  const left = 230;
  const right = 24;
  const top = 46;
  const rowHeight = 58;
  const height = top + Math.max(tasks.length, 1) * rowHeight + 64;
  let t0 = times.length > 0 ? Math.min(...times) : now - 86_400_000;
  let t1 = times.length > 0 ? Math.max(...times) : now;
  if (t1 - t0 < 3_600_000) {
    t0 -= 1_800_000;
    t1 += 1_800_000;
  }
  const margin = (t1 - t0) * 0.02;
  t0 -= margin;
  t1 += margin;
  const x = (t) => left + ((t - t0) / (t1 - t0)) * (width - left - right);

  const names = namesOf(timeline);
  const members = new Map();
  const colourOf = (memberId) => {
    if (!members.has(memberId)) members.set(memberId, PALETTE[members.size % PALETTE.length]);
    return members.get(memberId);
  };

  const svg = s(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      width: '100%',
      role: 'img',
      'aria-labelledby': 'timeline-svg-title timeline-svg-desc',
      class: 'timeline',
      id: 'timeline-svg',
    },
    s('title', { id: 'timeline-svg-title' }, `ジョブ「${timeline.title}」のタイムライン (timeline of the job)`),
    s(
      'desc',
      { id: 'timeline-svg-desc' },
      `${tasks.length} タスク、引き継ぎ ${tasks.reduce((n, t) => n + t.handOffs.length, 0)} 件。横軸は日本時間。`,
    ),
    s(
      'defs',
      {},
      s(
        'pattern',
        { id: 'hatch-redacted', width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        s('rect', { width: 8, height: 8, fill: '#e4e4e4' }),
        s('line', { x1: 0, y1: 0, x2: 0, y2: 8, stroke: '#8a8a8a', 'stroke-width': 3 }),
      ),
      s(
        'pattern',
        { id: 'hatch-withheld', width: 8, height: 8, patternUnits: 'userSpaceOnUse' },
        s('rect', { width: 8, height: 8, fill: '#f1f1f1' }),
        s('circle', { cx: 4, cy: 4, r: 1.6, fill: '#9a9a9a' }),
      ),
    ),
  );

  // The time axis, in Tokyo time.
  const { ticks, daily } = ticksOf(t0, t1);
  const axis = s('g', { class: 'axis' });
  for (const t of ticks) {
    const parts = tokyoParts(t);
    axis.append(
      s('line', { x1: x(t), x2: x(t), y1: top - 6, y2: height - 56, class: 'tick' }),
      s(
        'text',
        { x: x(t), y: top - 12, 'text-anchor': 'middle' },
        daily ? parts.short : `${parts.short} ${parts.time}`,
      ),
    );
  }
  axis.append(s('text', { x: 8, y: top - 12, class: 'axis-label' }, '日本時間 (JST)'));
  svg.append(axis);

  tasks.forEach((task, index) => {
    const y = top + index * rowHeight;
    const row = s('g', { class: 'task-row', 'data-task-id': task.taskId });
    row.append(s('rect', { x: 0, y, width, height: rowHeight, class: index % 2 === 0 ? 'stripe' : 'stripe odd' }));
    const title = task.title.length > 26 ? `${task.title.slice(0, 25)}…` : task.title;
    row.append(s('text', { x: 8, y: y + rowHeight / 2 - 4, class: 'task-title' }, title, s('title', {}, task.title)));
    row.append(s('text', { x: 8, y: y + rowHeight / 2 + 12, class: 'task-id' }, shortId(task.taskId)));
    for (const span of task.spans) {
      const from = Date.parse(span.from);
      const to = span.to === null ? now : Date.parse(span.to);
      const name = holderName(span);
      const fill =
        name.kind === 'redacted'
          ? 'url(#hatch-redacted)'
          : name.kind === 'withheld'
            ? 'url(#hatch-withheld)'
            : colourOf(span.memberId);
      const barX = x(from);
      const barWidth = Math.max(3, x(to) - barX);
      const bar = s(
        'g',
        { class: `holding holding-${name.kind}`, 'data-member-id': span.memberId },
        s('rect', {
          x: barX,
          y: y + 10,
          width: barWidth,
          height: 22,
          rx: 4,
          fill,
          class: span.to === null ? 'bar open' : 'bar',
        }),
        s(
          'title',
          {},
          `担当 Holder: ${name.text}\n${tokyo(span.from)} → ${span.to === null ? '継続中 (still holding)' : tokyo(span.to)}`,
        ),
      );
      const label = `${name.text}${span.to === null ? ' →' : ''}`;
      // The label starts clear of a hand-off's mark at the bar's start.
      if (barWidth > label.length * 12 + 16)
        bar.append(
          s(
            'text',
            {
              x: barX + 12,
              y: y + 25,
              class: name.kind === 'text' || name.kind === 'none' ? 'bar-label' : 'bar-label dark',
            },
            label,
          ),
        );
      row.append(bar);
    }
    for (const handOff of task.handOffs) {
      const hx = x(Date.parse(handOff.at));
      const hy = y + 21;
      const reason = personal(handOff.reason);
      const note = personal(handOff.progressNote, '');
      const mark = s(
        'g',
        { class: `handoff handoff-${reason.kind}`, tabindex: 0, 'data-at': handOff.at },
        s('line', { x1: hx, x2: hx, y1: y + 4, y2: y + rowHeight - 6, class: 'handoff-line' }),
        s('polygon', {
          points: `${hx},${hy - 9} ${hx + 8},${hy} ${hx},${hy + 9} ${hx - 8},${hy}`,
          class: 'handoff-mark',
        }),
        s(
          'text',
          { x: hx + 10, y: y + rowHeight - 8, class: `handoff-label personal-${reason.kind}` },
          `引き継ぎ: ${reason.text.length > 24 ? `${reason.text.slice(0, 23)}…` : reason.text}`,
        ),
        s(
          'title',
          {},
          [
            `引き継ぎ Hand-off ${tokyo(handOff.at)}`,
            `${memberText(names, handOff.fromMemberId)} → ${memberText(names, handOff.toMemberId)}`,
            `理由 Reason: ${reason.text}`,
            ...(note.kind === 'none' || note.text === '' ? [] : [`進捗 Progress: ${note.text}`]),
          ].join('\n'),
        ),
      );
      row.append(mark);
    }
    svg.append(row);
  });

  // The legend: who each colour is.
  const legend = s('g', { class: 'legend' });
  let lx = 8;
  const ly = height - 30;
  for (const [memberId, name] of names) {
    const fill =
      name.kind === 'redacted'
        ? 'url(#hatch-redacted)'
        : name.kind === 'withheld'
          ? 'url(#hatch-withheld)'
          : colourOf(memberId);
    legend.append(s('rect', { x: lx, y: ly - 11, width: 14, height: 14, fill, rx: 3 }));
    legend.append(s('text', { x: lx + 20, y: ly, class: 'legend-label' }, name.text));
    lx += 34 + name.text.length * 12;
  }
  legend.append(
    s('polygon', {
      points: `${lx + 8},${ly - 12} ${lx + 16},${ly - 4} ${lx + 8},${ly + 4} ${lx},${ly - 4}`,
      class: 'handoff-mark',
    }),
    s('text', { x: lx + 22, y: ly, class: 'legend-label' }, '引き継ぎ (hand-off)'),
  );
  svg.append(legend);
  return svg;
};

const handOffTable = (timeline) => {
  const names = namesOf(timeline);
  const rows = timeline.tasks.flatMap((task) => task.handOffs.map((handOff) => ({ task, handOff })));
  if (rows.length === 0) return h('p', { class: 'empty' }, '引き継ぎはありません (no hand-offs)');
  return h(
    'table',
    { class: 'data', id: 'handoff-table' },
    h('caption', {}, `引き継ぎ Hand-offs: ${rows.length} 件`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, '時刻 At (JST)'),
        h('th', { scope: 'col' }, 'タスク Task'),
        h('th', { scope: 'col' }, '引き継いだ人 From'),
        h('th', { scope: 'col' }, '引き継がれた人 To'),
        h('th', { scope: 'col' }, '理由 Reason'),
        h('th', { scope: 'col' }, '進捗メモ Progress note'),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map(({ task, handOff }) =>
        h(
          'tr',
          {},
          h('td', {}, tokyo(handOff.at)),
          h('td', {}, task.title),
          h('td', {}, memberText(names, handOff.fromMemberId)),
          h('td', {}, memberText(names, handOff.toMemberId)),
          h('td', {}, personalSpan(handOff.reason)),
          h('td', {}, personalSpan(handOff.progressNote)),
        ),
      ),
    ),
  );
};

const showTimeline = async () => {
  const jobId = $('timeline-job').value;
  if (jobId === '') throw new Error('ジョブを選んでください (choose a job)');
  const path = `/v1/audit/jobs/${encodeURIComponent(jobId)}/timeline`;
  const timeline = await getJson(path);
  $('timeline-result').replaceChildren(
    h(
      'h3',
      {},
      `${timeline.title} `,
      h('span', { class: 'muted' }, `(${timeline.regionId}, ${shortId(timeline.jobId)})`),
    ),
    timeline.tasks.length === 0
      ? h('p', { class: 'empty' }, 'タスクはまだありません (no tasks yet)')
      : h('figure', { class: 'timeline-figure' }, drawTimeline(timeline, Date.now())),
    handOffTable(timeline),
  );
  showExports('timeline', path);
  showStatus(`タイムラインを表示しました: ${timeline.tasks.length} タスク (timeline shown)`);
};

// ---- the month's reconciliation -------------------------------------------------------------------

const sourceList = (sources) =>
  h(
    'ul',
    { class: 'sources' },
    sources.map((source) =>
      h(
        'li',
        {},
        [
          source.jobId ? `ジョブ ${shortId(source.jobId)}` : null,
          source.taskId ? `タスク ${shortId(source.taskId)}` : null,
          source.memberId ? `メンバー ${shortId(source.memberId)}` : null,
          source.minutes > 0 ? `${source.minutes} 分` : null,
          yen(source.amountYen),
          source.note || null,
        ]
          .filter((part) => part !== null)
          .join(' · '),
      ),
    ),
  );

const showReconciliation = async () => {
  const regionId = $('reconciliation-region').value;
  const month = $('reconciliation-month').value;
  const path = `/v1/audit/regions/${encodeURIComponent(regionId)}/months/${encodeURIComponent(month)}/reconciliation`;
  const rec = await getJson(path);
  const totals = [
    ['請求額 Invoiced', rec.totals.invoicedYen],
    ['支払額 Paid', rec.totals.paidYen],
    ['振込額 Transferred', rec.totals.transferredYen],
    ['仕訳 借方 Journal debit', rec.totals.journalDebitYen],
    ['仕訳 貸方 Journal credit', rec.totals.journalCreditYen],
  ];
  const differences =
    rec.differences.length === 0
      ? h('p', { class: 'ok', id: 'reconciliation-ok' }, '✓ 差異なし: すべての金額が追跡できました (every yen traced)')
      : h(
          'div',
          { class: 'differences', id: 'reconciliation-differences' },
          h('h4', {}, `⚠ 差異 Differences: ${rec.differences.length} 件`),
          h(
            'ul',
            {},
            rec.differences.map((d) =>
              h(
                'li',
                {},
                h('strong', {}, yen(d.differenceYen)),
                d.documentId ? ` ${d.documentId}: ` : ' ',
                d.explanation,
              ),
            ),
          ),
        );
  const documents = h(
    'table',
    { class: 'data', id: 'reconciliation-table' },
    h('caption', {}, `書類 Documents: ${rec.documents.length} 件`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, '種別 Kind'),
        h('th', { scope: 'col' }, '書類 Document'),
        h('th', { scope: 'col' }, '取引先 Counterparty'),
        h('th', { scope: 'col', class: 'number' }, '金額 Amount'),
        h('th', { scope: 'col', class: 'number' }, '追跡額 Traced'),
        h('th', { scope: 'col', class: 'number' }, '差異 Difference'),
        h('th', { scope: 'col' }, '内訳 Sources'),
      ),
    ),
    h(
      'tbody',
      {},
      rec.documents.map((d) =>
        h(
          'tr',
          { class: d.differenceYen !== 0 ? 'difference' : undefined, 'data-document-id': d.id },
          h('td', {}, KIND_LABELS[d.kind] ?? d.kind),
          h('td', { class: 'id' }, d.id),
          h('td', {}, d.counterparty),
          h('td', { class: 'number' }, yen(d.amountYen)),
          h('td', { class: 'number' }, yen(d.tracedYen)),
          h(
            'td',
            { class: 'number' },
            d.differenceYen !== 0
              ? h('strong', { class: 'badge badge-bad' }, `差異 ${yen(d.differenceYen)}`)
              : h('span', { class: 'muted' }, '0'),
          ),
          h(
            'td',
            {},
            d.sources.length === 0
              ? '—'
              : h('details', {}, h('summary', {}, `${d.sources.length} 件`), sourceList(d.sources)),
          ),
        ),
      ),
    ),
  );
  $('reconciliation-result').replaceChildren(
    h(
      'h3',
      {},
      `${rec.regionId} ${rec.month} `,
      rec.closed
        ? h('span', { class: 'badge badge-good' }, `締め済み closed ${tokyo(rec.closedAt)}`)
        : h('span', { class: 'badge badge-open' }, '未締め (not closed)'),
    ),
    h(
      'table',
      { class: 'data totals', id: 'reconciliation-totals' },
      h('caption', {}, '合計 Totals'),
      h(
        'tbody',
        {},
        totals.map(([label, amount]) =>
          h('tr', {}, h('th', { scope: 'row' }, label), h('td', { class: 'number' }, yen(amount))),
        ),
      ),
    ),
    differences,
    documents,
  );
  showExports('reconciliation', path);
  showStatus(`照合しました: 差異 ${rec.differences.length} 件 (reconciled)`);
};

// ---- verification -----------------------------------------------------------------------------------

const showVerification = async () => {
  const path = '/v1/audit/verification?fresh=true';
  const report = await getJson(path);
  const intact = report.status === 'intact';
  const facts = [
    ['検証したイベント Events checked', String(report.checkedEvents)],
    ['照合した封印 Seals checked', String(report.sealsChecked)],
    [
      '最後の封印 Last seal',
      report.lastSeal === null
        ? 'なし (none yet)'
        : `#${report.lastSeal.sequence} · ${tokyo(report.lastSeal.sealedAt)} · 位置 position ${report.lastSeal.position}`,
    ],
    ['未封印のイベント Unsealed events', String(report.unsealedEvents)],
    ['検証日時 Verified at', tokyo(report.verifiedAt)],
    [
      '範囲 Range',
      `${report.range.fromSeal === null ? 'ログの先頭 (start)' : `封印 #${report.range.fromSeal}`} → ${report.range.toSeal === null ? 'ログの末尾 (end)' : `封印 #${report.range.toSeal}`}`,
    ],
    ...(report.running === null
      ? []
      : [['実行中の検証 Running', `${report.running.checkedEvents} 件 (since ${tokyo(report.running.startedAt)})`]]),
  ];
  const breaks =
    report.breaks.length === 0
      ? h('p', { class: 'ok' }, '破損は見つかりませんでした (no break found)')
      : h(
          'table',
          { class: 'data breaks', id: 'verification-breaks' },
          h('caption', {}, `破損 Breaks: ${report.breaks.length} 件`),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, '種類 Kind'),
              h('th', { scope: 'col' }, 'ストリーム Stream'),
              h('th', { scope: 'col', class: 'number' }, '版 Version'),
              h('th', { scope: 'col' }, '位置 Position'),
              h('th', { scope: 'col' }, '理由 Reason'),
            ),
          ),
          h(
            'tbody',
            {},
            report.breaks.map((b) =>
              h(
                'tr',
                { class: 'difference' },
                h('td', {}, BREAK_LABELS[b.kind] ?? b.kind),
                h('td', { class: 'id' }, b.streamName ?? '—'),
                h('td', { class: 'number' }, b.streamVersion === null ? '—' : String(b.streamVersion)),
                h('td', { class: 'id' }, b.position ?? '—'),
                h('td', {}, b.reason),
              ),
            ),
          ),
        );
  $('verification-result').replaceChildren(
    h(
      'p',
      { class: `verdict ${intact ? 'verdict-intact' : 'verdict-broken'}`, id: 'verification-verdict' },
      intact ? '✓ 改ざんなし (intact)' : '✗ 破損あり (broken)',
    ),
    h(
      'dl',
      { class: 'facts' },
      facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
    ),
    breaks,
  );
  showExports('verification', path);
  showStatus(`検証しました: ${intact ? '改ざんなし intact' : '破損あり broken'}`);
};

// ---- wiring ------------------------------------------------------------------------------------------

const start = () => {
  $('login-form').addEventListener('submit', guarded(login));
  $('logout').addEventListener('click', guarded(logout));
  $('search-form').addEventListener('submit', guarded(search));
  $('timeline-form').addEventListener('submit', guarded(showTimeline));
  $('reconciliation-form').addEventListener('submit', guarded(showReconciliation));
  $('verification-form').addEventListener('submit', guarded(showVerification));
  for (const box of document.querySelectorAll('[data-export]'))
    for (const button of box.querySelectorAll('button[data-encoding]'))
      button.addEventListener(
        'click',
        guarded(() => exportShown(box.getAttribute('data-export'), button.getAttribute('data-encoding'))),
      );
  if (session !== null) guarded(showSignedIn)();
  document.documentElement.dataset.ready = 'true';
};

start();
