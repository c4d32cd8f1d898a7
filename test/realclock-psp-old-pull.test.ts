// An old-model PSP whose channel is configured for PULL, as a vendor runs it: the reference PSP served
// by `collaudo serve --psp` as its own process on the real clock, its RT mode read from the profile
// (old.psp.rtMode: pull), certified by `collaudo run --seat psp` with a models [old] profile of the
// kind the README shows. A conformant PSP exits 0: every old-model scenario present, none FAIL, ERROR,
// INCONCLUSIVE or WARNING; NOT_APPLICABLE only for a feature the profile does not declare, a missing
// browser, or — the push retry scenarios — because the channel is configured for PULL; every RT judged
// on the PULL path (the harness's Nodo polled the candidate's queue). No TR-08 waits: the Nodo polls
// once the candidate reported the payment, its first round finds the RT; the longest wait is the
// trigger deadline of the RPT that never comes (OLD-PSP-ERR-08, 15 s). Measured: about 32 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ROOT, collaudo } from './support/cli.js';
import { freePort } from './support/net.js';
import { stopServe, waitForLine } from './support/serve.js';
import { oldPspScenarios } from '../suites/psp/old/index.js';
import { rtPushScenarios } from '../suites/psp/old/rt-push.js';

/** a hung run is killed (measured: about 66 s on two shared cores, 30 s of it the FdR upload timeout scenario waiting the PSP's own wait) */
const RUN_DEADLINE_MS = 300_000;
const DECLARED = ['ecStarted', 'pspStarted', 'chargeBack', 'storno', 'pspAuthorisation', 'spontaneous'];
const AUTH_CHANNEL = '01234567891_02';

let serve: ChildProcessWithoutNullStreams | undefined;
let file = '';
let dir = '';
let printed = '';

beforeAll(async () => {
  const [nodoPort, pspPort] = [await freePort(), await freePort()];
  const psp = `http://127.0.0.1:${pspPort}`;
  const profile = {
    seat: 'psp',
    name: 'Banca di Collaudo — old-model channel in PULL, served by collaudo serve --psp',
    models: ['old'],
    psp: { idPSP: 'CLLDPSPRF01', idBrokerPSP: '01234567891', idChannel: '01234567891_01', password: 'reference_01', companyName: 'Banca di Collaudo' },
    endpoint: { url: `${psp}/pspForNode` },
    harness: { listen: { host: '127.0.0.1', port: nodoPort } },
    trigger: { http: { url: `${psp}/trigger` }, deadlineMs: 15_000 },
    old: {
      psp: { pspPerNodo: `${psp}/PspPerNodo`, paymentPage: `${psp}/pagamento`, rtMode: 'pull', authChannel: { idChannel: AUTH_CHANNEL, manlevaIban: 'IT60X0542811101000000123456' } },
      features: Object.fromEntries(DECLARED.map((f) => [f, true])),
    },
    declarations: { 'OLD-X-GDE-01': true, 'OLD-STO-02': true, 'OLD-PSP-ERR-08': true },
  };
  dir = mkdtempSync(path.join(tmpdir(), 'collaudo-realclock-psp-old-pull-'));
  file = path.join(dir, 'old-psp-pull.yaml');
  writeFileSync(file, stringify(profile));
  // the RT mode (and the Nodo to call, and the model-2 channel) from the profile, as a vendor would configure its PSP
  serve = spawn(process.execPath, [path.join(ROOT, 'bin/collaudo.mjs'), 'serve', '--psp', '--psp-port', String(pspPort), '--profile', file], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  printed = (await waitForLine(serve, /Ctrl-C to stop\./, 30_000)).printed;
}, 60_000);

afterAll(() => stopServe(serve));

describe('an old-model PSP with a channel configured for PULL, as an external candidate on the real clock', () => {
  it('collaudo serve --psp takes the RT mode from the profile', () => {
    expect(printed).toMatch(/old model RTs: pull/);
  });

  it('collaudo run --seat psp with models [old], rtMode pull exits 0: every RT taken from the PULL queue, the push retries NOT_APPLICABLE', async () => {
    const run = await collaudo(['run', '--seat', 'psp', '--profile', file, '--out', path.join(dir, 'out'), '--json', '--no-allure'], {}, RUN_DEADLINE_MS);
    expect(run.stdout, `collaudo run printed no certificate (exit ${run.code}): ${run.stderr.slice(-1500)}`).toMatch(/^\{"harness"/);
    const cert = JSON.parse(run.stdout) as { summary: Record<string, number>; scenarios: { id: string; verdict: string; reason?: string; durationMs: number; checks: { id: string; verdict: string; message?: string }[] }[] };
    const longest = [...cert.scenarios].sort((a, b) => b.durationMs - a.durationMs)[0]!;
    process.stderr.write(`real-clock old-model PSP run, PULL channel: ${(run.ms / 1000).toFixed(1)} s, ${JSON.stringify(cert.summary)}; longest ${longest.id} ${(longest.durationMs / 1000).toFixed(1)} s\n`);
    const bad = cert.scenarios.filter((s) => ['ERROR', 'FAIL', 'INCONCLUSIVE', 'WARNING'].includes(s.verdict));
    expect(bad.map((s) => `${s.id} ${s.verdict}: ${s.reason}`)).toEqual([]);
    expect(cert.scenarios.map((s) => s.id).sort()).toEqual(oldPspScenarios.map((d) => d.id).sort());
    const push = new Set(rtPushScenarios.map((d) => d.id));
    for (const s of cert.scenarios.filter((x) => x.verdict === 'NOT_APPLICABLE')) {
      const feature = /old\.features\.(\w+)/.exec(s.reason ?? '')?.[1];
      const why = push.has(s.id) ? /configured for PULL/.test(s.reason ?? '') : (!!feature && !DECLARED.includes(feature)) || /no browser found|not exercised by this version|when the token's lifetime ends/.test(s.reason ?? '');
      expect(why, `${s.id}: ${s.reason}`).toBe(true);
    }
    for (const id of push) expect(cert.scenarios.find((s) => s.id === id)?.verdict, id).toBe('NOT_APPLICABLE');
    // every RT a payment got was judged on the PULL path, and passed
    const rtChecks = cert.scenarios.flatMap((s) => s.checks.filter((c) => (c.id === 'rt' || c.id === 'rts') && c.verdict === 'PASS').map((c) => `${s.id} ${c.message}`));
    expect(rtChecks.length).toBeGreaterThanOrEqual(8);
    for (const m of rtChecks) expect(m).toMatch(/PULL: (listed in round|taken \(ACTC\))/);
    expect(cert.scenarios.find((s) => s.id === 'PSP-OLD-PULL-01')?.verdict).toBe('PASS');
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
  }, RUN_DEADLINE_MS + 10_000);
});
