// Every HTTP server of ours, started on loopback with ephemeral ports, for the hostile-input and
// fuzz tests: the reference Nodo, the reference EC (paForNode, provisioning, portal, trigger hook),
// the reference PSP (pspForNode, trigger), the platform REST services with GPD's paForNode, the
// report inbox and the control port of `serve --psp-counterpart`.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { RealClock } from '../../src/core/clock.js';
import { Journal } from '../../src/core/journal.js';
import { loadProfile } from '../../src/profile/index.js';
import { harnessPspEntries } from '../../domain/registry.js';
import { HARNESS_PSP } from '../../domain/harness-parties.js';
import { REFERENCE_EC_PROFILE } from '../../seats/ec.js';
import { ReferenceNodo } from '../../actors/nodo/index.js';
import { ReferenceEc } from '../../candidates/ec/index.js';
import { ReferencePsp } from '../../candidates/psp/reference-psp.js';
import { Platform } from '../../actors/platform/index.js';
import { ReportInbox } from '../../src/triggers/index.js';
import { controlServer } from '../../cli/serve-psp.js';

export interface Target {
  name: string;
  host: string;
  port: number;
  /** paths worth mutating on this server */
  paths: string[];
  /** a well-formed request and the status it must get */
  valid: { method: string; path: string; headers?: Record<string, string>; body?: string; status: number };
}

export interface Servers {
  targets: Target[];
  journal: Journal;
  stop(): Promise<void>;
}

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}

export async function startAll(journal?: Journal): Promise<Servers> {
  const clock = new RealClock();
  const j = journal ?? new Journal(clock);
  const p = loadProfile(REFERENCE_EC_PROFILE).profile;
  const ibans = p.ec.ibans ?? [];
  const platform = new Platform({ clock, idBrokerPA: p.ec.idBrokerPA, idStation: p.ec.idStation });
  const urls = await platform.start();
  platform.bind({ journal: j, psp: undefined as never });
  const ec = new ReferenceEc({
    clock, idPA: p.ec.idPA, idBrokerPA: p.ec.idBrokerPA, idStation: p.ec.idStation, companyName: p.ec.companyName ?? 'EC',
    segregationCode: p.ec.segregationCode ?? '01', ibans, platform: urls, journal: () => j,
  });
  const { url: ecUrl, baseUrl: ecBase } = await ec.start();
  const nodo = new ReferenceNodo({
    clock, journal: () => j,
    registry: {
      ecs: [{ fiscalCode: p.ec.idPA, companyName: p.ec.companyName ?? p.name, enabled: true, ibans, stations: [{ idStation: p.ec.idStation, auxDigit: 3, code: p.ec.segregationCode }] }],
      brokersPa: [{ idBrokerPA: p.ec.idBrokerPA, enabled: true }],
      stations: [{ idStation: p.ec.idStation, idBrokerPA: p.ec.idBrokerPA, enabled: true, serviceActive: true, url: ecUrl, version: p.ec.stationVersion ?? 1 }],
      ...harnessPspEntries(),
    },
  });
  const { url: nodoUrl } = await nodo.start();
  const psp = new ReferencePsp({ clock, nodoUrl, ids: { idPSP: HARNESS_PSP.idPSP, idBrokerPSP: HARNESS_PSP.idBrokerPSP, idChannel: HARNESS_PSP.idChannel, password: HARNESS_PSP.password } });
  const { pspForNodeUrl } = await psp.start();
  const inbox = new ReportInbox();
  const inboxUrl = await inbox.start();
  const control = controlServer(async (req, res) => {
    for await (const _ of req) void _;
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end('{"error":"test control port"}');
  });
  await new Promise<void>((r) => control.listen(0, '127.0.0.1', () => r()));
  const gpdSoap = platform.gpd.soapUrl;
  const targets: Target[] = [
    { name: 'nodo', ...hostPort(nodoUrl), paths: ['/nodeForPsp', '/?wsdl', '/nodeForPsp.xsd'], valid: { method: 'GET', path: '/?wsdl', status: 200 } },
    {
      name: 'ec', ...hostPort(ecBase),
      paths: ['/pagopa/paForNode', '/provisioning/positions', `/provisioning/positions/${p.ec.idPA}/301000000000000000`, '/collaudo/trigger', '/govpay/pagamenti', '/govpay/pagamenti/PAG1', '/frontend/esito', `/payment-options/organizations/${p.ec.idPA}/notices/301000000000000000`],
      valid: { method: 'GET', path: '/provisioning/positions', status: 200 },
    },
    { name: 'psp', ...hostPort(pspForNodeUrl), paths: ['/pspForNode', '/trigger'], valid: { method: 'POST', path: '/trigger', headers: { 'content-type': 'application/json' }, body: '{}', status: 400 } },
    {
      name: 'platform', ...hostPort(urls.checkoutUrl), paths: ['/checkout/carts', `/gpd/organizations/${p.ec.idPA}/debtpositions`, `/gpd/organizations/${p.ec.idPA}/debtpositions/X/publish`, '/aca/paCreatePosition'],
      valid: { method: 'GET', path: `/gpd/organizations/${p.ec.idPA}/debtpositions/NONE`, status: 404 },
    },
    { name: 'gpd-soap', ...hostPort(gpdSoap), paths: ['/gpd-payments/paForNode'], valid: { method: 'POST', path: '/gpd-payments/paForNode', headers: { 'content-type': 'text/xml' }, body: 'not xml', status: 500 } },
    {
      name: 'report-inbox', ...hostPort(inboxUrl), paths: ['/collaudo/report'],
      valid: { method: 'POST', path: '/collaudo/report', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requestId: 'r-1', result: 'paid' }), status: 204 },
    },
    { name: 'control', host: '127.0.0.1', port: (control.address() as AddressInfo).port, paths: ['/collaudo/trigger'], valid: { method: 'POST', path: '/collaudo/trigger', body: '{}', status: 400 } },
  ];
  return {
    targets,
    journal: j,
    stop: async () => {
      control.closeAllConnections();
      await new Promise<void>((r) => control.close(() => r()));
      await inbox.close();
      await psp.stop();
      await nodo.stop();
      await ec.stop();
      await platform.stop();
    },
  };
}

export interface RawAnswer {
  /** HTTP status, or undefined when the server closed without an answer */
  status?: number;
  head: string;
  body: string;
}

/** Sends raw bytes and reads until the server closes or one full answer came (deadline `ms`). */
export function rawRequest(t: { host: string; port: number }, bytes: string | Buffer, ms = 5000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(t.port, t.host);
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const i = text.indexOf('\r\n\r\n');
      const head = i >= 0 ? text.slice(0, i) : text;
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      resolve({ status: m ? Number(m[1]) : undefined, head, body: i >= 0 ? text.slice(i + 4) : '' });
    };
    const timer = setTimeout(() => {
      done = true;
      sock.destroy();
      reject(new Error(`${t.host}:${t.port}: no answer within ${ms} ms to ${JSON.stringify(bytes.toString().slice(0, 80))}`));
    }, ms);
    sock.on('data', (c: Buffer) => {
      chunks.push(c);
      // a complete answer: headers and Content-Length bytes of body
      const text = Buffer.concat(chunks).toString('latin1');
      const i = text.indexOf('\r\n\r\n');
      const len = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, i));
      if (i >= 0 && len && Buffer.byteLength(text.slice(i + 4), 'latin1') >= Number(len[1])) finish();
    });
    sock.on('end', finish);
    sock.on('close', finish);
    sock.on('error', () => finish());
    sock.write(bytes);
  });
}

/** The well-formed request of a target, over a fresh connection. */
export async function validRequest(t: Target): Promise<RawAnswer> {
  const v = t.valid;
  const body = v.body ?? '';
  const headers = { host: `${t.host}:${t.port}`, connection: 'close', 'content-length': String(Buffer.byteLength(body)), ...(v.headers ?? {}) };
  return rawRequest(t, `${v.method} ${v.path} HTTP/1.1\r\n${Object.entries(headers).map(([k, x]) => `${k}: ${x}`).join('\r\n')}\r\n\r\n${body}`);
}

export { http };
