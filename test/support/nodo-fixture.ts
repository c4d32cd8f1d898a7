// The fixture of the reference Nodo's self-tests (test/nodo*.test.ts): a tiny fake EC station written
// here (not the reference EC), the platform registry around it, the Nodo and the emulated PSP, all on
// a VirtualClock: lateness, token expiry and the receipt retry schedule cost microseconds of real time.
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { INTERFACES } from '../../interfaces/index.js';
import http from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { OFFICIAL_XSD_DIR } from '../../src/core/paths.js';
import { XmlElement } from 'libxml2-wasm';
import type { AddressInfo } from 'node:net';
import { VirtualClock } from '../../src/core/clock.js';
import { Journal } from '../../src/core/journal.js';
import { Faults } from '../../src/core/faults.js';
import { Registry, harnessPspEntries } from '../../domain/registry.js';
import { HARNESS_PSP } from '../../domain/harness-parties.js';
import { IncomingSoap, OutgoingSoap, RunningServer, startSoapServer } from '../../src/wire/http.js';
import { encodeEnvelope, encodeSoapFault } from '../../src/wire/soap.js';
import { El, NodeObj, child, parseDocument, textOf } from '../../src/wire/xml.js';
import { validateElement } from '../../src/wire/xsd.js';
import { formatAmount, makeIban, noticeAux3 } from '../../domain/common.js';
import { ReferenceNodo, ReferenceNodoConfig } from '../../actors/nodo/index.js';
import { EmulatedPsp } from '../../actors/psp/client.js';
import { decodeEnvelope } from '../../interfaces/index.js';

export const EC_A = '77777777777';
export const EC_B = '88888888888';
export const EC_OFF = '66666666666';
export const EC_UNKNOWN = '55555555555';
export const IBAN_A = makeIban('IT', 'X0306909606100000012345');
export const IBAN_A_POSTAL = makeIban('IT', 'X0760101600000000012345');
export const IBAN_B = makeIban('IT', 'X0103076271000001823603');
export const IBAN_NOT_REGISTERED = makeIban('IT', 'X0200801633000100012345');
export const HASH = 'ZGVhZGJlZWZkZWFkYmVlZmRlYWRiZWVmZGVhZGJlZWY=';
export const MBD_DOC = Buffer.from('<marcaDaBollo>collaudo</marcaDaBollo>').toString('base64');

export const clock = new VirtualClock();
export let journal = new Journal(clock);
export let pspJournal = new Journal(clock);
export let nodoFaults = new Faults();
export let ecFaults = new Faults();

export type Mode =
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

export interface FakeTransfer {
  fc: string;
  amountCents: number;
  iban?: string;
  mbd?: boolean;
}
export interface FakeNotice {
  fiscalCode: string;
  noticeNumber: string;
  amountCents: number;
  transfers?: FakeTransfer[];
  verify?: Mode;
  get?: Mode;
  koCode?: string;
}

/** A tiny EC station: a notice table with switches, a receipt archive (one booking per (EC, receiptId)). */
export class FakeEc {
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

export const fakeEc = new FakeEc();
export let deadUrl = '';
export let nodo: ReferenceNodo;
export let psp: EmulatedPsp;
export let nodoUrl = '';
export const started: ReferenceNodo[] = [];

export function registry(ecUrl: string): Registry {
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

export let seq = 0;
/** A fresh notice of EC A served by the station with segregation code `code` (01 = V1, 02 = V2). */
export function notice(code = '01', over: Partial<FakeNotice> = {}): FakeNotice {
  seq++;
  const nn = noticeAux3(code, String(1_000_000_000_000 + seq * 7919).slice(0, 13));
  return fakeEc.add({ fiscalCode: EC_A, noticeNumber: nn, amountCents: 12_050, ...over });
}
export const qr = (n: { fiscalCode: string; noticeNumber: string }) => ({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber });

export async function newNodo(over: Partial<ReferenceNodoConfig> = {}): Promise<{ nodo: ReferenceNodo; psp: EmulatedPsp }> {
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

export let ecUrl = '';
export const t0 = performance.now();

/** The official schemas, when the reference snapshot is present (DESIGN: cross-check what we emit). */
export const OFFICIAL_XSD = OFFICIAL_XSD_DIR;
export const officialAvailable = existsSync(path.join(OFFICIAL_XSD, 'paForNode.xsd')) && existsSync(path.join(OFFICIAL_XSD, 'nodeForPsp.xsd'));
export let officialChecked = 0;
export function officialVerdict(raw: string, iface: 'paForNode' | 'nodeForPsp'): string[] {
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
export let validated = 0;
export function assertNodoMessagesValid(j: Journal) {
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


/** The hooks of a Nodo test file: the fake EC and one Nodo up for the file, fresh journals and faults
 * per test, and after each test every message the Nodo emitted validated against the schemas. */
export function useNodoFixture(file: string, minValidated: number): void {
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
    expect(validated).toBeGreaterThan(minValidated);
    // eslint-disable-next-line no-console
    console.log(`${file}: ${validated} Nodo messages validated (${officialChecked} also against the official XSDs); real time ${(performance.now() - t0).toFixed(0)} ms`);
  });
}

export const ecCalls = () => fakeEc.calls.length;
