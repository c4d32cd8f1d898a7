// Self-test of the reference Nodo (actors/nodo) and the emulated PSP (actors/psp/client.ts) against a
// tiny fake EC station written here (not the reference EC). Everything runs on a VirtualClock:
// lateness, token expiry and the receipt retry schedule cost microseconds of real time.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { INTERFACES } from '../interfaces/index.js';
import http from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { XmlElement } from 'libxml2-wasm';
import type { AddressInfo } from 'node:net';
import { RealClock, VirtualClock } from '../src/core/clock.js';
import { Journal } from '../src/core/journal.js';
import { Faults } from '../src/core/faults.js';
import { Registry, harnessPspEntries } from '../domain/registry.js';
import { HARNESS_PSP } from '../domain/harness-parties.js';
import { IncomingSoap, OutgoingSoap, RunningServer, startSoapServer } from '../src/wire/http.js';
import { encodeEnvelope, encodeSoapFault, outcomeOf, readFault } from '../src/wire/soap.js';
import { OPERATIONS } from '../interfaces/index.js';
import { El, NodeObj, child, childrenNamed, parseDocument, textOf } from '../src/wire/xml.js';
import { validateElement } from '../src/wire/xsd.js';
import { formatAmount, makeIban, noticeAux3 } from '../domain/common.js';
import { DEFAULT_TOKEN_LIFETIME_MS, ReferenceNodo, ReferenceNodoConfig } from '../actors/nodo/index.js';
import { EmulatedPsp, transfersOf } from '../actors/psp/client.js';
import { decodeEnvelope } from '../interfaces/index.js';

// ---------------------------------------------------------------- parties

const EC_A = '77777777777';
const EC_B = '88888888888';
const EC_OFF = '66666666666';
const EC_UNKNOWN = '55555555555';
const IBAN_A = makeIban('IT', 'X0306909606100000012345');
const IBAN_A_POSTAL = makeIban('IT', 'X0760101600000000012345');
const IBAN_B = makeIban('IT', 'X0103076271000001823603');
const IBAN_NOT_REGISTERED = makeIban('IT', 'X0200801633000100012345');
const HASH = 'ZGVhZGJlZWZkZWFkYmVlZmRlYWRiZWVmZGVhZGJlZWY=';
const MBD_DOC = Buffer.from('<marcaDaBollo>collaudo</marcaDaBollo>').toString('base64');

const clock = new VirtualClock();
let journal = new Journal(clock);
let pspJournal = new Journal(clock);
let nodoFaults = new Faults();
let ecFaults = new Faults();

type Mode =
  | 'ok'
  | 'late'
  | 'ko'
  | 'invalid-xml'
  | 'http500'
  | 'soap-fault'
  | 'ko-without-fault'
  | 'ok-with-fault'
  | 'schema-invalid'
  | 'verify-missing'
  | 'no-data'
  | 'bad-sum'
  | 'dup-idtransfer'
  | 'unregistered-iban'
  | 'bad-iban';

interface FakeTransfer {
  fc: string;
  amountCents: number;
  iban?: string;
  mbd?: boolean;
}
interface FakeNotice {
  fiscalCode: string;
  noticeNumber: string;
  amountCents: number;
  transfers?: FakeTransfer[];
  verify?: Mode;
  get?: Mode;
  koCode?: string;
}

/** A tiny EC station: a notice table with switches, a receipt archive (one booking per (EC, receiptId)). */
class FakeEc {
  readonly notices = new Map<string, FakeNotice>();
  calls: { primitive: string; noticeNumber?: string; idPA?: string; idStation?: string; body: El; xsdValid: boolean }[] = [];
  readonly booked = new Map<string, El>();
  private server?: RunningServer;

  async start(): Promise<string> {
    this.server = await startSoapServer({ interfaces: INTERFACES, name: 'ec', clock, faults: () => ecFaults, handle: (r) => this.handle(r) });
    return this.server.url;
  }
  stop() {
    return this.server?.close();
  }
  add(n: FakeNotice): FakeNotice {
    this.notices.set(n.noticeNumber, n);
    return n;
  }
  count(primitive: string, nn?: string) {
    return this.calls.filter((c) => c.primitive.startsWith(primitive) && (!nn || c.noticeNumber === nn)).length;
  }

  private async handle(req: IncomingSoap): Promise<OutgoingSoap> {
    const d = req.decoded;
    if (!d.ok || !d.msg.op) return { status: 500, body: encodeSoapFault('soapenv:Client', 'bad request') };
    const op = d.msg.op;
    const b = d.msg.body;
    const receipt = child(b, 'receipt');
    const nn = textOf(child(b, 'qrCode'), 'noticeNumber') ?? textOf(receipt, 'noticeNumber');
    this.calls.push({ primitive: op.name, noticeNumber: nn, idPA: textOf(b, 'idPA'), idStation: textOf(b, 'idStation'), body: b, xsdValid: d.msg.xsd.valid });
    const res = (content: NodeObj): OutgoingSoap => ({ status: 200, body: encodeEnvelope(op, 'response', content) });
    const fault = (code: string, fc: string) => ({ outcome: 'KO', fault: { faultCode: code, faultString: `fake EC: ${code}`, id: fc, description: `the fake EC says ${code}` } });
    if (op.name === 'paSendRT' || op.name === 'paSendRTV2') {
      const idPA = textOf(b, 'idPA')!;
      const n = this.notices.get(nn ?? '');
      const concerned = n && (n.fiscalCode === idPA || (n.transfers ?? []).some((t) => t.fc === idPA));
      if (!concerned) return res(fault('PAA_PAGAMENTO_SCONOSCIUTO', idPA));
      const key = `${idPA}|${textOf(receipt, 'receiptId')}`;
      if (this.booked.has(key)) return res(fault('PAA_RECEIPT_DUPLICATA', idPA));
      this.booked.set(key, receipt!);
      return res({ outcome: 'OK' });
    }
    const n = this.notices.get(nn ?? '');
    if (!n) return res(fault('PAA_PAGAMENTO_SCONOSCIUTO', textOf(b, 'idPA') ?? EC_A));
    const mode = (op.name === 'paVerifyPaymentNotice' ? n.verify : n.get) ?? 'ok';
    switch (mode) {
      case 'late':
        await clock.spend(8000); // beyond the Nodo's 7 s (IF-X-13), on the virtual clock
        break;
      case 'ko':
        return res(fault(n.koCode ?? 'PAA_PAGAMENTO_SCADUTO', n.fiscalCode));
      case 'invalid-xml':
        return { status: 200, body: '<html><body>proxy error</body></html' };
      case 'http500':
        return { status: 500, body: 'Internal Server Error' };
      case 'soap-fault':
        return { status: 500, body: encodeSoapFault('soapenv:Server', 'NullPointerException') };
      case 'ko-without-fault':
        return res({ outcome: 'KO' });
      case 'ok-with-fault':
        return res({ ...fault('PAA_SYSTEM_ERROR', n.fiscalCode), outcome: 'OK' });
      case 'schema-invalid':
        return res({ outcome: 'OK', collaudoBogus: 'x' });
      default:
        break;
    }
    if (op.name === 'paVerifyPaymentNotice') {
      if (mode === 'verify-missing') return res({ outcome: 'OK', paymentDescription: 'TARI', fiscalCodePA: n.fiscalCode, companyName: 'Comune di Prova' });
      return res({
        outcome: 'OK',
        paymentList: { paymentOptionDescription: { amount: formatAmount(n.amountCents), options: 'EQ', dueDate: '2026-12-31', detailDescription: 'rata unica', allCCP: false } },
        paymentDescription: 'TARI 2026',
        fiscalCodePA: n.fiscalCode,
        companyName: 'Comune di Prova',
        officeName: 'Tributi',
      });
    }
    if (op.name === 'paGetPayment' || op.name === 'paGetPaymentV2') {
      if (mode === 'no-data') return res({ outcome: 'OK' });
      const v2 = op.name === 'paGetPaymentV2';
      const ts = n.transfers ?? [{ fc: n.fiscalCode, amountCents: n.amountCents, iban: IBAN_A }];
      const transfer = ts.map((t, i) => {
        let iban = t.iban;
        if (i === 0 && mode === 'unregistered-iban') iban = IBAN_NOT_REGISTERED;
        if (i === 0 && mode === 'bad-iban') iban = 'IT00X0000000000000000000000';
        return {
          idTransfer: mode === 'dup-idtransfer' ? 1 : i + 1,
          transferAmount: formatAmount(t.amountCents),
          fiscalCodePA: t.fc,
          ...(v2 ? { companyName: t.fc === EC_B ? 'Provincia di Prova' : 'Comune di Prova' } : {}),
          ...(t.mbd ? { richiestaMarcaDaBollo: { hashDocumento: HASH, tipoBollo: '01', provinciaResidenza: 'RM' } } : { IBAN: iban }),
          remittanceInformation: `quota ${i + 1}`,
          transferCategory: '0101101IM',
          metadata: i === 0 ? { mapEntry: [{ key: 'capitolo', value: '1234' }] } : undefined,
        };
      });
      const total = mode === 'bad-sum' ? n.amountCents + 1 : n.amountCents;
      return res({
        outcome: 'OK',
        data: {
          creditorReferenceId: nn!.slice(1),
          paymentAmount: formatAmount(total),
          dueDate: '2026-12-31',
          description: 'TARI 2026',
          companyName: 'Comune di Prova',
          officeName: 'Tributi',
          debtor: { uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'RSSMRA80A01H501U' }, fullName: 'Mario Rossi' },
          transferList: { transfer },
          metadata: { mapEntry: { key: 'pratica', value: '2026/1' } },
        },
      });
    }
    return res(fault('PAA_SYSTEM_ERROR', n.fiscalCode));
  }
}

const fakeEc = new FakeEc();
let deadUrl = '';
let nodo: ReferenceNodo;
let psp: EmulatedPsp;
let nodoUrl = '';
const started: ReferenceNodo[] = [];

function registry(ecUrl: string): Registry {
  const h = harnessPspEntries();
  const station = (idStation: string, over: Partial<Registry['stations'][number]> = {}) => ({
    idStation,
    idBrokerPA: 'BRKPA_A',
    enabled: true,
    serviceActive: true,
    url: ecUrl,
    version: 1 as 1 | 2,
    ...over,
  });
  return {
    ecs: [
      {
        fiscalCode: EC_A,
        companyName: 'Comune di Prova',
        enabled: true,
        ibans: [IBAN_A, IBAN_A_POSTAL],
        stations: [
          { idStation: 'STA_V1', auxDigit: 3, code: '01' },
          { idStation: 'STA_V2', auxDigit: 3, code: '02' },
          { idStation: 'STA_OFF', auxDigit: 3, code: '03' },
          { idStation: 'STA_NOSVC', auxDigit: 3, code: '04' },
          { idStation: 'STA_BRKOFF', auxDigit: 3, code: '05' },
          { idStation: 'STA_DEAD', auxDigit: 3, code: '06' },
          { idStation: 'STA_NOBRK', auxDigit: 3, code: '07' },
        ],
      },
      { fiscalCode: EC_B, companyName: 'Provincia di Prova', enabled: true, ibans: [IBAN_B], stations: [{ idStation: 'STA_B', auxDigit: 3, code: '01' }] },
      { fiscalCode: EC_OFF, companyName: 'Ente disabilitato', enabled: false, ibans: [], stations: [{ idStation: 'STA_V1', auxDigit: 3, code: '01' }] },
    ],
    brokersPa: [
      { idBrokerPA: 'BRKPA_A', enabled: true },
      { idBrokerPA: 'BRKPA_OFF', enabled: false },
    ],
    stations: [
      station('STA_V1'),
      station('STA_V2', { version: 2 }),
      station('STA_OFF', { enabled: false }),
      station('STA_NOSVC', { serviceActive: false }),
      station('STA_BRKOFF', { idBrokerPA: 'BRKPA_OFF' }),
      station('STA_DEAD', { url: deadUrl }),
      station('STA_NOBRK', { idBrokerPA: 'BRKPA_NONE' }),
      station('STA_B'),
    ],
    psps: [
      ...h.psps,
      { idPSP: 'PSPOFF', enabled: false, companyName: 'PSP spento', fiscalCode: '11111111111' },
      { idPSP: 'PSPTWO', enabled: true, companyName: 'Secondo PSP', fiscalCode: '22222222222' },
    ],
    brokersPsp: [...h.brokersPsp, { idBrokerPSP: 'BRKPSPOFF', enabled: false }, { idBrokerPSP: 'BRKPSPTWO', enabled: true }],
    channels: [
      ...h.channels,
      { idChannel: 'CHOFF', idBrokerPSP: HARNESS_PSP.idBrokerPSP, password: HARNESS_PSP.password, enabled: false, description: 'off', psps: [HARNESS_PSP.idPSP] },
      { idChannel: 'CHTWO', idBrokerPSP: 'BRKPSPTWO', password: 'password_two', enabled: true, description: 'second PSP', psps: ['PSPTWO'] },
    ],
  };
}

let seq = 0;
/** A fresh notice of EC A served by the station with segregation code `code` (01 = V1, 02 = V2). */
function notice(code = '01', over: Partial<FakeNotice> = {}): FakeNotice {
  seq++;
  const nn = noticeAux3(code, String(1_000_000_000_000 + seq * 7919).slice(0, 13));
  return fakeEc.add({ fiscalCode: EC_A, noticeNumber: nn, amountCents: 12_050, ...over });
}
const qr = (n: { fiscalCode: string; noticeNumber: string }) => ({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber });

async function newNodo(over: Partial<ReferenceNodoConfig> = {}): Promise<{ nodo: ReferenceNodo; psp: EmulatedPsp }> {
  const n = new ReferenceNodo({
    clock,
    registry: registry(ecUrl),
    journal: () => journal,
    faults: () => nodoFaults,
    ...over,
  });
  const { url } = await n.start();
  started.push(n);
  return { nodo: n, psp: new EmulatedPsp({ nodoUrl: url, clock, journal: () => pspJournal }) };
}

let ecUrl = '';
const t0 = performance.now();

/** The official schemas, when the reference snapshot is present (DESIGN: cross-check what we emit). */
const OFFICIAL_XSD = path.resolve(import.meta.dirname ?? '.', '../../shared/reference/pagopa-api/wsdl/xsd');
const officialAvailable = existsSync(path.join(OFFICIAL_XSD, 'paForNode.xsd')) && existsSync(path.join(OFFICIAL_XSD, 'nodeForPsp.xsd'));
let officialChecked = 0;
function officialVerdict(raw: string, iface: 'paForNode' | 'nodeForPsp'): string[] {
  const doc = parseDocument(raw);
  try {
    let body: XmlElement | undefined;
    for (let c = doc.root.firstChild; c; c = c.next) if (c instanceof XmlElement && c.name === 'Body') body = c;
    let wrapper: XmlElement | undefined;
    for (let c = body?.firstChild; c; c = c.next) if (c instanceof XmlElement) wrapper = c;
    return validateElement(wrapper!, path.join(OFFICIAL_XSD, `${iface}.xsd`)).errors;
  } finally {
    doc.dispose();
  }
}

/** Every message the Nodo emitted (answers to the PSP, requests to the EC) validates against our XSDs (and the official ones). */
let validated = 0;
function assertNodoMessagesValid(j: Journal) {
  for (const e of j.entries) {
    if (e.from !== 'nodo' || !e.raw) continue;
    if (e.note?.includes('injected fault') || e.note?.includes('hand-made')) continue;
    const d = decodeEnvelope(e.raw);
    expect(d.ok, `${e.primitive} ${e.direction}: ${d.ok ? '' : d.message}`).toBe(true);
    if (!d.ok) continue;
    if (d.msg.soapFault) {
      expect(e.httpStatus).toBe(500);
      continue;
    }
    expect(d.msg.op, `${e.direction} body ${d.msg.body.name}`).toBeDefined();
    expect(d.msg.xsd.errors, `${e.primitive} ${e.direction} must validate`).toEqual([]);
    validated++;
    const iface = d.msg.op!.iface;
    if (officialAvailable && (iface === 'paForNode' || iface === 'nodeForPsp')) {
      expect(officialVerdict(e.raw, iface), `${e.primitive} ${e.direction} against the official ${iface}.xsd`).toEqual([]);
      officialChecked++;
    }
  }
}

beforeAll(async () => {
  ecUrl = await fakeEc.start();
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  deadUrl = `http://127.0.0.1:${(s.address() as AddressInfo).port}/closed`;
  await new Promise<void>((r) => s.close(() => r()));
  ({ nodo, psp } = await newNodo());
  nodoUrl = nodo.url;
});

beforeEach(() => {
  journal = new Journal(clock);
  pspJournal = new Journal(clock);
  nodoFaults = new Faults();
  ecFaults = new Faults();
});

afterEach(() => {
  assertNodoMessagesValid(journal);
  assertNodoMessagesValid(pspJournal);
  // the EC never received a schema-invalid request from the Nodo
  expect(fakeEc.calls.filter((c) => !c.xsdValid).map((c) => c.primitive)).toEqual([]);
});

afterAll(async () => {
  for (const n of started) await n.stop();
  await fakeEc.stop();
  expect(validated).toBeGreaterThan(100);
  // eslint-disable-next-line no-console
  console.log(`nodo.test: ${validated} Nodo messages validated (${officialChecked} also against the official XSDs); real time ${(performance.now() - t0).toFixed(0)} ms`);
});

const ecCalls = () => fakeEc.calls.length;

// ================================================================ nominal flows

describe('nominal payment', () => {
  it('V1: verify → activate → outcome OK → paSendRT receipt, then the notice is paid (NM-PSPPAY-PAY-01, NM-RT-PAY-01)', async () => {
    const n = notice('01');
    const r = await psp.payNotice(qr(n));
    expect(r.verify?.outcome).toBe('OK');
    expect(r.verify?.amountCents).toBe(12_050);
    expect(r.activate?.outcome).toBe('OK');
    const token = r.paymentToken!;
    expect(token.length).toBeGreaterThan(0);
    expect(token.length).toBeLessThanOrEqual(35);
    expect(r.activate?.totalAmountCents).toBe(12_050);
    expect(transfersOf(r.activate?.body)).toEqual([{ idTransfer: 1, amountCents: 12_050, fiscalCodePA: EC_A, iban: IBAN_A }]);
    expect(textOf(r.activate?.body, 'creditorReferenceId')).toBe(n.noticeNumber.slice(1));
    expect(r.outcome?.outcome).toBe('OK');
    expect(fakeEc.count('paVerifyPaymentNotice', n.noticeNumber)).toBe(1);
    expect(fakeEc.count('paGetPayment', n.noticeNumber)).toBe(1);
    expect(fakeEc.calls.find((c) => c.primitive === 'paGetPayment' && c.noticeNumber === n.noticeNumber)?.idStation).toBe('STA_V1');

    const d = await nodo.waitDelivery(token, EC_A, 2000);
    expect(d.state).toBe('delivered');
    expect(d.primitive).toBe('paSendRT');
    expect(d.attempts).toHaveLength(1);
    const rcpt = fakeEc.booked.get(`${EC_A}|${token}`)!;
    expect(textOf(rcpt, 'receiptId')).toBe(token);
    expect(textOf(rcpt, 'noticeNumber')).toBe(n.noticeNumber);
    expect(textOf(rcpt, 'outcome')).toBe('OK');
    expect(textOf(rcpt, 'paymentAmount')).toBe('120.50');
    expect(textOf(rcpt, 'idPSP')).toBe(HARNESS_PSP.idPSP);
    expect(textOf(rcpt, 'PSPCompanyName')).toBe(HARNESS_PSP.companyName);
    expect(textOf(rcpt, 'idChannel')).toBe(HARNESS_PSP.idChannel);
    expect(textOf(rcpt, 'fee')).toBe('1.00');
    expect(textOf(rcpt, 'standIn')).toBe('false');
    expect(textOf(child(rcpt, 'debtor'), 'fullName')).toBe('Mario Rossi');
    expect(textOf(child(child(rcpt, 'metadata'), 'mapEntry'), 'key')).toBe('pratica');

    // the PSP's answer is journaled before the receipt is sent (asynchronous delivery)
    const outcomeAnswer = journal.entries.find((e) => e.primitive === 'sendPaymentOutcome' && e.direction === 'response')!;
    const rtRequest = journal.entries.find((e) => e.primitive === 'paSendRT' && e.direction === 'request')!;
    expect(outcomeAnswer.seq).toBeLessThan(rtRequest.seq);
    expect(journal.entries.find((e) => e.primitive === 'verifyPaymentNotice' && e.direction === 'request')?.from).toBe('psp');
    expect(pspJournal.entries.filter((e) => e.from === 'psp' && e.to === 'nodo').map((e) => e.primitive)).toEqual([
      'verifyPaymentNotice',
      'activatePaymentNotice',
      'sendPaymentOutcome',
    ]);

    // paid through the platform: the Nodo answers alone (NM-PSPPAY-ERR-07)
    expect(nodo.notice(EC_A, n.noticeNumber)).toEqual({ state: 'paid', paymentToken: token });
    expect(nodo.token(token)?.state).toBe('PAID');
    const before = ecCalls();
    const v = await psp.verify(qr(n));
    expect(v.fault?.faultCode).toBe('PPT_PAGAMENTO_DUPLICATO');
    expect(v.fault?.id).toBe('NodoDeiPagamentiSPC');
    const a = await psp.activate(qr(n), 12_050);
    expect(a.fault?.faultCode).toBe('PPT_PAGAMENTO_DUPLICATO');
    expect(ecCalls()).toBe(before);
  });

  it('V2 station and V2 primitives: paGetPaymentV2 / paSendRTV2 with fee bundles and paymentNote (NM-PSPPAY-PAY-03, NM-RT-PAY-02)', async () => {
    const n = notice('02', { transfers: [{ fc: EC_A, amountCents: 12_050, iban: IBAN_A_POSTAL }] });
    const a = await psp.activate(qr(n), 12_050, { v2: true, paymentNote: 'nota del pagatore', paymentMethod: 'CP', touchPoint: 'PSP' });
    expect(a.outcome).toBe('OK');
    expect(a.body?.name).toBe('activatePaymentNoticeV2Response');
    expect(textOf(a.body, 'allCCP')).toBe('true');
    expect(textOf(child(child(a.body, 'transferList'), 'transfer'), 'transferCategory')).toBe('0101101IM');
    expect(textOf(child(child(a.body, 'transferList'), 'transfer'), 'companyName')).toBe('Comune di Prova');
    expect(child(a.body, 'metadata')).toBeDefined();
    expect(fakeEc.count('paGetPaymentV2', n.noticeNumber)).toBe(1);
    const o = await psp.outcome(a.paymentToken!, 'OK', { v2: true, details: { feeCents: 150, primaryCiIncurredFeeCents: 50, idBundle: 'bundle-1', idCiBundle: 'ci-bundle-1' } });
    expect(o.outcome).toBe('OK');
    expect(o.body?.name).toBe('sendPaymentOutcomeV2Response');
    const d = await nodo.waitDelivery(a.paymentToken!, EC_A, 2000);
    expect(d).toMatchObject({ state: 'delivered', primitive: 'paSendRTV2' });
    const rcpt = fakeEc.booked.get(`${EC_A}|${a.paymentToken}`)!;
    expect(textOf(rcpt, 'fee')).toBe('1.50');
    expect(textOf(rcpt, 'primaryCiIncurredFee')).toBe('0.50');
    expect(textOf(rcpt, 'idBundle')).toBe('bundle-1');
    expect(textOf(rcpt, 'idCiBundle')).toBe('ci-bundle-1');
    expect(textOf(rcpt, 'paymentNote')).toBe('nota del pagatore');
  });

  it('digital stamp: V1 activate refused, V2 needs the marcaDaBollo, receipt V2 carries MBDAttachment (IF-activatePaymentNotice-F79, NM-A-18)', async () => {
    const n = notice('02', {
      amountCents: 11_600,
      transfers: [
        { fc: EC_A, amountCents: 10_000, iban: IBAN_A },
        { fc: EC_A, amountCents: 1_600, mbd: true },
      ],
    });
    const v1 = await psp.activate(qr(n), 11_600);
    expect(v1.fault?.faultCode).toBe('PPT_SEMANTICA');
    const a = await psp.activate(qr(n), 11_600, { v2: true });
    expect(a.outcome).toBe('OK');
    const mbd = childrenNamed(child(a.body, 'transferList'), 'transfer')[1]!;
    expect(textOf(child(mbd, 'richiestaMarcaDaBollo'), 'tipoBollo')).toBe('01');
    const missing = await psp.outcome(a.paymentToken!, 'OK', { v2: true });
    expect(missing.fault?.faultCode).toBe('PPT_SEMANTICA');
    expect(nodo.token(a.paymentToken!)?.state).toBe('ACTIVE');
    const o = await psp.outcome(a.paymentToken!, 'OK', { v2: true, details: { marcheDaBollo: [{ paymentToken: a.paymentToken!, idTransfer: 2, MBDAttachment: MBD_DOC }] } });
    expect(o.outcome).toBe('OK');
    await nodo.waitDelivery(a.paymentToken!, EC_A, 2000);
    const rcpt = fakeEc.booked.get(`${EC_A}|${a.paymentToken}`)!;
    const ts = childrenNamed(child(rcpt, 'transferList'), 'transfer');
    expect(textOf(ts[1], 'MBDAttachment')).toBe(MBD_DOC);
    expect(textOf(ts[0], 'IBAN')).toBe(IBAN_A);
  });

  it('multi-beneficiary: one receipt to the issuing EC and one to the secondary EC, each with its own station (NM-MB-PAY-01)', async () => {
    const n = notice('01', {
      amountCents: 30_000,
      transfers: [
        { fc: EC_A, amountCents: 20_000, iban: IBAN_A },
        { fc: EC_B, amountCents: 10_000, iban: IBAN_B },
      ],
    });
    const r = await psp.payNotice(qr(n));
    expect(r.outcome?.outcome).toBe('OK');
    const [da, db] = await Promise.all([nodo.waitDelivery(r.paymentToken!, EC_A, 2000), nodo.waitDelivery(r.paymentToken!, EC_B, 2000)]);
    expect(da).toMatchObject({ state: 'delivered', role: 'primary', idStation: 'STA_V1' });
    expect(db).toMatchObject({ state: 'delivered', role: 'secondary', idStation: 'STA_B' });
    const toB = fakeEc.calls.find((c) => c.primitive === 'paSendRT' && c.idPA === EC_B)!;
    expect(toB.idStation).toBe('STA_B');
    expect(textOf(child(toB.body, 'receipt'), 'fiscalCode')).toBe(EC_A);
    expect(nodo.deliveries(r.paymentToken)).toHaveLength(2);
  });

  it('outcome KO: no receipt, the notice is payable again at once (NM-PSPPAY-PAY-06, NM-RT-VAL-01)', async () => {
    const n = notice();
    const a = await psp.activate(qr(n), 12_050);
    const o = await psp.outcome(a.paymentToken!, 'KO');
    expect(o.outcome).toBe('OK');
    await new Promise((r) => setImmediate(r));
    expect(nodo.deliveries(a.paymentToken)).toEqual([]);
    expect(nodo.token(a.paymentToken!)?.state).toBe('CLOSED_KO');
    expect(nodo.notice(n.fiscalCode, n.noticeNumber).state).toBe('free');
    const again = await psp.activate(qr(n), 12_050);
    expect(again.outcome).toBe('OK');
    expect(again.paymentToken).not.toBe(a.paymentToken);
    await psp.outcome(again.paymentToken!, 'KO');
  });
});

// ================================================================ caller and counterpart configuration

describe('caller authentication (IF-X-16) and counterpart routing (IF-verifyPaymentNotice-F72)', () => {
  const authCases: [string, Parameters<EmulatedPsp['withIds']>[0], string][] = [
    ['unknown PSP', { idPSP: 'NOPSP' }, 'PPT_PSP_SCONOSCIUTO'],
    ['disabled PSP', { idPSP: 'PSPOFF' }, 'PPT_PSP_DISABILITATO'],
    ['unknown broker', { idBrokerPSP: 'NOBROKER' }, 'PPT_INTERMEDIARIO_PSP_SCONOSCIUTO'],
    ['disabled broker', { idBrokerPSP: 'BRKPSPOFF' }, 'PPT_INTERMEDIARIO_PSP_DISABILITATO'],
    ['unknown channel', { idChannel: 'NOCHANNEL' }, 'PPT_CANALE_SCONOSCIUTO'],
    ['disabled channel', { idChannel: 'CHOFF' }, 'PPT_CANALE_DISABILITATO'],
    ['channel of another broker', { idChannel: 'CHTWO' }, 'PPT_AUTORIZZAZIONE'],
    ['PSP not on the channel', { idPSP: 'PSPTWO' }, 'PPT_AUTORIZZAZIONE'],
    ['wrong password', { password: 'wrong_pass1' }, 'PPT_AUTENTICAZIONE'],
  ];
  it.each(authCases)('%s → %s on verify, activate and outcome, with no EC call', async (_name, ids, code) => {
    const n = notice();
    const bad = psp.withIds(ids);
    const before = ecCalls();
    for (const c of [await bad.verify(qr(n)), await bad.activate(qr(n), 100), await bad.outcome('sometoken', 'OK')]) {
      expect(c.result.status).toBe(200);
      expect(c.outcome).toBe('KO');
      expect(c.fault).toMatchObject({ faultCode: code, id: 'NodoDeiPagamentiSPC' });
      expect(c.fault?.faultString).toBeTruthy();
    }
    expect(ecCalls()).toBe(before);
  });

  const routeCases: [string, () => { fiscalCode: string; noticeNumber: string }, string][] = [
    ['unknown EC', () => ({ fiscalCode: EC_UNKNOWN, noticeNumber: notice().noticeNumber }), 'PPT_DOMINIO_SCONOSCIUTO'],
    ['disabled EC', () => ({ fiscalCode: EC_OFF, noticeNumber: notice().noticeNumber }), 'PPT_DOMINIO_DISABILITATO'],
    ['no station for the segregation code', () => notice('09'), 'PPT_STAZIONE_INT_PA_SCONOSCIUTA'],
    ['disabled station', () => notice('03'), 'PPT_STAZIONE_INT_PA_DISABILITATA'],
    ['disabled EC broker', () => notice('05'), 'PPT_INTERMEDIARIO_PA_DISABILITATO'],
    ['unknown EC broker', () => notice('07'), 'PPT_INTERMEDIARIO_PA_SCONOSCIUTO'],
    ['station service not active', () => notice('04'), 'PPT_STAZIONE_INT_PA_SERVIZIO_NONATTIVO'],
  ];
  it.each(routeCases)('%s → %s on verify and activate, with no EC call', async (_name, mk, code) => {
    const n = mk();
    const before = ecCalls();
    for (const c of [await psp.verify(qr(n)), await psp.activate(qr(n), 100), await psp.activate(qr(n), 100, { v2: true })]) {
      expect(c.fault).toMatchObject({ faultCode: code, id: 'NodoDeiPagamentiSPC' });
    }
    expect(ecCalls()).toBe(before);
  });
});

describe('syntax (IF-X-18, IF-A-04, IF-A-05)', () => {
  it('schema-invalid request → KO PPT_SINTASSI_EXTRAXSD with HTTP 200', async () => {
    const c = await psp.send('verifyPaymentNotice', { ...psp.callerFields(), qrCode: { fiscalCode: EC_A, noticeNumber: '12345' } });
    expect(c.result.status).toBe(200);
    expect(c.fault?.faultCode).toBe('PPT_SINTASSI_EXTRAXSD');
    const over = await psp.activate(qr(notice()), 100, { expirationTimeMs: 1_800_001 });
    expect(over.fault?.faultCode).toBe('PPT_SINTASSI_EXTRAXSD'); // NM-TOK-VAL-01
    const badKey = await psp.activate(qr(notice()), 100, { idempotencyKey: 'no-good' });
    expect(badKey.fault?.faultCode).toBe('PPT_SINTASSI_EXTRAXSD'); // NM-TOK-VAL-03
  });
  it('not a SOAP envelope → SOAP Fault, HTTP 500; DTD refused the same way', async () => {
    for (const raw of ['this is not XML', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>']) {
      const c = await psp.send('verifyPaymentNotice', { rawEnvelope: raw });
      expect(c.result.status).toBe(500);
      expect(c.problem).toMatch(/SOAP Fault soapenv:Client/);
    }
  });
  it('wrong SOAPAction → KO PPT_SOAPACTION_ERRATA', async () => {
    const n = notice();
    const c = await psp.send('verifyPaymentNotice', { ...psp.callerFields(), qrCode: qr(n) }, { soapAction: 'activatePaymentNotice' });
    expect(c.fault?.faultCode).toBe('PPT_SOAPACTION_ERRATA');
    expect(fakeEc.count('paVerifyPaymentNotice', n.noticeNumber)).toBe(0);
  });
  it('GET ?wsdl serves the nodeForPsp WSDL with the live endpoint', async () => {
    const res = await fetch(`${nodoUrl}?wsdl`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('nodeForPsp');
    expect(text).toContain(nodoUrl);
    const xsd = await fetch(new URL('nodeForPsp.xsd', nodoUrl));
    expect(xsd.status).toBe(200);
  });
});

// ================================================================ EC station failures

describe('EC answers judged by the Nodo (IF-X-12..IF-X-14, NM-X-STA-01)', () => {
  it('valid EC KO relayed as PPT_ERRORE_EMESSO_DA_PAA with id = EC and original* (IF-X-12)', async () => {
    const n = notice('01', { verify: 'ko', get: 'ko', koCode: 'PAA_PAGAMENTO_SCADUTO' });
    for (const c of [await psp.verify(qr(n)), await psp.activate(qr(n), 12_050)]) {
      expect(c.fault).toMatchObject({
        faultCode: 'PPT_ERRORE_EMESSO_DA_PAA',
        faultString: "Errore restituito dall'ente creditore",
        id: EC_A,
        description: 'the fake EC says PAA_PAGAMENTO_SCADUTO',
        originalFaultCode: 'PAA_PAGAMENTO_SCADUTO',
        originalFaultString: 'fake EC: PAA_PAGAMENTO_SCADUTO',
        originalDescription: 'the fake EC says PAA_PAGAMENTO_SCADUTO',
      });
    }
    expect(nodo.notice(n.fiscalCode, n.noticeNumber).state).toBe('free');
    // a custom code is relayed too (the platform checks no EC code)
    const custom = notice('01', { verify: 'ko', koCode: 'PAA_XYZ' });
    expect((await psp.verify(qr(custom))).fault?.originalFaultCode).toBe('PAA_XYZ');
  });

  it('without the extended faultBean, the EC bean is flattened into description', async () => {
    const { psp: p2 } = await newNodo({ extendedFaultBean: false });
    const n = notice('01', { verify: 'ko', koCode: 'PAA_PAGAMENTO_ANNULLATO' });
    const c = await p2.verify(qr(n));
    expect(c.fault?.faultCode).toBe('PPT_ERRORE_EMESSO_DA_PAA');
    expect(c.fault?.originalFaultCode).toBeUndefined();
    expect(c.fault?.description).toContain('PAA_PAGAMENTO_ANNULLATO');
  });

  it('late answer (8 s on the virtual clock) → PPT_STAZIONE_INT_PA_TIMEOUT, no token', async () => {
    const n = notice('01', { verify: 'late', get: 'late' });
    const started = clock.now();
    const v = await psp.verify(qr(n));
    expect(v.fault).toMatchObject({ faultCode: 'PPT_STAZIONE_INT_PA_TIMEOUT', id: 'NodoDeiPagamentiSPC' });
    const a = await psp.activate(qr(n), 12_050);
    expect(a.fault?.faultCode).toBe('PPT_STAZIONE_INT_PA_TIMEOUT');
    expect(clock.now() - started).toBeGreaterThanOrEqual(16_000);
    expect(nodo.notice(n.fiscalCode, n.noticeNumber).state).toBe('free');
    const late = journal.entries.find((e) => e.primitive === 'paVerifyPaymentNotice' && e.direction === 'response')!;
    expect(late.transport).toBe('timeout');
    expect(late.note).toMatch(/after the 7000 ms deadline/);
  });

  it('real clock: PPT_STAZIONE_INT_PA_TIMEOUT leaves when the station timeout in force expires, before the late EC answer (IF-X-13)', async () => {
    const { psp: p2 } = await newNodo({ clock: new RealClock(), timeouts: { paVerifyPaymentNotice: 150 } });
    const n = notice();
    nodoFaults.add({ side: 'outbound', primitive: 'paVerifyPaymentNotice', match: { noticeNumber: n.noticeNumber }, fault: { kind: 'delay', ms: 600 }, times: 1 });
    const v = await p2.verify(qr(n));
    expect(v.fault).toMatchObject({ faultCode: 'PPT_STAZIONE_INT_PA_TIMEOUT', id: 'NodoDeiPagamentiSPC' });
    const nodoAnswer = journal.entries.find((e) => e.from === 'nodo' && e.primitive === 'verifyPaymentNotice' && e.direction === 'response')!;
    // the station's own (late) answer comes after the Nodo's
    const ecAnswer = await journal.waitFor((e) => e.primitive === 'paVerifyPaymentNotice' && e.direction === 'response', 5000, 'the late EC answer');
    expect(ecAnswer.seq).toBeGreaterThan(nodoAnswer.seq);
    expect(ecAnswer.transport).toBe('timeout');
  });

  it('no answer at all (EC-side fault no-answer) → PPT_STAZIONE_INT_PA_TIMEOUT', async () => {
    const n = notice();
    ecFaults.add({ side: 'inbound', primitive: 'paGetPayment', match: { noticeNumber: n.noticeNumber }, fault: { kind: 'no-answer' } });
    const a = await psp.activate(qr(n), 12_050);
    // on the virtual clock the silent EC holds the line for an hour of clock time, so the PSP's own
    // deadline has passed too: read the Nodo's answer from the journal
    expect(a.result.late).toBe(true);
    const answer = journal.entries.find((e) => e.from === 'nodo' && e.primitive === 'activatePaymentNotice' && e.direction === 'response')!;
    const d = decodeEnvelope(answer.raw);
    expect(d.ok && readFault(d.msg.body)?.faultCode).toBe('PPT_STAZIONE_INT_PA_TIMEOUT');
    expect(nodo.notice(n.fiscalCode, n.noticeNumber).state).toBe('free');
  });

  it('unreachable station (closed port) → PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE', async () => {
    const n = notice('06');
    const v = await psp.verify(qr(n));
    expect(v.fault).toMatchObject({ faultCode: 'PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE', id: 'NodoDeiPagamentiSPC' });
    const a = await psp.activate(qr(n), 100);
    expect(a.fault?.faultCode).toBe('PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE');
    // an injected refusal on a live station is judged the same way
    const m = notice();
    nodoFaults.add({ side: 'outbound', primitive: 'paVerifyPaymentNotice', match: { noticeNumber: m.noticeNumber }, fault: { kind: 'refused' } });
    expect((await psp.verify(qr(m))).fault?.faultCode).toBe('PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE');
  });

  const invalid: [string, Partial<FakeNotice>, 'verify' | 'activate', string][] = [
    ['not XML', { verify: 'invalid-xml' }, 'verify', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['HTTP 500 without SOAP fault', { get: 'http500' }, 'activate', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['SOAP Fault', { verify: 'soap-fault' }, 'verify', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['schema-invalid answer', { get: 'schema-invalid' }, 'activate', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['KO without fault', { verify: 'ko-without-fault' }, 'verify', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['OK with fault', { get: 'ok-with-fault' }, 'activate', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['verify OK without paymentList', { verify: 'verify-missing' }, 'verify', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['paGetPayment OK without data', { get: 'no-data' }, 'activate', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    ['paymentAmount ≠ Σ transfers', { get: 'bad-sum' }, 'activate', 'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE'],
    [
      'duplicate idTransfer',
      { get: 'dup-idtransfer', amountCents: 200, transfers: [{ fc: EC_A, amountCents: 100, iban: IBAN_A }, { fc: EC_A, amountCents: 100, iban: IBAN_A }] },
      'activate',
      'PPT_STAZIONE_INT_PA_ERRORE_RESPONSE',
    ],
    ['IBAN not registered for the EC', { get: 'unregistered-iban' }, 'activate', 'PPT_IBAN_NON_CENSITO'],
    ['IBAN not valid', { get: 'bad-iban' }, 'activate', 'PPT_IBAN_NON_CENSITO'],
  ];
  it.each(invalid)('%s → %s', async (_name, over, phase, code) => {
    const n = notice('01', over);
    const c = phase === 'verify' ? await psp.verify(qr(n)) : await psp.activate(qr(n), n.amountCents);
    expect(c.fault).toMatchObject({ faultCode: code, id: 'NodoDeiPagamentiSPC' });
    expect(nodo.notice(n.fiscalCode, n.noticeNumber).state).toBe('free');
  });
});

// ================================================================ token lifecycle (NM-SM-TOK)

describe('payment token lifecycle', () => {
  it('second activation while a token is open → PPT_PAGAMENTO_IN_CORSO without calling the EC (NM-PSPPAY-CONC-01)', async () => {
    const n = notice();
    const a = await psp.activate(qr(n), 12_050);
    expect(a.outcome).toBe('OK');
    const b = await psp.activate(qr(n), 12_050);
    expect(b.fault?.faultCode).toBe('PPT_PAGAMENTO_IN_CORSO');
    const other = await psp.withIds({ idPSP: 'PSPTWO', idBrokerPSP: 'BRKPSPTWO', idChannel: 'CHTWO', password: 'password_two' }).activate(qr(n), 12_050);
    expect(other.fault?.faultCode).toBe('PPT_PAGAMENTO_IN_CORSO');
    expect(fakeEc.count('paGetPayment', n.noticeNumber)).toBe(1);
    expect(nodo.notice(n.fiscalCode, n.noticeNumber)).toEqual({ state: 'in-progress', paymentToken: a.paymentToken });
    await psp.outcome(a.paymentToken!, 'KO');
  });

  it('two concurrent activations of one notice: exactly one token', async () => {
    const n = notice();
    const [x, y] = await Promise.all([psp.activate(qr(n), 12_050), psp.activate(qr(n), 12_050)]);
    expect([x.outcome, y.outcome].sort()).toEqual(['KO', 'OK']);
    expect([x.fault?.faultCode, y.fault?.faultCode].filter(Boolean)).toEqual(['PPT_PAGAMENTO_IN_CORSO']);
    expect(fakeEc.count('paGetPayment', n.noticeNumber)).toBe(1);
  });

  it('token expiry on the clock: PPT_TOKEN_SCADUTO / PPT_TOKEN_SCADUTO_KO, no receipt, notice payable again (NM-TOK-PAY-02, NM-TOK-ERR-03/04)', async () => {
    const n = notice();
    const a = await psp.activate(qr(n), 12_050, { expirationTimeMs: 60_000 });
    const info = nodo.token(a.paymentToken!)!;
    expect(info.expiresAt - info.createdAt).toBe(60_000);
    clock.advance(59_999);
    expect(nodo.token(a.paymentToken!)?.state).toBe('ACTIVE');
    clock.advance(1);
    expect(nodo.token(a.paymentToken!)?.state).toBe('EXPIRED');
    expect(nodo.notice(n.fiscalCode, n.noticeNumber).state).toBe('free');
    const late = await psp.outcome(a.paymentToken!, 'OK');
    expect(late.fault?.faultCode).toBe('PPT_TOKEN_SCADUTO');
    await new Promise((r) => setImmediate(r));
    expect(nodo.deliveries(a.paymentToken)).toEqual([]);
    const lateKo = await psp.outcome(a.paymentToken!, 'KO');
    expect(lateKo.fault?.faultCode).toBe('PPT_TOKEN_SCADUTO_KO');
    // a new activation succeeds after expiry
    const b = await psp.activate(qr(n), 12_050);
    expect(b.outcome).toBe('OK');
    // default lifetime: the platform's 30 minutes
    const bi = nodo.token(b.paymentToken!)!;
    expect(bi.expiresAt - bi.createdAt).toBe(1_800_000);
    await psp.outcome(b.paymentToken!, 'KO');
  });

  it('tokenLifetimeMs caps the PSP-chosen expirationTime', async () => {
    const { nodo: n2, psp: p2 } = await newNodo({ tokenLifetimeMs: 120_000 });
    const a = await p2.activate(qr(notice()), 12_050, { expirationTimeMs: 1_800_000 });
    const i = n2.token(a.paymentToken!)!;
    expect(i.expiresAt - i.createdAt).toBe(120_000);
  });

  it('activate idempotency: same key + same request → same token, one EC call; other content → PPT_ERRORE_IDEMPOTENZA (NM-TOK-DUP-01, NM-TOK-ERR-01)', async () => {
    const n = notice();
    const key = psp.newIdempotencyKey();
    expect(key).toMatch(new RegExp(`^${HARNESS_PSP.idPSP}_[a-zA-Z0-9]{10}$`));
    const first = await psp.activate(qr(n), 12_050, { idempotencyKey: key });
    const replay = await psp.activate(qr(n), 12_050, { idempotencyKey: key });
    expect(replay.outcome).toBe('OK');
    expect(replay.paymentToken).toBe(first.paymentToken);
    expect(transfersOf(replay.body)).toEqual(transfersOf(first.body));
    expect(fakeEc.count('paGetPayment', n.noticeNumber)).toBe(1);
    const changed = await psp.activate(qr(n), 9_999, { idempotencyKey: key });
    expect(changed.fault?.faultCode).toBe('PPT_ERRORE_IDEMPOTENZA');
    const otherNotice = await psp.activate(qr(notice()), 12_050, { idempotencyKey: key });
    expect(otherNotice.fault?.faultCode).toBe('PPT_ERRORE_IDEMPOTENZA');
    expect(nodo.token(first.paymentToken!)?.state).toBe('ACTIVE');
    await psp.outcome(first.paymentToken!, 'KO');
  });

  it('outcome idempotency and second outcome: replay, PPT_ERRORE_IDEMPOTENZA, PPT_ESITO_GIA_ACQUISITO, one receipt (NM-TOK-DUP-02)', async () => {
    const n = notice();
    const a = await psp.activate(qr(n), 12_050);
    const key = psp.newIdempotencyKey();
    const first = await psp.outcome(a.paymentToken!, 'OK', { idempotencyKey: key });
    expect(first.outcome).toBe('OK');
    const replay = await psp.outcome(a.paymentToken!, 'OK', { idempotencyKey: key });
    expect(replay.outcome).toBe('OK');
    const changed = await psp.outcome(a.paymentToken!, 'KO', { idempotencyKey: key });
    expect(changed.fault?.faultCode).toBe('PPT_ERRORE_IDEMPOTENZA');
    const second = await psp.outcome(a.paymentToken!, 'OK');
    expect(second.fault).toMatchObject({ faultCode: 'PPT_ESITO_GIA_ACQUISITO', description: 'Esito concorde' });
    const discord = await psp.outcome(a.paymentToken!, 'KO');
    expect(discord.fault?.description).toBe('Esito discorde');
    await nodo.waitDelivery(a.paymentToken!, EC_A, 2000);
    await new Promise((r) => setImmediate(r));
    expect(nodo.deliveries(a.paymentToken)).toHaveLength(1);
    expect(fakeEc.count('paSendRT', n.noticeNumber)).toBe(1);
  });

  it('a late replay of an outcome (same key, same body) gets the stored answer, after the key window too (IF-sendPaymentOutcome-F71)', async () => {
    const n = notice();
    const a = await psp.activate(qr(n), 12_050);
    const key = psp.newIdempotencyKey();
    const first = await psp.outcome(a.paymentToken!, 'OK', { idempotencyKey: key });
    expect(first.outcome).toBe('OK');
    await nodo.waitDelivery(a.paymentToken!, EC_A, 2000);
    await clock.sleep(DEFAULT_TOKEN_LIFETIME_MS + 3_600_000);
    const late = await psp.outcome(a.paymentToken!, 'OK', { idempotencyKey: key });
    expect(late.outcome).toBe('OK');
    expect(late.fault).toBeUndefined();
    // the same key with another body after the window is processed as a new outcome (IF-A-15)
    const other = await psp.outcome(a.paymentToken!, 'KO', { idempotencyKey: key });
    expect(other.fault?.faultCode).toBe('PPT_ESITO_GIA_ACQUISITO');
    expect(nodo.deliveries(a.paymentToken)).toHaveLength(1);
  });

  it('unknown token and token of another PSP → PPT_TOKEN_SCONOSCIUTO (NM-TOK-ERR-02, NM-A-08)', async () => {
    expect((await psp.outcome('nosuchtoken', 'OK')).fault?.faultCode).toBe('PPT_TOKEN_SCONOSCIUTO');
    const a = await psp.activate(qr(notice()), 12_050);
    const two = psp.withIds({ idPSP: 'PSPTWO', idBrokerPSP: 'BRKPSPTWO', idChannel: 'CHTWO', password: 'password_two' });
    expect((await two.outcome(a.paymentToken!, 'OK')).fault?.faultCode).toBe('PPT_TOKEN_SCONOSCIUTO');
    expect(nodo.token(a.paymentToken!)?.state).toBe('ACTIVE');
    // V2 cart: all or nothing, serial = position of the failing token (IF-A-20)
    const b = await psp.activate(qr(notice()), 12_050);
    const cart = await psp.outcome([a.paymentToken!, 'nosuchtoken', b.paymentToken!], 'OK', { v2: true });
    expect(cart.fault).toMatchObject({ faultCode: 'PPT_TOKEN_SCONOSCIUTO', serial: 2 });
    expect(nodo.token(a.paymentToken!)?.state).toBe('ACTIVE');
    const ok = await psp.outcome([a.paymentToken!, b.paymentToken!], 'OK', { v2: true });
    expect(ok.outcome).toBe('OK');
    await Promise.all([nodo.waitDelivery(a.paymentToken!, EC_A, 2000), nodo.waitDelivery(b.paymentToken!, EC_A, 2000)]);
  });
});

// ================================================================ receipts (NM-SM-RCPT)

describe('receipt delivery and retries', () => {
  it('answer lost 3 times: re-sends at virtual offsets 0, 15 s, 60 s, 165 s (waits 15/45/105 s), then delivered (NM-RT-RETRY-01, NM-TR-07)', async () => {
    const n = notice();
    nodoFaults.add({ side: 'outbound', primitive: 'paSendRT', match: { noticeNumber: n.noticeNumber }, fault: { kind: 'no-answer' }, times: 3 });
    const real = performance.now();
    const r = await psp.payNotice(qr(n));
    const d = await nodo.waitDelivery(r.paymentToken!, EC_A, 2000);
    expect(d.state).toBe('delivered');
    expect(d.attempts.map((a) => a.offsetMs)).toEqual([0, 15_000, 60_000, 165_000]);
    expect(d.attempts.map((a) => a.result)).toEqual(['timeout', 'timeout', 'timeout', 'duplicate']);
    // the EC booked the receipt once and saw the re-sends as duplicates
    expect(fakeEc.count('paSendRT', n.noticeNumber)).toBe(4);
    expect(performance.now() - real).toBeLessThan(3000); // 165 s of schedule, milliseconds of real time
  });

  it("offset reading: re-sends at 0, 15 s, 45 s, 105 s from the first send (measure: 'offset')", async () => {
    const { nodo: n2, psp: p2 } = await newNodo({ receiptRetry: { measure: 'offset' } });
    const n = notice();
    nodoFaults.add({ side: 'outbound', primitive: 'paSendRT', match: { noticeNumber: n.noticeNumber }, fault: { kind: 'no-answer' }, times: 3 });
    const r = await p2.payNotice(qr(n));
    const d = await n2.waitDelivery(r.paymentToken!, EC_A, 2000);
    expect(d.attempts.map((a) => a.offsetMs)).toEqual([0, 15_000, 45_000, 105_000]);
    expect(d.state).toBe('delivered');
  });

  it('EC unreachable for good: 5 sends then parked; a manual restart delivers it', async () => {
    const n = notice();
    nodoFaults.add({ side: 'outbound', primitive: 'paSendRT', match: { noticeNumber: n.noticeNumber }, fault: { kind: 'refused' } });
    const r = await psp.payNotice(qr(n));
    const d = await nodo.waitDelivery(r.paymentToken!, EC_A, 2000);
    expect(d.state).toBe('parked');
    expect(d.attempts.map((a) => a.offsetMs)).toEqual([0, 15_000, 60_000, 165_000, 390_000]);
    expect(d.attempts.every((a) => a.result === 'unreachable')).toBe(true);
    nodoFaults.clear();
    nodo.restartDelivery(r.paymentToken!, EC_A);
    const again = await nodo.waitDelivery(r.paymentToken!, EC_A, 2000);
    expect(again.state).toBe('delivered');
    expect(again.attempts).toHaveLength(6);
  });

  it('a KO other than PAA_RECEIPT_DUPLICATA is retried, then the delivery is rejected', async () => {
    const { nodo: n2 } = await newNodo({ receiptRetry: { maxAttempts: 3 } });
    const unknown = { fiscalCode: EC_A, noticeNumber: noticeAux3('01', '9999999999999') };
    const base = nodo.receiptFor((await psp.payNotice(qr(notice()))).paymentToken!)!;
    const crafted = { ...base, receiptId: 'crafted-unknown-1', noticeNumber: unknown.noticeNumber };
    n2.sendReceipt(crafted);
    const d = await n2.waitDelivery('crafted-unknown-1', EC_A, 2000);
    expect(d.state).toBe('rejected');
    expect(d.attempts.map((a) => a.faultCode)).toEqual(['PAA_PAGAMENTO_SCONOSCIUTO', 'PAA_PAGAMENTO_SCONOSCIUTO', 'PAA_PAGAMENTO_SCONOSCIUTO']);
    expect(d.role).toBe('crafted');
  });

  it('sendReceipt re-delivers a receipt through the same code: the EC answers PAA_RECEIPT_DUPLICATA, counted as delivered', async () => {
    const r = await psp.payNotice(qr(notice()));
    await nodo.waitDelivery(r.paymentToken!, EC_A, 2000);
    const receipt = nodo.receiptFor(r.paymentToken!)!;
    expect(receipt.standIn).toBe(false);
    const standIn = nodo.buildReceipt({ ...receipt, standIn: true }, 2);
    expect(standIn.standIn).toBe(true);
    nodo.sendReceipt(receipt, { maxAttempts: 1 });
    const d = await nodo.waitDelivery(r.paymentToken!, EC_A, 2000);
    expect(d).toMatchObject({ state: 'delivered', role: 'crafted' });
    expect(d.attempts[0]!.result).toBe('duplicate');
    expect(nodo.deliveries(r.paymentToken)).toHaveLength(2);
  });

  it('waitDelivery rejects at once for a token that was never paid (no delivery will ever come)', async () => {
    const t0 = Date.now();
    await expect(nodo.waitDelivery('never-issued', EC_A, 60_000)).rejects.toThrow(/no receipt delivery exists and none will \(token unknown\)/);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

// ================================================================ direct station calls

describe('callStation', () => {
  it('sends a hand-made request (object or raw envelope) and journals it', async () => {
    const n = notice();
    const r = await nodo.callStation('paVerifyPaymentNotice', { idPA: EC_A, idBrokerPA: 'BRKPA_A', idStation: 'STA_V1', qrCode: qr(n) });
    expect(r.transport).toBe('ok');
    expect(r.decoded?.ok && outcomeOf(r.decoded.msg.body)).toBe('OK');
    const raw = encodeEnvelope(OPERATIONS.paGetPayment!, 'request', { idPA: EC_A, idBrokerPA: 'BRKPA_A', idStation: 'STA_V1', qrCode: { fiscalCode: EC_A, noticeNumber: '301000000000000000' } });
    const r2 = await nodo.callStation('paGetPayment', { rawEnvelope: raw }, { idStation: 'STA_V1', note: 'hand-made raw envelope' });
    expect(r2.decoded?.ok && readFault(r2.decoded.msg.body)?.faultCode).toBe('PAA_PAGAMENTO_SCONOSCIUTO');
    const entries = journal.entries.filter((e) => e.from === 'nodo' && e.to === 'ec');
    expect(entries.map((e) => e.primitive)).toEqual(['paVerifyPaymentNotice', 'paGetPayment']);
    // the harness-built request validates (the raw one is the scenario's business)
    expect(decodeEnvelope(entries[0]!.raw).ok && (decodeEnvelope(entries[0]!.raw) as { ok: true; msg: { xsd: { valid: boolean } } }).msg.xsd.valid).toBe(true);
  });
});

// ================================================================ defect switches (mutants)

describe('defect switches', () => {
  it('no-notice-lock lets a second activation through; no-receipt-retry parks after one failure', async () => {
    const { psp: p2 } = await newNodo({ defects: ['no-notice-lock'] });
    const n = notice();
    const a = await p2.activate(qr(n), 12_050);
    const b = await p2.activate(qr(n), 12_050);
    expect([a.outcome, b.outcome]).toEqual(['OK', 'OK']);
    const { nodo: n3, psp: p3 } = await newNodo({ defects: ['no-receipt-retry'] });
    const m = notice();
    nodoFaults.add({ side: 'outbound', primitive: 'paSendRT', match: { noticeNumber: m.noticeNumber }, fault: { kind: 'no-answer' }, times: 1 });
    const r = await p3.payNotice(qr(m));
    expect((await n3.waitDelivery(r.paymentToken!, EC_A, 2000)).state).toBe('parked');
  });
  it('ignore-idempotency, no-token-expiry, receipt-on-ko and no-paid-check each break their rule', async () => {
    const { psp: p1 } = await newNodo({ defects: ['ignore-idempotency', 'no-notice-lock'] });
    const n1 = notice();
    const key = p1.newIdempotencyKey();
    const a1 = await p1.activate(qr(n1), 12_050, { idempotencyKey: key });
    const a2 = await p1.activate(qr(n1), 12_050, { idempotencyKey: key });
    expect(a2.paymentToken).not.toBe(a1.paymentToken);
    expect(fakeEc.count('paGetPayment', n1.noticeNumber)).toBe(2);

    const { nodo: n2, psp: p2 } = await newNodo({ defects: ['no-token-expiry'] });
    const t = await p2.activate(qr(notice()), 12_050, { expirationTimeMs: 1000 });
    clock.advance(5000);
    expect(n2.token(t.paymentToken!)?.state).toBe('ACTIVE');
    expect((await p2.outcome(t.paymentToken!, 'KO')).outcome).toBe('OK');

    const { nodo: n3, psp: p3 } = await newNodo({ defects: ['receipt-on-ko'] });
    const k = await p3.activate(qr(notice()), 12_050);
    await p3.outcome(k.paymentToken!, 'KO');
    expect((await n3.waitDelivery(k.paymentToken!, EC_A, 2000)).state).toBe('delivered');
    expect(textOf(fakeEc.booked.get(`${EC_A}|${k.paymentToken}`), 'outcome')).toBe('KO');

    const { nodo: n4, psp: p4 } = await newNodo({ defects: ['no-paid-check'] });
    const n5 = notice();
    const paid = await p4.payNotice(qr(n5));
    await n4.waitDelivery(paid.paymentToken!, EC_A, 2000);
    const before = fakeEc.count('paVerifyPaymentNotice', n5.noticeNumber);
    expect((await p4.verify(qr(n5))).outcome).toBe('OK');
    expect(fakeEc.count('paVerifyPaymentNotice', n5.noticeNumber)).toBe(before + 1);
  });
  it('relay-as-nodo drops the EC identity from a relayed fault', async () => {
    const { psp: p2 } = await newNodo({ defects: ['relay-as-nodo'] });
    const c = await p2.verify(qr(notice('01', { verify: 'ko' })));
    expect(c.fault).toMatchObject({ faultCode: 'PPT_ERRORE_EMESSO_DA_PAA', id: 'NodoDeiPagamentiSPC' });
    expect(c.fault?.originalFaultCode).toBeUndefined();
  });
});
