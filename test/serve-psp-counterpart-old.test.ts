// `collaudo serve --psp-counterpart` for an old-model PSP vendor (issue 11): with a profile whose models
// list old, the old model's Nodo (NodoPerPsp, NodoPerPa, WISP) serves beside the new model's on
// harness.listen, the emulated EC's old-model station behind it, and the trigger side provisions a
// notice for an old-psp-* action or opens an EC-started cart. The vendor's PSP here is the reference
// one, served by `collaudo serve --psp` as its own process. No sleeps: every wait is on a process's
// output, with a deadline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ROOT } from './support/cli.js';
import { freePort } from './support/net.js';
import { waitForLine } from './support/serve.js';

const BIN = path.join(ROOT, 'bin/collaudo.mjs');
const children: ChildProcessWithoutNullStreams[] = [];
let control = '';
let nodoPort = 0;
let log = '';
let counterpart: ChildProcessWithoutNullStreams;

function serve(args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  child.stdout.resume();
  children.push(child);
  return child;
}

/** Resolves once the counterpart's log shows `re`; rejects at the deadline. */
function logShows(re: RegExp, deadlineMs: number): Promise<void> {
  if (re.test(log)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      counterpart.stderr.off('data', check);
      reject(new Error(`no ${re} in the counterpart's log within ${deadlineMs} ms:\n${log.slice(-3000)}`));
    }, deadlineMs);
    const check = () => {
      if (!re.test(log)) return;
      clearTimeout(timer);
      counterpart.stderr.off('data', check);
      resolve();
    };
    counterpart.stderr.on('data', check);
  });
}

const trigger = async (body: unknown) => {
  const res = await fetch(control, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { request?: { requestId: string; noticeNumber: string }; cart?: { url: string; idCarrello: string }; error?: string } };
};

beforeAll(async () => {
  nodoPort = await freePort();
  const psp = serve(['--psp', '--psp-port', '0', '--nodo-url', `http://127.0.0.1:${nodoPort}/nodeForPsp`]);
  const base = (await waitForLine(psp, /reference PSP \(pspForNode\): (http:\/\/[^/\s]+)\/pspForNode[\s\S]*Ctrl-C to stop\./, 60_000))[1]!;
  const dir = mkdtempSync(path.join(tmpdir(), 'collaudo-counterpart-old-'));
  const profile = path.join(dir, 'psp.yaml');
  writeFileSync(
    profile,
    stringify({
      seat: 'psp',
      name: 'a vendor PSP with an old-model channel',
      models: ['old', 'new'],
      psp: { idPSP: 'CLLDPSPRF01', idBrokerPSP: '01234567891', idChannel: '01234567891_01', password: 'reference_01', companyName: 'Banca di Collaudo' },
      endpoint: { url: `${base}/pspForNode` },
      harness: { listen: { host: '127.0.0.1', port: nodoPort } },
      trigger: { http: { url: `${base}/trigger` }, deadlineMs: 30_000 },
      old: { psp: { pspPerNodo: `${base}/PspPerNodo`, paymentPage: `${base}/pagamento`, rtMode: 'push' }, features: { ecStarted: true, pspStarted: true } },
    }),
  );
  const controlPort = await freePort();
  counterpart = serve(['--psp-counterpart', '--verbose', '--profile', profile, '--control-port', String(controlPort)]);
  const ready = await waitForLine(counterpart, /Ctrl-C to stop\./, 60_000);
  log = ready.printed;
  counterpart.stderr.on('data', (d: Buffer) => (log += d.toString()));
  control = `http://127.0.0.1:${controlPort}/collaudo/trigger`;
}, 120_000);

afterAll(async () => {
  for (const c of children.reverse()) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  }
});

describe('`collaudo serve --psp-counterpart` with models [old, new]', () => {
  it('says where the old model\'s Nodo listens: beside nodeForPsp on harness.listen', () => {
    expect(log).toContain(`old model: NodoPerPsp http://127.0.0.1:${nodoPort}/NodoPerPsp`);
    expect(log).toContain(`reference Nodo (nodeForPsp) for a vendor PSP with an old-model channel: http://127.0.0.1:${nodoPort}/nodeForPsp`);
  });

  it('old-psp-pay: a notice provisioned at the emulated EC, paid at the PSP (modello 3) through NodoPerPsp, its RT delivered to the EC', async () => {
    const r = await trigger({ action: 'old-psp-pay', verify: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.request?.noticeNumber).toMatch(/^3\d{17}$/);
    await logShows(new RegExp(`report ${r.body.request!.requestId}: paid`), 30_000);
    // the RT the PSP pushed reaches the EC: the Nodo's paaInviaRT answered
    await logShows(/paaInviaRT/, 30_000);
    for (const p of ['nodoVerificaRPT', 'nodoAttivaRPT', 'paaAttivaRPT', 'nodoInviaRPT', 'pspInviaRPT', 'nodoInviaRT']) expect(log, p).toContain(p);
  }, 60_000);

  it('old-ec-cart: the emulated EC starts a cart naming the channel, and the WISP page it gives is served', async () => {
    const r = await trigger({ action: 'old-ec-cart' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.cart?.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${nodoPort}/wisp`));
    const page = await fetch(r.body.cart!.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    await page.text();
    expect(log).toContain('nodoInviaCarrelloRPT');
  }, 60_000);

  it('the new model still pays on the same port', async () => {
    const r = await trigger({ action: 'pay', verify: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await logShows(new RegExp(`report ${r.body.request!.requestId}: paid`), 30_000);
    expect(log).toContain('activatePaymentNotice');
  }, 60_000);
});
