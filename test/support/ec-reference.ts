// Shared fixtures of the reference EC's self-tests (test/ec-reference-*.test.ts): the EC's
// identity, hand-built envelopes over real HTTP, answer decoding that asserts every XML answer
// validates against xsd/paForNode.xsd (and the official schema when ../shared/reference is there).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { OFFICIAL_XSD_DIR } from '../../src/core/paths.js';
import { XmlElement } from 'libxml2-wasm';
import { afterAll, beforeAll, expect } from 'vitest';
import { VirtualClock, isoDate, isoDateTime } from '../../src/core/clock.js';
import { formatAmount, makeIban, noticeAux3, parseAmount } from '../../domain/common.js';
import { OPERATIONS, type Operation } from '../../interfaces/index.js';
import { type FaultBean, type SoapFaultInfo, encodeEnvelope, outcomeOf, readFault } from '../../src/wire/soap.js';
import { type El, type NodeObj, parseDocument } from '../../src/wire/xml.js';
import { validateElement } from '../../src/wire/xsd.js';
import { HARNESS_PSP } from '../../domain/harness-parties.js';
import { decodeEnvelope } from '../../interfaces/index.js';
import { type EcDefect, type PositionJson, ReferenceEc, type ReferenceEcOptions } from '../../candidates/ec/index.js';

export const FC = '77777777777';
export const BROKER = '99000000001';
export const STATION = '77777777777_01';
export const SEG = '01';
export const SECONDARY = '88888888888';
export const FOREIGN_EC = '12345678901';
export const BANK = makeIban('IT', 'X0306909606100000012345');
export const BANK2 = makeIban('IT', 'X0306909606100000067890');
export const POSTAL = makeIban('IT', 'X0760101600000000012345');
export const SECONDARY_BANK = makeIban('IT', 'X0200803284000105678901');

export const clock = new VirtualClock();

export function options(defects: EcDefect[] = []): ReferenceEcOptions {
  return {
    clock,
    idPA: FC,
    idBrokerPA: BROKER,
    idStation: STATION,
    companyName: 'Comune di Collaudo',
    officeName: 'Ufficio Tributi',
    segregationCode: SEG,
    ibans: [BANK, BANK2, POSTAL],
    secondaryEcs: [{ fiscalCode: SECONDARY, companyName: 'Provincia di Collaudo', ibans: [SECONDARY_BANK] }],
    defects,
    host: '127.0.0.1',
    port: 0,
  };
}

/** The reference EC most tests talk to: one per test file, started by useSharedEc(). */
export let ec: ReferenceEc;
export function useSharedEc(): void {
  beforeAll(async () => {
    ec = new ReferenceEc(options());
    await ec.start();
  });
  afterAll(async () => {
    await ec.stop();
  });
}

// ---------------------------------------------------------------- helpers

export interface Answer {
  status: number;
  raw: string;
  body?: El;
  outcome?: string;
  fault?: FaultBean;
  soapFault?: SoapFaultInfo;
  xsdValid?: boolean;
  xsdErrors?: string[];
}

export async function post(url: string, body: string, soapAction?: string, contentType = 'text/xml; charset=UTF-8'): Promise<{ status: number; raw: string }> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (soapAction) headers.soapaction = `"${soapAction}"`;
  const r = await fetch(url, { method: 'POST', headers, body });
  return { status: r.status, raw: await r.text() };
}

/** The official schema (pagopa-api snapshot), when ../shared/reference is present: a cross-check of our xsd/. */
export const official = existsSync(path.join(OFFICIAL_XSD_DIR, 'paForNode.xsd'));
let officialChecks = 0;
/** How many answers were validated against the official schema so far (in this test file). */
export const officialCheckCount = (): number => officialChecks;
function officialErrors(raw: string): string[] {
  const doc = parseDocument(raw);
  try {
    let body: XmlElement | undefined;
    for (let c = doc.root.firstChild; c; c = c.next) if (c instanceof XmlElement && c.name === 'Body') body = c;
    let wrapper: XmlElement | undefined;
    for (let c = body?.firstChild; c; c = c.next) if (c instanceof XmlElement) wrapper = c;
    officialChecks++;
    return wrapper ? validateElement(wrapper, path.join(OFFICIAL_XSD_DIR, `${'paForNode'}.xsd`)).errors : ['no body element'];
  } finally {
    doc.dispose();
  }
}

/** Decodes an answer; with `validate` asserts it is a schema-valid paForNode response of `op`. */
export function read(status: number, raw: string, op?: Operation, validate = true): Answer {
  const d = decodeEnvelope(raw);
  if (!d.ok) return { status, raw };
  if (d.msg.soapFault) return { status, raw, soapFault: d.msg.soapFault };
  if (validate) {
    expect(d.msg.xsd.errors, `answer must validate against xsd/paForNode.xsd:\n${raw}`).toEqual([]);
    expect(d.msg.xsd.valid).toBe(true);
    expect(d.msg.kind).toBe('response');
    if (op) expect(d.msg.op?.name).toBe(op.name);
    expect(status).toBe(200);
    if (official) expect(officialErrors(raw), `answer must validate against the official paForNode.xsd:\n${raw}`).toEqual([]);
  }
  return { status, raw, body: d.msg.body, outcome: outcomeOf(d.msg.body), fault: readFault(d.msg.body), xsdValid: d.msg.xsd.valid, xsdErrors: d.msg.xsd.errors };
}

export async function call(opName: string, content: NodeObj, o: { to?: ReferenceEc; validate?: boolean } = {}): Promise<Answer> {
  const op = OPERATIONS[opName]!;
  const { status, raw } = await post((o.to ?? ec).url, encodeEnvelope(op, 'request', content), op.name);
  return read(status, raw, op, o.validate ?? true);
}

export async function callRaw(envelope: string, o: { to?: ReferenceEc; soapAction?: string; validate?: boolean; op?: Operation } = {}): Promise<Answer> {
  const { status, raw } = await post((o.to ?? ec).url, envelope, o.soapAction);
  return read(status, raw, o.op, o.validate ?? true);
}

export const ids = (o: { idPA?: string; idBrokerPA?: string; idStation?: string } = {}): NodeObj => ({
  idPA: o.idPA ?? FC,
  idBrokerPA: o.idBrokerPA ?? BROKER,
  idStation: o.idStation ?? STATION,
});
export const qr = (p: { fiscalCode: string; noticeNumber: string }): NodeObj => ({ qrCode: { fiscalCode: p.fiscalCode, noticeNumber: p.noticeNumber } });

export const verify = (p: { fiscalCode: string; noticeNumber: string }, to?: ReferenceEc, o: { validate?: boolean } = {}) =>
  call('paVerifyPaymentNotice', { ...ids(), ...qr(p) }, { to, ...o });
export const getPayment = (p: { fiscalCode: string; noticeNumber: string }, extra: NodeObj = {}, to?: ReferenceEc, o: { v2?: boolean; validate?: boolean } = {}) =>
  call(o.v2 ? 'paGetPaymentV2' : 'paGetPayment', { ...ids(), ...qr(p), ...extra }, { to, validate: o.validate });

export interface ReceiptOpts {
  receiptId?: string;
  amountCents?: number;
  standIn?: boolean;
  v2?: boolean;
  outcome?: 'OK' | 'KO';
  idPA?: string;
  mbd?: boolean;
}
let receiptSeq = 0;
export function receiptOf(p: PositionJson, o: ReceiptOpts = {}): NodeObj {
  const amount = o.amountCents ?? p.amountCents;
  const delta = amount - p.amountCents;
  const now = clock.now();
  return {
    receiptId: o.receiptId ?? `rcpt${++receiptSeq}${p.iuv.slice(-6)}`,
    noticeNumber: p.noticeNumber,
    fiscalCode: p.fiscalCode,
    outcome: o.outcome ?? 'OK',
    creditorReferenceId: p.iuv,
    paymentAmount: formatAmount(amount),
    description: p.description,
    companyName: p.companyName,
    officeName: p.officeName,
    debtor: { uniqueIdentifier: { entityUniqueIdentifierType: p.debtor.type, entityUniqueIdentifierValue: p.debtor.id }, fullName: p.debtor.fullName },
    transferList: {
      transfer: p.transfers.map((t, i) => ({
        idTransfer: t.idTransfer,
        transferAmount: formatAmount(t.amountCents + (i === 0 ? delta : 0)),
        fiscalCodePA: t.fiscalCodePA,
        ...(o.v2 ? { companyName: t.companyName } : {}),
        ...(o.v2 && o.mbd && i === 0 ? { MBDAttachment: Buffer.from('<marcaDaBollo/>').toString('base64') } : { IBAN: t.iban }),
        remittanceInformation: t.remittanceInformation,
        transferCategory: t.transferCategory,
      })),
    },
    idPSP: HARNESS_PSP.idPSP,
    pspFiscalCode: HARNESS_PSP.fiscalCode,
    PSPCompanyName: HARNESS_PSP.companyName,
    idChannel: HARNESS_PSP.idChannel,
    channelDescription: HARNESS_PSP.channelDescription,
    paymentMethod: 'creditCard',
    ...(o.v2 ? { paymentNote: 'pagamento collaudo' } : {}),
    fee: '1.00',
    ...(o.v2 ? { primaryCiIncurredFee: '0.50', idBundle: 'bundle-collaudo', idCiBundle: 'ci-bundle-collaudo' } : {}),
    paymentDateTime: isoDateTime(now),
    applicationDate: isoDate(now),
    transferDate: isoDate(now),
    standIn: o.standIn,
  };
}
export const sendRT = (p: PositionJson, o: ReceiptOpts = {}, to?: ReferenceEc, v = { validate: true }) =>
  call(o.v2 ? 'paSendRTV2' : 'paSendRT', { ...ids({ idPA: o.idPA }), receipt: receiptOf(p, o) }, { to, validate: v.validate });

export function expectKo(a: Answer, code: string, id = FC): void {
  expect(a.status).toBe(200);
  expect(a.outcome).toBe('KO');
  expect(a.fault?.faultCode).toBe(code);
  expect(a.fault?.id).toBe(id);
  expect(a.fault?.faultString.length).toBeGreaterThan(5);
  expect(a.fault?.description?.length ?? 0).toBeGreaterThan(5);
  // KO: no business elements (IF-X-07)
  expect(a.body?.children.map((c) => c.name)).toEqual(['outcome', 'fault']);
}
export function expectOk(a: Answer): void {
  expect(a.status).toBe(200);
  expect(a.outcome).toBe('OK');
  expect(a.fault).toBeUndefined();
}
export function expectSoapFault(a: Answer): void {
  expect(a.status).toBe(500);
  expect(a.soapFault?.faultcode).toBe('soapenv:Client');
  expect(a.soapFault?.faultstring.length).toBeGreaterThan(5);
}

export const neverIssued = (n = '9999999999999') => ({ fiscalCode: FC, noticeNumber: noticeAux3(SEG, n) });
export const cents = (s: string | undefined) => parseAmount(s);
export const stateOf = (p: PositionJson, to = ec) => to.position(p.fiscalCode, p.noticeNumber)?.state;

export async function withEc<T>(defects: EcDefect[], fn: (m: ReferenceEc) => Promise<T>): Promise<T> {
  const m = new ReferenceEc(options(defects));
  await m.start();
  try {
    return await fn(m);
  } finally {
    await m.stop();
  }
}
export const demand = (idServizio: string, idSoggettoServizio: string, dati: string, to?: ReferenceEc, o: { validate?: boolean } = {}) =>
  call('paDemandPaymentNotice', { ...ids(), idServizio, idSoggettoServizio, datiSpecificiServizioRequest: dati }, { to, ...o });

export const provisionHttp = async (body: unknown, to = ec) => {
  const r = await fetch(`${to.baseUrl}/provisioning/positions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
};
