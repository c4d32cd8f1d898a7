// Interoperability: a mainstream SOAP stack (the `soap` package), given only OUR WSDLs, talks to our
// reference parts over real sockets. A PSP-side client built from xsd/nodeForPsp.wsdl pays a notice
// through the ReferenceNodo (which calls the real ReferenceEc); a Nodo-side client built from
// xsd/paForNode.wsdl calls the ReferenceEc directly. Every message our parts produced (read from the
// journals) must validate against our XSDs.
import soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock, isoDate } from '../src/core/clock.js';
import { Journal, type JournalEntry } from '../src/core/journal.js';
import { makeIban, parseAmount } from '../domain/common.js';
import { type Registry, harnessPspEntries } from '../domain/registry.js';
import { HARNESS_PSP } from '../domain/harness-parties.js';
import { decodeEnvelope } from '../interfaces/index.js';
import { nodeForPsp, paForNode } from '../interfaces/index.js';
import { ReferenceNodo } from '../actors/nodo/index.js';
import { type PositionJson, ReferenceEc } from '../candidates/ec/index.js';

const FC = '77777777777';
const BROKER = '15376371009';
const STATION = '15376371009_01';
const SEG = '01';
const IBANS = [makeIban('IT', 'X0306909606100000012345'), makeIban('IT', 'X0542811101000000123456')];

const clock = new VirtualClock();
const nodoJournal = new Journal(clock);
const ecJournal = new Journal(clock);

let ec: ReferenceEc;
let nodo: ReferenceNodo;
let nodoUrl: string;

type SoapResult = Record<string, unknown> & { outcome?: string; fault?: Record<string, unknown> };
// the `soap` client's methods are generated from the WSDL: typed loosely here
type AsyncOp = (args: Record<string, unknown>) => Promise<[SoapResult, string, unknown, string]>;
const opOf = (client: soap.Client, name: string): AsyncOp => {
  const f = (client as unknown as Record<string, AsyncOp | undefined>)[`${name}Async`];
  if (typeof f !== 'function') throw new Error(`the soap client has no ${name}Async: the WSDL does not describe ${name}`);
  return f.bind(client);
};

const caller = { idPSP: HARNESS_PSP.idPSP, idBrokerPSP: HARNESS_PSP.idBrokerPSP, idChannel: HARNESS_PSP.idChannel, password: HARNESS_PSP.password };
let keySeq = 0;
const idempotencyKey = () => `${HARNESS_PSP.idPSP}_${String(1_000_000_000 + keySeq++).slice(-10)}`;

function registry(stationUrl: string): Registry {
  return {
    ecs: [{ fiscalCode: FC, companyName: 'Comune di Interop', enabled: true, ibans: IBANS, stations: [{ idStation: STATION, auxDigit: 3, code: SEG }] }],
    brokersPa: [{ idBrokerPA: BROKER, enabled: true }],
    stations: [{ idStation: STATION, idBrokerPA: BROKER, enabled: true, serviceActive: true, url: stationUrl, version: 1 }],
    ...harnessPspEntries(),
  };
}

beforeAll(async () => {
  ec = new ReferenceEc({
    clock,
    idPA: FC,
    idBrokerPA: BROKER,
    idStation: STATION,
    companyName: 'Comune di Interop',
    segregationCode: SEG,
    ibans: IBANS,
    journal: () => ecJournal,
  });
  const { url } = await ec.start();
  nodo = new ReferenceNodo({ clock, registry: registry(url), journal: () => nodoJournal });
  ({ url: nodoUrl } = await nodo.start());
});
afterAll(async () => {
  await nodo?.stop();
  await ec?.stop();
});

/** XSD verdict of a journaled message (our schemas, through the codec). */
function verdictOf(e: JournalEntry): { ok: boolean; what: string } {
  const d = decodeEnvelope(e.raw);
  if (!d.ok) return { ok: false, what: `${d.rule}: ${d.message}` };
  if (d.msg.soapFault) return { ok: false, what: `SOAP Fault ${d.msg.soapFault.faultstring}` };
  return { ok: d.msg.xsd.valid, what: `${d.msg.body.name}${d.msg.xsd.valid ? '' : `: ${d.msg.xsd.errors.slice(0, 2).join('; ')}`}` };
}

describe('a soap client built from xsd/nodeForPsp.wsdl pays a notice through the reference Nodo', () => {
  let client: soap.Client;
  let position: PositionJson;
  let paymentToken = '';

  beforeAll(async () => {
    client = await soap.createClientAsync(nodeForPsp.wsdl!, { endpoint: nodoUrl });
    position = ec.provision({ state: 'payable', amountCents: 12050 });
  });

  it('verifyPaymentNotice → OK with the amount of the position', async () => {
    const [res, rawRes, , rawReq] = await opOf(client, 'verifyPaymentNotice')({ ...caller, qrCode: { fiscalCode: FC, noticeNumber: position.noticeNumber } });
    expect(rawReq).toContain('verifyPaymentNoticeReq');
    expect(res.outcome, rawRes).toBe('OK');
    const list = res.paymentList as { paymentOptionDescription: { amount: string | number } | { amount: string | number }[] };
    const opt = Array.isArray(list.paymentOptionDescription) ? list.paymentOptionDescription[0] : list.paymentOptionDescription;
    expect(parseAmount(Number(opt?.amount).toFixed(2))).toBe(12050);
    expect(res.fiscalCodePA).toBe(FC);
  });

  it('activatePaymentNotice → OK with a payment token and the transfers', async () => {
    const [res, rawRes] = await opOf(client, 'activatePaymentNotice')({
      ...caller,
      idempotencyKey: idempotencyKey(),
      qrCode: { fiscalCode: FC, noticeNumber: position.noticeNumber },
      expirationTime: 600_000,
      amount: '120.50',
    });
    expect(res.outcome, rawRes).toBe('OK');
    paymentToken = String(res.paymentToken ?? '');
    expect(paymentToken).toMatch(/^\S{1,35}$/);
    expect(Number(res.totalAmount)).toBe(120.5);
    expect(nodo.token(paymentToken)?.state).toBe('ACTIVE');
  });

  it('sendPaymentOutcome → OK; the receipt reaches the EC and the position is paid', async () => {
    expect(paymentToken, 'needs the activation of the previous test').not.toBe('');
    const today = isoDate(clock.now());
    const [res, rawRes] = await opOf(client, 'sendPaymentOutcome')({
      ...caller,
      idempotencyKey: idempotencyKey(),
      paymentToken,
      outcome: 'OK',
      details: { paymentMethod: 'creditCard', paymentChannel: 'onLine', fee: '1.00', applicationDate: today, transferDate: today },
    });
    expect(res.outcome, rawRes).toBe('OK');
    const d = await nodo.waitDelivery(paymentToken, FC, 10_000);
    expect(d.state).toBe('delivered');
    expect(ec.position(FC, position.noticeNumber)?.state).toBe('paid');
  });

  it('a KO comes back as a readable faultBean (notice never issued)', async () => {
    const [res] = await opOf(client, 'verifyPaymentNotice')({ ...caller, qrCode: { fiscalCode: FC, noticeNumber: '301999999999999999' } });
    expect(res.outcome).toBe('KO');
    expect(res.fault?.faultCode).toBe('PPT_ERRORE_EMESSO_DA_PAA');
  });

  it('a WSDL fetched from the Nodo (?wsdl) gives a working client too', async () => {
    const remote = await soap.createClientAsync(`${nodoUrl}?wsdl`);
    const p = ec.provision({ state: 'payable', amountCents: 999 });
    const [res] = await opOf(remote, 'verifyPaymentNotice')({ ...caller, qrCode: { fiscalCode: FC, noticeNumber: p.noticeNumber } });
    expect(res.outcome).toBe('OK');
  });

  it('every message of the exchanges validates against our XSDs: the Nodo’s answers, its calls to the EC, the EC’s answers, the soap client’s requests', () => {
    const entries = nodoJournal.entries.filter((e) => e.raw);
    const nodoAnswers = entries.filter((e) => e.direction === 'response' && e.from === 'nodo');
    const nodoCalls = entries.filter((e) => e.direction === 'request' && e.from === 'nodo');
    const ecAnswers = entries.filter((e) => e.direction === 'response' && e.to === 'nodo' && e.from === 'ec');
    const clientRequests = entries.filter((e) => e.direction === 'request' && e.to === 'nodo');
    // 5 PSP calls (3 verifies, 1 activate, 1 outcome); the Nodo called the EC for each verify (the unknown
    // notice too), once for paGetPayment and once for the receipt (paSendRT)
    expect(nodoAnswers.length).toBe(5);
    expect(clientRequests.length).toBe(5);
    expect(nodoCalls.map((e) => e.primitive).sort()).toEqual(['paGetPayment', 'paSendRT', 'paVerifyPaymentNotice', 'paVerifyPaymentNotice', 'paVerifyPaymentNotice']);
    expect(ecAnswers.length).toBe(nodoCalls.length);
    const bad = [...nodoAnswers, ...nodoCalls, ...ecAnswers, ...clientRequests]
      .map((e) => ({ e, v: verdictOf(e) }))
      .filter((x) => !x.v.ok)
      .map((x) => `#${x.e.seq} ${x.e.direction} ${x.e.from}→${x.e.to} ${x.e.primitive}: ${x.v.what}`);
    expect(bad).toEqual([]);
    // and the journal's own XSD verdicts agree
    expect(nodoAnswers.every((e) => e.httpStatus === 200)).toBe(true);
    expect(clientRequests.every((e) => e.xsd?.valid === true)).toBe(true);
  });
});

describe('a soap client built from xsd/paForNode.wsdl calls the reference EC', () => {
  let client: soap.Client;
  beforeAll(async () => {
    client = await soap.createClientAsync(paForNode.wsdl!, { endpoint: ec.url });
  });

  it('paVerifyPaymentNotice of a payable position → OK with amount, description and EC data', async () => {
    const p = ec.provision({ state: 'payable', amountCents: 4321, description: 'Interop <check> & co' });
    const before = ecJournal.entries.length;
    const [res, rawRes] = await opOf(client, 'paVerifyPaymentNotice')({ idPA: FC, idBrokerPA: BROKER, idStation: STATION, qrCode: { fiscalCode: FC, noticeNumber: p.noticeNumber } });
    expect(res.outcome, rawRes).toBe('OK');
    expect(res.paymentDescription).toBe('Interop <check> & co');
    expect(res.fiscalCodePA).toBe(FC);
    expect(res.companyName).toBe('Comune di Interop');
    const opt = (res.paymentList as { paymentOptionDescription: { amount: string | number } }).paymentOptionDescription;
    expect(Number(opt.amount)).toBe(43.21);
    const answer = ecJournal.entries.slice(before).find((e) => e.direction === 'response');
    expect(answer && verdictOf(answer)).toEqual({ ok: true, what: 'paVerifyPaymentNoticeRes' });
  });

  it('paVerifyPaymentNotice of a paid / unknown notice → KO with the EC faultBean', async () => {
    const paid = ec.provision({ state: 'paid' });
    const cases: [string, string][] = [
      [paid.noticeNumber, 'PAA_PAGAMENTO_DUPLICATO'],
      ['301999999999999999', 'PAA_PAGAMENTO_SCONOSCIUTO'],
    ];
    for (const [nn, code] of cases) {
      const [res] = await opOf(client, 'paVerifyPaymentNotice')({ idPA: FC, idBrokerPA: BROKER, idStation: STATION, qrCode: { fiscalCode: FC, noticeNumber: nn } });
      expect(res.outcome, nn).toBe('KO');
      expect(res.fault?.faultCode, nn).toBe(code);
      expect(res.fault?.id, nn).toBe(FC);
    }
  });

  it('every answer of the reference EC in its own journal validates against our XSD', () => {
    const answers = ecJournal.entries.filter((e) => e.direction === 'response' && e.raw);
    expect(answers.length).toBeGreaterThanOrEqual(8);
    const bad = answers.map((e) => ({ e, v: verdictOf(e) })).filter((x) => !x.v.ok).map((x) => `#${x.e.seq} ${x.e.primitive}: ${x.v.what}`);
    expect(bad).toEqual([]);
  });
});
