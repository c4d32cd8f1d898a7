// certificate.html: one offline, self-contained, bilingual (EN/IT) file with an executive view and a
// technical view (checks, evidence links, sequence diagrams drawn as inline SVG from the journal).
// Everything is rendered server-side, so it prints and reads without JavaScript; the small inline
// script only switches language/view, filters, and shows a message's raw XML on click. The messages
// travel compressed (deflate + base64, one blob per scenario) and are inflated in the browser
// (DecompressionStream) when a message is opened, so a full run stays a few MB and opens from disk.
import { deflateSync } from 'node:zlib';
import type { JournalEntry } from '../src/core/journal.js';
import type { Certificate, Check, ScenarioResult, Verdict } from '../src/core/model.js';
import { VERDICTS } from '../src/core/model.js';
import { overallVerdict } from '../src/core/verdict.js';
import { clauseOf } from '../src/core/scenario.js';
import { L, MODEL, SEAT, VERDICT_TEXT, type LabelKey, type Pair } from './i18n.js';
import { esc, fmtDuration, fmtTime, jsonForScript, VERDICT_RANK } from './text.js';
import { CLIENT_JS, CSS } from './html-assets.js';

export interface HtmlInput {
  /** sanitized certificate, journals included */
  cert: Certificate;
  /** evidence file (relative path) of each journal entry that got one, keyed `${scenarioIndex}:${seq}` */
  entryFile: Map<string, string>;
  /** scenario id → its journal JSON file */
  journalFile: (s: ScenarioResult) => string;
  /** the evidence archive the files are members of (packed evidence); absent: they are files on disk */
  archive?: string;
}

/** Where an evidence reference leads: the file (exploded evidence), or the message in this page (packed). */
type EvidenceHref = (p: string) => string;

function evidenceHref(input: HtmlInput): EvidenceHref {
  if (!input.archive) return (p) => encodeURI(p);
  const inPage = new Map<string, string>();
  for (const [key, rel] of input.entryFile) {
    const [si, seq] = key.split(':');
    const s = input.cert.scenarios[Number(si)];
    if (s) inPage.set(rel, `#m=${encodeURIComponent(s.id)}:${seq}`);
  }
  return (p) => inPage.get(p) ?? `#${encodeURIComponent(p)}`;
}

/** Both languages; CSS shows one. */
function bi(p: Pair): string {
  if (p[0] === p[1]) return esc(p[0]);
  return `<span class="en">${esc(p[0])}</span><span class="it" lang="it">${esc(p[1])}</span>`;
}
function tl(k: LabelKey): string {
  return bi(L[k]);
}
/** A text the run wrote in English and (where written) Italian. */
function said(en: string, it: string | undefined): string {
  return bi([en, it ?? en]);
}
/** A check's clause: its requirements with their titles, in the view's language. */
function clauseText(k: Check): string {
  const it = k.requirements.map((r) => clauseOf(r, 'it')).join('; ');
  return k.clause === k.requirements.map((r) => clauseOf(r)).join('; ') ? bi([k.clause, it]) : esc(k.clause);
}
/** Plain "EN / IT" for attributes (title, aria-label), where markup cannot switch. */
function both(k: LabelKey): string {
  const [en, it] = L[k];
  return en === it ? en : `${en} / ${it}`;
}

function badge(v: Verdict | 'DECLARED' | 'NOT_DECLARED' | 'NOT_EXERCISED', big = false): string {
  if (v === 'NOT_DECLARED') return `<span class="v v-NOT_APPLICABLE">${tl('notDeclared')}</span>`;
  const t = VERDICT_TEXT[v];
  return `<span class="v v-${v}${big ? ' big' : ''}" title="${esc(`${v}: ${t.meaning[0]}`)}">${bi(t.label)}</span>`;
}

/** `3.2.1` → `SANP 3.2.1` (a value already naming SANP is kept), in both languages. */
function sanp(v: string): string {
  const en = /^\s*sanp\b/i.test(v) ? v : `SANP ${v}`;
  return bi([en, en.replace(/\(old model\)/g, '(vecchio modello)').replace(/\bmodel (\w+)/g, 'modello $1')]);
}

function scenarioLink(id: string): string {
  return `<a class="sid" href="#s=${encodeURIComponent(id)}">${esc(id)}</a>`;
}

function evidenceLinks(paths: string[], href: EvidenceHref): string {
  if (!paths.length) return '<span class="muted">—</span>';
  return paths
    .map((p) => `<a class="ev" href="${esc(href(p))}" title="${esc(p)}">${esc(p.split('/').pop() ?? p)}</a>`)
    .join(' ');
}

function entryChips(c: Check): string {
  return c.entries.map((n) => `<button type="button" class="ent" data-seq="${n}" title="journal entry #${n}">#${n}</button>`).join(' ');
}

/** The worst verdict of the checks that judged the row (older certificates: recomputed from the checks). */
function coverageVerdict(cert: Certificate, row: Certificate['coverage'][number]): Verdict | undefined {
  if (row.verdict) return row.verdict;
  if (!row.coveredBy.length) return undefined;
  const vs: Verdict[] = [];
  for (const id of row.coveredBy) {
    const s = cert.scenarios.find((x) => x.id === id);
    if (!s) continue;
    for (const c of s.checks) if (c.requirements.includes(row.id) && c.verdict !== 'NOT_EXERCISED') vs.push(c.verdict);
  }
  return vs.length ? overallVerdict(vs) : undefined;
}

// ---------------------------------------------------------------------------------------------
// executive view

/** A reason in plain words for the executive view: the first line, never a stack trace (the technical view keeps it all). */
export function plainReason(reason: string): string {
  const first = reason.split('\n')[0]!.trim();
  return first.length > 300 ? `${first.slice(0, 297)}…` : first;
}

/**
 * The verdict's scope, next to it (issue 8 item 15): on how many requirements of the seat it rests,
 * and which MUST requirements no check of this run judged.
 */
export function coverageStatement(cert: Certificate): string {
  if (!cert.coverage.length) return '';
  const judged = cert.coverage.filter((r) => r.coveredBy.length).length;
  // a MUST requirement is open when nothing judged it and nothing explains why (not applicable, declared)
  const open = cert.coverage.filter((r) => r.level === 'MUST' && !r.coveredBy.length && r.verdict !== 'NOT_APPLICABLE' && !r.declared).map((r) => r.id);
  const list = open.length ? `: ${open.slice(0, 8).join(', ')}${open.length > 8 ? ` … (+${open.length - 8})` : ''}` : '';
  const v = cert.verdict;
  const en = `${v} on ${judged} of ${cert.coverage.length} requirements of the seat; ${open.length ? `${open.length} MUST requirement(s) not verified by this run${list}` : 'every MUST requirement verified'}.`;
  const it = `${VERDICT_TEXT[v].label[1]} su ${judged} di ${cert.coverage.length} requisiti del ruolo; ${open.length ? `${open.length} requisito/i MUST non verificato/i da questa esecuzione${list}` : 'tutti i requisiti MUST verificati'}.`;
  return `<div class="oc">${bi([en, it])}</div>`;
}

function kv(label: string, value: string, cls = ''): string {
  return `<div class="kv${cls ? ` ${cls}` : ''}"><dt>${label}</dt><dd>${value}</dd></div>`;
}

function modeText(cert: Certificate): string {
  const m = cert.run.mode === 'demo' ? tl('modeDemo') : cert.run.mode === 'mutant' ? tl('modeMutant') : cert.candidate.embedded ? tl('modeEmbedded') : tl('modeRun');
  return `${m}${cert.run.mutant ? ` <code>${esc(cert.run.mutant)}</code>` : ''}`;
}

function executive(cert: Certificate, href: EvidenceHref): string {
  const c = cert.candidate;
  const banner =
    cert.run.mode === 'demo'
      ? `<div class="banner">${tl('bannerDemo')}</div>`
      : cert.run.mode === 'mutant'
        ? `<div class="banner">${tl('bannerMutant')}</div>`
        : cert.candidate.embedded
          ? `<div class="banner">${tl('bannerEmbedded')}</div>`
          : '';
  const ids = Object.entries(c.identities ?? {});
  const feats = Object.entries(c.features ?? {});
  const dur = Date.parse(cert.run.endedAt) - Date.parse(cert.run.startedAt);
  const total = cert.scenarios.length;
  const ov = VERDICT_TEXT[cert.verdict];

  const tiles = VERDICTS.map((v) => {
    const n = cert.summary[v] ?? 0;
    return `<div class="tile t-${v}${n ? '' : ' zero'}"><div class="n">${n}</div><div class="l">${bi(VERDICT_TEXT[v].label)}</div></div>`;
  }).join('');
  const declaredN = cert.declared.filter((d) => d.declared).length;
  const declTile = `<div class="tile t-DECLARED${declaredN ? '' : ' zero'}"><div class="n">${declaredN}</div><div class="l">${bi(VERDICT_TEXT.DECLARED.label)}</div></div>`;

  // failures: one row per failing MUST check
  const failRows: string[] = [];
  for (const s of cert.scenarios.filter((x) => x.verdict === 'FAIL')) {
    const failing = s.checks.filter((k) => k.verdict === 'FAIL');
    if (!failing.length) {
      failRows.push(
        `<tr><td>${scenarioLink(s.id)}<div class="small">${bi([s.title, s.titleIt])}</div></td><td>${esc(s.requirements.join(', '))}</td><td>—</td><td>${said(plainReason(s.reason ?? ''), s.reasonIt && plainReason(s.reasonIt))}</td><td>—</td></tr>`,
      );
    }
    for (const k of failing) {
      failRows.push(
        `<tr><td>${scenarioLink(s.id)}<div class="small">${bi([s.title, s.titleIt])}</div></td><td><code>${esc(k.requirements.join(', '))}</code> <span class="lvl">${esc(k.level)}</span></td><td class="clause">${clauseText(k)}</td><td>${said(k.message, k.messageIt)}</td><td class="evc">${evidenceLinks(k.evidence, href)}</td></tr>`,
      );
    }
  }
  const failTable = failRows.length
    ? `<table class="grid fails"><thead><tr><th>${tl('scenario')}</th><th>${tl('requirement')}</th><th>${tl('clause')}</th><th>${tl('finding')}</th><th>${tl('evidence')}</th></tr></thead><tbody>${failRows.join('')}</tbody></table>`
    : `<p class="ok">${tl('noFails')}</p>`;

  // other findings: ERROR, INCONCLUSIVE, WARNING, NOT_APPLICABLE, worst first
  const others = cert.scenarios
    .filter((s) => s.verdict !== 'PASS' && s.verdict !== 'FAIL')
    .sort((a, b) => VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict] || a.id.localeCompare(b.id));
  const otherRows = others.map((s) => {
    const bad = s.checks.filter((k) => k.verdict !== 'PASS' && k.verdict !== 'NOT_EXERCISED');
    const detail = [
      ...(s.reason ? [`<div>${said(plainReason(s.reason), s.reasonIt && plainReason(s.reasonIt))}</div>`] : []),
      ...bad.map((k) => `<div><code>${esc(k.requirements.join(', '))}</code> <span class="lvl">${esc(k.level)}</span> — ${said(k.message, k.messageIt)} <span class="small clause">(${clauseText(k)})</span></div>`),
    ].join('');
    return `<tr><td>${scenarioLink(s.id)}<div class="small">${bi([s.title, s.titleIt])}</div></td><td>${badge(s.verdict)}</td><td>${detail || '—'}</td></tr>`;
  });
  // models the profile lists that this version cannot certify yet: said plainly, never a silent pass
  for (const m of (cert.models ?? []).filter((x) => x.verdict === 'NOT_APPLICABLE'))
    otherRows.push(`<tr><td>${bi(modelName(m.model))}</td><td>${badge('NOT_APPLICABLE')}</td><td><div>${tl('model')} <code>${esc(m.model)}</code>: ${tl('modelNotSupported')}</div></td></tr>`);
  // faults of the harness outside any scenario (a worker that died, a scenario that never reported)
  for (const e of cert.harnessErrors ?? []) otherRows.push(`<tr><td>—</td><td>${badge('ERROR')}</td><td><div>${esc(plainReason(e))}</div></td></tr>`);
  const otherTable = otherRows.length
    ? `<table class="grid"><thead><tr><th>${tl('scenario')}</th><th>${tl('verdict')}</th><th>${tl('finding')}</th></tr></thead><tbody>${otherRows.join('')}</tbody></table>`
    : `<p class="muted">${tl('noOther')}</p>`;

  // coverage matrix
  const covered = cert.coverage.filter((r) => r.coveredBy.length).length;
  const covRows = [...cert.coverage.filter((r) => r.coveredBy.length), ...cert.coverage.filter((r) => !r.coveredBy.length)]
    .map((r) => {
      const v = coverageVerdict(cert, r);
      return `<tr><td><code>${esc(r.id)}</code></td><td><span class="lvl">${esc(r.level)}</span></td><td class="small">${esc(r.condition ?? '')}</td><td>${
        r.coveredBy.length
          ? r.coveredBy.map(scenarioLink).join(' ')
          : r.notExercisedIn?.length
            ? `<span class="muted">${tl('notExercisedIn')} ${r.notExercisedIn.map(scenarioLink).join(' ')}</span>`
            : `<span class="muted">${r.reason ? said(r.reason, r.reasonIt) : tl('notCovered')}</span>`
      }</td><td>${r.declared !== undefined && !r.coveredBy.length ? badge(r.declared ? 'DECLARED' : 'NOT_DECLARED') : v ? badge(v) : '<span class="muted">—</span>'}</td></tr>`;
    })
    .join('');
  const covTable = cert.coverage.length
    ? `<p class="muted">${covered} ${tl('of')} ${cert.coverage.length} ${tl('covSummary')}</p><table class="grid cov"><thead><tr><th>${tl('requirement')}</th><th>${tl('level')}</th><th>${tl('condition')}</th><th>${tl('coveredBy')}</th><th>${tl('verdict')}</th></tr></thead><tbody>${covRows}</tbody></table>`
    : `<p class="muted">—</p>`;

  const declRows = cert.declared
    .map((d) => `<tr><td><code>${esc(d.requirement)}</code></td><td>${said(d.statement, d.statementIt)}</td><td>${badge(d.declared ? 'DECLARED' : 'NOT_DECLARED')}</td></tr>`)
    .join('');
  const declTable = cert.declared.length
    ? `<table class="grid"><thead><tr><th>${tl('requirement')}</th><th>${tl('statement')}</th><th>${tl('status')}</th></tr></thead><tbody>${declRows}</tbody></table>`
    : `<p class="muted">${tl('noDeclared')}</p>`;

  const legend = (['PASS', 'WARNING', 'FAIL', 'INCONCLUSIVE', 'NOT_APPLICABLE', 'ERROR', 'NOT_EXERCISED', 'DECLARED'] as const)
    .map((v) => `<div class="lg">${badge(v)}<span>${bi(VERDICT_TEXT[v].meaning)}</span></div>`)
    .join('');

  return `<section id="view-exec" class="view active" aria-label="${esc(both('exec'))}">
${banner}
<div class="sheet">
  <div class="cert-head">
    <div>
      <div class="kicker">collaudo · pagoPA</div>
      <h1>${tl('certTitle')}</h1>
      <div class="sub">${tl('subtitle')} · ${sanp(cert.sanpVersion)}</div>
    </div>
    <div class="overall o-${cert.verdict}">
      <div class="ol">${tl('overall')}</div>
      <div class="ov">${bi(ov.label)}</div>
      <div class="oe">${bi(ov.overall)}</div>
      ${coverageStatement(cert)}
      <div class="ox">${tl('exitCode')}: <b>${esc(cert.exitCode)}</b> · ${total} ${tl('scenarios')}</div>
    </div>
  </div>
  <div class="cols">
    <div class="box">
      <h2>${tl('candidate')}</h2>
      <dl class="kvs">
        ${kv(tl('name'), `<b>${esc(c.name)}</b>`)}
        ${kv(tl('seat'), bi(SEAT[c.seat] ?? [c.seat, c.seat]))}
        ${kv(tl('endpoint'), `<code class="wrap">${esc(c.endpoint)}</code>`)}
        ${ids.map(([k, v]) => kv(`<code>${esc(k)}</code>`, `<code class="wrap">${esc(v)}</code>`, 'id')).join('')}
        ${cert.models?.length ? kv(tl('models'), cert.models.map((m) => `<span class="chip ${m.verdict ? 'off' : 'on'}">${m.verdict ? '–' : '✓'} ${bi(modelName(m.model))}</span>`).join(' ')) : ''}
      </dl>
      <h3>${tl('features')}</h3>
      <div class="chips">${
        feats.length ? feats.map(([k, on]) => `<span class="chip ${on ? 'on' : 'off'}" title="${esc(on ? both('offered') : both('notOffered'))}">${on ? '✓' : '–'} ${esc(k)}</span>`).join('') : `<span class="muted">${tl('none')}</span>`
      }</div>
    </div>
    <div class="box">
      <h2>${tl('run')}</h2>
      <dl class="kvs">
        ${kv(tl('runId'), `<code>${esc(cert.run.id)}</code>`)}
        ${kv(tl('mode'), modeText(cert))}
        ${kv(tl('started'), esc(fmtTime(cert.run.startedAt)))}
        ${kv(tl('ended'), esc(fmtTime(cert.run.endedAt)))}
        ${kv(tl('duration'), esc(fmtDuration(dur)))}
        ${kv(tl('clock'), cert.run.clock === 'virtual' ? tl('clockVirtual') : tl('clockReal'))}
        ${kv(tl('harnessVersion'), `${esc(cert.harness.name)} <b>${esc(cert.harness.version)}</b> · Node.js ${esc(cert.harness.node)}`)}
        ${kv(tl('sanp'), `<b>${sanp(cert.sanpVersion)}</b>`)}
        ${kv(tl('catalogue'), `${esc(cert.catalogue.snapshot)} · ${esc(cert.catalogue.requirements)} ${tl('requirementsWord')}`)}
        ${kv(tl('profile'), `${esc(cert.profile.name)}${cert.profile.path ? ` <code class="small">${esc(cert.profile.path)}</code>` : ''}`)}
        ${kv(tl('profileHash'), `<code class="hash">${esc(cert.profile.sha256)}</code>`)}
      </dl>
    </div>
  </div>
  <h2>${tl('summary')}</h2>
  <div class="tiles">${tiles}<div class="tsep"></div>${declTile}</div>
  <h2 class="h-fail">${tl('fails')}</h2>
  ${failTable}
  <h2>${tl('otherFindings')}</h2>
  ${otherTable}
  <h2>${tl('coverage')}</h2>
  ${covTable}
  <h2>${tl('declared')}</h2>
  <p class="note">${tl('declaredNote')}</p>
  ${declTable}
  <h2>${tl('verdictsMeaning')}</h2>
  <div class="legend">${legend}</div>
  <div class="foot">
    <p>${tl('scope')}</p>
    <p>${tl('integrity')}</p>
    <p class="muted">${tl('generatedBy')} ${esc(cert.harness.name)} ${esc(cert.harness.version)} · ${esc(fmtTime(cert.run.endedAt))} · ${tl('runId')} <code>${esc(cert.run.id)}</code></p>
  </div>
</div>
</section>`;
}

// ---------------------------------------------------------------------------------------------
// sequence diagram

const COL_W = 230;
const LEFT = 78;
const TOP = 50;
const ROW_H = 44;

function fmtOffset(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  if (ms < 1000) return `+${Math.round(ms)} ms`;
  if (ms < 60_000) return `+${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `+${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function isCandidateParty(p: string, seat: string): boolean {
  const x = p.toLowerCase();
  return x === seat || x.startsWith(`${seat}:`) || x.startsWith(`${seat} `) || x.includes('candidate') || x.includes('candidato');
}

export function sequenceSvg(entries: JournalEntry[], seat: string): string {
  const parties: string[] = [];
  for (const e of entries) for (const p of [e.from, e.to]) if (!parties.includes(p)) parties.push(p);
  const self = entries.some((e) => e.from === e.to);
  const W = LEFT + parties.length * COL_W + (self ? 60 : 0);
  const H = TOP + entries.length * ROW_H + 14;
  const X = (p: string): number => LEFT + parties.indexOf(p) * COL_W + COL_W / 2;
  const t0 = Math.min(...entries.map((e) => e.at));
  const out: string[] = [];
  out.push(`<svg class="seq" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">`);
  for (const p of parties) {
    const x = X(p);
    const cand = isCandidateParty(p, seat);
    out.push(
      `<line class="life" x1="${x}" y1="${TOP - 8}" x2="${x}" y2="${H - 4}"/>`,
      `<g class="party${cand ? ' cand' : ''}"><title>${esc(p)}</title><rect x="${x - COL_W / 2 + 14}" y="6" width="${COL_W - 28}" height="30" rx="5"/><text x="${x}" y="26">${esc(clip(p, 28))}</text></g>`,
    );
  }
  entries.forEach((e, i) => {
    const y = TOP + i * ROW_H + 24;
    const x1 = X(e.from);
    const x2 = X(e.to);
    const bad = e.xsd !== undefined && !e.xsd.valid;
    const tf = Boolean(e.transport);
    const cls = ['m', e.direction === 'response' ? 'resp' : 'req', bad ? 'bad' : '', tf ? 'tf' : ''].filter(Boolean).join(' ');
    const marker = tf ? 'mk-tf' : bad ? 'mk-bad' : e.direction === 'response' ? 'mk-resp' : 'mk-req';
    const top = `#${e.seq} ${e.primitive ?? 'unknown'}`;
    const meta: string[] = [];
    if (e.httpStatus !== undefined) meta.push(`HTTP ${e.httpStatus}`);
    if (e.latencyMs !== undefined) meta.push(`${e.latencyMs} ms`);
    if (tf) meta.push(`× ${e.transport}`);
    if (bad) meta.push('XSD ×');
    const tip = [
      `#${e.seq} ${e.direction} ${e.primitive ?? 'unknown'}`,
      `${e.from} → ${e.to}`,
      ...meta,
      ...(bad ? (e.xsd?.errors ?? []).slice(0, 3) : []),
    ].join('\n');
    let geom: string;
    let lx: number;
    let anchor = 'middle';
    if (x1 === x2) {
      geom = `<path class="ln" d="M${x1} ${y - 8} h44 v16 h-40" marker-end="url(#${marker})"/><path class="hit" d="M${x1} ${y - 8} h44 v16 h-40"/>`;
      lx = x1 + 52;
      anchor = 'start';
    } else {
      const dir = x2 > x1 ? 1 : -1;
      geom = `<line class="ln" x1="${x1}" y1="${y}" x2="${x2 - dir * 2}" y2="${y}" marker-end="url(#${marker})"/><line class="hit" x1="${x1}" y1="${y}" x2="${x2}" y2="${y}"/>`;
      lx = (x1 + x2) / 2;
    }
    const room = Math.max(20, Math.floor((Math.abs(x2 - x1) || COL_W) / 7));
    const metaCls = tf ? 'mt tfx' : bad ? 'mt badx' : e.httpStatus !== undefined && e.httpStatus >= 400 ? 'mt warnx' : 'mt';
    out.push(
      `<text class="ts" x="6" y="${y + 4}">${esc(fmtOffset(e.at - t0))}</text>`,
      `<g class="${cls}" data-e="${i}" tabindex="0" role="button" aria-label="${esc(top)}"><title>${esc(tip)}</title>${geom}` +
        `<text class="lb" x="${lx}" y="${y - 7}" text-anchor="${anchor}">${esc(clip(top, room))}</text>` +
        (meta.length ? `<text class="${metaCls}" x="${lx}" y="${y + 15}" text-anchor="${anchor}">${esc(clip(meta.join(' · '), room + 6))}</text>` : '') +
        `</g>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

const SVG_DEFS = `<svg class="defs" width="0" height="0" aria-hidden="true" focusable="false"><defs>
<marker id="mk-req" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#24364d"/></marker>
<marker id="mk-resp" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10" fill="none" stroke="#24364d" stroke-width="1.6"/></marker>
<marker id="mk-bad" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#c0262d"/></marker>
<marker id="mk-tf" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="13" markerHeight="13" markerUnits="userSpaceOnUse" orient="auto"><path d="M1 1 L9 9 M9 1 L1 9" stroke="#d35400" stroke-width="2.2"/></marker>
</defs></svg>`;

function legendSvg(kind: 'req' | 'resp' | 'bad' | 'tf'): string {
  const marker = kind === 'tf' ? 'mk-tf' : `mk-${kind}`;
  return `<svg class="lgs" width="44" height="12" viewBox="0 0 44 12"><g class="m ${kind === 'bad' ? 'req bad' : kind === 'tf' ? 'resp tf' : kind}"><line class="ln" x1="2" y1="6" x2="${kind === 'tf' ? 38 : 40}" y2="6" marker-end="url(#${marker})"/></g></svg>`;
}

// ---------------------------------------------------------------------------------------------
// technical view

function checksTable(s: ScenarioResult, href: EvidenceHref): string {
  if (!s.checks.length) return `<p class="muted">${tl('noChecks')}</p>`;
  const rows = s.checks
    .map(
      (c) => `<tr class="c-${c.verdict}"><td>${badge(c.verdict)}</td><td><b class="cid">${esc(c.id)}</b><div class="small">${said(c.title, c.titleIt)}</div></td><td><span class="lvl">${esc(c.level)}</span></td><td><code>${esc(c.requirements.join(', '))}</code></td><td class="clause">${clauseText(c)}</td><td>${said(c.message, c.messageIt)}</td><td class="evc">${entryChips(c)} ${evidenceLinks(c.evidence, href)}</td></tr>`,
    )
    .join('');
  return `<table class="grid checks"><thead><tr><th>${tl('verdict')}</th><th>${tl('check')}</th><th>${tl('level')}</th><th>${tl('requirement')}</th><th>${tl('clause')}</th><th>${tl('message')}</th><th>${tl('evidence')}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function modelName(m: string): Pair {
  return MODEL[m] ?? [m, m];
}

function scenarioCard(s: ScenarioResult, i: number, seat: string, journal: string, href: EvidenceHref, open: boolean): string {
  const q = [s.id, s.title, s.titleIt, ...s.requirements, s.verdict, s.model ?? ''].join(' ').toLowerCase();
  const diagram = s.journal.length
    ? `<div class="seqwrap">${sequenceSvg(s.journal, seat)}</div><div class="raw" hidden></div>`
    : `<p class="muted">${tl('noMessages')}</p>`;
  return `<article class="scn v-b-${s.verdict}${open ? ' open' : ''}" id="s-${esc(s.id)}" data-i="${i}" data-v="${s.verdict}" data-q="${esc(q)}">
<button type="button" class="sh" aria-expanded="${open}">${badge(s.verdict)}<span class="sidt">${esc(s.id)}</span><span class="stitle">${bi([s.title, s.titleIt])}</span><span class="sreq">${s.requirements
    .map((r) => `<code>${esc(r)}</code>`)
    .join(' ')}</span><span class="smeta">${s.model ? `${bi(modelName(s.model))} · ` : ''}${s.checks.length} ${tl('checks').toLowerCase()} · ${s.journal.length} ${tl('msgCount')} · ${esc(fmtDuration(s.durationMs))}</span></button>
<div class="sb">
${s.reason ? `<p class="reason"><b>${tl('reason')}:</b> ${said(s.reason, s.reasonIt)}</p>` : ''}
<p class="small muted">${tl('started')} ${esc(fmtTime(s.startedAt))} · ${tl('requirements')}: ${s.requirements.map((r) => `<code>${esc(r)}</code>`).join(', ') || '—'} · ${journal}</p>
<h4>${tl('checks')}</h4>
${checksTable(s, href)}
<h4>${tl('messages')}</h4>
${s.journal.length ? `<p class="small muted hint">${tl('seqHint')}</p>` : ''}
${diagram}
</div>
</article>`;
}

function technical(input: HtmlInput): string {
  const { cert } = input;
  const many = cert.scenarios.length > 12;
  const filters = [`<button type="button" class="flt on" data-f="">${tl('all')} <span class="cnt">${cert.scenarios.length}</span></button>`]
    .concat(
      VERDICTS.filter((v) => (cert.summary[v] ?? 0) > 0).map(
        (v) => `<button type="button" class="flt f-${v}" data-f="${v}">${bi(VERDICT_TEXT[v].label)} <span class="cnt">${cert.summary[v]}</span></button>`,
      ),
    )
    .join('');
  const href = evidenceHref(input);
  // packed: the journal is a member of the archive, named (no link can open inside a .tar.gz)
  const journal = (s: ScenarioResult): string =>
    input.archive
      ? `${tl('journal')} <code title="${esc(input.archive)}">${esc(input.archive)}: ${esc(input.journalFile(s))}</code>`
      : `<a href="${esc(encodeURI(input.journalFile(s)))}">${tl('journal')}</a>`;
  const cards = cert.scenarios
    .map((s, i) => scenarioCard(s, i, cert.candidate.seat, journal(s), href, !many || ['FAIL', 'ERROR', 'WARNING', 'INCONCLUSIVE'].includes(s.verdict)))
    .join('\n');
  return `<section id="view-tech" class="view" aria-label="${esc(both('tech'))}">
<div class="sheet">
<h1>${tl('tech')}</h1>
<p class="sub">${esc(cert.candidate.name)} · ${esc(cert.candidate.seat)} · ${sanp(cert.sanpVersion)} · ${tl('runId')} <code>${esc(cert.run.id)}</code></p>
<div class="toolbar">
  <div class="flts">${filters}</div>
  <div class="tools"><input type="search" class="q" placeholder="${esc(L.searchPh[0])}" data-ph-en="${esc(L.searchPh[0])}" data-ph-it="${esc(L.searchPh[1])}" aria-label="${esc(both('searchPh'))}">
  <button type="button" class="btn" data-act="expand">${tl('expandAll')}</button>
  <button type="button" class="btn" data-act="collapse">${tl('collapseAll')}</button></div>
</div>
<div class="legend-seq small">${legendSvg('req')} ${tl('legendReq')} ${legendSvg('resp')} ${tl('legendResp')} ${legendSvg('bad')} <span class="badx">${tl('legendXsd')}</span> ${legendSvg('tf')} <span class="tfx">${tl('legendTransport')}</span></div>
${cards}
</div>
</section>`;
}

/** One scenario's messages as the page carries them: JSON, deflated (zlib format), base64. */
export function packMessages(entries: unknown[]): string {
  return deflateSync(Buffer.from(JSON.stringify(entries), 'utf8'), { level: 9 }).toString('base64');
}

/**
 * Data the script needs on click only: per scenario (`z`, packed by packMessages), per journal index,
 * the raw message and its details; `ar` names the evidence archive the files are members of.
 */
function clientData(input: HtmlInput): unknown {
  const labels: Record<string, Pair> = {};
  for (const k of ['rawTitle', 'indent', 'close', 'openFile', 'inArchive', 'noInflate', 'headers', 'xsdErrors', 'emptyBody', 'note'] as const) labels[k] = L[k];
  return {
    labels,
    ar: input.archive ?? null,
    z: input.cert.scenarios.map((s, si) =>
      packMessages(s.journal.map((e) => ({
        q: e.seq,
        d: e.direction,
        p: e.primitive ?? 'unknown',
        f: e.from,
        t: e.to,
        u: e.url ?? null,
        a: e.soapAction ?? null,
        h: e.httpStatus ?? null,
        l: e.latencyMs ?? null,
        tr: e.transport ?? null,
        x: e.xsd ? { v: e.xsd.valid, e: e.xsd.errors } : null,
        hd: e.headers ?? null,
        n: e.note ?? null,
        r: e.raw ?? '',
        fl: input.entryFile.get(`${si}:${e.seq}`) ?? null,
      }))),
    ),
  };
}

export function certificateHtml(input: HtmlInput): string {
  const { cert } = input;
  const csp = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
  return `<!DOCTYPE html>
<html lang="en" data-lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="${esc(`${cert.harness.name} ${cert.harness.version}`)}">
<title>${esc(`collaudo — ${cert.candidate.embedded ? "NOT A CERTIFICATION (embedded reference) — " : ""}${L.certTitle[0]} — ${cert.candidate.name} — ${cert.verdict}`)}</title>
<style>${CSS}</style>
<noscript><style>.view{display:block!important}.scn .sb{display:block!important}.toolbar,.langs,.tabs,.pbtn{display:none!important}</style></noscript>
</head>
<body>
<header class="top">
  <div class="brand"><span class="logo">collaudo</span><span class="bsub">${esc(cert.candidate.name)} · ${badge(cert.verdict)}</span></div>
  <nav class="tabs" role="tablist">
    <a href="#exec" class="tab on" data-view="exec" role="tab">${tl('exec')}</a>
    <a href="#tech" class="tab" data-view="tech" role="tab">${tl('tech')}</a>
  </nav>
  <div class="langs" role="group" aria-label="${esc(both('language'))}">
    <button type="button" data-lang="en" class="on" aria-pressed="true" title="English">EN</button><button type="button" data-lang="it" aria-pressed="false" title="Italiano">IT</button>
  </div>
  <button type="button" class="pbtn" data-act="print">${tl('print')}</button>
</header>
${SVG_DEFS}
<main>
${executive(cert, evidenceHref(input))}
${technical(input)}
</main>
<script type="application/json" id="collaudo-data">${jsonForScript(clientData(input))}</script>
<script>${CLIENT_JS}</script>
</body>
</html>
`;
}
