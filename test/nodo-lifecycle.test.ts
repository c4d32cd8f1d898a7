// Self-test of the reference Nodo (actors/nodo): payment token lifecycle, receipt delivery and
// retries, direct station calls and defect switches, against the fake EC of ./support/nodo-fixture.ts.
import { describe, expect, it } from 'vitest';
import { HARNESS_PSP } from '../domain/harness-parties.js';
import { encodeEnvelope, outcomeOf, readFault } from '../src/wire/soap.js';
import { OPERATIONS } from '../interfaces/index.js';
import { textOf } from '../src/wire/xml.js';
import { noticeAux3 } from '../domain/common.js';
import { DEFAULT_TOKEN_LIFETIME_MS } from '../actors/nodo/index.js';
import { Ledger } from '../src/core/ledger.js';
import { transfersOf } from '../actors/psp/client.js';
import { decodeEnvelope } from '../interfaces/index.js';
import { EC_A, clock, journal, nodoFaults, fakeEc, nodo, psp, notice, qr, newNodo, useNodoFixture } from './support/nodo-fixture.js';

useNodoFixture('nodo-lifecycle.test', 100);

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

  it('expireToken: the race of NM-PSPPAY-CONC-02 on the Nodo\'s own state — T1 expires now, another PSP pays the notice, T1\'s outcome OK is refused PPT_TOKEN_SCADUTO; a paid token is left as it is', async () => {
    const n = notice();
    const t1 = (await psp.activate(qr(n), 12_050)).paymentToken!;
    expect(nodo.expireToken(t1)).toBe(true);
    expect(nodo.token(t1)?.state).toBe('EXPIRED');
    const other = await psp.withIds({ idPSP: 'PSPTWO', idBrokerPSP: 'BRKPSPTWO', idChannel: 'CHTWO', password: 'password_two' }).payNotice(qr(n), { amountCents: 12_050, skipVerify: true });
    expect(other.outcome?.outcome).toBe('OK');
    const late = await psp.outcome(t1, 'OK');
    expect(late.fault?.faultCode).toBe('PPT_TOKEN_SCADUTO');
    expect(nodo.notice(n.fiscalCode, n.noticeNumber)).toEqual({ state: 'paid', paymentToken: other.paymentToken });
    expect(nodo.expireToken(other.paymentToken!)).toBe(false);
    expect(nodo.token(other.paymentToken!)?.state).toBe('PAID');
    expect(nodo.expireToken('never-issued')).toBe(false);
  });

  it('an activation answered standin=true (scripted: the Nodo serves no ACA) marks its receipt standIn, in the delivery and in the ledger (NM-SI-PAY-01); others stay false', async () => {
    const ledger = new Ledger();
    let standIn = true;
    const { nodo: n2, psp: p2 } = await newNodo({ ledger, intercept: async (op, _b, _c, proceed) => {
      const r = await proceed();
      if (standIn && op.startsWith('activatePaymentNotice') && r.outcome === 'OK') r.standin = true;
      return r;
    } });
    const si = await p2.payNotice(qr(notice()));
    await n2.waitDelivery(si.paymentToken!, EC_A, 2000);
    expect(n2.receiptFor(si.paymentToken!)?.standIn).toBe(true);
    expect(ledger.receipts().find((r) => r.receiptId === si.paymentToken)?.standIn).toBe(true);
    standIn = false;
    const plain = await p2.payNotice(qr(notice()));
    await n2.waitDelivery(plain.paymentToken!, EC_A, 2000);
    expect(n2.receiptFor(plain.paymentToken!)?.standIn).toBe(false);
    expect(ledger.receipts().find((r) => r.receiptId === plain.paymentToken)?.standIn).toBeUndefined();
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
