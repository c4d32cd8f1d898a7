// Self-test of the reference EC (candidates/ec), its primitives: the server, then every paForNode
// primitive over real HTTP with hand-built envelopes, every PAA_* fault it emits, the receipt
// rules. Every XML answer is validated against xsd/paForNode.xsd (test/support/ec-reference.ts).
import soap from 'soap';
import { describe, expect, it } from 'vitest';
import { isValidIban, noticeCheckDigitOk } from '../domain/common.js';
import { OPERATIONS } from '../interfaces/index.js';
import { encodeEnvelope } from '../src/wire/soap.js';
import { child, childrenNamed, pathText, textOf } from '../src/wire/xml.js';
import { decodeEnvelope } from '../interfaces/index.js';
import { EXEMPT_PLATE, type EcDefect, type PositionJson, ReferenceEc, UNKNOWN_PLATE, isPostalIban, pescaData, tassaAutoData } from '../candidates/ec/index.js';
import { FC, BROKER, STATION, SEG, SECONDARY, BANK, BANK2, POSTAL, SECONDARY_BANK, options, ec, useSharedEc, post, official, officialCheckCount, call, ids, qr, verify, getPayment, sendRT, expectKo, expectOk, neverIssued, cents, stateOf, demand } from './support/ec-reference.js';

useSharedEc();

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

// ---------------------------------------------------------------- official schema

describe('official schema cross-check', () => {
  it.runIf(official)('the answers above also validated against the official pagopa-api paForNode.xsd', () => {
    expect(officialCheckCount()).toBeGreaterThan(50);
  });
});
