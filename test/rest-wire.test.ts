// The REST wire (src/wire/rest): server and client over TLS, OpenAPI validation both ways, the
// journal with correlation keys by the API's rule, and per-scenario transport faults as for SOAP.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.js';
import { Faults, type TransportFault } from '../src/core/faults.js';
import { Journal } from '../src/core/journal.js';
import type { RunningServer } from '../src/wire/http-common.js';
import { restCall } from '../src/wire/rest/client.js';
import { type RestRequest, type RestResponse, startRestServer } from '../src/wire/rest/server.js';
import { CHECKOUT_CARTS, GPD, PAYMENT_OPTIONS } from '../interfaces/rest/index.js';

const EC = '77777777777';
const NAV = '302000000000000001';
const OTHER_NAV = '302000000000000002';
const DUE = '2026-12-31T23:59:59';
/** a valid PaymentOptionsResponse */
const OPTIONS = { organizationFiscalCode: EC, paymentOptions: [{ numberOfInstallments: 1, amount: 1000, dueDate: DUE, status: 'PO_UNPAID', installments: [{ nav: NAV, iuv: '02000000000000001', amount: 1000, dueDate: DUE, status: 'POI_UNPAID' }] }] };
const cart = (nav = NAV, amount = 1000) => ({
  paymentNotices: [{ noticeNumber: nav, fiscalCode: EC, amount, companyName: 'Comune', description: 'TARI' }],
  returnUrls: { returnOkUrl: 'https://ec.example/ok', returnCancelUrl: 'https://ec.example/ko', returnErrorUrl: 'https://ec.example/err' },
});

let dir: string;
let cert: string;
let key: string;
const clock = new VirtualClock();
const serverJournal = new Journal(clock);
const clientJournal = new Journal(clock);
const faults = new Faults();
const handled: RestRequest[] = [];
const refused: RestRequest[] = [];
/** what the payment-options handler answers next */
let options: RestResponse = { status: 200, json: {} };
let tlsServer: RunningServer;
let plainServer: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'collaudo-rest-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
  key = readFileSync(path.join(dir, 'key.pem'), 'utf8');
  const services = [
    {
      api: CHECKOUT_CARTS, mount: '/checkout',
      handle: (r: RestRequest): RestResponse => { handled.push(r); return { status: 302, headers: { location: 'https://checkout.example/c/1' } }; },
      refused: (r: RestRequest) => void refused.push(r),
    },
    { api: PAYMENT_OPTIONS, mount: '', handle: (): RestResponse => options },
    { api: GPD, mount: '/gpd', handle: (r: RestRequest): RestResponse => { handled.push(r); return { status: 201, json: r.json }; } },
  ];
  const common = { name: 'platform', clock, services, journal: () => serverJournal, faults: () => faults };
  tlsServer = await startRestServer({ ...common, tls: { cert, key } });
  plainServer = await startRestServer(common);
});
afterAll(async () => {
  await tlsServer?.close();
  await plainServer?.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (url: string, body: unknown, o: { timeoutMs?: number; withFaults?: boolean } = {}) =>
  restCall({ url, method: 'POST', api: CHECKOUT_CARTS, operationId: 'postCarts', body, clock, journal: clientJournal, from: 'ec', to: 'checkout', tls: { ca: cert }, timeoutMs: o.timeoutMs, faults: o.withFaults ? faults : undefined });
const lastOf = (j: Journal, direction: 'request' | 'response') => j.entries.filter((e) => e.direction === direction).at(-1)!;

describe('REST wire: TLS, journal, correlation', () => {
  it('round trip over https: 302 with its Location, both legs journaled on both sides with the operationId and correlation keys', async () => {
    expect(tlsServer.url).toMatch(/^https:\/\//);
    const before = handled.length;
    const r = await post(`${tlsServer.url}/checkout/carts`, cart());
    expect(r.transport).toBe('ok');
    expect(r.status).toBe(302);
    expect(r.headers['location']).toBe('https://checkout.example/c/1');
    expect(handled.length).toBe(before + 1);
    expect(handled.at(-1)!.operationId).toBe('postCarts');
    expect(handled.at(-1)!.path).toBe('/carts');
    for (const [j, side] of [[serverJournal, 'server'], [clientJournal, 'client']] as const) {
      const req = lastOf(j, 'request');
      const res = lastOf(j, 'response');
      expect(req.exchange, side).toBe(res.exchange);
      expect(req.primitive, side).toBe('postCarts');
      expect(req.url, side).toBe('POST /checkout/carts');
      expect(req.correlation, side).toMatchObject({ noticeNumber: NAV, fiscalCode: EC });
      expect(JSON.parse(req.raw), side).toEqual(cart());
      expect(req.xsd, side).toEqual({ valid: true, errors: [] });
      expect(res.httpStatus, side).toBe(302);
    }
    expect(lastOf(serverJournal, 'request').from).toBe('ec');
    expect(lastOf(serverJournal, 'request').headers?.['content-type']).toBe('application/json');
  });

  it('a client that does not trust the certificate gets no answer (the TLS is real)', async () => {
    const r = await restCall({ url: `${tlsServer.url}/checkout/carts`, method: 'POST', api: CHECKOUT_CARTS, operationId: 'postCarts', body: cart(), clock, from: 'ec', to: 'checkout' });
    expect(r.transport).toBe('error');
    expect(r.status).toBeUndefined();
    expect(r.problem).toMatch(/certificate/i);
  });

  it('path parameters carry correlation keys too (the API rule names them)', async () => {
    options = { status: 200, json: OPTIONS };
    const r = await restCall({ url: `${plainServer.url}/payment-options/organizations/${EC}/notices/${NAV}`, method: 'POST', api: PAYMENT_OPTIONS, operationId: 'getPaymentOptionsByNoticeNumber', clock, journal: clientJournal, from: 'nodo', to: 'ec-options' });
    expect(r.verdict).toEqual({ valid: true, errors: [] });
    expect(r.request?.correlation).toEqual({ noticeNumber: NAV, fiscalCode: EC });
    expect(lastOf(serverJournal, 'request').correlation).toEqual({ noticeNumber: NAV, fiscalCode: EC });
  });
});

describe('REST wire: OpenAPI validation both ways', () => {
  it('a request that breaks the schema is refused 400 problem+json naming field and rule; the handler never sees it', async () => {
    const before = handled.length;
    const r = await post(`${tlsServer.url}/checkout/carts`, cart(NAV, 0));
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toBe('application/problem+json');
    const p = r.json as { status: number; title: string; detail: string; errors: string[] };
    expect(p.status).toBe(400);
    expect(p.detail).toMatch(/body\/paymentNotices\/0\/amount minimum: must be >= 1/);
    expect(handled.length).toBe(before);
    expect(refused.at(-1)!.verdict.valid).toBe(false);
    expect(lastOf(serverJournal, 'request').xsd?.valid).toBe(false);
    expect(lastOf(serverJournal, 'request').xsd?.errors.join()).toMatch(/amount minimum/);
  });

  it('a missing required field is named, and a query parameter of the wrong type too', async () => {
    const r = await post(`${tlsServer.url}/checkout/carts`, { paymentNotices: cart().paymentNotices });
    expect(r.status).toBe(400);
    expect((r.json as { detail: string }).detail).toMatch(/body\/returnUrls required/);
    const q = await restCall({ url: `${plainServer.url}/gpd/organizations/${EC}/debtpositions?toPublish=maybe`, method: 'POST', body: {}, clock, from: 'ec', to: 'gpd', operationId: 'createPosition' });
    expect(q.status).toBe(400);
    expect((q.json as { detail: string }).detail).toMatch(/query parameter toPublish type: must be boolean/);
  });

  it('unknown path → 404, known path with another method → 405 with Allow', async () => {
    const a = await restCall({ url: `${plainServer.url}/checkout/nowhere`, method: 'POST', body: {}, clock, from: 'ec', to: 'checkout', operationId: 'x' });
    expect(a.status).toBe(404);
    const b = await restCall({ url: `${plainServer.url}/checkout/carts`, method: 'GET', clock, from: 'ec', to: 'checkout', operationId: 'x' });
    expect(b.status).toBe(405);
    expect(b.headers['allow']).toBe('POST');
  });

  it('an answer that breaks its schema is detected by the client (and journaled by the server), never a crash', async () => {
    options = { status: 200, json: { organizationFiscalCode: 'ABC', paymentOptions: [] } };
    const r = await restCall({ url: `${plainServer.url}/payment-options/organizations/${EC}/notices/${NAV}`, method: 'POST', api: PAYMENT_OPTIONS, operationId: 'getPaymentOptionsByNoticeNumber', clock, journal: clientJournal, from: 'nodo', to: 'ec-options' });
    expect(r.status).toBe(200);
    expect(r.verdict?.valid).toBe(false);
    expect(r.verdict?.errors.join('\n')).toMatch(/body\/organizationFiscalCode pattern/);
    expect(r.verdict?.errors.join('\n')).toMatch(/body\/paymentOptions minItems/);
    expect(r.response?.xsd?.valid).toBe(false);
    expect(lastOf(serverJournal, 'response').xsd?.valid).toBe(false);
    // the error status has its own schema: a valid ErrorResponse passes, a bare one does not
    options = { status: 404, json: { httpStatusCode: 404, appErrorCode: 'ODP-107' } };
    const ok = await restCall({ url: `${plainServer.url}/payment-options/organizations/${EC}/notices/${NAV}`, method: 'POST', api: PAYMENT_OPTIONS, operationId: 'getPaymentOptionsByNoticeNumber', clock, from: 'nodo', to: 'ec-options' });
    expect(ok.verdict).toEqual({ valid: true, errors: [] });
    options = { status: 404, json: { error: 'not found' } };
    const bad = await restCall({ url: `${plainServer.url}/payment-options/organizations/${EC}/notices/${NAV}`, method: 'POST', api: PAYMENT_OPTIONS, operationId: 'getPaymentOptionsByNoticeNumber', clock, from: 'nodo', to: 'ec-options' });
    expect(bad.verdict?.errors.join()).toMatch(/body\/appErrorCode required/);
  });
});

describe('REST wire: per-scenario transport faults', () => {
  const inbound = (nav: string, fault: TransportFault) => faults.add({ side: 'inbound', primitive: 'postCarts', match: { noticeNumber: nav }, fault, times: 1 });

  it('delay is spent on the virtual clock: inside the deadline an answer, past it a late answer taken as a timeout', async () => {
    inbound(NAV, { kind: 'delay', ms: 3000 });
    const a = await post(`${plainServer.url}/checkout/carts`, cart(), { timeoutMs: 10_000 });
    expect(a.transport).toBe('ok');
    expect(a.latencyMs).toBeGreaterThanOrEqual(3000);
    inbound(NAV, { kind: 'delay', ms: 12_000 });
    const b = await post(`${plainServer.url}/checkout/carts`, cart(), { timeoutMs: 10_000 });
    expect(b.transport).toBe('timeout');
    expect(b.late).toBe(true);
    expect(b.status).toBe(302);
    expect(b.response?.note).toMatch(/after the 10000 ms deadline/);
  });

  it('faults follow correlation keys: a rule for one notice leaves another alone', async () => {
    inbound(NAV, { kind: 'http500', soapFault: false });
    const other = await post(`${plainServer.url}/checkout/carts`, cart(OTHER_NAV));
    expect(other.status).toBe(302);
    const hit = await post(`${plainServer.url}/checkout/carts`, cart(NAV));
    expect(hit.status).toBe(500);
    expect(hit.raw).toBe('Internal Server Error');
    expect(lastOf(serverJournal, 'response').note).toBe('injected fault: http500');
  });

  it('no-answer: the handler ran, no answer comes; the client times out at its deadline', async () => {
    const before = handled.length;
    inbound(NAV, { kind: 'no-answer' });
    const t0 = Date.now();
    const r = await post(`${plainServer.url}/checkout/carts`, cart(), { timeoutMs: 7000 });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(handled.length).toBe(before + 1);
    expect(r.transport).toBe('timeout');
    expect(r.status).toBeUndefined();
    expect(r.latencyMs).toBeGreaterThan(7000);
    expect(lastOf(serverJournal, 'response').transport).toBe('no-answer');
    expect(r.response?.transport).toBe('timeout');
  });

  it('reset, non-JSON and truncated answers', async () => {
    inbound(NAV, { kind: 'reset' });
    expect((await post(`${plainServer.url}/checkout/carts`, cart())).transport).toBe('reset');
    faults.add({ side: 'inbound', primitive: 'getPaymentOptionsByNoticeNumber', match: { noticeNumber: NAV }, fault: { kind: 'non-xml' }, times: 1 });
    options = { status: 200, json: OPTIONS };
    const call = () => restCall({ url: `${plainServer.url}/payment-options/organizations/${EC}/notices/${NAV}`, method: 'POST', api: PAYMENT_OPTIONS, operationId: 'getPaymentOptionsByNoticeNumber', clock, from: 'nodo', to: 'ec-options' });
    const html = await call();
    expect(html.status).toBe(200);
    expect(html.problem).toBe('the body is not JSON');
    expect(html.verdict?.valid).toBe(false);
    faults.add({ side: 'inbound', primitive: 'getPaymentOptionsByNoticeNumber', match: { noticeNumber: NAV }, fault: { kind: 'truncated' }, times: 1 });
    const cut = await call();
    expect(cut.json).toBeUndefined();
    expect(cut.raw.length).toBeGreaterThan(0);
    expect((await call()).verdict).toEqual({ valid: true, errors: [] });
  });

  it('outbound faults on the client: refused sends nothing, no-answer loses the answer of a processed request', async () => {
    const before = handled.length;
    faults.add({ side: 'outbound', primitive: 'postCarts', match: { noticeNumber: NAV }, fault: { kind: 'refused' }, times: 1 });
    const refusedCall = await post(`${plainServer.url}/checkout/carts`, cart(), { withFaults: true });
    expect(refusedCall.transport).toBe('refused');
    expect(handled.length).toBe(before);
    faults.add({ side: 'outbound', primitive: 'postCarts', match: { noticeNumber: NAV }, fault: { kind: 'no-answer' }, times: 1 });
    const lost = await post(`${plainServer.url}/checkout/carts`, cart(), { withFaults: true, timeoutMs: 7000 });
    expect(handled.length).toBe(before + 1);
    expect(lost.transport).toBe('timeout');
    expect(lost.latencyMs).toBe(7000);
    expect(lost.request?.note).toBe('injected fault: no-answer');
  });
});
