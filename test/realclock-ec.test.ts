// The run our users do (issue 14, deliverable): the reference EC certified as an EXTERNAL candidate on
// the real clock. `collaudo serve` runs it as its own process; a profile of the kind a user writes
// (real URL, provisioning as the README explains) is certified by `collaudo run --seat ec` as a child
// process. A conformant station must exit 0, with no ERROR, every EC scenario present, and no
// INCONCLUSIVE except where the reason names a feature the profile does not declare. The run should
// last about its longest inherent wait (the 15 s receipt retry of EC-RT-04), not the sum of its scenarios;
// its reconciliation rounds end on the EC's reads, not at the trigger's deadline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ROOT, collaudo } from './support/cli.js';
import { ecScenarios } from '../suites/ec/index.js';
import type { Feature } from '../src/profile/index.js';
import { freePort } from './support/net.js';
import { stopServe, waitForLine } from './support/serve.js';

/** Features the station served by `collaudo serve` offers to an outside harness (no platform URLs, no secondary EC). */
const DECLARED: Feature[] = ['v2', 'spontaneous', 'send'];
/** a compressed day of the reconciliation calendar (fdr.dayMs), from a Monday that is not today */
const DAY_MS = 5000;
const ORIGIN_DAY = '2027-03-01';
/** the run's deadline: every scenario waits side by side within the spec's timeouts; kills a hung run */
const RUN_DEADLINE_MS = 300_000;
/** the trigger's deadline: the cap of one reconciliation round, which should end long before it */
const ROUND_DEADLINE_MS = 30_000;

let serve: ChildProcessWithoutNullStreams | undefined;
let ecUrl = '';



beforeAll(async () => {
  serve = spawn(process.execPath, [path.join(ROOT, 'bin/collaudo.mjs'), 'serve', '--nodo-port', '0', '--ec-port', '0'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  const m = await waitForLine(serve, /reference EC \(paForNode\):\s+(\S+)/, 30_000);
  ecUrl = m[1]!;
}, 60_000);

afterAll(() => stopServe(serve));

describe('the reference EC as an external candidate, on the real clock', () => {
  it('collaudo run --seat ec exits 0: no ERROR, no INCONCLUSIVE but for undeclared features, every scenario present', async () => {
    const reference = readFileSync(path.join(ROOT, 'fixtures/profiles/reference-ec.yaml'), 'utf8');
    const services = /spontaneous:\n {2}services:[\s\S]*$/.exec(reference)![0];
    const base = new URL(ecUrl);
    const profile = {
      seat: 'ec',
      name: 'Comune di Collaudo — station served by collaudo serve',
      models: ['new'],
      features: Object.fromEntries(DECLARED.map((f) => [f, true])),
      ec: { idPA: '77777777777', idBrokerPA: '15376371009', idStation: '15376371009_01', companyName: 'Comune di Collaudo', auxDigit: 3, segregationCode: '01', stationVersion: 1, ibans: ['IT60X0542811101000000123456', 'IT75A0306909606100000063011'] },
      endpoint: { url: ecUrl },
      provisioning: { url: new URL('/provisioning/positions', base).toString(), updatedAmount: true },
      harness: { platform: { port: await freePort() } },
      // the served EC's trigger hook: reconciliation rounds (fdr-reconcile) are asked of every EC. A
      // round ends when the EC has read what was published for it; the deadline is only its cap
      trigger: { http: { url: new URL('/collaudo/trigger', base).toString() }, deadlineMs: ROUND_DEADLINE_MS },
    };
    const dir = mkdtempSync(path.join(tmpdir(), 'collaudo-realclock-ec-'));
    const file = path.join(dir, 'my-ec.yaml');
    // the reference profile's tail (its spontaneous services and reconciliation), the read-back at the served
    // EC, and a compressed calendar (fdr.dayMs, issue 12): the flows the harness publishes are dated on it
    const fdrAt = `readBack: ${new URL('/collaudo/reconciliation', base).toString()}\n  dayMs: ${DAY_MS}\n  originDay: ${ORIGIN_DAY}`;
    writeFileSync(file, `${stringify(profile)}${services.replace('readBack: embedded:reference-ec', fdrAt)}`);

    const out = path.join(dir, 'out');
    const run = await collaudo(['run', '--seat', 'ec', '--profile', file, '--out', out, '--json', '--no-allure'], {}, RUN_DEADLINE_MS);
    const cert = JSON.parse(run.stdout) as { summary: Record<string, number>; scenarios: { id: string; verdict: string; reason?: string; durationMs: number }[] };
    const fdr = cert.scenarios.filter((s) => s.id.startsWith('EC-FDR-'));
    process.stderr.write(`real-clock EC run: ${(run.ms / 1000).toFixed(1)} s, ${JSON.stringify(cert.summary)}; ${fdr.map((s) => `${s.id} ${s.durationMs} ms`).join(', ')}\n`);

    const bad = cert.scenarios.filter((s) => s.verdict === 'ERROR' || s.verdict === 'FAIL' || (s.verdict === 'INCONCLUSIVE' && !undeclared(s.reason)));
    expect(bad.map((s) => `${s.id} ${s.verdict}: ${s.reason}`)).toEqual([]);
    expect(cert.scenarios.map((s) => s.id).sort()).toEqual(ecScenarios.map((d) => d.id).sort());
    // NOT_APPLICABLE only for features this profile does not declare
    for (const s of cert.scenarios.filter((x) => x.verdict === 'NOT_APPLICABLE')) expect(undeclared(s.reason), `${s.id}: ${s.reason}`).toBe(true);
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    // no reconciliation round ran to its cap: each ended on the EC's reads (EC-FDR-07 waits a 3 s token out)
    for (const s of fdr) expect(s.durationMs, `${s.id} lasted ${s.durationMs} ms`).toBeLessThan(ROUND_DEADLINE_MS / 3);
    // the flows it reconciled were made on the compressed calendar: dated from originDay on, not today
    const flows = (JSON.parse(readFileSync(path.join(out, 'ledger.json'), 'utf8')) as { flows?: { flowId: string; flowDate: string }[] }).flows ?? [];
    expect(flows.length).toBeGreaterThan(5);
    for (const f of flows) expect(f.flowDate.slice(0, 10) >= ORIGIN_DAY && f.flowDate.slice(0, 10) !== new Date().toISOString().slice(0, 10), `${f.flowId} ${f.flowDate}`).toBe(true);
    // it lasts about its longest inherent wait (EC-RT-04's 15 s retry), not the sum of its scenarios
    expect(run.ms).toBeLessThan(70_000);
  }, RUN_DEADLINE_MS + 10_000);
});

function undeclared(reason: string | undefined): boolean {
  const m = /features\.([\w-]+)/.exec(reason ?? '');
  return !!m && !DECLARED.includes(m[1] as Feature);
}
