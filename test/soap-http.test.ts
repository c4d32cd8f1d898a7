// The HTTP layer (src/wire/http.ts): the server's limits and methods; the client's deadline on a
// VirtualClock; every transport fault on both sides; the journal entries of both legs with their
// correlation keys. The codec is in soap-codec.test.ts.
import { INTERFACES } from '../interfaces/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.js';
import { Journal } from '../src/core/journal.js';
import { Faults, type TransportFault } from '../src/core/faults.js';
import { type CallResult, DEFAULT_MAX_BODY, type IncomingSoap, type OutgoingSoap, type RunningServer, soapCall, startSoapServer } from '../src/wire/http.js';
import { type DecodeResult, encodeEnvelope, encodeSoapFault } from '../src/wire/soap.js';
import { type NodeObj } from '../src/wire/xml.js';
import { judgeEcAnswer } from '../actors/nodo/judge.js';
import { correlationOf } from '../interfaces/index.js';
import { op, PA_VERIFY, ACTIVATE, OUTCOME, FC, expectOk, verifyRequest, verifyResponse, activateRequest, activateResponse, outcomeRequest } from './support/soap-messages.js';

const clock = new VirtualClock();
let serverJournal = new Journal(clock);
let clientJournal = new Journal(clock);
let serverFaults = new Faults();
let clientFaults = new Faults();

interface Seen {
  raw: string;
  soapAction?: string;
  decoded: DecodeResult;
  path: string;
}
const seen: Seen[] = [];
/** per-notice behaviour of the test server: virtual lateness, or a real hang released at the end */
const lateness = new Map<string, number>();
const hangs = new Map<string, Promise<void>>();
const releases: (() => void)[] = [];

async function handle(req: IncomingSoap): Promise<OutgoingSoap> {
  seen.push({ raw: req.raw, soapAction: req.soapAction, decoded: req.decoded, path: req.path });
  const d = req.decoded;
  if (!d.ok || !d.msg.op || d.msg.kind !== 'request') return { status: 500, body: encodeSoapFault('soapenv:Client', d.ok ? 'not a request' : d.message) };
  const nn = correlationOf(d.msg.body).noticeNumber ?? '';
  const late = lateness.get(nn);
  if (late) await clock.spend(late);
  const hang = hangs.get(nn);
  if (hang) await hang;
  const o = d.msg.op;
  const content = o.name === 'activatePaymentNotice' ? activateResponse : o.name === 'paVerifyPaymentNotice' ? verifyResponse : { outcome: 'OK' };
  return { status: 200, body: encodeEnvelope(o, 'response', content) };
}

let server: RunningServer;
let url: string;
beforeAll(async () => {
  server = await startSoapServer({ interfaces: INTERFACES,
    name: 'test-ec',
    clock,
    journal: () => serverJournal,
    faults: () => serverFaults,
    get: (p) => (p === '/svc?wsdl' ? { status: 200, type: 'text/xml; charset=UTF-8', body: '<definitions/>' } : undefined),
    handle,
  });
  url = `${server.url}/svc`;
});
afterAll(async () => {
  for (const r of releases) r();
  await server.close();
});
beforeEach(() => {
  serverJournal = new Journal(clock);
  clientJournal = new Journal(clock);
  serverFaults = new Faults();
  clientFaults = new Faults();
  seen.length = 0;
});

let counter = 100;
/** a fresh notice number per call, so fault rules never touch another test's traffic */
const freshNotice = () => `3010000000000${String(counter++).padStart(5, '0')}`;

function call(o: { notice?: string; opName?: string; content?: NodeObj; timeoutMs?: number; realCapMs?: number; envelope?: string } = {}): Promise<CallResult> {
  const oper = op(o.opName ?? 'paVerifyPaymentNotice');
  const nn = o.notice ?? freshNotice();
  const content = o.content ?? { ...verifyRequest, qrCode: { fiscalCode: FC, noticeNumber: nn } };
  return soapCall({
    url,
    op: oper,
    envelope: o.envelope ?? encodeEnvelope(oper, 'request', content),
    from: 'nodo',
    to: 'ec',
    timeoutMs: o.timeoutMs ?? 7000,
    realCapMs: o.realCapMs,
    clock,
    journal: clientJournal,
    faults: clientFaults,
  });
}

describe('startSoapServer', () => {
  it(`a 2 MB body (limit ${DEFAULT_MAX_BODY} bytes) gets 413 with a SOAP Fault; the handler never runs`, async () => {
    const filler = 'x'.repeat(2 * 1024 * 1024);
    const envelope = encodeEnvelope(PA_VERIFY, 'request', { ...verifyRequest, filler });
    expect(Buffer.byteLength(envelope)).toBeGreaterThan(DEFAULT_MAX_BODY);
    const r = await call({ envelope });
    expect(r.transport).toBe('ok');
    expect(r.status).toBe(413);
    const m = r.decoded && expectOk(r.decoded);
    expect(m?.soapFault?.faultcode).toBe('soapenv:Client');
    expect(m?.soapFault?.faultstring).toContain(String(DEFAULT_MAX_BODY));
    expect(seen).toHaveLength(0);
  });

  it('a body just under a custom limit is served; one byte over is 413', async () => {
    const envelope = encodeEnvelope(PA_VERIFY, 'request', verifyRequest);
    const size = Buffer.byteLength(envelope);
    for (const [limit, status] of [
      [size, 200],
      [size - 1, 413],
    ] as const) {
      const s = await startSoapServer({ interfaces: INTERFACES, name: 'small', clock, maxBodyBytes: limit, handle });
      try {
        const r = await fetch(`${s.url}/svc`, { method: 'POST', headers: { 'content-type': 'text/xml', soapaction: '"paVerifyPaymentNotice"' }, body: envelope });
        expect(r.status, `limit ${limit}`).toBe(status);
        await r.text();
      } finally {
        await s.close();
      }
    }
  });

  it('GET handler answers what it knows', async () => {
    const r = await fetch(`${server.url}/svc?wsdl`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/xml');
    expect(await r.text()).toBe('<definitions/>');
  });

  it('GET of something the handler does not know, PUT and DELETE: 405 with Allow: POST', async () => {
    for (const [method, p] of [
      ['GET', '/svc'],
      ['PUT', '/svc'],
      ['DELETE', '/svc?wsdl'],
    ] as const) {
      const r = await fetch(`${server.url}${p}`, { method });
      expect(r.status, `${method} ${p}`).toBe(405);
      expect(r.headers.get('allow')).toBe('POST');
      await r.text();
    }
    expect(seen).toHaveLength(0);
  });

  it('a server without a GET handler refuses GET with 405', async () => {
    const s = await startSoapServer({ interfaces: INTERFACES, name: 'noget', clock, handle });
    try {
      const r = await fetch(`${s.url}/svc?wsdl`);
      expect(r.status).toBe(405);
      await r.text();
    } finally {
      await s.close();
    }
  });

  it('a handler that throws gives HTTP 500 with a soapenv:Server Fault', async () => {
    const s = await startSoapServer({ interfaces: INTERFACES,
      name: 'thrower',
      clock,
      handle: async () => {
        throw new Error('kaputt');
      },
    });
    try {
      const r = await soapCall({ url: s.url, op: PA_VERIFY, envelope: encodeEnvelope(PA_VERIFY, 'request', verifyRequest), from: 'nodo', to: 'ec', timeoutMs: 7000, clock });
      expect(r.status).toBe(500);
      expect(r.decoded && expectOk(r.decoded).soapFault).toEqual({ faultcode: 'soapenv:Server', faultstring: 'internal error: kaputt' });
    } finally {
      await s.close();
    }
  });
});

describe('soapCall', () => {
  it('a normal exchange: ok, status 200, decoded and XSD-valid answer, SOAPAction quoted on the wire', async () => {
    const r = await call();
    expect(r.transport).toBe('ok');
    expect(r.status).toBe(200);
    const m = r.decoded && expectOk(r.decoded);
    expect(m?.op?.name).toBe('paVerifyPaymentNotice');
    expect(m?.kind).toBe('response');
    expect(m?.xsd.valid).toBe(true);
    expect(r.late).toBeUndefined();
    expect(seen[0]?.soapAction).toBe('paVerifyPaymentNotice');
    expect(serverJournal.entries[0]?.headers?.soapaction).toBe('"paVerifyPaymentNotice"');
  });

  it('answer within the deadline on the VirtualClock: ok, latency = the time the server spent', async () => {
    const nn = freshNotice();
    lateness.set(nn, 3000);
    const r = await call({ notice: nn, timeoutMs: 7000 });
    expect(r.transport).toBe('ok');
    expect(r.latencyMs).toBeGreaterThanOrEqual(3000);
    expect(r.latencyMs).toBeLessThan(7000);
  });

  it('server answers late via clock.spend: timeout, late, latency ≥ deadline, the late answer kept as evidence', async () => {
    const nn = freshNotice();
    lateness.set(nn, 8000);
    const before = Date.now();
    const r = await call({ notice: nn, timeoutMs: 7000 });
    expect(Date.now() - before).toBeLessThan(5000); // virtual lateness costs no real time
    expect(r.transport).toBe('timeout');
    expect(r.late).toBe(true);
    expect(r.latencyMs).toBeGreaterThanOrEqual(7000);
    expect(r.latencyMs).toBeGreaterThanOrEqual(8000);
    expect(r.status).toBe(200);
    expect(r.raw).toContain('paVerifyPaymentNoticeRes');
    const resp = clientJournal.filter((e) => e.direction === 'response')[0];
    expect(resp?.transport).toBe('timeout');
    expect(resp?.note).toContain('after the 7000 ms deadline');
    expect(judgeEcAnswer('paVerifyPaymentNotice', r, 7000).kind).toBe('timeout');
  });

  it('a server that hangs in real time: on a VirtualClock the caller gives up after realCapMs and reports the full deadline', async () => {
    const nn = freshNotice();
    hangs.set(nn, new Promise<void>((r) => releases.push(r)));
    const before = Date.now();
    const r = await call({ notice: nn, timeoutMs: 7000, realCapMs: 150 });
    expect(Date.now() - before).toBeGreaterThanOrEqual(140);
    expect(r.transport).toBe('timeout');
    expect(r.latencyMs).toBeGreaterThanOrEqual(7000);
    expect(r.raw).toBeUndefined();
  });

  it('connection refused (closed port): transport refused, with the error code', async () => {
    const s = await startSoapServer({ interfaces: INTERFACES, name: 'gone', clock, handle });
    const closedUrl = `${s.url}/svc`;
    await s.close();
    const r = await soapCall({ url: closedUrl, op: PA_VERIFY, envelope: encodeEnvelope(PA_VERIFY, 'request', verifyRequest), from: 'nodo', to: 'ec', timeoutMs: 7000, clock, journal: clientJournal });
    expect(r.transport).toBe('refused');
    expect(r.error).toContain('ECONNREFUSED');
    expect(r.status).toBeUndefined();
    expect(clientJournal.entries.map((e) => [e.direction, e.transport])).toEqual([
      ['request', undefined],
      ['response', 'refused'],
    ]);
  });
});

describe('transport faults, outbound (applied by the caller)', () => {
  const outbound = (nn: string, fault: TransportFault) => clientFaults.add({ side: 'outbound', primitive: 'paVerifyPaymentNotice', match: { noticeNumber: nn }, fault, times: 1 });

  it('refused: nothing is delivered, latency 0, journal notes the injected fault', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'refused' });
    const r = await call({ notice: nn });
    expect(r.transport).toBe('refused');
    expect(r.latencyMs).toBe(0);
    expect(seen).toHaveLength(0);
    expect(serverJournal.entries).toHaveLength(0);
    expect(clientJournal.entries[0]?.note).toContain('injected fault: refused');
    expect(clientJournal.entries[1]?.transport).toBe('refused');
  });

  it('the rule fires `times` times only: the next call goes through', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'refused' });
    expect((await call({ notice: nn })).transport).toBe('refused');
    expect((await call({ notice: nn })).transport).toBe('ok');
    expect(seen).toHaveLength(1);
  });

  it('a rule for another notice does not fire', async () => {
    outbound(freshNotice(), { kind: 'refused' });
    expect((await call()).transport).toBe('ok');
  });

  it('no-answer: the peer processed the request, the answer is lost; timeout at the deadline', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'no-answer' });
    const r = await call({ notice: nn, timeoutMs: 7000 });
    expect(seen).toHaveLength(1);
    expect(r.transport).toBe('timeout');
    expect(r.latencyMs).toBe(7000);
    expect(r.error).toContain('answer lost');
    expect(judgeEcAnswer('paVerifyPaymentNotice', r, 7000).kind).toBe('timeout');
  });

  it('delay below the deadline: ok, latency ≥ the delay', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'delay', ms: 2500 });
    const r = await call({ notice: nn, timeoutMs: 7000 });
    expect(r.transport).toBe('ok');
    expect(r.latencyMs).toBeGreaterThanOrEqual(2500);
    expect(r.latencyMs).toBeLessThan(7000);
  });

  it('delay beyond the deadline: a late answer, timeout', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'delay', ms: 9000 });
    const r = await call({ notice: nn, timeoutMs: 7000 });
    expect(r.transport).toBe('timeout');
    expect(r.late).toBe(true);
    expect(r.latencyMs).toBeGreaterThanOrEqual(9000);
  });

  it('wrong-soapaction: the peer sees another SOAPAction, the journal records it', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'wrong-soapaction' });
    await call({ notice: nn });
    expect(seen[0]?.soapAction).toBe('collaudoWrongOperation');
    expect(clientJournal.entries[0]?.soapAction).toBe('collaudoWrongOperation');
    expect(seen[0]?.decoded.ok).toBe(true);
  });

  it('non-xml: the peer receives text that is not XML', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'non-xml' });
    await call({ notice: nn });
    expect(seen[0]?.raw).toBe('this is not XML');
    expect(seen[0]?.decoded).toMatchObject({ ok: false, rule: 'not-xml' });
    expect(clientJournal.entries[0]?.raw).toBe('this is not XML');
  });

  it('truncated: the peer receives the first half of the envelope', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'truncated' });
    const full = encodeEnvelope(PA_VERIFY, 'request', { ...verifyRequest, qrCode: { fiscalCode: FC, noticeNumber: nn } });
    await call({ notice: nn });
    expect(seen[0]?.raw).toBe(full.slice(0, Math.floor(full.length / 2)));
    expect(seen[0]?.decoded).toMatchObject({ ok: false, rule: 'not-xml' });
  });

  it('schema-invalid: the peer receives a well-formed request that breaks the XSD', async () => {
    const nn = freshNotice();
    outbound(nn, { kind: 'schema-invalid' });
    await call({ notice: nn });
    const m = seen[0] && expectOk(seen[0].decoded);
    expect(m?.op?.name).toBe('paVerifyPaymentNotice');
    expect(m?.xsd.valid).toBe(false);
    expect(m?.xsd.errors.join(' ')).toContain('collaudoBogus');
    // the server journals its XSD verdict on the request leg
    expect(serverJournal.entries[0]?.xsd?.valid).toBe(false);
  });
});

describe('transport faults, inbound (applied by the server to its answer)', () => {
  const inbound = (nn: string, fault: TransportFault) => serverFaults.add({ side: 'inbound', primitive: 'paVerifyPaymentNotice', match: { noticeNumber: nn }, fault });

  it('http500 with a SOAP Fault', async () => {
    const nn = freshNotice();
    inbound(nn, { kind: 'http500', soapFault: true });
    const r = await call({ notice: nn });
    expect(r.transport).toBe('ok');
    expect(r.status).toBe(500);
    expect(r.decoded && expectOk(r.decoded).soapFault?.faultcode).toBe('soapenv:Server');
    expect(seen).toHaveLength(1); // the request was processed
    expect(judgeEcAnswer('paVerifyPaymentNotice', r, 7000).kind).toBe('invalid');
  });

  it('http500 without a SOAP Fault: a plain-text body', async () => {
    const nn = freshNotice();
    inbound(nn, { kind: 'http500', soapFault: false });
    const r = await call({ notice: nn });
    expect(r.status).toBe(500);
    expect(r.raw).toBe('Internal Server Error');
    expect(r.decoded).toMatchObject({ ok: false, rule: 'not-xml' });
  });

  it('non-xml: HTTP 200 with an HTML page that is not well-formed', async () => {
    const nn = freshNotice();
    inbound(nn, { kind: 'non-xml' });
    const r = await call({ notice: nn });
    expect(r.status).toBe(200);
    expect(r.raw).toContain('<html>');
    expect(r.decoded).toMatchObject({ ok: false, rule: 'not-xml' });
  });

  it('truncated: HTTP 200 with half of the real answer', async () => {
    const nn = freshNotice();
    inbound(nn, { kind: 'truncated' });
    const r = await call({ notice: nn });
    const full = encodeEnvelope(PA_VERIFY, 'response', verifyResponse);
    expect(r.status).toBe(200);
    expect(r.raw).toBe(full.slice(0, Math.floor(full.length / 2)));
    expect(r.decoded?.ok).toBe(false);
  });

  it('schema-invalid: HTTP 200, well-formed, the right response element, XSD-invalid', async () => {
    const nn = freshNotice();
    inbound(nn, { kind: 'schema-invalid' });
    const r = await call({ notice: nn });
    const m = r.decoded && expectOk(r.decoded);
    expect(m?.op?.name).toBe('paVerifyPaymentNotice');
    expect(m?.kind).toBe('response');
    expect(m?.xsd.valid).toBe(false);
    expect(clientJournal.entries[1]?.xsd?.valid).toBe(false);
    expect(judgeEcAnswer('paVerifyPaymentNotice', r, 7000).kind).toBe('invalid');
  });

  it('reset: the connection is reset after the request was read', async () => {
    const nn = freshNotice();
    inbound(nn, { kind: 'reset' });
    const r = await call({ notice: nn });
    expect(seen).toHaveLength(1);
    expect(r.transport).toBe('reset');
    expect(r.raw).toBeUndefined();
    expect(serverJournal.entries[1]?.transport).toBe('reset');
    expect(clientJournal.entries[1]?.transport).toBe('reset');
    expect(judgeEcAnswer('paVerifyPaymentNotice', r, 7000).kind).toBe('unreachable');
  });

  it('no-answer: the request is processed, no answer comes; latency ≥ deadline and the Nodo judges it a timeout', async () => {
    const nn = freshNotice();
    inbound(nn, { kind: 'no-answer' });
    const before = Date.now();
    const r = await call({ notice: nn, timeoutMs: 7000 });
    expect(Date.now() - before).toBeLessThan(5000);
    expect(seen).toHaveLength(1);
    expect(r.transport).not.toBe('ok');
    expect(r.raw).toBeUndefined();
    expect(r.latencyMs).toBeGreaterThan(7000);
    expect(serverJournal.entries[1]?.transport).toBe('no-answer');
    expect(judgeEcAnswer('paVerifyPaymentNotice', r, 7000).kind).toBe('timeout');
  });

  it('delay (inbound): the server spends the time on the clock before answering', async () => {
    const nn = freshNotice();
    inbound(nn, { kind: 'delay', ms: 7500 });
    const r = await call({ notice: nn, timeoutMs: 7000 });
    expect(r.transport).toBe('timeout');
    expect(r.late).toBe(true);
    expect(serverJournal.entries[1]?.latencyMs).toBeGreaterThanOrEqual(7500);
  });
});

describe('journal: both legs, with correlation keys', () => {
  it('activatePaymentNotice: client and server journal request and response; keys noticeNumber, fiscalCode, paymentToken', async () => {
    const nn = freshNotice();
    const content = { ...activateRequest, qrCode: { fiscalCode: FC, noticeNumber: nn } };
    const r = await soapCall({
      url,
      op: ACTIVATE,
      envelope: encodeEnvelope(ACTIVATE, 'request', content),
      from: 'psp',
      to: 'nodo',
      timeoutMs: 7000,
      clock,
      journal: clientJournal,
      headers: { 'x-collaudo-from': 'psp' },
      note: 'unit test',
    });
    expect(r.transport).toBe('ok');
    const [creq, cres] = clientJournal.entries;
    expect(clientJournal.entries).toHaveLength(2);
    expect(creq).toMatchObject({ direction: 'request', from: 'psp', to: 'nodo', primitive: 'activatePaymentNotice', soapAction: 'activatePaymentNotice', note: 'unit test' });
    expect(creq?.correlation).toEqual({ noticeNumber: nn, fiscalCode: FC, idempotencyKey: activateRequest.idempotencyKey });
    expect(cres).toMatchObject({ direction: 'response', from: 'nodo', to: 'psp', httpStatus: 200, exchange: creq?.exchange });
    expect(cres?.correlation).toMatchObject({ noticeNumber: nn, fiscalCode: FC, paymentToken: activateResponse.paymentToken });
    expect(cres?.xsd?.valid).toBe(true);
    expect(cres?.latencyMs).toBe(0);
    expect(cres?.raw).toContain('activatePaymentNoticeRes');

    const [sreq, sres] = serverJournal.entries;
    expect(serverJournal.entries).toHaveLength(2);
    expect(sreq).toMatchObject({ direction: 'request', from: 'psp', to: 'test-ec', primitive: 'activatePaymentNotice', url: '/svc' });
    expect(sreq?.correlation).toMatchObject({ noticeNumber: nn, fiscalCode: FC });
    expect(sreq?.xsd?.valid).toBe(true);
    expect(sres).toMatchObject({ direction: 'response', from: 'test-ec', httpStatus: 200, exchange: sreq?.exchange });
    expect(sres?.correlation).toMatchObject({ noticeNumber: nn });
    expect(sres?.raw).toBe(cres?.raw);
    // seq numbers are consecutive
    expect(clientJournal.entries.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('sendPaymentOutcome: the token is the correlation key of both legs', async () => {
    const r = await soapCall({ url, op: OUTCOME, envelope: encodeEnvelope(OUTCOME, 'request', outcomeRequest), from: 'psp', to: 'nodo', timeoutMs: 7000, clock, journal: clientJournal });
    expect(r.transport).toBe('ok');
    for (const e of [...clientJournal.entries, ...serverJournal.entries]) expect(e.correlation.paymentToken, `${e.direction} ${e.from}`).toBe(outcomeRequest.paymentToken);
  });

  it('journal.waitFor resolves on a future entry and rejects at its deadline', async () => {
    const j = new Journal(clock);
    const p = j.waitFor((e) => e.primitive === 'x', 2000, 'x');
    j.record({ exchange: 1, direction: 'request', from: 'a', to: 'b', primitive: 'x', raw: '', correlation: {} });
    expect((await p).primitive).toBe('x');
    await expect(j.waitFor((e) => e.primitive === 'never', 30, 'never')).rejects.toThrow(/never came/);
  });
});
