// The generic retrying delivery queue (src/core/delivery-queue.ts) on a VirtualClock, with a
// scripted destination: schedule ('gap' and 'offset'), parking after max attempts, refusals with and
// without retry, manual restart, settling at the first failure, stop, and the wait's deadline. Then
// its first user, the reference Nodo's receipt delivery, feeding the run's ledger.
import { describe, expect, it, vi } from 'vitest';
import { Faults } from '../src/core/faults.js';
import { Ledger } from '../src/core/ledger.js';
import { HARNESS_PSP } from '../domain/harness-parties.js';
import { EC_IDS, startWorld } from '../bench/world.js';
import { VirtualClock, withDeadline } from '../src/core/clock.js';
import { DeliveryQueue, deliveryDeadlineMs, type AttemptRecord, type DeliveryQueueOptions, type DeliveryStatus, type Judged, type RetrySchedule } from '../src/core/delivery-queue.js';

interface Attempt extends AttemptRecord {
  answer: string;
}
interface Parcel extends DeliveryStatus<Attempt> {
  id: string;
  to: string;
}
type Verdict = Judged<Attempt>['verdict'];

/** A destination that answers from a script, one verdict per attempt (the last one repeats). */
function destination(script: (Verdict | 'injected')[]) {
  const seen: { id: string; k: number; at: number; payload: string }[] = [];
  let i = 0;
  const attempt = async (payload: string, d: Readonly<Parcel>, info: { k: number; at: number }): Promise<Judged<Attempt>> => {
    seen.push({ id: d.id, k: info.k, at: info.at, payload });
    const step = script[Math.min(i++, script.length - 1)]!;
    if (step === 'injected') return { verdict: 'failed', record: { answer: 'lost' }, reason: 'injected: no answer', injected: true };
    return { verdict: step, record: { answer: step }, reason: step === 'delivered' ? undefined : `answer ${step} #${i}` };
  };
  return { attempt, seen };
}

const SCHEDULE: RetrySchedule = { slotMs: 15_000, maxAttempts: 5, measure: 'gap', retryOnKo: true };

function queue(script: (Verdict | 'injected')[], o: Partial<Omit<DeliveryQueueOptions<string, Parcel>, 'schedule'>> & { schedule?: Partial<RetrySchedule> } = {}) {
  const clock = new VirtualClock();
  const dest = destination(script);
  const q = new DeliveryQueue<string, Parcel>({
    clock,
    attemptTimeoutMs: 1000,
    realCapMs: 1000,
    attempt: dest.attempt,
    timeoutName: 'test send timeout',
    ...o,
    schedule: { ...SCHEDULE, ...o.schedule },
  });
  const byId = (id: string) => (d: Parcel) => d.id === id;
  return { clock, q, seen: dest.seen, byId };
}

describe('delivery queue: schedule and final states', () => {
  it("'gap': waits slot·(2^k−1) between sends (0, 15, 60, 165, 390 s), then parks with the last reason", async () => {
    const { q, seen, byId } = queue(['failed']);
    const live = q.enqueue({ id: 'r1', to: 'ec' }, 'payload-1');
    expect(live.state).toBe('pending');
    const d = await q.wait(byId('r1'), 'wait r1', 2000);
    expect(d.state).toBe('parked');
    expect(d.attempts.map((a) => a.offsetMs)).toEqual([0, 15_000, 60_000, 165_000, 390_000]);
    expect(d.attempts.map((a) => a.n)).toEqual([1, 2, 3, 4, 5]);
    expect(d.attempts.map((a) => a.answer)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed']);
    expect(d.reason).toBe('answer failed #5');
    expect(d.finalAt! - d.createdAt).toBe(390_000);
    expect(seen.map((s) => s.k)).toEqual([1, 2, 3, 4, 5]);
    expect(seen.every((s) => s.payload === 'payload-1')).toBe(true);
    // the copy handed out is not the live record
    d.attempts.pop();
    expect(q.deliveries(byId('r1'))[0]!.attempts).toHaveLength(5);
  });

  it("'offset': send k+1 at slot·(2^k−1) after the first (0, 15, 45, 105, 225 s)", async () => {
    const { q, byId } = queue(['failed'], { schedule: { measure: 'offset' } });
    q.enqueue({ id: 'r2', to: 'ec' }, 'p');
    const d = await q.wait(byId('r2'), 'wait r2', 2000);
    expect(d.attempts.map((a) => a.offsetMs)).toEqual([0, 15_000, 45_000, 105_000, 225_000]);
    expect(d.state).toBe('parked');
  });

  it('delivered at the third attempt: final, no reason, no more sends', async () => {
    const { q, seen, byId } = queue(['failed', 'failed', 'delivered']);
    q.enqueue({ id: 'r3', to: 'ec' }, 'p');
    const d = await q.wait(byId('r3'), 'wait r3', 2000);
    expect(d.state).toBe('delivered');
    expect(d.reason).toBeUndefined();
    expect(d.attempts).toHaveLength(3);
    expect(seen).toHaveLength(3);
  });

  it('a refusal is retried with retryOnKo (final state rejected), and final at once without it', async () => {
    const on = queue(['refused']);
    on.q.enqueue({ id: 'k1', to: 'ec' }, 'p', 3);
    const d1 = await on.q.wait(on.byId('k1'), 'wait k1', 2000);
    expect(d1).toMatchObject({ state: 'rejected', maxAttempts: 3, reason: 'answer refused #3' });
    expect(d1.attempts).toHaveLength(3);

    const off = queue(['refused'], { schedule: { retryOnKo: false } });
    off.q.enqueue({ id: 'k2', to: 'ec' }, 'p');
    const d2 = await off.q.wait(off.byId('k2'), 'wait k2', 2000);
    expect(d2.state).toBe('rejected');
    expect(d2.attempts).toHaveLength(1);
    // a failure without an answer is still retried when refusals are not
    const mixed = queue(['failed', 'refused'], { schedule: { retryOnKo: false } });
    mixed.q.enqueue({ id: 'k3', to: 'ec' }, 'p');
    const d3 = await mixed.q.wait(mixed.byId('k3'), 'wait k3', 2000);
    expect(d3.attempts.map((a) => a.answer)).toEqual(['failed', 'refused']);
    expect(d3.state).toBe('rejected');
  });

  it('noRetry (a defect switch): the first failure is final, maxAttempts unchanged', async () => {
    const { q, byId } = queue(['failed'], { noRetry: true });
    q.enqueue({ id: 'n1', to: 'ec' }, 'p');
    const d = await q.wait(byId('n1'), 'wait n1', 2000);
    expect(d).toMatchObject({ state: 'parked', maxAttempts: 5 });
    expect(d.attempts).toHaveLength(1);
  });
});

describe('delivery queue: restart, listeners, settle, stop', () => {
  it('a manual restart of a parked delivery starts the counter again (k from 1, offsets from the new first send, n continues)', async () => {
    const { clock, q, seen, byId } = queue(['failed', 'failed', 'failed', 'delivered'], { schedule: { maxAttempts: 2 } });
    q.enqueue({ id: 'x', to: 'ec' }, 'p');
    const parked = await q.wait(byId('x'), 'wait x', 2000);
    expect(parked.state).toBe('parked');
    expect(q.restart(byId('missing'))).toBeUndefined();
    clock.advance(1_000_000);
    const restartedAt = clock.now();
    const r = q.restart(byId('x'))!;
    expect(r).toMatchObject({ state: 'pending', reason: undefined, finalAt: undefined });
    const d = await q.wait(byId('x'), 'wait x', 2000);
    expect(d.state).toBe('delivered');
    expect(d.attempts.map((a) => a.n)).toEqual([1, 2, 3, 4]);
    expect(d.attempts.map((a) => a.offsetMs)).toEqual([0, 15_000, 0, 15_000]);
    expect(d.attempts[2]!.at).toBe(restartedAt);
    expect(seen.map((s) => s.k)).toEqual([1, 2, 1, 2]);
    // a delivered delivery is not restarted
    expect(q.restart(byId('x'))!.attempts).toHaveLength(4);
    expect(seen).toHaveLength(4);
  });

  it('final-state listeners hear every final state once; wait follows the latest delivery of its key', async () => {
    const { q, byId } = queue(['delivered']);
    const heard: string[] = [];
    const off = q.onFinal((d) => heard.push(d ? `${d.id}:${d.state}` : 'stopped'));
    q.enqueue({ id: 'a', to: 'ec' }, 'p');
    await q.wait(byId('a'), 'wait a', 2000);
    q.enqueue({ id: 'a', to: 'ec' }, 'p2');
    const second = await q.wait(byId('a'), 'wait a', 2000);
    expect(q.payload(q.latest(byId('a'))!)).toBe('p2');
    expect(q.payload(q.first(byId('a'))!)).toBe('p');
    expect(second.createdAt).toBeGreaterThanOrEqual(q.first(byId('a'))!.createdAt);
    expect(heard).toEqual(['a:delivered', 'a:delivered']);
    off();
    q.stop('over');
    expect(heard).toHaveLength(2);
  });

  it("settle 'first-failure': the wait resolves at the destination's own first failure, not at an injected one", async () => {
    const { q, byId } = queue(['injected', 'failed', 'failed'], { settle: 'first-failure' });
    const parked = new Promise<Parcel>((resolve) => q.onFinal((x) => x && x.state !== 'pending' && resolve(x)));
    q.enqueue({ id: 's', to: 'ec' }, 'p');
    const d = await q.wait(byId('s'), 'wait s', 2000);
    expect(d.state).toBe('pending');
    expect(d.attempts.map((a) => [a.answer, a.injected ?? false])).toEqual([
      ['lost', true],
      ['failed', false],
    ]);
    expect(d.reason).toBe('answer failed #2');
    // the delivery itself goes on with its schedule, to its final state
    const final = await withDeadline(parked, 2000, 'parked');
    expect(final.attempts).toHaveLength(5);
    expect(final.state).toBe('parked');
  });

  it('stop: no more attempts, waits rejected with the reason', async () => {
    const clock = new VirtualClock();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = new DeliveryQueue<string, Parcel>({
      clock,
      schedule: SCHEDULE,
      attemptTimeoutMs: 1000,
      realCapMs: 1000,
      attempt: async () => {
        calls++;
        await gate;
        return { verdict: 'failed', record: { answer: 'failed' } };
      },
    });
    q.enqueue({ id: 'z', to: 'ec' }, 'p');
    const waiting = q.wait((d) => d.id === 'z', 'wait z', 2000);
    q.stop('the test stopped it');
    await expect(waiting).rejects.toThrow('wait z: the test stopped it');
    release();
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(1);
    expect(q.stopped).toBe(true);
  });
});

describe('delivery queue: the wait deadline follows the schedule', () => {
  it('deliveryDeadlineMs: every send and (real clock) every backoff wait of the remaining attempts', () => {
    const real = { slotMs: 15_000, timeoutMs: 15_000, virtual: false, realCapMs: 5000 };
    expect(deliveryDeadlineMs(real, 1, 5)).toBe(6 * 15_000 + 15_000 + 45_000 + 105_000 + 225_000);
    expect(deliveryDeadlineMs(real, 5, 5)).toBe(2 * 15_000);
    expect(deliveryDeadlineMs({ ...real, virtual: true }, 1, 5)).toBe(6 * 5000);
  });

  it('a wait on a key nothing was ever enqueued for times out naming it', async () => {
    const { q } = queue(['failed']);
    const msg = await q.wait(() => false, 'never', 1).catch((e: Error) => e.message);
    expect(msg).toMatch(/never: no final state within 1 ms \(retry schedule and test send timeout in force\) \(no delivery was ever created\)/);
  });

  it("a wait's default deadline is the queue's schedule from where the delivery stands (virtual: sends only)", async () => {
    const clock = new VirtualClock();
    let calls = 0;
    const q = new DeliveryQueue<string, Parcel>({
      clock,
      schedule: { ...SCHEDULE, maxAttempts: 3 },
      attemptTimeoutMs: 40,
      realCapMs: 20,
      // the first attempt fails, the second never answers: the delivery stays pending
      attempt: () => (calls++ === 0 ? Promise.resolve({ verdict: 'failed' as const, record: { answer: 'failed' } }) : new Promise<never>(() => {})),
    });
    expect(q.schedule()).toEqual({ slotMs: 15_000, timeoutMs: 40, virtual: true, realCapMs: 20 });
    expect(q.deadlineMs()).toBe(20 + 3 * 20);
    q.enqueue({ id: 'w', to: 'ec' }, 'p');
    await new Promise((r) => setImmediate(r));
    const live = q.latest((d) => d.id === 'w')!;
    expect(live.attempts).toHaveLength(1);
    // attempts 2 and 3 remain
    expect(q.deadlineMs(live)).toBe(20 + 2 * 20);
    const t0 = performance.now();
    await expect(q.wait((d) => d.id === 'w', 'wait w')).rejects.toThrow(/wait w: no final state within 60 ms \(retry schedule and attempt timeout in force\) \(state pending, 1 attempt\(s\)\)/);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(50);
    q.stop();
  });
});

describe("the reference Nodo's receipts in the run's ledger", () => {
  it('a paid notice lands in the ledger once (re-sends included), a KO outcome and a crafted re-send do not', async () => {
    const clock = new VirtualClock();
    const faults = new Faults();
    const ledger = new Ledger();
    // the ledger replaces a record with the same key: count the writes to see "once"
    const writes = vi.spyOn(ledger, 'recordReceipt');
    const w = await startWorld(clock, { faults, nodo: { ledger } });
    try {
      const pos = w.ec.provision({ state: 'payable', amountCents: 12_050, transfers: 2 });
      const qr = { fiscalCode: pos.fiscalCode, noticeNumber: pos.noticeNumber };
      // the first paSendRT is lost: the re-send must not record the receipt again
      faults.add({ side: 'outbound', primitive: 'paSendRT', match: { noticeNumber: pos.noticeNumber }, fault: { kind: 'no-answer' }, times: 1 });
      const r = await w.psp.payNotice(qr);
      expect(r.outcome?.outcome).toBe('OK');
      const token = r.paymentToken!;
      const d = await w.nodo.waitDelivery(token, EC_IDS.idPA, 5000);
      expect(d.state).toBe('delivered');
      expect(d.attempts).toHaveLength(2);
      const receipt = w.nodo.receiptFor(token)!;
      const recorded = ledger.receipts();
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({
        model: 'new',
        receiptId: token,
        ecFiscalCode: EC_IDS.idPA,
        noticeNumber: pos.noticeNumber,
        iuv: pos.noticeNumber.slice(1),
        idPSP: HARNESS_PSP.idPSP,
        idChannel: HARNESS_PSP.idChannel,
        outcome: 'OK',
        amountCents: 12_050,
        paidAt: receipt.paymentDateTime,
      });
      expect(recorded[0]!.scenario).toBeUndefined();
      expect(recorded[0]!.transfers).toHaveLength(2);
      expect(recorded[0]!.transfers.reduce((a, t) => a + t.amountCents, 0)).toBe(12_050);
      expect(recorded[0]!.transfers.map((t) => [t.index, t.ecFiscalCode, t.iban])).toEqual(receipt.transfers.map((t) => [t.idTransfer, t.fiscalCodePA, t.iban]));
      // a KO outcome builds no receipt; a crafted re-send is the scenario's, not a new payment
      const ko = w.ec.provision({ state: 'payable' });
      const a = await w.psp.activate({ fiscalCode: ko.fiscalCode, noticeNumber: ko.noticeNumber }, 12_050);
      expect((await w.psp.outcome(a.paymentToken!, 'KO')).outcome).toBe('OK');
      w.nodo.sendReceipt(receipt, { maxAttempts: 1 });
      const again = await w.nodo.waitDelivery(token, EC_IDS.idPA, 5000);
      expect(again.role).toBe('crafted');
      expect(ledger.receipts().map((x) => x.receiptId)).toEqual([token]);
      expect(writes).toHaveBeenCalledTimes(1);
    } finally {
      await w.stop();
    }
  });
});
