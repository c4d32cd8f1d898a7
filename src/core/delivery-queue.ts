// A retrying delivery queue on the injected clock, model-agnostic: deliveries of some payload to
// some destination (a receipt to an EC station, an RT to an EC, a flow to a puller …). The user
// makes each attempt and judges it; the queue keeps the records, the retry schedule (slot·(2^k−1),
// at most maxAttempts sends, 'gap' or 'offset' measure, retry on a refusal or not), parking, manual
// restart and the final-state listeners. On a VirtualClock the waits are advances of the clock.
import type { Clock } from './clock.js';

export type DeliveryState = 'pending' | 'delivered' | 'rejected' | 'parked';

export interface RetrySchedule {
  /** slot time of the backoff */
  slotMs: number;
  /** total sends, the first included */
  maxAttempts: number;
  /**
   * 'gap': the wait between send k and send k+1 is slot·(2^k−1); 'offset': send k+1 happens
   * slot·(2^k−1) after the first send of the current counter.
   */
  measure: 'gap' | 'offset';
  /** retry also after the destination refused the delivery (verdict 'refused') */
  retryOnKo: boolean;
  /** explicit waits before sends 2, 3 … (the old model's 5, 10, 20, 40, 80 s): replaces slot·(2^k−1); read as gaps with measure 'gap', as offsets of the cumulative sum with 'offset' */
  waitsMs?: readonly number[];
}

/** The wait after send k (1-based) of a schedule: the explicit table's entry, else slot·(2^k−1). */
export function retryWaitMs(s: { slotMs: number; waitsMs?: readonly number[] }, k: number): number {
  return s.waitsMs ? (s.waitsMs[k - 1] ?? s.waitsMs.at(-1) ?? 0) : s.slotMs * (2 ** k - 1);
}

/** What the queue records of every attempt; the user's own fields follow these. */
export interface AttemptRecord {
  /** 1-based, over the delivery's whole life (restarts included) */
  n: number;
  /** clock time of the send (epoch ms, virtual in self-tests) */
  at: number;
  /** ms since the first send of the current counter */
  offsetMs: number;
  /** the attempt failed because a scenario injected a fault (not the destination's doing) */
  injected?: boolean;
}

/** The state part of a delivery record; the user's keys (destination, ids) sit beside it. */
export interface DeliveryStatus<A extends AttemptRecord = AttemptRecord> {
  state: DeliveryState;
  attempts: A[];
  maxAttempts: number;
  createdAt: number;
  finalAt?: number;
  /** why the last attempt failed, or why the delivery was rejected/parked */
  reason?: string;
}

type AttemptOf<D extends DeliveryStatus> = D['attempts'][number];
/** The keys the user gives a delivery: everything but the state part. */
export type DeliveryKeys<D extends DeliveryStatus> = Omit<D, keyof DeliveryStatus>;

/** One attempt as the user judged it. */
export interface Judged<A extends AttemptRecord> {
  /** delivered: final; refused: the destination said no (retried only with retryOnKo, final state 'rejected'); failed: no usable answer (retried, final state 'parked') */
  verdict: 'delivered' | 'refused' | 'failed';
  /** the user's fields of the attempt record */
  record: Omit<A, keyof AttemptRecord>;
  /** why it failed (becomes the delivery's reason) */
  reason?: string;
  injected?: boolean;
}

export interface AttemptInfo {
  /** attempt number in the current counter (1 after a restart) */
  k: number;
  at: number;
  /** time of the first send of the current counter */
  firstAt: number;
}

/** What bounds a delivery in time: the retry schedule and the timeout of one send, on the run's clock. */
export interface DeliverySchedule {
  /** slot of the backoff: wait between send k and k+1 is slot·(2^k−1) */
  slotMs: number;
  /** the timeout of one send */
  timeoutMs: number;
  /** virtual clock: backoff waits cost no real time and one send at most `realCapMs` of real time */
  virtual: boolean;
  realCapMs: number;
  /** explicit waits (RetrySchedule.waitsMs) */
  waitsMs?: readonly number[];
}

/**
 * The real time within which a delivery that still has sends k = `fromAttempt`…`maxAttempts` to make
 * reaches a final state: every send may use its whole timeout, every backoff wait its whole slot·(2^k−1)
 * (an upper bound for both readings of the schedule), plus one more send's timeout for the processing
 * around them. On a virtual clock the waits are advances of the clock and only the sends take real time.
 */
export function deliveryDeadlineMs(s: DeliverySchedule, fromAttempt: number, maxAttempts: number): number {
  const perSend = s.virtual ? Math.min(s.timeoutMs, s.realCapMs) : s.timeoutMs;
  let ms = perSend;
  for (let k = Math.max(1, fromAttempt); k <= maxAttempts; k++) {
    ms += perSend;
    if (!s.virtual && k < maxAttempts) ms += retryWaitMs(s, k);
  }
  return ms;
}

export interface DeliveryQueueOptions<P, D extends DeliveryStatus> {
  clock: Clock;
  schedule: RetrySchedule;
  /** the timeout of one attempt and the real time it may take on a virtual clock (the wait's deadline) */
  attemptTimeoutMs: number;
  realCapMs: number;
  /** makes one attempt of delivery `d` and judges it */
  attempt: (payload: P, d: Readonly<D>, info: AttemptInfo) => Promise<Judged<AttemptOf<D>>>;
  /**
   * What `wait` waits for: 'final' (default) a final state; 'first-failure' also the first attempt
   * the destination itself failed (an injected failure never settles it).
   */
  settle?: 'final' | 'first-failure';
  /** defect switch: the first failed attempt is final */
  noRetry?: boolean;
  /** how the wait's timeout message names the send's timeout */
  timeoutName?: string;
}

interface Entry<P> {
  payload: P;
  /** attempts index where the retry counter restarts (manual restart) */
  counterStart: number;
}

export class DeliveryQueue<P, D extends DeliveryStatus> {
  private readonly list: D[] = [];
  private readonly entries = new Map<D, Entry<P>>();
  private readonly listeners = new Set<(d: D | undefined) => void>();
  private readonly abort = new AbortController();
  private stopReason?: string;

  constructor(private readonly o: DeliveryQueueOptions<P, D>) {}

  get stopped(): boolean {
    return this.stopReason !== undefined;
  }

  /** Starts a delivery at once; returns the live record. */
  enqueue(keys: DeliveryKeys<D>, payload: P, maxAttempts?: number): D {
    const d = { ...keys, state: 'pending', attempts: [], maxAttempts: Math.max(1, maxAttempts ?? this.o.schedule.maxAttempts), createdAt: this.o.clock.now() } as unknown as D;
    this.list.push(d);
    this.entries.set(d, { payload, counterStart: 0 });
    void this.run(d);
    return d;
  }

  /** Copies of the deliveries `match` selects, in creation order. */
  deliveries(match: (d: D) => boolean = () => true): D[] {
    return this.list.filter(match).map(copy);
  }

  /** The first / latest delivery `match` selects (the live record). */
  first(match: (d: D) => boolean): D | undefined {
    return this.list.find(match);
  }
  latest(match: (d: D) => boolean): D | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) if (match(this.list[i]!)) return this.list[i];
    return undefined;
  }

  payload(d: D): P | undefined {
    return this.entries.get(d)?.payload;
  }

  /** Listens to final states (and to settling attempts under 'first-failure'); undefined when the queue stops. */
  onFinal(l: (d: D | undefined) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  schedule(): DeliverySchedule {
    return { slotMs: this.o.schedule.slotMs, timeoutMs: this.o.attemptTimeoutMs, virtual: this.o.clock.virtual, realCapMs: this.o.realCapMs, waitsMs: this.o.schedule.waitsMs };
  }

  /** The real-time deadline for `d` (or a delivery yet to come) to reach a final state from where it stands. */
  deadlineMs(d?: D): number {
    const e = d ? this.entries.get(d) : undefined;
    const done = d && e ? d.attempts.length - e.counterStart : 0;
    return deliveryDeadlineMs(this.schedule(), done + 1, d?.maxAttempts ?? this.o.schedule.maxAttempts);
  }

  /**
   * Resolves with a copy of the latest delivery `match` selects once it is final (or settled);
   * event-based, rejected after `deadlineMs` (default: from the schedule) or when the queue stops.
   */
  wait(match: (d: D) => boolean, label: string, deadlineMs?: number): Promise<D> {
    const now = this.latest(match);
    if (now && (now.state !== 'pending' || this.settled(now))) return Promise.resolve(copy(now));
    const limit = deadlineMs ?? this.deadlineMs(now);
    return new Promise<D>((resolve, reject) => {
      const l = (d: D | undefined) => {
        if (d === undefined) {
          done();
          reject(new Error(`${label}: ${this.stopReason ?? 'stopped'}`));
          return;
        }
        if (!match(d) || d !== this.latest(match)) return;
        if (d.state === 'pending' && !this.settled(d)) return;
        done();
        resolve(copy(d));
      };
      const timer = setTimeout(() => {
        done();
        const cur = this.latest(match);
        reject(
          new Error(
            `${label}: no final state within ${limit} ms (retry schedule and ${this.o.timeoutName ?? 'attempt timeout'} in force)` +
              (cur ? ` (state ${cur.state}, ${cur.attempts.length} attempt(s))` : ' (no delivery was ever created)'),
          ),
        );
      }, limit);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(l);
      };
      this.listeners.add(l);
    });
  }

  /** Manual restart of the latest parked/rejected delivery `match` selects: the attempt counter starts again. */
  restart(match: (d: D) => boolean): D | undefined {
    const d = this.latest(match);
    const e = d ? this.entries.get(d) : undefined;
    if (!d || !e || d.state === 'pending' || d.state === 'delivered') return d ? copy(d) : undefined;
    e.counterStart = d.attempts.length;
    d.state = 'pending';
    d.finalAt = undefined;
    d.reason = undefined;
    void this.run(d);
    return copy(d);
  }

  /** Stops every delivery (no more attempts) and rejects the waits with `reason`. */
  stop(reason = 'the delivery queue was stopped'): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.abort.abort(new Error(reason));
    this.notify(undefined);
  }

  private settled(d: D): boolean {
    const last = d.attempts.at(-1);
    return this.o.settle === 'first-failure' && !!last && d.state === 'pending' && !last.injected;
  }

  private notify(d: D | undefined): void {
    for (const l of [...this.listeners]) l(d);
  }

  private async run(d: D): Promise<void> {
    const e = this.entries.get(d)!;
    const s = this.o.schedule;
    for (;;) {
      if (this.stopped) return;
      const k = d.attempts.length - e.counterStart + 1;
      const at = this.o.clock.now();
      const firstAt = d.attempts[e.counterStart]?.at ?? at;
      const j = await this.o.attempt(e.payload, d, { k, at, firstAt });
      const rec = { n: d.attempts.length + 1, at, offsetMs: at - firstAt, ...j.record } as AttemptOf<D>;
      if (j.injected) rec.injected = true;
      d.attempts.push(rec);
      if (j.verdict === 'delivered') return this.finalize(d, 'delivered');
      d.reason = j.reason;
      if (this.settled(d)) this.notify(d);
      const retryable = j.verdict !== 'refused' || s.retryOnKo;
      const finalState = j.verdict === 'refused' ? 'rejected' : 'parked';
      if (!retryable || this.o.noRetry || k >= d.maxAttempts) return this.finalize(d, finalState, d.reason);
      const target = s.waitsMs && s.measure === 'offset' ? s.waitsMs.slice(0, k).reduce((a, b) => a + b, 0) : retryWaitMs(s, k);
      const wait = s.measure === 'gap' ? target : Math.max(0, firstAt + target - this.o.clock.now());
      try {
        await this.o.clock.sleep(wait, this.abort.signal);
      } catch {
        return;
      }
    }
  }

  private finalize(d: D, state: DeliveryState, reason?: string): void {
    d.state = state;
    d.finalAt = this.o.clock.now();
    if (state === 'delivered') d.reason = undefined;
    else if (reason) d.reason = reason;
    this.notify(d);
  }
}

function copy<D extends DeliveryStatus>(d: D): D {
  return { ...d, attempts: d.attempts.map((a) => ({ ...a })) };
}
