// Self-test of the reference EC (candidates/ec): every primitive over real HTTP with hand-built
// envelopes, every PAA_* fault it emits, the receipt rules, garbage handling, the provisioning
// adapter, and one behaviour change per defect switch. Every XML answer of the reference EC is
// validated against xsd/paForNode.xsd.
import { requirement } from '../src/catalogue/index.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XmlElement } from 'libxml2-wasm';
import soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock, isoDate, isoDateTime } from '../src/core/clock.js';
import { formatAmount, isValidIban, makeIban, noticeAux3, noticeCheckDigitOk, parseAmount } from '../domain/common.js';
import { soapCall } from '../src/wire/http.js';
import { NS, OPERATIONS, type Operation } from '../interfaces/index.js';
import { type FaultBean, type SoapFaultInfo, encodeEnvelope, outcomeOf, readFault } from '../src/wire/soap.js';
import { type El, type NodeObj, child, childrenNamed, parseDocument, pathText, textOf } from '../src/wire/xml.js';
import { validateElement } from '../src/wire/xsd.js';
import { HARNESS_PSP } from '../domain/harness-parties.js';
import { FRONTEND_DEFECT_TESTS } from './ec-frontend-defects.js';
import { decodeEnvelope } from '../interfaces/index.js';
import {
  EC_DEFECTS,
  EC_DEFECT_IDS,
  EXEMPT_PLATE,
  type EcDefect,
  LATE_ANSWER_MS,
  type PositionJson,
  ProvisioningError,
  ReferenceEc,
  type ReferenceEcOptions,
  UNKNOWN_PLATE,
  isPostalIban,
  pescaData,
  tassaAutoData,
} from '../candidates/ec/index.js';

const FC = '77777777777';
const BROKER = '99000000001';
const STATION = '77777777777_01';
const SEG = '01';
const SECONDARY = '88888888888';
const FOREIGN_EC = '12345678901';
const BANK = makeIban('IT', 'X0306909606100000012345');
const BANK2 = makeIban('IT', 'X0306909606100000067890');
const POSTAL = makeIban('IT', 'X0760101600000000012345');
const SECONDARY_BANK = makeIban('IT', 'X0200803284000105678901');

const clock = new VirtualClock();

function options(defects: EcDefect[] = []): ReferenceEcOptions {
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

let ec: ReferenceEc;
beforeAll(async () => {
  ec = new ReferenceEc(options());
  await ec.start();
});
afterAll(async () => {
  await ec.stop();
});

// ---------------------------------------------------------------- helpers

interface Answer {
  status: number;
  raw: string;
  body?: El;
  outcome?: string;
  fault?: FaultBean;
  soapFault?: SoapFaultInfo;
  xsdValid?: boolean;
  xsdErrors?: string[];
}

async function post(url: string, body: string, soapAction?: string, contentType = 'text/xml; charset=UTF-8'): Promise<{ status: number; raw: string }> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (soapAction) headers.soapaction = `"${soapAction}"`;
  const r = await fetch(url, { method: 'POST', headers, body });
  return { status: r.status, raw: await r.text() };
}

/** The official schema (pagopa-api snapshot), when ../shared/reference is present: a cross-check of our xsd/. */
const OFFICIAL_XSD_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/reference/pagopa-api/wsdl/xsd');
const official = existsSync(path.join(OFFICIAL_XSD_DIR, 'paForNode.xsd'));
let officialChecks = 0;
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
function read(status: number, raw: string, op?: Operation, validate = true): Answer {
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

async function call(opName: string, content: NodeObj, o: { to?: ReferenceEc; validate?: boolean } = {}): Promise<Answer> {
  const op = OPERATIONS[opName]!;
  const { status, raw } = await post((o.to ?? ec).url, encodeEnvelope(op, 'request', content), op.name);
  return read(status, raw, op, o.validate ?? true);
}

async function callRaw(envelope: string, o: { to?: ReferenceEc; soapAction?: string; validate?: boolean; op?: Operation } = {}): Promise<Answer> {
  const { status, raw } = await post((o.to ?? ec).url, envelope, o.soapAction);
  return read(status, raw, o.op, o.validate ?? true);
}

const ids = (o: { idPA?: string; idBrokerPA?: string; idStation?: string } = {}): NodeObj => ({
  idPA: o.idPA ?? FC,
  idBrokerPA: o.idBrokerPA ?? BROKER,
  idStation: o.idStation ?? STATION,
});
const qr = (p: { fiscalCode: string; noticeNumber: string }): NodeObj => ({ qrCode: { fiscalCode: p.fiscalCode, noticeNumber: p.noticeNumber } });

const verify = (p: { fiscalCode: string; noticeNumber: string }, to?: ReferenceEc, o: { validate?: boolean } = {}) =>
  call('paVerifyPaymentNotice', { ...ids(), ...qr(p) }, { to, ...o });
const getPayment = (p: { fiscalCode: string; noticeNumber: string }, extra: NodeObj = {}, to?: ReferenceEc, o: { v2?: boolean; validate?: boolean } = {}) =>
  call(o.v2 ? 'paGetPaymentV2' : 'paGetPayment', { ...ids(), ...qr(p), ...extra }, { to, validate: o.validate });

interface ReceiptOpts {
  receiptId?: string;
  amountCents?: number;
  standIn?: boolean;
  v2?: boolean;
  outcome?: 'OK' | 'KO';
  idPA?: string;
  mbd?: boolean;
}
let receiptSeq = 0;
function receiptOf(p: PositionJson, o: ReceiptOpts = {}): NodeObj {
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
const sendRT = (p: PositionJson, o: ReceiptOpts = {}, to?: ReferenceEc, v = { validate: true }) =>
  call(o.v2 ? 'paSendRTV2' : 'paSendRT', { ...ids({ idPA: o.idPA }), receipt: receiptOf(p, o) }, { to, validate: v.validate });

function expectKo(a: Answer, code: string, id = FC): void {
  expect(a.status).toBe(200);
  expect(a.outcome).toBe('KO');
  expect(a.fault?.faultCode).toBe(code);
  expect(a.fault?.id).toBe(id);
  expect(a.fault?.faultString.length).toBeGreaterThan(5);
  expect(a.fault?.description?.length ?? 0).toBeGreaterThan(5);
  // KO: no business elements (IF-X-07)
  expect(a.body?.children.map((c) => c.name)).toEqual(['outcome', 'fault']);
}
function expectOk(a: Answer): void {
  expect(a.status).toBe(200);
  expect(a.outcome).toBe('OK');
  expect(a.fault).toBeUndefined();
}
function expectSoapFault(a: Answer): void {
  expect(a.status).toBe(500);
  expect(a.soapFault?.faultcode).toBe('soapenv:Client');
  expect(a.soapFault?.faultstring.length).toBeGreaterThan(5);
}

const neverIssued = (n = '9999999999999') => ({ fiscalCode: FC, noticeNumber: noticeAux3(SEG, n) });
const cents = (s: string | undefined) => parseAmount(s);
const stateOf = (p: PositionJson, to = ec) => to.position(p.fiscalCode, p.noticeNumber)?.state;

async function withEc<T>(defects: EcDefect[], fn: (m: ReferenceEc) => Promise<T>): Promise<T> {
  const m = new ReferenceEc(options(defects));
  await m.start();
  try {
    return await fn(m);
  } finally {
    await m.stop();
  }
}

// ---------------------------------------------------------------- server basics

describe('server', () => {
  it('serves paForNode at /pagopa/paForNode and the WSDL with its own address', async () => {
    expect(ec.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pagopa\/paForNode$/);
    const r = await fetch(`${ec.url}?wsdl`);
    expect(r.status).toBe(200);
    const wsdl = await r.text();
    expect(wsdl).toContain('paVerifyPaymentNotice');
    expect(wsdl).toContain(`location="${ec.url}"`);
    const x = await fetch(`${ec.baseUrl}/pagopa/paForNode.xsd`);
    expect(x.status).toBe(200);
    expect(await x.text()).toContain('paVerifyPaymentNoticeReq');
    expect((await fetch(`${ec.baseUrl}/pagopa/..%2Fpackage.json`)).status).toBe(404);
  });

  it('interoperates with a mainstream SOAP client built from the WSDL it serves (soap npm)', async () => {
    const p = ec.provision({ state: 'payable', amountCents: 999 });
    const client = (await soap.createClientAsync(`${ec.url}?wsdl`)) as unknown as Record<string, (a: unknown) => Promise<[Record<string, unknown>]>>;
    const [ok] = await client.paVerifyPaymentNoticeAsync!({ idPA: FC, idBrokerPA: BROKER, idStation: STATION, qrCode: { fiscalCode: FC, noticeNumber: p.noticeNumber } });
    expect(ok.outcome).toBe('OK');
    expect(ok.companyName).toBe('Comune di Collaudo');
    const [ko] = await client.paGetPaymentAsync!({ idPA: FC, idBrokerPA: BROKER, idStation: STATION, qrCode: neverIssued() });
    expect(ko.outcome).toBe('KO');
    expect((ko.fault as { faultCode: string }).faultCode).toBe('PAA_PAGAMENTO_SCONOSCIUTO');
  });

  it('refuses bad constructor options clearly', () => {
    expect(() => new ReferenceEc({ ...options(), idPA: '123' })).toThrow(/idPA/);
    expect(() => new ReferenceEc({ ...options(), ibans: ['IT00X0306909606100000012345'] })).toThrow(/not a valid IBAN/);
    expect(() => new ReferenceEc({ ...options(), segregationCode: '1' })).toThrow(/segregationCode/);
    expect(() => new ReferenceEc({ ...options(), defects: ['no-such-defect' as EcDefect] })).toThrow(/unknown defect/);
  });

  it('POST to another path is 404 with a SOAP Fault; other methods are 405; unknown GET is 404', async () => {
    const a = await post(`${ec.baseUrl}/somewhere`, encodeEnvelope(OPERATIONS.paVerifyPaymentNotice!, 'request', { ...ids(), ...qr(neverIssued()) }));
    expect(a.status).toBe(404);
    const d = decodeEnvelope(a.raw);
    expect(d.ok && d.msg.soapFault?.faultcode).toBe('soapenv:Client');
    expect((await fetch(ec.url, { method: 'PUT', body: 'x' })).status).toBe(405);
    expect((await fetch(`${ec.baseUrl}/nothing`)).status).toBe(404);
  });
});

// ---------------------------------------------------------------- paVerifyPaymentNotice

describe('paVerifyPaymentNotice', () => {
  it('OK: one payment option with allCCP, description, fiscalCodePA, companyName (IF-paVerifyPaymentNotice-F70/F71)', async () => {
    const p = ec.provision({ state: 'payable', amountCents: 12345 });
    const a = await verify(p);
    expectOk(a);
    const list = childrenNamed(child(a.body, 'paymentList'), 'paymentOptionDescription');
    expect(list).toHaveLength(1);
    const opt = list[0]!;
    expect(textOf(opt, 'amount')).toBe('123.45');
    expect(textOf(opt, 'options')).toBe('EQ');
    expect(textOf(opt, 'dueDate')).toBe(p.dueDate);
    expect(textOf(opt, 'allCCP')).toBe('true'); // the EC has a postal account
    expect(textOf(a.body, 'paymentDescription')).toBe(p.description);
    expect(textOf(a.body, 'fiscalCodePA')).toBe(FC);
    expect(textOf(a.body, 'companyName')).toBe('Comune di Collaudo');
    expect(textOf(a.body, 'officeName')).toBe('Ufficio Tributi');
  });

  it('allCCP is false when a beneficiary has no postal account', async () => {
    const p = ec.provision({ state: 'payable', amountCents: 5000, transfers: 2, secondaryFiscalCode: SECONDARY });
    const a = await verify(p);
    expectOk(a);
    expect(pathText(a.body, 'paymentList', 'paymentOptionDescription', 'allCCP')).toBe('false');
  });

  it('never changes the position state, however often it is called (IF-paVerifyPaymentNotice-F72)', async () => {
    const p = ec.provision({ state: 'payable' });
    for (let i = 0; i < 3; i++) expectOk(await verify(p));
    const after = ec.position(p.fiscalCode, p.noticeNumber)!;
    expect(after.state).toBe('payable');
    expect(after.history).toHaveLength(1);
    expectOk(await getPayment(p));
  });

  it.each([
    ['unknown', 'PAA_PAGAMENTO_SCONOSCIUTO'],
    ['paid', 'PAA_PAGAMENTO_DUPLICATO'],
    ['expired', 'PAA_PAGAMENTO_SCADUTO'],
    ['cancelled', 'PAA_PAGAMENTO_ANNULLATO'],
    ['in-progress', 'PAA_PAGAMENTO_IN_CORSO'],
  ] as const)('%s notice → KO %s (IF-paVerifyPaymentNotice-F74)', async (state, code) => {
    const p = state === 'unknown' ? neverIssued() : ec.provision({ state });
    const a = await verify(p);
    expectKo(a, code);
    if (state !== 'unknown') expect(stateOf(p as PositionJson)).toBe(state);
  });

  it('qrCode of another EC than idPA → KO PAA_SEMANTICA', async () => {
    const p = ec.provision({ state: 'payable' });
    const a = await call('paVerifyPaymentNotice', { ...ids({ idPA: SECONDARY }), ...qr(p) });
    expectKo(a, 'PAA_SEMANTICA', SECONDARY);
  });
});

// ---------------------------------------------------------------- paGetPayment(V2)

describe('paGetPayment / paGetPaymentV2', () => {
  it('OK: IUV, paymentAmount = Σ transferAmount, idTransfer 1..n, transfer 1 to the EC, registered IBANs, taxonomy, debtor, dueDate (IF-paGetPayment-F70..F76)', async () => {
    const p = ec.provision({ state: 'payable', amountCents: 10001, transfers: 3, metadata: { anno: '2026' } });
    const a = await getPayment(p, { amount: '100.01', transferType: 'PAGOPA' });
    expectOk(a);
    const data = child(a.body, 'data')!;
    expect(textOf(data, 'creditorReferenceId')).toBe(p.iuv);
    expect(p.iuv).toBe(p.noticeNumber.slice(1));
    expect(textOf(data, 'dueDate')).toBe(p.dueDate);
    expect(textOf(data, 'companyName')).toBe('Comune di Collaudo');
    expect(pathText(data, 'debtor', 'uniqueIdentifier', 'entityUniqueIdentifierType')).toBe('F');
    expect(pathText(data, 'debtor', 'fullName')).toBe('Mario Rossi');
    const transfers = childrenNamed(child(data, 'transferList'), 'transfer');
    expect(transfers.map((t) => textOf(t, 'idTransfer'))).toEqual(['1', '2', '3']);
    const sum = transfers.reduce((s, t) => s + cents(textOf(t, 'transferAmount'))!, 0);
    expect(cents(textOf(data, 'paymentAmount'))).toBe(10001);
    expect(sum).toBe(10001);
    expect(textOf(transfers[0], 'fiscalCodePA')).toBe(FC);
    for (const t of transfers) {
      const iban = textOf(t, 'IBAN')!;
      expect(isValidIban(iban)).toBe(true);
      expect([BANK, BANK2]).toContain(iban);
      expect(textOf(t, 'transferCategory')).toMatch(/^\d{7}[A-Z]{2}$/);
      expect(textOf(t, 'remittanceInformation')).toMatch(new RegExp(`^/RFB/${p.iuv}/`));
    }
    expect(pathText(data, 'metadata', 'mapEntry', 'key')).toBe('anno');
    expect(stateOf(p)).toBe('payable');
  });

  it('multi-beneficiary: the last transfer credits the secondary EC with its own IBAN', async () => {
    const p = ec.provision({ state: 'payable', amountCents: 3000, transfers: 2, secondaryFiscalCode: SECONDARY });
    const a = await getPayment(p, {}, undefined, { v2: true });
    expectOk(a);
    const transfers = childrenNamed(child(child(a.body, 'data'), 'transferList'), 'transfer');
    expect(transfers.map((t) => textOf(t, 'fiscalCodePA'))).toEqual([FC, SECONDARY]);
    expect(textOf(transfers[1], 'IBAN')).toBe(SECONDARY_BANK);
    expect(textOf(transfers[1], 'companyName')).toBe('Provincia di Collaudo');
  });

  it('the amount declared by the PSP does not bind the EC: its current data prevail (IF-A-16, NM-PSPPAY-PAY-07)', async () => {
    const p = ec.provision({ state: 'payable', amountCents: 2500 });
    const a = await getPayment(p, { amount: '1.00' });
    expectOk(a);
    expect(pathText(a.body, 'data', 'paymentAmount')).toBe('25.00');
  });

  it('transferType POSTAL → postal IBAN (IF-paGetPayment-F73)', async () => {
    const p = ec.provision({ state: 'payable' });
    const a = await getPayment(p, { transferType: 'POSTAL' });
    expectOk(a);
    const iban = pathText(a.body, 'data', 'transferList', 'transfer', 'IBAN')!;
    expect(iban).toBe(POSTAL);
    expect(isPostalIban(iban)).toBe(true);
  });

  it('repeated paGetPayment answers OK with the same data, the position stays open (IF-paGetPayment-F74)', async () => {
    const p = ec.provision({ state: 'payable' });
    const a1 = await getPayment(p);
    const a2 = await getPayment(p);
    const a3 = await getPayment(p, {}, undefined, { v2: true });
    expectOk(a1);
    expectOk(a2);
    expectOk(a3);
    expect(pathText(a2.body, 'data', 'paymentAmount')).toBe(pathText(a1.body, 'data', 'paymentAmount'));
    expect(stateOf(p)).toBe('payable');
  });

  it('V2: companyName mandatory, per-transfer companyName (IF-paGetPaymentV2-F60)', async () => {
    const p = ec.provision({ state: 'payable', transfers: 2 });
    const a = await getPayment(p, {}, undefined, { v2: true });
    expectOk(a);
    expect(pathText(a.body, 'data', 'companyName')).toBe('Comune di Collaudo');
    expect(pathText(a.body, 'data', 'transferList', 'transfer', 'companyName')).toBe('Comune di Collaudo');
  });

  for (const v2 of [false, true]) {
    it.each([
      ['unknown', 'PAA_PAGAMENTO_SCONOSCIUTO'],
      ['paid', 'PAA_PAGAMENTO_DUPLICATO'],
      ['expired', 'PAA_PAGAMENTO_SCADUTO'],
      ['cancelled', 'PAA_PAGAMENTO_ANNULLATO'],
      ['in-progress', 'PAA_PAGAMENTO_IN_CORSO'],
    ] as const)(`${v2 ? 'V2' : 'V1'}: %s notice → KO %s (IF-paGetPayment-F78)`, async (state, code) => {
      const p = state === 'unknown' ? neverIssued() : ec.provision({ state });
      expectKo(await getPayment(p, {}, undefined, { v2 }), code);
    });
  }
});

// ---------------------------------------------------------------- paSendRT(V2)

describe('paSendRT / paSendRTV2', () => {
  it('OK closes the position: paid, booked once, then verify/getPayment → PAA_PAGAMENTO_DUPLICATO (IF-paSendRT-F71)', async () => {
    const p = ec.provision({ state: 'payable' });
    expectOk(await getPayment(p));
    expectOk(await sendRT(p));
    const after = ec.position(p.fiscalCode, p.noticeNumber)!;
    expect(after.state).toBe('paid');
    expect(after.receipts).toHaveLength(1);
    expectKo(await verify(p), 'PAA_PAGAMENTO_DUPLICATO');
    expectKo(await getPayment(p), 'PAA_PAGAMENTO_DUPLICATO');
  });

  it('V2 receipt (fee bundle, MBD attachment) is accepted', async () => {
    const p = ec.provision({ state: 'payable', transfers: 2 });
    expectOk(await sendRT(p, { v2: true, mbd: true }));
    const after = ec.position(p.fiscalCode, p.noticeNumber)!;
    expect(after.state).toBe('paid');
    expect(after.receipts[0]!.version).toBe(2);
    expect(after.receipts[0]!.transfers[0]!.mbd).toBe(true);
  });

  it('a receipt for a notice never verified nor activated is accepted (NM-SI-PAY-04)', async () => {
    const p = ec.provision({ state: 'payable' });
    expectOk(await sendRT(p, { standIn: true }));
    expect(stateOf(p)).toBe('paid');
  });

  it('duplicate: same receiptId again → KO PAA_RECEIPT_DUPLICATA, never booked twice (IF-paSendRT-F72 a)', async () => {
    const p = ec.provision({ state: 'payable' });
    expectOk(await sendRT(p, { receiptId: 'dup-same-1' }));
    expectKo(await sendRT(p, { receiptId: 'dup-same-1' }), 'PAA_RECEIPT_DUPLICATA');
    expectKo(await sendRT(p, { receiptId: 'dup-same-1', v2: true }), 'PAA_RECEIPT_DUPLICATA');
    expect(ec.position(p.fiscalCode, p.noticeNumber)!.receipts).toHaveLength(1);
  });

  it('duplicate: another receipt for a closed position → KO PAA_RECEIPT_DUPLICATA, the first booking stays', async () => {
    const p = ec.provision({ state: 'payable' });
    expectOk(await sendRT(p, { receiptId: 'first-1' }));
    expectKo(await sendRT(p, { receiptId: 'second-1' }), 'PAA_RECEIPT_DUPLICATA');
    const after = ec.position(p.fiscalCode, p.noticeNumber)!;
    expect(after.receipts.map((r) => r.receiptId)).toEqual(['first-1']);
    // a position paid outside pagoPA is closed too
    const paid = ec.provision({ state: 'paid' });
    expectKo(await sendRT(paid), 'PAA_RECEIPT_DUPLICATA');
    expect(ec.position(paid.fiscalCode, paid.noticeNumber)!.receipts).toHaveLength(0);
  });

  it('a notice the EC never issued → KO PAA_PAGAMENTO_SCONOSCIUTO (IF-paSendRT-F72 b)', async () => {
    const real = ec.provision({ state: 'payable' });
    const fake: PositionJson = { ...real, ...neverIssued('9999999999991'), iuv: neverIssued('9999999999991').noticeNumber.slice(1) };
    expectKo(await sendRT(fake), 'PAA_PAGAMENTO_SCONOSCIUTO');
    expect(ec.receipts().some((r) => r.noticeNumber === fake.noticeNumber)).toBe(false);
  });

  it('standIn=true with an amount different from the position → OK, closed, difference recorded (IF-paSendRT-F74)', async () => {
    const p = ec.provision({ state: 'payable', amountCents: 10000 });
    ec.update(p.fiscalCode, p.noticeNumber, { amountCents: 10500 }); // the EC updated the amount, ACA did not
    expectOk(await sendRT(p, { standIn: true, amountCents: 10000 }));
    const after = ec.position(p.fiscalCode, p.noticeNumber)!;
    expect(after.state).toBe('paid');
    expect(after.receipts[0]!.standIn).toBe(true);
    expect(after.receipts[0]!.anomalies.join()).toMatch(/stand-in amount 100.00 differs/);
  });

  it.each(['expired', 'cancelled', 'in-progress'] as const)('a receipt for a %s position is accepted and closes it (NM-RT-ERR-01)', async (state) => {
    const p = ec.provision({ state });
    expectOk(await sendRT(p));
    const after = ec.position(p.fiscalCode, p.noticeNumber)!;
    expect(after.state).toBe('paid');
    expect(after.receipts[0]!.anomalies.join()).toContain(`paid while the position was ${state}`);
  });

  it('secondary EC: OK for its transfer, duplicate → PAA_RECEIPT_DUPLICATA, no transfer → PAA_PAGAMENTO_SCONOSCIUTO (NM-MB-RT-01)', async () => {
    const p = ec.provision({ state: 'payable', amountCents: 3000, transfers: 2, secondaryFiscalCode: SECONDARY });
    expectOk(await sendRT(p, { receiptId: 'mb-1' })); // to the issuer
    expectOk(await sendRT(p, { receiptId: 'mb-1', idPA: SECONDARY })); // same receipt to the beneficiary
    const booked = ec.position(p.fiscalCode, p.noticeNumber)!.receipts;
    expect(booked.map((r) => [r.idPA, r.role])).toEqual([
      [FC, 'issuer'],
      [SECONDARY, 'beneficiary'],
    ]);
    expect(booked[1]!.transfers.map((t) => t.fiscalCodePA)).toEqual([SECONDARY]);
    expectKo(await sendRT(p, { receiptId: 'mb-1', idPA: SECONDARY }), 'PAA_RECEIPT_DUPLICATA', SECONDARY);
    expectKo(await sendRT(p, { receiptId: 'mb-2', idPA: SECONDARY }), 'PAA_RECEIPT_DUPLICATA', SECONDARY);
    const mono = ec.provision({ state: 'payable' });
    expectKo(await sendRT(mono, { idPA: SECONDARY }), 'PAA_PAGAMENTO_SCONOSCIUTO', SECONDARY);
  });

  it('a receipt with outcome KO is refused with PAA_SEMANTICA and changes nothing (NM-RT-VAL-01)', async () => {
    const p = ec.provision({ state: 'payable' });
    expectKo(await sendRT(p, { outcome: 'KO' }), 'PAA_SEMANTICA');
    expect(stateOf(p)).toBe('payable');
  });
});

// ---------------------------------------------------------------- paDemandPaymentNotice

const demand = (idServizio: string, idSoggettoServizio: string, dati: string, to?: ReferenceEc, o: { validate?: boolean } = {}) =>
  call('paDemandPaymentNotice', { ...ids(), idServizio, idSoggettoServizio, datiSpecificiServizioRequest: dati }, { to, ...o });

describe('paDemandPaymentNotice', () => {
  it('known service → a payable position, qrCode + one payment option; same data → same notice (IF-paDemandPaymentNotice-F70)', async () => {
    const a = await demand('00001', '00001', tassaAutoData('AB123CD'));
    expectOk(a);
    const nn = pathText(a.body, 'qrCode', 'noticeNumber')!;
    expect(pathText(a.body, 'qrCode', 'fiscalCode')).toBe(FC);
    expect(nn).toMatch(new RegExp(`^3${SEG}\\d{15}$`));
    expect(noticeCheckDigitOk(nn)).toBe(true);
    expect(pathText(a.body, 'paymentList', 'paymentOptionDescription', 'amount')).toBe('212.35');
    expect(textOf(a.body, 'fiscalCodePA')).toBe(FC);
    expect(textOf(a.body, 'companyName')).toBe('Comune di Collaudo');
    expect(textOf(a.body, 'paymentDescription')).toContain('AB123CD');
    const pos = ec.position(FC, nn)!;
    expect(pos.state).toBe('payable');
    expect(pos.origin).toBe('demand');
    expect(pos.debtor.id).toBe('ANONIMO');
    // the created notice is served like any other
    expectOk(await verify(pos));
    const g = await getPayment(pos);
    expectOk(g);
    expect(pathText(g.body, 'data', 'debtor', 'uniqueIdentifier', 'entityUniqueIdentifierValue')).toBe('ANONIMO');
    const again = await demand('00001', '00001', tassaAutoData('AB123CD'));
    expect(pathText(again.body, 'qrCode', 'noticeNumber')).toBe(nn);
    // once paid, the same demand is a duplicate payment
    expectOk(await sendRT(pos));
    expectKo(await demand('00001', '00001', tassaAutoData('AB123CD')), 'PAA_PAGAMENTO_DUPLICATO');
  });

  it('second service of the catalogue (D847 fishing licence)', async () => {
    const a = await demand('00002', '00002', pescaData('RSSMRA80A01H501U'));
    expectOk(a);
    expect(pathText(a.body, 'paymentList', 'paymentOptionDescription', 'amount')).toBe('34.00');
  });

  it('unknown service or subject → KO PAA_SEMANTICA', async () => {
    expectKo(await demand('00009', '00001', tassaAutoData('AB123CD')), 'PAA_SEMANTICA');
    expectKo(await demand('00001', '00002', tassaAutoData('AB123CD')), 'PAA_SEMANTICA');
  });

  it('valid data naming nothing to pay → KO PAA_PAGAMENTO_SCONOSCIUTO; exempt subject → PAA_SEMANTICA', async () => {
    expectKo(await demand('00001', '00001', tassaAutoData(UNKNOWN_PLATE)), 'PAA_PAGAMENTO_SCONOSCIUTO');
    expectKo(await demand('00001', '00001', tassaAutoData(EXEMPT_PLATE)), 'PAA_SEMANTICA');
  });

  it.each([
    ['not base64', '!!!notbase64!!!'],
    ['base64 of non-XML', Buffer.from('just some text').toString('base64')],
    ['wrong root element', Buffer.from('<x xmlns="urn:other"/>').toString('base64')],
    ['wrong vehicle kind', Buffer.from(Buffer.from(tassaAutoData('AB123CD'), 'base64').toString().replace('>1<', '>7<')).toString('base64')],
    ['DTD inside the data', Buffer.from('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>').toString('base64')],
  ])('invalid datiSpecificiServizioRequest (%s) → KO PAA_SINTASSI_XSD (IF-paDemandPaymentNotice-F71)', async (_what, dati) => {
    expectKo(await demand('00001', '00001', dati), 'PAA_SINTASSI_XSD');
  });
});

// ---------------------------------------------------------------- self-check and syntax

describe('self-check (IF-X-17) and syntax (IF-X-18)', () => {
  const requests = (p: PositionJson): [string, (o: Parameters<typeof ids>[0]) => NodeObj][] => [
    ['paVerifyPaymentNotice', (o) => ({ ...ids(o), ...qr(p) })],
    ['paGetPayment', (o) => ({ ...ids(o), ...qr(p) })],
    ['paGetPaymentV2', (o) => ({ ...ids(o), ...qr(p) })],
    ['paSendRT', (o) => ({ ...ids(o), receipt: receiptOf(p) })],
    ['paSendRTV2', (o) => ({ ...ids(o), receipt: receiptOf(p, { v2: true }) })],
    ['paDemandPaymentNotice', (o) => ({ ...ids(o), idServizio: '00001', idSoggettoServizio: '00001', datiSpecificiServizioRequest: tassaAutoData('ZZ111ZZ') })],
  ];

  it('wrong idPA / idBrokerPA / idStation → PAA_ID_DOMINIO_ERRATO / PAA_ID_INTERMEDIARIO_ERRATO / PAA_STAZIONE_INT_ERRATA on every operation', async () => {
    const p = ec.provision({ state: 'payable' });
    for (const [op, build] of requests(p)) {
      expectKo(await call(op, build({ idPA: FOREIGN_EC })), 'PAA_ID_DOMINIO_ERRATO');
      expectKo(await call(op, build({ idBrokerPA: '99999999999' })), 'PAA_ID_INTERMEDIARIO_ERRATO');
      expectKo(await call(op, build({ idStation: '77777777777_99' })), 'PAA_STAZIONE_INT_ERRATA');
    }
    expect(stateOf(p)).toBe('payable');
  });

  it('schema-invalid requests → HTTP 200 KO PAA_SINTASSI_EXTRAXSD with the operation\'s response element (IF-A-04)', async () => {
    const p = ec.provision({ state: 'payable' });
    for (const [op, build] of requests(p)) {
      const o = OPERATIONS[op]!;
      const good = encodeEnvelope(o, 'request', build({}));
      const variants = [
        good.replace('<idPA>', '<bogus>x</bogus><idPA>'), // unknown element
        good.replace(/<idStation>[^<]*<\/idStation>/, ''), // missing mandatory element
        good.replace(/<idPA>[^<]*<\/idPA>/, `<idPA>${'9'.repeat(36)}</idPA>`), // too long
      ];
      if (op !== 'paDemandPaymentNotice') variants.push(good.replace(/<noticeNumber>\d+<\/noticeNumber>/, '<noticeNumber>3ABC</noticeNumber>'));
      for (const v of variants) {
        const a = await callRaw(v, { op: o, soapAction: op });
        expectKo(a, 'PAA_SINTASSI_EXTRAXSD');
        expect(a.fault?.description).toMatch(/not valid against paForNode\.xsd/);
      }
    }
    expect(stateOf(p)).toBe('payable');
  });

  it('children qualified with the wrapper namespace (a leaked default namespace) are schema-invalid (IF-X-05)', async () => {
    const p = ec.provision({ state: 'payable' });
    const env =
      `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${NS.soapenv}"><soapenv:Body>` +
      `<paVerifyPaymentNoticeReq xmlns="${NS.paForNode}"><idPA>${FC}</idPA><idBrokerPA>${BROKER}</idBrokerPA><idStation>${STATION}</idStation>` +
      `<qrCode><fiscalCode>${FC}</fiscalCode><noticeNumber>${p.noticeNumber}</noticeNumber></qrCode></paVerifyPaymentNoticeReq></soapenv:Body></soapenv:Envelope>`;
    expectKo(await callRaw(env, { op: OPERATIONS.paVerifyPaymentNotice }), 'PAA_SINTASSI_EXTRAXSD');
  });

  it('namespaces are resolved, not matched by prefix: a non-standard prefix and default namespaces get a normal answer', async () => {
    const p = ec.provision({ state: 'payable' });
    const prefixed =
      `<S:Envelope xmlns:S="${NS.soapenv}"><S:Body><x:paVerifyPaymentNoticeReq xmlns:x="${NS.paForNode}">` +
      `<idPA>${FC}</idPA><idBrokerPA>${BROKER}</idBrokerPA><idStation>${STATION}</idStation>` +
      `<qrCode><fiscalCode>${FC}</fiscalCode><noticeNumber>${p.noticeNumber}</noticeNumber></qrCode></x:paVerifyPaymentNoticeReq></S:Body></S:Envelope>`;
    const a = await callRaw(prefixed, { op: OPERATIONS.paVerifyPaymentNotice });
    expectOk(a);
    expect(pathText(a.body, 'paymentList', 'paymentOptionDescription', 'amount')).toBe(formatAmount(p.amountCents));
    const defaults =
      `<?xml version="1.0"?><Envelope xmlns="${NS.soapenv}"><Header/><Body><paGetPaymentReq xmlns="${NS.paForNode}">` +
      `<idPA xmlns="">${FC}</idPA><idBrokerPA xmlns="">${BROKER}</idBrokerPA><idStation xmlns="">${STATION}</idStation>` +
      `<qrCode xmlns=""><fiscalCode>${FC}</fiscalCode><noticeNumber>${p.noticeNumber}</noticeNumber></qrCode></paGetPaymentReq></Body></Envelope>`;
    const g = await callRaw(defaults, { op: OPERATIONS.paGetPayment });
    expectOk(g);
    expect(pathText(g.body, 'data', 'creditorReferenceId')).toBe(p.iuv);
    // no SOAPAction header at all: routed by the body element
    expectOk(await callRaw(prefixed, { op: OPERATIONS.paVerifyPaymentNotice, soapAction: undefined }));
  });

  it.each([
    ['not XML', 'this is not XML'],
    ['empty body', ''],
    ['truncated envelope', encodeEnvelope(OPERATIONS.paVerifyPaymentNotice!, 'request', { ...ids(), ...qr(neverIssued()) }).slice(0, 150)],
    ['HTML', '<html><body>hello</body></html>'],
    ['SOAP 1.2 envelope', `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><x:paVerifyPaymentNoticeReq xmlns:x="${NS.paForNode}"/></e:Body></e:Envelope>`],
    ['no Body', `<s:Envelope xmlns:s="${NS.soapenv}"><s:Header/></s:Envelope>`],
    ['two body elements', `<s:Envelope xmlns:s="${NS.soapenv}"><s:Body><a/><b/></s:Body></s:Envelope>`],
    ['unknown operation', `<s:Envelope xmlns:s="${NS.soapenv}"><s:Body><x:paFooReq xmlns:x="${NS.paForNode}"/></s:Body></s:Envelope>`],
    ['right name, wrong namespace', `<s:Envelope xmlns:s="${NS.soapenv}"><s:Body><x:paVerifyPaymentNoticeReq xmlns:x="urn:wrong"/></s:Body></s:Envelope>`],
    ['a nodeForPsp request', encodeEnvelope(OPERATIONS.verifyPaymentNotice!, 'request', { idPSP: 'X' })],
    ['a response instead of a request', encodeEnvelope(OPERATIONS.paVerifyPaymentNotice!, 'response', { outcome: 'OK' })],
    ['a SOAP Fault', `<s:Envelope xmlns:s="${NS.soapenv}"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>x</faultstring></s:Fault></s:Body></s:Envelope>`],
    ['entity expansion (billion laughs)', `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><s:Envelope xmlns:s="${NS.soapenv}"><s:Body>&lol2;</s:Body></s:Envelope>`],
  ])('garbage (%s) → HTTP 500 SOAP Fault soapenv:Client, never a crash or a hang (IF-X-09, IF-A-04)', async (_what, body) => {
    const a = await callRaw(body);
    expectSoapFault(a);
  });

  it('a body over 1 MB → 413, and the server keeps answering', async () => {
    const big = `<s:Envelope xmlns:s="${NS.soapenv}"><s:Body><x:paVerifyPaymentNoticeReq xmlns:x="${NS.paForNode}"><idPA>${'1'.repeat(2 * 1024 * 1024)}</idPA></x:paVerifyPaymentNoticeReq></s:Body></s:Envelope>`;
    const r = await post(ec.url, big, 'paVerifyPaymentNotice');
    expect(r.status).toBe(413);
    expectOk(await verify(ec.provision({ state: 'payable' })));
  });
});

// ---------------------------------------------------------------- provisioning

const provisionHttp = async (body: unknown, to = ec) => {
  const r = await fetch(`${to.baseUrl}/provisioning/positions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
};

describe('provisioning endpoint', () => {
  it('POST creates a position with a fresh aux-3 notice number; GET reads it back', async () => {
    const seen = new Set<string>();
    for (const state of ['payable', 'paid', 'expired', 'cancelled', 'in-progress'] as const) {
      const r = await provisionHttp({ state, amountCents: 4321, transfers: 2, dueDate: '2027-01-31' });
      expect(r.status).toBe(201);
      const j = r.json as unknown as PositionJson;
      expect(j.fiscalCode).toBe(FC);
      expect(j.state).toBe(state);
      expect(j.amountCents).toBe(4321);
      expect(j.dueDate).toBe('2027-01-31');
      expect(j.noticeNumber).toMatch(new RegExp(`^3${SEG}\\d{15}$`));
      expect(noticeCheckDigitOk(j.noticeNumber)).toBe(true);
      expect(j.iuv).toBe(j.noticeNumber.slice(1));
      expect(j.transfers.map((t) => t.amountCents)).toEqual([2161, 2160]);
      seen.add(j.noticeNumber);
      const g = await fetch(`${ec.baseUrl}/provisioning/positions/${j.fiscalCode}/${j.noticeNumber}`);
      expect(g.status).toBe(200);
      expect(g.headers.get('content-type')).toContain('application/json');
      expect(((await g.json()) as PositionJson).state).toBe(state);
    }
    for (let i = 0; i < 200; i++) seen.add(ec.provision({ state: 'payable' }).noticeNumber);
    expect(seen.size).toBe(205);
  });

  it('a station serving several ECs issues positions for each; each EC answers as its own idPA', async () => {
    const p = ec.provision({ state: 'payable', fiscalCode: SECONDARY, amountCents: 700 });
    expect(p.fiscalCode).toBe(SECONDARY);
    expect(p.transfers[0]!.iban).toBe(SECONDARY_BANK);
    const a = await call('paVerifyPaymentNotice', { ...ids({ idPA: SECONDARY }), ...qr(p) });
    expectOk(a);
    expect(textOf(a.body, 'companyName')).toBe('Provincia di Collaudo');
    expect(textOf(a.body, 'fiscalCodePA')).toBe(SECONDARY);
    expectOk(await sendRT(p, { idPA: SECONDARY }));
    expect(stateOf(p)).toBe('paid');
  });

  it('defaults: payable positions are due in the future, expired ones in the past', async () => {
    const today = isoDate(clock.now());
    expect(ec.provision({ state: 'payable' }).dueDate > today).toBe(true);
    expect(ec.provision({ state: 'expired' }).dueDate < today).toBe(true);
  });

  it('GET of an unknown position → 404; list endpoints answer', async () => {
    const g = await fetch(`${ec.baseUrl}/provisioning/positions/${FC}/${neverIssued().noticeNumber}`);
    expect(g.status).toBe(404);
    expect(((await g.json()) as { error: string }).error).toMatch(/no position/);
    expect((await fetch(`${ec.baseUrl}/provisioning/positions`)).status).toBe(200);
    expect((await fetch(`${ec.baseUrl}/provisioning/receipts`)).status).toBe(200);
    expect(ec.position(FC, neverIssued().noticeNumber)).toBeUndefined();
  });

  it.each([
    ['invalid JSON', '{"state": ', null],
    ['empty body', '', null],
    ['not an object', '[1]', null],
    ['missing state', {}, 'state'],
    ['unknown state', { state: 'open' }, 'state'],
    ['negative amount', { state: 'payable', amountCents: -5 }, 'amountCents'],
    ['fractional amount', { state: 'payable', amountCents: 10.5 }, 'amountCents'],
    ['amount as string', { state: 'payable', amountCents: '100' }, 'amountCents'],
    ['amount too large', { state: 'payable', amountCents: 100_000_000_000 }, 'amountCents'],
    ['zero transfers', { state: 'payable', transfers: 0 }, 'transfers'],
    ['six transfers', { state: 'payable', transfers: 6 }, 'transfers'],
    ['more transfers than cents', { state: 'payable', transfers: 3, amountCents: 2 }, 'amountCents'],
    ['bad secondary fiscal code', { state: 'payable', transfers: 2, secondaryFiscalCode: '123' }, 'secondaryFiscalCode'],
    ['secondary with one transfer', { state: 'payable', secondaryFiscalCode: SECONDARY }, 'secondaryFiscalCode'],
    ['secondary equal to the issuer', { state: 'payable', transfers: 2, secondaryFiscalCode: FC }, 'secondaryFiscalCode'],
    ['bad due date', { state: 'payable', dueDate: '2026-02-30' }, 'dueDate'],
    ['description too long', { state: 'payable', description: 'x'.repeat(141) }, 'description'],
    ['unknown field', { state: 'payable', amount: 100 }, 'amount'],
    ['EC not served', { state: 'payable', fiscalCode: FOREIGN_EC }, 'fiscalCode'],
  ])('400 with the field named: %s', async (_what, body, field) => {
    const r = await provisionHttp(body);
    expect(r.status).toBe(400);
    expect(r.json.field).toBe(field);
    expect(String(r.json.error).length).toBeGreaterThan(10);
    if (field) expect(String(r.json.error)).toContain(field);
  });

  it('the methods validate too, throwing ProvisioningError with the field', () => {
    expect(() => ec.provision({ state: 'payable', transfers: 9 })).toThrow(ProvisioningError);
    let err: unknown;
    try {
      ec.provision({ state: 'nope' as 'payable' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProvisioningError);
    expect((err as ProvisioningError).field).toBe('state');
  });

  it('update: the EC sets a position in progress, cancels it, or updates the amount (transfers rescaled)', async () => {
    const p = ec.provision({ state: 'payable', amountCents: 10000, transfers: 3 });
    const r = await fetch(`${ec.baseUrl}/provisioning/positions/${p.fiscalCode}/${p.noticeNumber}`, {
      method: 'POST',
      body: JSON.stringify({ state: 'in-progress' }),
    });
    expect(r.status).toBe(200);
    expectKo(await verify(p), 'PAA_PAGAMENTO_IN_CORSO');
    const u = ec.update(p.fiscalCode, p.noticeNumber, { state: 'payable', amountCents: 12001 });
    expect(u.transfers.reduce((s, t) => s + t.amountCents, 0)).toBe(12001);
    const g = await getPayment(p);
    expect(pathText(g.body, 'data', 'paymentAmount')).toBe('120.01');
    const bad = await fetch(`${ec.baseUrl}/provisioning/positions/${p.fiscalCode}/${p.noticeNumber}`, { method: 'POST', body: JSON.stringify({ colour: 'red' }) });
    expect(bad.status).toBe(400);
    const missing = await fetch(`${ec.baseUrl}/provisioning/positions/${FC}/${neverIssued().noticeNumber}`, { method: 'POST', body: JSON.stringify({ state: 'paid' }) });
    expect(missing.status).toBe(404);
  });
});

// ---------------------------------------------------------------- defect switches

/**
 * One test per defect: the same stimulus against the reference EC and against the mutant shows
 * the behaviour change. Typed as a Record so that a new defect without a test does not compile.
 */
const DEFECT_TESTS: Record<EcDefect, (m: ReferenceEc) => Promise<void>> = {
  async 'expired-as-unknown'(m) {
    expectKo(await verify(ec.provision({ state: 'expired' })), 'PAA_PAGAMENTO_SCADUTO');
    expectKo(await verify(m.provision({ state: 'expired' }), m), 'PAA_PAGAMENTO_SCONOSCIUTO');
    expectKo(await getPayment(m.provision({ state: 'expired' }), {}, m), 'PAA_PAGAMENTO_SCONOSCIUTO');
  },
  async 'cancelled-as-expired'(m) {
    expectKo(await verify(m.provision({ state: 'cancelled' }), m), 'PAA_PAGAMENTO_SCADUTO');
  },
  async 'paid-verify-ok'(m) {
    expectOk(await verify(m.provision({ state: 'paid' }), m));
  },
  async 'in-progress-ignored'(m) {
    expectOk(await verify(m.provision({ state: 'in-progress' }), m));
    expectOk(await getPayment(m.provision({ state: 'in-progress' }), {}, m));
  },
  async 'unknown-as-system-error'(m) {
    expectKo(await verify(neverIssued(), m), 'PAA_SYSTEM_ERROR');
  },
  async 'verify-locks'(m) {
    const p = m.provision({ state: 'payable' });
    expectOk(await verify(p, m));
    expectKo(await getPayment(p, {}, m), 'PAA_PAGAMENTO_IN_CORSO');
  },
  async 'getpayment-locks'(m) {
    const p = m.provision({ state: 'payable' });
    expectOk(await getPayment(p, {}, m));
    expectKo(await getPayment(p, {}, m), 'PAA_PAGAMENTO_IN_CORSO');
  },
  async 'verify-wrong-fiscalcode'(m) {
    const a = await verify(m.provision({ state: 'payable' }), m);
    expectOk(a);
    expect(textOf(a.body, 'fiscalCodePA')).not.toBe(FC);
  },
  async 'verify-missing-company'(m) {
    const a = await verify(m.provision({ state: 'payable' }), m);
    expectOk(a);
    expect(textOf(a.body, 'companyName')).toBeUndefined();
  },
  async 'amount-locale'(m) {
    const a = await verify(m.provision({ state: 'payable', amountCents: 12050 }), m, { validate: false });
    expect(a.xsdValid).toBe(false);
    expect(pathText(a.body, 'paymentList', 'paymentOptionDescription', 'amount')).toBe('120,50');
  },
  async 'amount-not-sum'(m) {
    const a = await getPayment(m.provision({ state: 'payable', amountCents: 5000, transfers: 2 }), {}, m);
    expectOk(a);
    const data = child(a.body, 'data');
    const sum = childrenNamed(child(data, 'transferList'), 'transfer').reduce((s, t) => s + cents(textOf(t, 'transferAmount'))!, 0);
    expect(cents(textOf(data, 'paymentAmount'))).not.toBe(sum);
  },
  async 'drop-due-date'(m) {
    const a = await getPayment(m.provision({ state: 'payable' }), {}, m, { validate: false });
    expect(a.outcome).toBe('OK');
    expect(a.xsdValid).toBe(false);
    expect(pathText(a.body, 'data', 'dueDate')).toBeUndefined();
  },
  async 'v2-missing-company'(m) {
    const p = m.provision({ state: 'payable' });
    expectOk(await getPayment(p, {}, m)); // V1 unaffected and valid
    const a = await getPayment(p, {}, m, { v2: true, validate: false });
    expect(a.xsdValid).toBe(false);
    expect(pathText(a.body, 'data', 'companyName')).toBeUndefined();
  },
  async 'bad-iban'(m) {
    const a = await getPayment(m.provision({ state: 'payable' }), {}, m);
    expectOk(a); // stIBAN has no pattern on the EC side: schema-valid, semantically wrong
    expect(isValidIban(pathText(a.body, 'data', 'transferList', 'transfer', 'IBAN'))).toBe(false);
  },
  async 'late-answer'(m) {
    const p = m.provision({ state: 'payable' });
    const op = OPERATIONS.paGetPayment!;
    const lateCall = (url: string) =>
      soapCall({ url, op, envelope: encodeEnvelope(op, 'request', { ...ids(), ...qr(p) }), from: 'nodo', to: 'ec', timeoutMs: 7000, clock });
    const fresh = ec.provision({ state: 'payable' });
    const good = await soapCall({ url: ec.url, op, envelope: encodeEnvelope(op, 'request', { ...ids(), ...qr(fresh) }), from: 'nodo', to: 'ec', timeoutMs: 7000, clock });
    expect(good.transport).toBe('ok');
    const t0 = clock.now();
    const r = await lateCall(m.url);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(LATE_ANSWER_MS);
    expect(r.transport).toBe('timeout');
    expect(r.late).toBe(true);
  },
  async 'receipt-leaves-open'(m) {
    const p = m.provision({ state: 'payable' });
    expectOk(await sendRT(p, {}, m));
    expectOk(await verify(p, m));
  },
  async 'receipt-unknown-ok'(m) {
    const real = m.provision({ state: 'payable' });
    expectOk(await sendRT({ ...real, ...neverIssued('9999999999992') }, {}, m));
  },
  async 'duplicate-receipt-rebooked'(m) {
    const p = m.provision({ state: 'payable' });
    expectOk(await sendRT(p, { receiptId: 'rebook-1' }, m));
    expectOk(await sendRT(p, { receiptId: 'rebook-1' }, m));
    expectOk(await sendRT(p, { receiptId: 'rebook-2' }, m));
    const g = await fetch(`${m.baseUrl}/provisioning/positions/${p.fiscalCode}/${p.noticeNumber}`);
    expect(((await g.json()) as PositionJson).receipts).toHaveLength(3);
  },
  async 'duplicate-receipt-system-error'(m) {
    const p = m.provision({ state: 'payable' });
    expectOk(await sendRT(p, { receiptId: 'dse-1' }, m));
    expectKo(await sendRT(p, { receiptId: 'dse-1' }, m), 'PAA_SYSTEM_ERROR');
    expect(m.position(p.fiscalCode, p.noticeNumber)!.receipts).toHaveLength(1);
  },
  async 'standin-amount-refused'(m) {
    const p = m.provision({ state: 'payable', amountCents: 10000 });
    m.update(p.fiscalCode, p.noticeNumber, { amountCents: 10500 });
    expectKo(await sendRT(p, { standIn: true, amountCents: 10000 }, m), 'PAA_SEMANTICA');
    expect(stateOf(p, m)).toBe('payable');
  },
  async 'receipt-ko-on-expired'(m) {
    expectKo(await sendRT(m.provision({ state: 'expired' }), {}, m), 'PAA_PAGAMENTO_SCADUTO');
    expectOk(await sendRT(m.provision({ state: 'payable' }), {}, m));
  },
  async 'secondary-receipt-unknown'(m) {
    const p = m.provision({ state: 'payable', transfers: 2, secondaryFiscalCode: SECONDARY });
    expectKo(await sendRT(p, { idPA: SECONDARY }, m), 'PAA_PAGAMENTO_SCONOSCIUTO', SECONDARY);
  },
  async 'no-self-check'(m) {
    const p = m.provision({ state: 'payable' });
    expectOk(await call('paVerifyPaymentNotice', { ...ids({ idBrokerPA: '99999999999' }), ...qr(p) }, { to: m }));
    expectOk(await call('paVerifyPaymentNotice', { ...ids({ idStation: 'OTHER_STATION' }), ...qr(p) }, { to: m }));
    expectOk(await call('paGetPayment', { ...ids({ idPA: FOREIGN_EC }), ...qr(p) }, { to: m }));
  },
  async 'accepts-invalid'(m) {
    const p = m.provision({ state: 'payable' });
    const env = encodeEnvelope(OPERATIONS.paVerifyPaymentNotice!, 'request', { ...ids(), ...qr(p) }).replace('<idPA>', '<bogus>x</bogus><idPA>');
    expectOk(await callRaw(env, { to: m, op: OPERATIONS.paVerifyPaymentNotice }));
  },
  async 'crash-on-garbage'(m) {
    const a = await callRaw('this is not XML', { to: m });
    expect(a.status).toBe(500);
    expect(a.soapFault).toBeUndefined();
    expect(a.raw).toMatch(/<html>/);
  },
  async 'fault-id-broker'(m) {
    expect((await verify(neverIssued())).fault?.id).toBe(FC);
    const a = await verify(neverIssued(), m);
    expect(a.fault?.faultCode).toBe('PAA_PAGAMENTO_SCONOSCIUTO');
    expect(a.fault?.id).toBe(BROKER);
  },
  async 'ko-http-500'(m) {
    const a = await verify(neverIssued(), m, { validate: false });
    expect(a.status).toBe(500);
    expect(a.xsdValid).toBe(true);
    expect(a.fault?.faultCode).toBe('PAA_PAGAMENTO_SCONOSCIUTO');
  },
  async 'demand-ignores-data'(m) {
    const a = await demand('00001', '00001', Buffer.from('just some text').toString('base64'), m);
    expectOk(a);
  },
  async 'allccp-always-true'(m) {
    const allCCP = async (to?: ReferenceEc) => pathText((await verify((to ?? ec).provision({ state: 'payable', transfers: 2, secondaryFiscalCode: SECONDARY }), to)).body, 'paymentList', 'paymentOptionDescription', 'allCCP');
    expect(await allCCP()).toBe('false');
    expect(await allCCP(m)).toBe('true');
  },
  async 'late-demand'(m) {
    const t0 = clock.now();
    expectOk(await demand('00001', '00001', tassaAutoData('LD123CD'), m));
    expect(clock.now() - t0).toBeGreaterThanOrEqual(LATE_ANSWER_MS);
  },
  ...FRONTEND_DEFECT_TESTS,
};

describe('official schema cross-check', () => {
  it.runIf(official)('the answers above also validated against the official pagopa-api paForNode.xsd', () => {
    expect(officialChecks).toBeGreaterThan(50);
  });
});

describe('defect switches (mutants)', () => {
  it('the catalogue lists at least 12 distinct defects, each with a description and the requirement it violates', () => {
    expect(EC_DEFECTS.length).toBeGreaterThanOrEqual(12);
    expect(new Set(EC_DEFECTS.map((d) => d.id)).size).toBe(EC_DEFECTS.length);
    expect(EC_DEFECTS.map((d) => d.id).sort()).toEqual([...EC_DEFECT_IDS].sort());
    for (const d of EC_DEFECTS) {
      expect(d.description.length).toBeGreaterThan(30);
      expect(d.catches.length, d.id).toBeGreaterThan(0);
      for (const id of d.catches) expect(requirement(id)?.levels.ec, `${d.id} → ${id}`).toBeDefined();
    }
  });

  it.each(EC_DEFECTS.map((d) => [d.id] as const))('%s changes the behaviour on the wire', async (id) => {
    await withEc([id], (m) => DEFECT_TESTS[id](m));
  });

  it.each(EC_DEFECTS.map((d) => [d.id] as const))('%s: the same observation fails on the reference EC (the test discriminates)', async (id) => {
    await expect(withEc([], (m) => DEFECT_TESTS[id](m))).rejects.toThrow();
  });
});
