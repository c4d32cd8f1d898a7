// Reconciliation at real pace with a compressed day (issue 12, last check): the reference PSP served by
// `collaudo serve --psp` as its own process, both models, certified by `collaudo run --seat psp --grep FDR`
// with a profile that compresses the calendar (fdr.dayMs, fdr.originDay). Each scenario pays, waits on
// the real clock until its payment day is over on that calendar, asks the PSP for the day's flow and
// judges it against the receipts and the compressed D+2 deadline. The flows' identifiers and dates are
// those of the compressed calendar (they start on originDay, a date that is not today), which shows the
// PSP was told the run's days, not the machine's. No sleeps: every wait is on a process's output or exit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ROOT, collaudo } from './support/cli.js';
import { freePort } from './support/net.js';
import { waitForLine } from './support/serve.js';
import { pspScenarios } from '../suites/psp/index.js';
import { oldPspScenarios } from '../suites/psp/old/index.js';

/** a compressed day: long enough for a payment and its flow, short enough that D+4 passes in seconds */
const DAY_MS = 4_000;
/** a Monday that is not today: every flow of the run must carry the compressed calendar's dates */
const ORIGIN_DAY = '2027-03-01';
const RUN_DEADLINE_MS = 300_000;
const NEW_FEATURES = ['v2', 'multiBeneficiary'];
const OLD_FEATURES = ['ecStarted', 'pspStarted', 'pspAuthorisation', 'chargeBack'];

interface Cert {
  exitCode: number;
  summary: Record<string, number>;
  run: { clock: string };
  scenarios: { id: string; verdict: string; reason?: string; durationMs: number; checks?: { verdict: string; requirements: string[]; message: string }[] }[];
}

const dir = mkdtempSync(path.join(tmpdir(), 'collaudo-realclock-fdr-psp-'));
let serve: ChildProcessWithoutNullStreams | undefined;
let printed = '';

afterAll(async () => {
  if (!serve || serve.exitCode !== null || serve.signalCode !== null) return;
  const exited = new Promise((r) => serve!.once('exit', r));
  serve.kill('SIGTERM');
  await exited;
});

let profileFile = '';
beforeAll(async () => {
  const [nodoPort, fdrPort] = [await freePort(), await freePort()];
  serve = spawn(process.execPath, [path.join(ROOT, 'bin/collaudo.mjs'), 'serve', '--psp', '--psp-port', '0', '--nodo-url', `http://127.0.0.1:${nodoPort}/nodeForPsp`, '--fdr-url', `http://127.0.0.1:${fdrPort}/fdr-psp/service/v1`], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const m = await waitForLine(serve, /reference PSP \(pspForNode\): (http:\/\/[^/\s]+)\/pspForNode[\s\S]*Ctrl-C to stop\./, 60_000);
  printed = m.printed;
  serve.stderr.on('data', (d: Buffer) => (printed = (printed + d.toString()).slice(-4000)));
  serve.stdout.resume();
  const base = m[1]!;
  profileFile = path.join(dir, 'psp.yaml');
  writeFileSync(
    profileFile,
    stringify({
      seat: 'psp',
      name: 'Banca di Collaudo — reconciliation on a compressed calendar',
      models: ['new', 'old'],
      features: Object.fromEntries(NEW_FEATURES.map((f) => [f, true])),
      psp: { idPSP: 'CLLDPSPRF01', idBrokerPSP: '01234567891', idChannel: '01234567891_01', password: 'reference_01', companyName: 'Banca di Collaudo' },
      endpoint: { url: `${base}/pspForNode` },
      harness: { listen: { host: '127.0.0.1', port: nodoPort } },
      timeouts: { callerWait: 10_000, retrySlot: 1_000 },
      trigger: { http: { url: `${base}/trigger` }, deadlineMs: 30_000 },
      fdr: { dayMs: DAY_MS, originDay: ORIGIN_DAY, listen: { port: fdrPort } },
      old: {
        psp: { pspPerNodo: `${base}/PspPerNodo`, paymentPage: `${base}/pagamento`, rtMode: 'push', authChannel: { idChannel: '01234567891_02', manlevaIban: 'IT60X0542811101000000123456' } },
        features: Object.fromEntries(OLD_FEATURES.map((f) => [f, true])),
      },
      declarations: { 'OLD-PSP-ERR-08': true },
    }),
  );
}, 90_000);

describe('the reference PSP reports its flows on a compressed calendar, at real pace, as an external process', () => {
  it('collaudo run --grep FDR exits 0: every reconciliation scenario of both models PASSes on the compressed days', async () => {
    const out = path.join(dir, 'out');
    const run = await collaudo(['run', '--seat', 'psp', '--profile', profileFile, '--grep', 'FDR', '--out', out, '--json', '--no-allure'], {}, RUN_DEADLINE_MS);
    expect(run.stdout, `no certificate (exit ${run.code}): ${run.stderr.slice(-2000)}\nits PSP: ${printed}`).toMatch(/^\{"harness"/);
    const cert = JSON.parse(run.stdout) as Cert;
    const slowest = [...cert.scenarios].sort((a, b) => b.durationMs - a.durationMs)[0];
    process.stderr.write(`real-pace reconciliation, PSP seat, ${DAY_MS} ms days: ${(run.ms / 1000).toFixed(1)} s, slowest ${slowest?.id} ${((slowest?.durationMs ?? 0) / 1000).toFixed(1)} s, ${JSON.stringify(cert.summary)}\n`);

    const asking = [...pspScenarios, ...oldPspScenarios].filter((d) => /FDR/.test(d.id));
    expect(cert.scenarios.map((s) => s.id).sort()).toEqual(asking.map((d) => d.id).sort());
    const blocking = cert.scenarios
      .filter((s) => !['PASS', 'NOT_APPLICABLE'].includes(s.verdict))
      .map((s) => `${s.id} ${s.verdict}${s.reason ? `: ${s.reason}` : ''} ${(s.checks ?? []).filter((k) => k.verdict !== 'PASS').map((k) => `[${k.requirements.join(',')}] ${k.message}`).join(' | ')}`);
    expect(blocking).toEqual([]);
    // NOT_APPLICABLE only for a gap collaudo names, or the collection without RPT that needs a deadline above the token's lifetime
    for (const s of cert.scenarios.filter((x) => x.verdict === 'NOT_APPLICABLE')) {
      const def = asking.find((d) => d.id === s.id)!;
      expect(def.notYet !== undefined || /when the token's lifetime ends/.test(s.reason ?? ''), `${s.id}: ${s.reason}`).toBe(true);
    }
    // the PASSes judged flows: at least the new model's SOAP and REST ones and the old model's
    expect(cert.scenarios.filter((s) => s.verdict === 'PASS').map((s) => s.id)).toEqual(expect.arrayContaining(['PSP-FDR-01', 'PSP-FDR-02', 'PSP-FDR-03', 'PSP-FDR-04', 'PSP-OLD-FDR-01', 'PSP-OLD-FDR-05']));
    expect(run.code, run.stderr.slice(-2000)).toBe(0);

    // the flows were made on the compressed calendar: their identifiers carry its dates, from originDay on
    const ledger = JSON.parse(readFileSync(path.join(out, 'ledger.json'), 'utf8')) as { flows?: { flowId: string; transport: string }[] };
    const flows = ledger.flows ?? [];
    expect(flows.length).toBeGreaterThanOrEqual(5);
    const today = new Date().toISOString().slice(0, 10);
    for (const f of flows) {
      const day = f.flowId.slice(0, 10);
      expect(day >= ORIGIN_DAY && day !== today, `${f.flowId} (${f.transport})`).toBe(true);
    }
    expect(new Set(flows.map((f) => f.transport))).toEqual(new Set(['soap-new', 'rest', 'soap-old']));
  }, RUN_DEADLINE_MS + 30_000);
});
