// The PSP seat's routing and listening rules (issue 14, item 11): traffic is charged to the scenario
// that owns its keys, never to another one; unknown and late traffic is kept apart; keyless flows
// go to the scenario that claimed their service data; a scenario listens as long as the spec's
// retry schedule says, on the run's clock.
import { describe, it, expect } from 'vitest';
import { VirtualClock } from '../src/core/clock.js';
import type { JournalEntry } from '../src/core/journal.js';
import { PspRouter } from '../seats/psp-routing.js';
import { nextDue, pspTiming, type PspTiming } from '../seats/psp-timing.js';
import { encodeEnvelope } from '../src/wire/soap.js';
import { OPERATIONS } from '../interfaces/index.js';
import type { Profile } from '../src/profile/index.js';

const T: PspTiming = { callerWaitMs: 10_000, retrySlotMs: 1000, maxAttempts: 5, stepMs: 2000 };

function exchange(j: { newExchange(): number; record: (e: Parameters<import('../src/core/journal.js').Journal['record']>[0]) => JournalEntry }, o: { primitive: string; correlation: JournalEntry['correlation']; raw?: string; at?: number; answerAt?: number; transport?: string; answerRaw?: string }) {
  const exchange = j.newExchange();
  const req = j.record({ exchange, direction: 'request', from: 'client', to: 'nodo', primitive: o.primitive, raw: o.raw ?? '', correlation: o.correlation, at: o.at });
  const res = j.record({ exchange, direction: 'response', from: 'nodo', to: 'client', primitive: o.primitive, raw: o.answerRaw ?? '', httpStatus: o.transport ? undefined : 200, transport: o.transport, correlation: o.correlation, at: o.answerAt ?? o.at });
  return { req, res };
}

describe('PspRouter', () => {
  it('charges traffic to the owner of its keys, keeps unknown and late traffic apart', () => {
    const r = new PspRouter(new VirtualClock());
    const a = r.slot('A');
    const b = r.slot('B');
    r.own(a, '301000000000000001');
    r.own(b, '301000000000000002');
    exchange(r.journal({ noticeNumber: '301000000000000002' }), { primitive: 'activatePaymentNotice', correlation: { noticeNumber: '301000000000000002', idempotencyKey: 'K_B' } });
    exchange(r.journal({ noticeNumber: '301000000000000001' }), { primitive: 'activatePaymentNotice', correlation: { noticeNumber: '301000000000000001', idempotencyKey: 'K_A' } });
    expect(b.journal.entries).toHaveLength(2);
    expect(a.journal.entries).toHaveLength(2);
    // the idempotency key seen in A's traffic is A's: a retry carrying only the key goes to A
    expect(r.ownerOf({ idempotencyKey: 'K_A' })).toBe(a);
    // keys nobody owns: unattributed, never the other scenario
    exchange(r.journal({ noticeNumber: '301999999999999999' }), { primitive: 'activatePaymentNotice', correlation: { noticeNumber: '301999999999999999' } });
    expect(r.unattributed.entries.map((e) => e.direction)).toEqual(['request', 'response']);
    // A ends; its late retry stays A's (named), not B's
    r.close(a);
    exchange(r.journal({ idempotencyKey: 'K_A' }), { primitive: 'activatePaymentNotice', correlation: { idempotencyKey: 'K_A' } });
    expect(b.journal.entries).toHaveLength(2);
    expect(r.unattributed.entries.at(-1)!.note).toMatch(/late: scenario A had ended/);
  });

  it('one scenario at a time: what no key names is the running scenario\'s; side by side it is nobody\'s', () => {
    const seq = new PspRouter(new VirtualClock(), true);
    const a = seq.slot('A');
    seq.own(a, 'N1');
    exchange(seq.journal({ paymentToken: 'BOGUS' }), { primitive: 'sendPaymentOutcome', correlation: { paymentToken: 'BOGUS' } });
    expect(a.journal.entries).toHaveLength(2);
    seq.close(a);
    const b = seq.slot('B');
    // A's late traffic is still A's, never B's
    exchange(seq.journal({ noticeNumber: 'N1' }), { primitive: 'activatePaymentNotice', correlation: { noticeNumber: 'N1' } });
    expect(b.journal.entries).toHaveLength(0);
    const side = new PspRouter(new VirtualClock(), false);
    const c = side.slot('C');
    exchange(side.journal({ paymentToken: 'BOGUS' }), { primitive: 'sendPaymentOutcome', correlation: { paymentToken: 'BOGUS' } });
    expect(c.journal.entries).toHaveLength(0);
    expect(side.unattributed.entries).toHaveLength(2);
  });

  it('refuses a key another running scenario owns (a harness fault)', () => {
    const r = new PspRouter(new VirtualClock());
    const a = r.slot('A');
    const b = r.slot('B');
    r.own(a, 'X');
    expect(() => r.own(b, 'X')).toThrow(/already owned by scenario A/);
  });

  it('gives keyless demands to the scenario that claimed their service data; an ambiguous claim waits', async () => {
    const r = new PspRouter(new VirtualClock());
    const [a, b, c] = [r.slot('A'), r.slot('B'), r.slot('C')];
    const demand = (data: string) =>
      encodeEnvelope(OPERATIONS.demandPaymentNotice!, 'request', { idPSP: 'P', idBrokerPSP: '01234567891', idChannel: '01234567891_01', password: 'password01', idSoggettoServizio: '00001', datiSpecificiServizio: Buffer.from(data).toString('base64') });
    await r.claim(a, ['demandPaymentNotice'], '<x>AA111AA</x>');
    await r.claim(b, ['demandPaymentNotice'], '<x>BB222BB</x>');
    exchange(r.journal({}), { primitive: 'demandPaymentNotice', correlation: {}, raw: demand('<x>BB222BB</x>') });
    exchange(r.journal({}), { primitive: 'demandPaymentNotice', correlation: {}, raw: demand('<x>AA111AA</x>') });
    expect(a.journal.entries).toHaveLength(2);
    expect(b.journal.entries).toHaveLength(2);
    // same data as A: C waits until A ends
    let claimed = false;
    const p = r.claim(c, ['demandPaymentNotice'], '<x>AA111AA</x>').then(() => (claimed = true));
    await new Promise<void>((res) => setImmediate(res));
    expect(claimed).toBe(false);
    r.close(a);
    await p;
    expect(claimed).toBe(true);
    // a keyless message nobody claimed: unattributed
    exchange(r.journal({}), { primitive: 'nodoChiediCatalogoServiziV2', correlation: {} });
    expect(r.unattributed.entries).toHaveLength(2);
  });
});

describe('nextDue: how long a scenario listens', () => {
  const ok = encodeEnvelope(OPERATIONS.activatePaymentNotice!, 'response', { outcome: 'OK', totalAmount: '10.00', paymentDescription: 'x', fiscalCodePA: '77777777777', companyName: 'x', paymentToken: 'T1', transferList: { transfer: [{ idTransfer: 1, transferAmount: '10.00', fiscalCodePA: '77777777777', IBAN: 'IT60X0542811101000000123456', remittanceInformation: 'x', transferCategory: '9/0101101IM/' }] } });

  it('a lost answer: the retry is due after the PSP\'s wait plus the slot (NM-TR-06), plus the 2 s of a step', () => {
    const r = new PspRouter(new VirtualClock(0));
    const s = r.slot('A');
    exchange(s.journal, { primitive: 'sendPaymentOutcome', correlation: { idempotencyKey: 'K1' }, at: 0, transport: 'no-answer' });
    expect(nextDue(s.journal.entries, T, false)).toBe(10_000 + 1000 + 2000);
    // the retry came and was answered: only the next step's 2 s remain
    exchange(s.journal, { primitive: 'sendPaymentOutcome', correlation: { idempotencyKey: 'K1' }, at: 11_000, answerAt: 11_050, answerRaw: encodeEnvelope(OPERATIONS.sendPaymentOutcome!, 'response', { outcome: 'OK' }) });
    expect(nextDue(s.journal.entries, T, false)).toBe(11_050 + 2000);
    // with the PSP's report in hand nothing more is due
    expect(nextDue(s.journal.entries, T, true)).toBe(-Infinity);
  });

  it('an unreadable answer: the retry is due a slot·(2^k − 1) after it, k = sends so far', () => {
    const r = new PspRouter(new VirtualClock(0));
    const s = r.slot('A');
    exchange(s.journal, { primitive: 'activatePaymentNotice', correlation: { idempotencyKey: 'K1', noticeNumber: 'N' }, at: 0, answerAt: 10, answerRaw: 'not xml' });
    exchange(s.journal, { primitive: 'activatePaymentNotice', correlation: { idempotencyKey: 'K1', noticeNumber: 'N' }, at: 1010, answerAt: 1020, answerRaw: '<truncated' });
    expect(nextDue(s.journal.entries, T, true)).toBe(1020 + 3 * 1000 + 2000);
  });

  it('an answer later than the PSP waits counts as lost; an open exchange keeps the scenario listening', () => {
    const r = new PspRouter(new VirtualClock(0));
    const s = r.slot('A');
    exchange(s.journal, { primitive: 'activatePaymentNotice', correlation: { idempotencyKey: 'K1' }, at: 0, answerAt: 12_000, answerRaw: ok });
    expect(nextDue(s.journal.entries, T, true)).toBe(10_000 + 1000 + 2000);
    s.journal.record({ exchange: s.journal.newExchange(), direction: 'request', from: 'client', to: 'nodo', primitive: 'sendPaymentOutcome', raw: '', correlation: {} });
    expect(nextDue(s.journal.entries, T, true)).toBeUndefined();
  });

  it('takes the PSP\'s wait and slot from the profile; by default the Nodo→EC timeout + 1 s, slot = wait', () => {
    expect(pspTiming({ timeouts: {} } as Profile)).toMatchObject({ callerWaitMs: 8000, retrySlotMs: 8000, maxAttempts: 5, stepMs: 2000 });
    expect(pspTiming({ timeouts: { paGetPayment: 9000 } } as Profile).callerWaitMs).toBe(10_000);
    expect(pspTiming({ timeouts: { callerWait: 30_000, retrySlot: 500 } } as Profile)).toMatchObject({ callerWaitMs: 30_000, retrySlotMs: 500 });
  });
});
