// The PSP seat as a user runs it (issue 14, deliverable): the reference PSP started as its own
// process (`collaudo serve --psp`), certified by `collaudo run --seat psp` on the real clock with a
// profile of the kind a user writes (HTTP trigger, real endpoint URLs, the PSP's timeouts, no
// quietMs). A conformant PSP exits 0, every scenario of the seat is there, none is ERROR, none is
// INCONCLUSIVE unless for a feature the profile does not declare, and the run lasts about its
// longest inherent wait (the scenarios run side by side), not the sum of its scenarios.
// Then a PSP that never acts on its triggers: INCONCLUSIVE with the reason, exit 3, in about one
// trigger deadline. No sleeps: every wait is on a process's output or exit, with a deadline.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ROOT, collaudo } from './support/cli.js';
import { pspScenarios } from '../suites/psp/index.js';
import { freePort } from './support/net.js';

const BIN = path.join(ROOT, 'bin/collaudo.mjs');
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'collaudo-realclock-psp-'));
/** the features the reference PSP offers (fixtures/profiles/reference-psp.yaml) */
const FEATURES = ['v2', 'spontaneous', 'touchpoint', 'frontEnd', 'multiBeneficiary', 'paymentOptions'];


/** Starts `collaudo serve …` and resolves once it says it is ready; rejects if it exits or stays silent. */
function serve(args: string[], deadlineMs = 60_000): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`collaudo serve ${args.join(' ')} not ready within ${deadlineMs} ms:\n${err}`));
    }, deadlineMs);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString('utf8');
      if (err.includes('Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve({ child, stderr: () => err });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`collaudo serve exited with ${code} before it was ready:\n${err}`));
    });
  });
}

/** Stops a child and waits for its exit. */
function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

interface Cert {
  exitCode: number;
  summary: Record<string, number>;
  run: { clock: string; startedAt: string; endedAt: string };
  scenarios: { id: string; verdict: string; reason?: string; durationMs: number; checks?: { verdict: string; requirements: string[]; message: string }[] }[];
}

/** The scenarios that block, each with its failing checks: what a red run must say. */
const blocking = (c: Cert) =>
  c.scenarios
    .filter((s) => s.verdict === 'ERROR' || s.verdict === 'FAIL')
    .map((s) => `${s.id} ${s.verdict}${s.reason ? `: ${s.reason}` : ''} ${(s.checks ?? []).filter((k) => k.verdict === 'FAIL' || k.verdict === 'ERROR').map((k) => `[${k.requirements.join(',')}] ${k.message}`).join(' | ')}`);

/** A profile of the kind a user writes (cf. fixtures/profiles/example-psp.yaml). */
function userProfile(o: { name: string; pspPort: number; nodoPort: number; deadlineMs: number; quietMs?: number; fdrPort?: number }): string {
  const file = path.join(tmp(), 'psp.yaml');
  writeFileSync(
    file,
    [
      'seat: psp',
      `name: ${o.name}`,
      'models: [new]',
      'features:',
      ...FEATURES.map((f) => `  ${f}: true`),
      'psp:',
      '  idPSP: CLLDPSPRF01',
      '  idBrokerPSP: "01234567891"',
      '  idChannel: 01234567891_01',
      '  password: reference_01',
      '  companyName: Banca di Collaudo',
      'endpoint:',
      `  url: http://127.0.0.1:${o.pspPort}/pspForNode`,
      'harness:',
      '  listen:',
      '    host: 127.0.0.1',
      `    port: ${o.nodoPort}`,
      ...(o.fdrPort ? ['fdr:', `  listen: { port: ${o.fdrPort} }   # the harness's FdR 3 API (on harness.listen.host)`] : []),
      'timeouts:',
      '  callerWait: 10000   # what `collaudo serve --psp` says of the reference PSP',
      '  retrySlot: 1000',
      'trigger:',
      '  http:',
      `    url: http://127.0.0.1:${o.pspPort}/trigger`,
      `  deadlineMs: ${o.deadlineMs}`,
      ...(o.quietMs !== undefined ? [`  quietMs: ${o.quietMs}`] : []),
      'declarations:',
      '  NM-SLA-KPI-02: true',
      '  NM-SLA-KPI-05: true',
    ].join('\n') + '\n',
  );
  return file;
}

describe('the reference PSP, started with `collaudo serve --psp`, certified on the real clock', () => {
  let psp: ChildProcess | undefined;
  let profile: string;
  beforeAll(async () => {
    const [nodoPort, pspPort, fdrPort] = [await freePort(), await freePort(), await freePort()];
    // the FdR 3 API's address is given the way the Nodo's is (reconciliation through FdR 3)
    ({ child: psp } = await serve(['--psp', '--psp-port', String(pspPort), '--nodo-url', `http://127.0.0.1:${nodoPort}/nodeForPsp`, '--fdr-url', `http://127.0.0.1:${fdrPort}/fdr-psp/service/v1`]));
    profile = userProfile({ name: 'reference PSP as an external candidate', pspPort, nodoPort, fdrPort, deadlineMs: 30_000 });
  }, 90_000);
  afterAll(() => stop(psp));

  it('exits 0: every scenario of the seat, no ERROR, INCONCLUSIVE only for an undeclared feature, in about its longest wait', async () => {
    const run = await collaudo(['run', '--seat', 'psp', '--profile', profile, '--out', path.join(tmp(), 'out'), '--json', '--no-allure'], {}, 240_000);
    const cert = JSON.parse(run.stdout) as Cert;
    const span = Date.parse(cert.run.endedAt) - Date.parse(cert.run.startedAt);
    const longest = Math.max(...cert.scenarios.map((s) => s.durationMs));
    const sum = cert.scenarios.reduce((a, s) => a + s.durationMs, 0);
    // the measured duration, for the record (issue 14: target under 60 s, ~190 s before)
    process.stderr.write(`real-clock PSP certification: ${run.ms} ms in all, suite ${span} ms, longest scenario ${longest} ms, scenarios' sum ${sum} ms; ${JSON.stringify(cert.summary)}\n`);
    expect(blocking(cert)).toEqual([]);
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    expect(cert.run.clock).toBe('real');
    expect(cert.scenarios.map((s) => s.id).sort()).toEqual(pspScenarios.map((s) => s.id).sort());
    for (const s of cert.scenarios.filter((x) => x.verdict === 'INCONCLUSIVE' || x.verdict === 'NOT_APPLICABLE')) {
      const feature = /features\.(\w+)/.exec(s.reason ?? '')?.[1];
      // or a gap of collaudo's own, named as such (a notYet scenario)
      const gap = s.verdict === 'NOT_APPLICABLE' && /^not exercised by this version/.test(s.reason ?? '');
      expect((feature && !FEATURES.includes(feature)) || gap, `${s.id} ${s.verdict}: ${s.reason}`).toBe(true);
    }
    // side by side: the suite lasts about its longest scenario, far below their sum
    expect(span).toBeLessThan(60_000);
    expect(span).toBeLessThan(longest + 30_000);
    expect(sum).toBeGreaterThan(span);
  }, 260_000);
});

describe('traffic no scenario owns', () => {
  let psp: ChildProcess | undefined;
  let profile: string;
  beforeAll(async () => {
    const [nodoPort, pspPort] = [await freePort(), await freePort()];
    // a PSP that, after a refused activation, sends an outcome for a token nobody issued
    ({ child: psp } = await serve(['--psp', '--psp-port', String(pspPort), '--nodo-url', `http://127.0.0.1:${nodoPort}/nodeForPsp`, '--psp-defect', 'outcome-after-failed-activation']));
    profile = userProfile({ name: 'a PSP with stray outcomes', pspPort, nodoPort, deadlineMs: 30_000 });
  }, 90_000);
  afterAll(() => stop(psp));

  it('is kept and reported (certificate.json unattributed), never charged to a scenario running beside', async () => {
    const ids = ['PSP-ECERR-01B', 'PSP-ECERR-02B', 'PSP-PAY-01'];
    const run = await collaudo(['run', '--seat', 'psp', '--profile', profile, '--scenario', ids.join(','), '--out', path.join(tmp(), 'stray'), '--json', '--no-allure'], {}, 120_000);
    const cert = JSON.parse(run.stdout) as Cert & { unattributed?: { count: number; entries: { primitive?: string; from: string; correlation: { paymentToken?: string } }[] } };
    expect(cert.scenarios.map((s) => s.id).sort()).toEqual([...ids].sort());
    // side by side, a stray outcome (a token nobody issued) belongs to no scenario
    expect(cert.unattributed?.count, run.stderr.slice(-2000)).toBeGreaterThanOrEqual(2);
    expect(cert.unattributed!.entries.filter((e) => e.from === 'psp').every((e) => e.primitive === 'sendPaymentOutcome' && /^T[0-9a-f]{16}$/.test(e.correlation.paymentToken ?? ''))).toBe(true);
    expect(run.stderr).toMatch(/message\(s\) reached the harness's Nodo that no scenario owns/);
    // the payment running beside them is judged on its own traffic only
    expect(cert.scenarios.find((s) => s.id === 'PSP-PAY-01')?.verdict).toBe('PASS');
  }, 130_000);
});

describe('`collaudo serve --psp-counterpart`: what a PSP vendor points its PSP at', () => {
  let counterpart: { child: ChildProcess; stderr: () => string } | undefined;
  let psp: ChildProcess | undefined;
  let control: number;
  beforeAll(async () => {
    const [nodoPort, pspPort] = [await freePort(), await freePort()];
    control = await freePort();
    // the vendor's PSP (here the reference one) and the counterpart, each its own process
    ({ child: psp } = await serve(['--psp', '--psp-port', String(pspPort), '--nodo-url', `http://127.0.0.1:${nodoPort}/nodeForPsp`]));
    const profile = userProfile({ name: 'a vendor PSP', pspPort, nodoPort, deadlineMs: 30_000 });
    // --verbose: the test reads the per-message lines (the default is a summary line per interval)
    counterpart = await serve(['--psp-counterpart', '--verbose', '--profile', profile, '--control-port', String(control)]);
  }, 120_000);
  afterAll(async () => {
    await stop(counterpart?.child);
    await stop(psp);
  });

  /** Resolves when the counterpart's log shows `pattern`; rejects at the deadline. */
  function logShows(pattern: RegExp, deadlineMs: number): Promise<void> {
    const c = counterpart!;
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!pattern.test(c.stderr())) return false;
        clearTimeout(timer);
        c.child.stderr!.off('data', check);
        resolve();
        return true;
      };
      const timer = setTimeout(() => {
        c.child.stderr!.off('data', check);
        reject(new Error(`no ${pattern} in the counterpart's log within ${deadlineMs} ms:\n${c.stderr().slice(-2000)}`));
      }, deadlineMs);
      if (!check()) c.child.stderr!.on('data', check);
    });
  }

  it('provisions a notice, triggers the PSP, and shows its payment and its report', async () => {
    const res = await fetch(`http://127.0.0.1:${control}/collaudo/trigger`, { method: 'POST', body: JSON.stringify({ action: 'pay', verify: true }) });
    const body = (await res.json()) as { request?: { requestId: string; noticeNumber: string } };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.request?.noticeNumber).toMatch(/^\d{18}$/);
    await logShows(new RegExp(`report ${body.request!.requestId}: paid`), 30_000);
    const log = counterpart!.stderr();
    for (const p of ['verifyPaymentNotice', 'activatePaymentNotice', 'sendPaymentOutcome', 'paSendRT']) expect(log, p).toContain(p);
  }, 60_000);

  it('plays a Checkout payment: the Nodo notifies the PSP, which accepts and pays', async () => {
    const res = await fetch(`http://127.0.0.1:${control}/collaudo/trigger`, { method: 'POST', body: JSON.stringify({ action: 'notify-accept' }) });
    const body = (await res.json()) as { request?: { requestId: string }; notify?: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.notify).toBe('OK');
    await logShows(new RegExp(`report ${body.request!.requestId}: paid`), 30_000);
  }, 60_000);
});

describe('a PSP that never acts on its triggers', () => {
  let server: http.Server;
  let profile: string;
  const deadlineMs = 4000;
  beforeAll(async () => {
    // the trigger hook accepts (202) and nothing ever happens; pspForNode is up
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(req.url?.startsWith('/trigger') ? 202 : 500, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    // an older profile: quietMs is still accepted, with a warning, and ignored
    profile = userProfile({ name: 'a PSP nobody operates', pspPort: (server.address() as net.AddressInfo).port, nodoPort: await freePort(), deadlineMs, quietMs: 3000 });
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  // the PSP-NOTIFY-* scenarios judge the PSP's own answer to a notification (here HTTP 500: a defect, FAIL),
  // which does not wait on a trigger; but PSP-NOTIFY-06, asked to refuse, has nothing refused to judge
  it('every scenario waiting on it ends INCONCLUSIVE with the reason, exit 3, in about one deadline', async () => {
    const run = await collaudo(['run', '--seat', 'psp', '--profile', profile, '--grep', '^(?!PSP-NOTIFY-0[^6])', '--out', path.join(tmp(), 'silent'), '--json', '--no-allure'], {}, 120_000);
    const cert = JSON.parse(run.stdout) as Cert;
    const span = Date.parse(cert.run.endedAt) - Date.parse(cert.run.startedAt);
    expect(run.code, run.stderr.slice(-3000)).toBe(3);
    expect(run.stderr).toContain('trigger.quietMs is deprecated and ignored');
    const waiting = cert.scenarios.filter((s) => s.verdict !== 'NOT_APPLICABLE');
    expect(waiting.length).toBeGreaterThan(40);
    expect(waiting.map((s) => s.id)).toContain('PSP-NOTIFY-06');
    for (const s of waiting) {
      expect(s.verdict, s.id).toBe('INCONCLUSIVE');
      // issue 14 item 12: nothing was refused, so nothing about a refusal is judged (it FAILed before)
      if (s.id === 'PSP-NOTIFY-06') expect(s.reason).toMatch(/no valid answer to the notification it was asked to refuse/);
      else expect(s.reason, s.id).toMatch(new RegExp(`never acted.*within ${deadlineMs} ms`));
    }
    // side by side: about one deadline, not one per scenario (the sequential run took ~50 deadlines)
    expect(span).toBeLessThan(deadlineMs * 5);
  }, 130_000);
});
