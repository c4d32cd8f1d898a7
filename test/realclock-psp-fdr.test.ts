// Reconciliation at the PSP seat at real pace: the reference PSP as an external process (`collaudo serve
// --psp --profile`, which tells it the Nodo's address and the FdR 3 API's from harness.listen), certified
// by `collaudo run` on the real clock with a compressed calendar (fdr.dayMs): the payment day ends in
// seconds, the flows (SOAP and FdR 3, both models) are awaited by their publication and judged, exit 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ROOT, collaudo } from './support/cli.js';
import { freePort } from './support/net.js';

/**
 * a day of the run's calendar: long enough for a scenario's payments, short enough for a test. The lost
 * answer (PSP-FDR-04) costs the PSP its 30-s wait (NM-A-26), days of so short a calendar, and a
 * collection without RPT (PSP-OLD-FDR-02) the token's lifetime: both are certified on real days
 * (test/realclock-psp.test.ts) and on the virtual clock.
 */
const DAY_MS = 5000;
const SCENARIOS = ['PSP-FDR-01', 'PSP-FDR-02', 'PSP-FDR-03', 'PSP-OLD-FDR-01', 'PSP-OLD-FDR-03'];

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
    psp: { idPSP: 'CLLDPSPRF01', idBrokerPSP: '01234567891', idChannel: '01234567891_01', password: 'reference_01', companyName: 'Banca di Collaudo' },
    endpoint: { url: `${psp}/pspForNode` },
    harness: { listen: { host: '127.0.0.1', port: nodoPort } },
    fdr: { transports: ['soap', 'rest'], dayMs: DAY_MS, listen: { port: fdrPort } },
    trigger: { http: { url: `${psp}/trigger` }, deadlineMs: 40_000 },
    old: { psp: { pspPerNodo: `${psp}/PspPerNodo`, paymentPage: `${psp}/pagamento` }, features: { pspStarted: true } },
    declarations: { 'OLD-PSP-ERR-08': true },
  };
  dir = mkdtempSync(path.join(tmpdir(), 'collaudo-realclock-psp-fdr-'));
  file = path.join(dir, 'psp-fdr.yaml');
  writeFileSync(file, stringify(profile));
  serve = spawn(process.execPath, [path.join(ROOT, 'bin/collaudo.mjs'), 'serve', '--psp', '--psp-port', String(pspPort), '--profile', file], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  printed = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`collaudo serve --psp not ready:\n${err}`)), 30_000);
    serve!.stderr.on('data', (d: Buffer) => {
      err += d.toString('utf8');
      if (err.includes('Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve(err);
      }
    });
  });
}, 60_000);

afterAll(async () => {
  if (!serve || serve.exitCode !== null) return;
  const exited = new Promise((r) => serve!.once('exit', r));
  serve.kill('SIGTERM');
  await exited;
});

describe('reconciliation, both models, the reference PSP as an external process at real pace (compressed days)', () => {
  it('collaudo serve --psp learns the FdR 3 address from the profile', () => {
    expect(printed).toMatch(/and FdR 3 at http:\/\/127\.0\.0\.1:\d+\/fdr-psp\/service\/v1/);
  });

  it('collaudo run exits 0: every flow published in time and reconciled, the upload timeout handled', async () => {
    const run = await collaudo(['run', '--seat', 'psp', '--profile', file, '--scenario', SCENARIOS.join(','), '--out', path.join(dir, 'out'), '--json', '--no-allure'], {}, 300_000);
    expect(run.stdout, `collaudo run printed no certificate (exit ${run.code}): ${run.stderr.slice(-2000)}`).toMatch(/^\{"harness"/);
    const cert = JSON.parse(run.stdout) as { run: { clock: string }; scenarios: { id: string; verdict: string; reason?: string; durationMs: number; checks: { id: string; verdict: string; message: string }[] }[] };
    process.stderr.write(`real-pace reconciliation (a day = ${DAY_MS} ms): ${(run.ms / 1000).toFixed(1)} s; ${cert.scenarios.map((s) => `${s.id} ${s.verdict} ${(s.durationMs / 1000).toFixed(1)} s`).join(', ')}\n`);
    expect(cert.run.clock).toBe('real');
    expect(cert.scenarios.map((s) => s.id).sort()).toEqual([...SCENARIOS].sort());
    expect(cert.scenarios.filter((s) => s.verdict !== 'PASS').map((s) => `${s.id} ${s.verdict}: ${s.reason ?? s.checks.filter((c) => c.verdict !== 'PASS').map((c) => `${c.id} ${c.message}`).join('; ')}`)).toEqual([]);
    // the flows are dated on the compressed calendar: the day after the payments, within D+2
    const deadline = cert.scenarios.find((s) => s.id === 'PSP-FDR-02')!.checks.find((c) => c.id === 'deadline')!;
    expect(deadline.message).toMatch(/by 24:00 of D\+2/);
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
  }, 320_000);
});
