// The old model as a vendor runs it: the reference EC's old-model station served by `collaudo serve`
// as its own process on the real clock, calling the harness's Nodo at the URL its profile names
// (harness.listen), certified by `collaudo run --seat ec` with a profile of the kind the README shows
// (models [old], the station's PaPerNodo / PaPerNodoPagamentoPsp, its password, return page and
// trigger). A conformant station exits 0: every old-model scenario present, no FAIL, no ERROR, no
// INCONCLUSIVE, NOT_APPLICABLE only for a feature the profile does not declare (or no browser here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ROOT, collaudo } from './support/cli.js';
import { freePort } from './support/net.js';
import { stopServe, waitForLine } from './support/serve.js';
import { oldEcScenarios } from '../suites/ec/old/index.js';
import { loadProfile } from '../src/profile/index.js';
import { REFERENCE_EC_PROFILE } from '../seats/ec.js';

/** the spontaneous services the served station offers (those of the reference profile) */
const reference = loadProfile(REFERENCE_EC_PROFILE).profile;

/** the run's deadline: a hung run is killed (the longest inherent wait is the Nodo's RT redelivery, 15 s + 5 s) */
const RUN_DEADLINE_MS = 300_000;
const DECLARED = ['ecStarted', 'pspStarted', 'storno', 'chargeBack', 'stamps', 'multiBeneficiary', 'pspAuthorisation', 'spontaneous', 'soapFdr'];

let serve: ChildProcessWithoutNullStreams | undefined;


let nodoPort = 0;
let urls: { ec: string; paPerNodo: string; pagamentoPsp: string; richiestaAvvisi: string; returnUrl: string; trigger: string };

beforeAll(async () => {
  nodoPort = await freePort();
  serve = spawn(process.execPath, [path.join(ROOT, 'bin/collaudo.mjs'), 'serve', '--nodo-port', '0', '--ec-port', '0', '--old-nodo-url', `http://127.0.0.1:${nodoPort}/NodoPerPa`], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  const m = await waitForLine(serve, /PaPerNodo (\S+)\s+PaPerNodoPagamentoPsp (\S+)\s+return page (\S+)\s+trigger (\S+)\s+PaPerNodoRichiestaAvvisi (\S+)/, 30_000);
  const ec = /reference EC \(paForNode\):\s+(\S+)/.exec(m.printed)![1]!;
  urls = { ec, paPerNodo: m[1]!, pagamentoPsp: m[2]!, returnUrl: m[3]!, trigger: m[4]!, richiestaAvvisi: m[5]! };
}, 60_000);

afterAll(() => stopServe(serve));

describe('an old-model EC station as an external candidate, on the real clock', () => {
  it('collaudo run --seat ec with models [old] exits 0: every old-model scenario, none FAIL, ERROR or INCONCLUSIVE', async () => {
    const profile = {
      seat: 'ec',
      name: 'Comune di Collaudo — old-model station served by collaudo serve',
      models: ['old'],
      ec: { idPA: '77777777777', idBrokerPA: '15376371009', idStation: '15376371009_01', companyName: 'Comune di Collaudo', auxDigit: 3, segregationCode: '01', stationVersion: 1, secondaryEcs: ['88888888888'], ibans: ['IT60X0542811101000000123456', 'IT75A0306909606100000063011'] },
      endpoint: { url: urls.ec },
      old: {
        endpoints: { paPerNodo: urls.paPerNodo, paPerNodoPagamentoPsp: urls.pagamentoPsp, paPerNodoRichiestaAvvisi: urls.richiestaAvvisi },
        password: 'stazione01pwd',
        returnUrl: urls.returnUrl,
        features: Object.fromEntries(DECLARED.map((f) => [f, true])),
        spontaneous: reference.old?.spontaneous,
      },
      provisioning: { url: new URL('/provisioning/positions', urls.ec).toString() },
      harness: { listen: { host: '127.0.0.1', port: nodoPort } },
      trigger: { http: { url: urls.trigger }, deadlineMs: 30_000 },
      declarations: { 'OLD-DEBT-LC-01': true, 'OLD-EC-PAY-09': true, 'OLD-STO-02': true, 'OLD-X-GDE-01': true },
    };
    const dir = mkdtempSync(path.join(tmpdir(), 'collaudo-realclock-ec-old-'));
    const file = path.join(dir, 'old-ec.yaml');
    writeFileSync(file, stringify(profile));

    const run = await collaudo(['run', '--seat', 'ec', '--profile', file, '--out', path.join(dir, 'out'), '--json', '--no-allure'], {}, RUN_DEADLINE_MS);
    expect(run.stdout, `collaudo run printed no certificate (exit ${run.code}): ${run.stderr.slice(-1500)}`).toMatch(/^\{"harness"/);
    const cert = JSON.parse(run.stdout) as { summary: Record<string, number>; scenarios: { id: string; verdict: string; reason?: string; durationMs: number }[] };
    const fdr = cert.scenarios.find((s) => s.id === 'EC-OLD-FDR-01');
    process.stderr.write(`real-clock old-model EC run: ${(run.ms / 1000).toFixed(1)} s, ${JSON.stringify(cert.summary)}; EC-OLD-FDR-01 ${fdr?.durationMs} ms\n`);
    const bad = cert.scenarios.filter((s) => ['ERROR', 'FAIL', 'INCONCLUSIVE', 'WARNING'].includes(s.verdict));
    expect(bad.map((s) => `${s.id} ${s.verdict}: ${s.reason}`)).toEqual([]);
    expect(cert.scenarios.map((s) => s.id).sort()).toEqual(oldEcScenarios.map((d) => d.id).sort());
    for (const s of cert.scenarios.filter((x) => x.verdict === 'NOT_APPLICABLE')) {
      const feature = /old\.features\.(\w+)/.exec(s.reason ?? '')?.[1];
      expect(!!feature && !DECLARED.includes(feature) || /no browser found/.test(s.reason ?? ''), `${s.id}: ${s.reason}`).toBe(true);
    }
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    // its four reconciliation rounds end on the EC's reads, none at the trigger's 30 s deadline
    expect(fdr?.durationMs ?? Infinity).toBeLessThan(30_000);
  }, RUN_DEADLINE_MS + 10_000);
});
