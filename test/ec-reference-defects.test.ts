// Self-test of the reference EC (candidates/ec), its defect switches: one behaviour change per
// defect, seen on the mutant and not on the reference EC.
import { requirement } from '../src/catalogue/index.js';
import { describe, expect, it } from 'vitest';
import { isValidIban } from '../domain/common.js';
import { soapCall } from '../src/wire/http.js';
import { OPERATIONS } from '../interfaces/index.js';
import { encodeEnvelope } from '../src/wire/soap.js';
import { child, childrenNamed, pathText, textOf } from '../src/wire/xml.js';
import { FRONTEND_DEFECT_TESTS } from './ec-frontend-defects.js';
import { FDR_DEFECT_TESTS } from './ec-fdr-defects.js';
import { EC_DEFECTS, EC_DEFECT_IDS, type EcDefect, LATE_ANSWER_MS, type PositionJson, ReferenceEc, tassaAutoData } from '../candidates/ec/index.js';
import { FC, BROKER, SECONDARY, FOREIGN_EC, clock, ec, useSharedEc, call, callRaw, ids, qr, verify, getPayment, sendRT, expectKo, expectOk, neverIssued, cents, stateOf, withEc, demand } from './support/ec-reference.js';

useSharedEc();

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
  ...FDR_DEFECT_TESTS,
};

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
