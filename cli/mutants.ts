// `collaudo mutants`: each defect switch of the reference part against the scenarios that judge a
// requirement it violates (the seat's `meets`: only their checks can catch it on target), and the
// baseline (no defect) against the whole suite. A mutant is
// caught when at least one scenario judges it (FAIL, or WARNING for a SHOULD-level defect), and
// caught ON TARGET when a failing check names one of the requirement ids the defect violates
// (`catches`): a kill by a check about something else proves nothing about the scenario meant to
// catch it. The baseline (no defect) must PASS, or the kill matrix would mean nothing.
import path from 'node:path';
import { writeFileSync, mkdirSync } from 'node:fs';
import type { Check, CheckVerdict, ScenarioResult, Seat, Verdict } from '../src/core/model.js';
import { loadProfile } from '../src/profile/index.js';
import { seatInfo } from '../seats/index.js';
import { runSuite } from './suite.js';
import { Progress } from './progress.js';
import { UsageError } from './certify.js';

export interface MutantRow {
  id: string;
  description: string;
  /** requirement ids the defect violates */
  catches: string[];
  /** scenarios with a failing check (FAIL, or WARNING) */
  killedBy: string[];
  /** scenarios with a failing check that names one of `catches` */
  killedOnTargetBy: string[];
  /** caught by a failing check naming one of `catches` */
  onTarget: boolean;
  /**
   * FAIL: an on-target check FAILed, so a station with this defect cannot exit 0; WARNING: the defect is
   * caught only as a WARNING (a SHOULD, or a reading the catalogue marks WARNING): reported, exit code unchanged
   */
  caughtAs?: 'FAIL' | 'WARNING';
  /** why a WARNING-only kill is a WARNING: the on-target checks with their level and requirement ids */
  warningReading?: string;
  /** the failing checks, per scenario: `check id [requirement ids] verdict` */
  failingChecks: Record<string, string[]>;
  verdicts: Record<string, Verdict>;
}

const caught = (v: Verdict | CheckVerdict) => v === 'FAIL' || v === 'WARNING';

/** The mutant row of one defect from the results of its run (pure: unit-tested). */
export function mutantRow(d: { id: string; description: string; catches: readonly string[] }, results: ScenarioResult[]): MutantRow {
  const failing = results.map((r) => ({ r, checks: r.checks.filter((c) => caught(c.verdict)) }));
  const named = (c: Check) => c.requirements.some((id) => d.catches.includes(id));
  const onTarget = failing.filter(({ checks }) => checks.some(named));
  const onTargetChecks = onTarget.flatMap(({ checks }) => checks.filter(named));
  const caughtAs = onTargetChecks.some((c) => c.verdict === 'FAIL') ? 'FAIL' : onTargetChecks.length ? 'WARNING' : undefined;
  return {
    id: d.id,
    description: d.description,
    catches: [...d.catches],
    killedBy: results.filter((r) => caught(r.verdict)).map((r) => r.id),
    killedOnTargetBy: onTarget.map(({ r }) => r.id),
    onTarget: onTarget.length > 0,
    caughtAs,
    ...(caughtAs === 'WARNING'
      ? { warningReading: [...new Set(onTargetChecks.map((c) => `${c.id}: ${c.level} ${c.requirements.join(', ')}`))].join('; ') + ' — the catalogue makes this a WARNING (not a MUST violation), so a station with this defect still exits 0' }
      : {}),
    failingChecks: Object.fromEntries(failing.filter(({ checks }) => checks.length).map(({ r, checks }) => [r.id, checks.map((c) => `${c.id} [${c.requirements.join(', ')}] ${c.verdict}`)])),
    verdicts: Object.fromEntries(results.map((r) => [r.id, r.verdict])),
  };
}

/** One vitest run for the baseline and every defect (COLLAUDO_MUTANTS), grouped per mutant. */
async function suiteWithAll(seat: Seat, profile: string, mutants: string[]): Promise<Map<string, ScenarioResult[]>> {
  const env: Record<string, string> = { COLLAUDO_PROFILE: profile, COLLAUDO_MUTANTS: ['', ...mutants].join(',') };
  const { results, harnessErrors } = await runSuite({ seat, env });
  if (harnessErrors.length) throw new Error(`harness errors during the mutant run: ${harnessErrors.join('; ')}`);
  const by = new Map<string, ScenarioResult[]>();
  for (const r of results) {
    const k = r.mutant ?? '';
    by.set(k, [...(by.get(k) ?? []), r]);
  }
  return by;
}

export async function runMutants(o: { seat: Seat; json: boolean; only?: string[]; out: string; profile?: string }): Promise<number> {
  const progress = new Progress();
  const info = seatInfo(o.seat);
  const profile = o.profile ?? info.referenceProfile;
  const loaded = loadProfile(profile);
  if (loaded.profile.seat !== o.seat) throw new UsageError(`--profile ${profile}: a ${o.seat.toUpperCase()}-seat profile is needed`);
  if (!loaded.profile.endpoint.url.startsWith('embedded:')) throw new UsageError(`--profile ${profile}: mutants switch defects on in the bundled reference part; its endpoint.url must name it (embedded:…), not ${loaded.profile.endpoint.url}`);
  const known = await info.defects();
  const asked = o.only?.length ? known.filter((d) => o.only!.includes(d.id)) : known;
  for (const id of o.only ?? []) if (!known.some((d) => d.id === id)) throw new UsageError(`--only ${id}: no such defect (known: ${known.map((d) => d.id).join(', ')})`);
  // a defect the profile's reference part cannot show (a model it does not certify, a channel mode it does not have) is left out
  const off = new Map<string, string>();
  for (const d of asked) {
    const why = await info.defectOffProfile?.(d.id, loaded.profile);
    if (why) off.set(d.id, why);
  }
  const defects = asked.filter((d) => !off.has(d.id));
  const t0 = Date.now();
  if (off.size) progress.line(`${off.size} defect(s) left out, not applicable to ${path.basename(profile)}: ${[...new Set(off.values())].map((why) => `${[...off].filter(([, w]) => w === why).length} — ${why}`).join('; ')}`);
  progress.line(`running ${defects.length} mutants and the baseline in one suite run…`);
  const all = await suiteWithAll(o.seat, profile, defects.map((d) => d.id));
  const baseline = all.get('') ?? [];
  const broken = baseline.filter((r) => r.verdict !== 'PASS' && r.verdict !== 'NOT_APPLICABLE');
  progress.line(`baseline (no defect): ${baseline.length} scenarios, ${broken.length ? `${broken.length} not passing: ${broken.map((r) => `${r.id} ${r.verdict}`).join(', ')}` : 'all pass'}`);
  const rows: MutantRow[] = [];
  for (const d of defects) {
    const results = all.get(d.id) ?? [];
    const row = mutantRow(d, results);
    rows.push(row);
    const mark = row.onTarget
      ? progress.paint(row.caughtAs === 'WARNING' ? 'WARNING' : 'PASS', row.caughtAs === 'WARNING' ? '⚠ on target ' : '✔ on target ')
      : row.killedBy.length
        ? progress.paint('FAIL', '✖ OFF TARGET')
        : progress.paint('FAIL', '✖ SURVIVED  ');
    progress.line(`${mark} ${d.id.padEnd(30)} ${row.onTarget ? `by ${row.killedOnTargetBy.join(', ')}${row.caughtAs === 'WARNING' ? ` (as WARNING only: ${row.warningReading})` : ''}` : row.killedBy.length ? `caught by ${row.killedBy.join(', ')}, but no failing check names ${row.catches.join(' or ')}` : `no scenario failed (${row.catches.join(', ')})`}`);
  }
  const survivors = rows.filter((r) => r.killedBy.length === 0);
  const offTarget = rows.filter((r) => r.killedBy.length > 0 && !r.onTarget);
  const doc = {
    seat: o.seat,
    profile,
    notApplicable: [...off].map(([id, reason]) => ({ id, reason })),
    baseline: baseline.map((r) => ({ id: r.id, verdict: r.verdict })),
    mutants: rows,
    survivors: survivors.map((r) => r.id),
    offTarget: offTarget.map((r) => r.id),
    durationMs: Date.now() - t0,
  };
  mkdirSync(o.out, { recursive: true });
  writeFileSync(path.join(o.out, 'mutants.json'), JSON.stringify(doc, null, 2) + '\n');
  // columns in catalogue order, not in the order the workers finished
  const order = (await info.scenarios()).map((d) => d.id);
  const columns = baseline.map((r) => r.id).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  writeFileSync(path.join(o.out, 'kill-matrix.html'), killMatrixHtml(o.seat, doc.mutants, columns));
  progress.line(`\n${rows.filter((r) => r.onTarget).length}/${rows.length} mutants caught on target (${offTarget.length} only off target, ${survivors.length} survived) in ${((Date.now() - t0) / 1000).toFixed(1)} s — kill matrix: ${path.join(o.out, 'kill-matrix.html')}`);
  if (o.json) process.stdout.write(JSON.stringify(doc) + '\n');
  return survivors.length || offTarget.length || broken.length ? 1 : 0;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function killMatrixHtml(seat: Seat, rows: MutantRow[], scenarios: string[]): string {
  const used = scenarios.filter((s) => rows.some((r) => r.killedBy.includes(s)));
  const cell = (r: MutantRow, s: string) => {
    const v = r.verdicts[s] ?? '';
    return `<td class="${caught(v as Verdict) ? v : ''}" title="${esc(s)}: ${v}">${caught(v as Verdict) ? (v === 'FAIL' ? '✖' : '⚠') : ''}</td>`;
  };
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>collaudo — kill matrix / matrice dei mutanti</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#1b1f24}table{border-collapse:collapse}td,th{border:1px solid #ccd;padding:4px 6px}
th.s{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:500;font-size:12px}td.FAIL{background:#f8d7da;text-align:center}td.WARNING{background:#fff3cd;text-align:center}
tr.survived td:first-child{background:#d93025;color:#fff}
.wrap{overflow-x:auto;max-width:100%}th:first-child,td:first-child{position:sticky;left:0;background:#fff;z-index:1}
td:nth-child(2){min-width:16em;max-width:24em;font-size:12px}.warn{color:#8a5a00;margin-top:4px}</style>
<h1>Kill matrix <small>/ Matrice dei mutanti</small></h1>
<p>Each row is a defect switched on in the reference ${seat.toUpperCase()}, run against the scenarios that judge a requirement it violates; each column a scenario. ✖ = FAIL, ⚠ = WARNING. / Ogni riga è un difetto attivato nel ${seat.toUpperCase()} di riferimento, eseguito con gli scenari che giudicano un requisito che viola; ogni colonna uno scenario.</p>
<div class="wrap"><table><tr><th>defect / difetto</th><th>violates / viola</th>${used.map((s) => `<th class="s">${esc(s)}</th>`).join('')}</tr>
${rows.map((r) => `<tr class="${r.killedBy.length ? '' : 'survived'}"><td title="${esc(r.description)}">${esc(r.id)}</td><td>${esc(r.catches.join(', '))}${r.onTarget || !r.killedBy.length ? '' : ' <b>(off target)</b>'}${r.caughtAs === 'WARNING' ? `<div class="warn">caught as WARNING only / rilevato solo come AVVERTENZA: ${esc(r.warningReading ?? '')}</div>` : ''}</td>${used.map((s) => cell(r, s)).join('')}</tr>`).join('\n')}
</table></div></html>`;
}
