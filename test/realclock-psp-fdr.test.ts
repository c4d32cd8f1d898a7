// Reconciliation at the PSP seat at real pace (issue 12's last check): the reference PSP as an external
// process (`collaudo serve --psp --profile`, which tells it the Nodo's address and the FdR 3 API's from
// the profile's harness.listen and fdr.listen), certified by `collaudo run --grep FDR` on the real clock
// with a compressed calendar (fdr.dayMs, fdr.originDay): every reconciliation scenario of both models.
// The payment day ends in seconds, the flows (SOAP and FdR 3) are awaited by their publication and
// judged, exit 0. The flows' identifiers carry the compressed calendar's dates (from originDay, a date
// that is not today): the PSP was told the run's days, not the machine's. No sleeps: every wait is on a
// process's output or exit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ROOT, collaudo } from './support/cli.js';
import { freePort } from './support/net.js';
import { stopServe, waitForLine } from './support/serve.js';
import { pspScenarios } from '../suites/psp/index.js';
import { oldPspScenarios } from '../suites/psp/old/index.js';

/**
 * a day of the run's calendar: long enough for a scenario's payments, short enough that D+4 passes in
 * seconds. A lost answer (PSP-FDR-04) costs the PSP its 30-s wait (NM-A-26), several such days: the
 * harness waits for a flow at least the trigger's deadline and two caller waits (suites/psp/fdr-judge.ts
 * flowWaitUntil), so a retry is not taken for a missing flow.
 */
const DAY_MS = 4000;
/** a Monday that is not today */
const ORIGIN_DAY = '2027-03-01';
/** every reconciliation scenario of the seat, both models */
const FDR_SCENARIOS = [...pspScenarios, ...oldPspScenarios].filter((d) => /FDR/.test(d.id));

let serve: ChildProcessWithoutNullStreams | undefined;
let file = '';
let dir = '';
let printed = '';

beforeAll(async () => {
  const [nodoPort, pspPort, fdrPort] = [await freePort(), await freePort(), await freePort()];
  const psp = `http://127.0.0.1:${pspPort}`;
  const profile = {
    seat: 'psp',
    name: 'Banca di Collaudo — reconciliation at real pace',
    models: ['new', 'old'],
    features: { v2: true, multiBeneficiary: true },
    timeouts: { callerWait: 10_000, retrySlot: 1_000 },
    psp: { idPSP: 'CLLDPSPRF01', idBrokerPSP: '01234567891', idChannel: '01234567891_01', password: 'reference_01', companyName: 'Banca di Collaudo' },
    endpoint: { url: `${psp}/pspForNode` },
    harness: { listen: { host: '127.0.0.1', port: nodoPort } },
    fdr: { transports: ['soap', 'rest'], dayMs: DAY_MS, originDay: ORIGIN_DAY, listen: { port: fdrPort } },
    trigger: { http: { url: `${psp}/trigger` }, deadlineMs: 30_000 },
    old: { psp: { pspPerNodo: `${psp}/PspPerNodo`, paymentPage: `${psp}/pagamento` }, features: { pspStarted: true, chargeBack: true } },
    declarations: { 'OLD-PSP-ERR-08': true },
  };
  dir = mkdtempSync(path.join(tmpdir(), 'collaudo-realclock-psp-fdr-'));
  file = path.join(dir, 'psp-fdr.yaml');
  writeFileSync(file, stringify(profile));
  serve = spawn(process.execPath, [path.join(ROOT, 'bin/collaudo.mjs'), 'serve', '--psp', '--psp-port', String(pspPort), '--profile', file], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  printed = (await waitForLine(serve, /Ctrl-C to stop\./, 30_000)).printed;
}, 60_000);

afterAll(() => stopServe(serve));

describe('reconciliation, both models, the reference PSP as an external process at real pace (compressed days)', () => {
  it('collaudo serve --psp learns the FdR 3 address from the profile', () => {
    expect(printed).toMatch(/and FdR 3 at http:\/\/127\.0\.0\.1:\d+\/fdr-psp\/service\/v1/);
  });

  it('collaudo run --grep FDR exits 0: every reconciliation scenario of both models PASSes on the compressed days', async () => {
    const out = path.join(dir, 'out');
    const run = await collaudo(['run', '--seat', 'psp', '--profile', file, '--grep', 'FDR', '--out', out, '--json', '--no-allure'], {}, 300_000);
    expect(run.stdout, `collaudo run printed no certificate (exit ${run.code}): ${run.stderr.slice(-2000)}\nits PSP: ${printed.slice(-2000)}`).toMatch(/^\{"harness"/);
    const cert = JSON.parse(run.stdout) as { run: { clock: string }; summary: Record<string, number>; scenarios: { id: string; verdict: string; reason?: string; durationMs: number; checks: { id: string; verdict: string; requirements: string[]; message: string }[] }[] };
    process.stderr.write(`real-pace reconciliation (a day = ${DAY_MS} ms): ${(run.ms / 1000).toFixed(1)} s, ${JSON.stringify(cert.summary)}; ${cert.scenarios.map((s) => `${s.id} ${s.verdict} ${(s.durationMs / 1000).toFixed(1)} s`).join(', ')}\n`);
    expect(cert.run.clock).toBe('real');
    expect(cert.scenarios.map((s) => s.id).sort()).toEqual(FDR_SCENARIOS.map((d) => d.id).sort());
    const blocking = cert.scenarios
      .filter((s) => !['PASS', 'NOT_APPLICABLE'].includes(s.verdict))
      .map((s) => `${s.id} ${s.verdict}${s.reason ? `: ${s.reason}` : ''} ${s.checks.filter((k) => k.verdict !== 'PASS').map((k) => `[${k.requirements.join(',')}] ${k.message}`).join(' | ')}`);
    expect(blocking).toEqual([]);
    // NOT_APPLICABLE only for a gap collaudo names, or the collection without RPT that needs a deadline above the token's lifetime
    for (const s of cert.scenarios.filter((x) => x.verdict === 'NOT_APPLICABLE')) {
      const def = FDR_SCENARIOS.find((d) => d.id === s.id)!;
      expect(def.notYet !== undefined || /when the token's lifetime ends/.test(s.reason ?? ''), `${s.id}: ${s.reason}`).toBe(true);
    }
    const passed = cert.scenarios.filter((s) => s.verdict === 'PASS').map((s) => s.id);
    expect(passed).toEqual(expect.arrayContaining(['PSP-FDR-01', 'PSP-FDR-02', 'PSP-FDR-03', 'PSP-FDR-04', 'PSP-FDR-06', 'PSP-FDR-07', 'PSP-OLD-FDR-01', 'PSP-OLD-FDR-03', 'PSP-OLD-FDR-05']));
    // the flows are dated on the compressed calendar: published within D+2, identifiers from originDay on, not today
    const deadline = cert.scenarios.find((s) => s.id === 'PSP-FDR-02')!.checks.find((c) => c.id === 'deadline')!;
    expect(deadline.message).toMatch(/by 24:00 of D\+2/);
    const flows = (JSON.parse(readFileSync(path.join(out, 'ledger.json'), 'utf8')) as { flows?: { flowId: string; transport: string }[] }).flows ?? [];
    expect(flows.length).toBeGreaterThanOrEqual(8);
    const today = new Date().toISOString().slice(0, 10);
    for (const f of flows) expect(f.flowId.slice(0, 10) >= ORIGIN_DAY && f.flowId.slice(0, 10) !== today, `${f.flowId} (${f.transport})`).toBe(true);
    expect(new Set(flows.map((f) => f.transport))).toEqual(new Set(['soap-new', 'rest', 'soap-old']));
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
  }, 320_000);
});
