// Scripted answers of the reference Nodo to one primitive a candidate sends it, and the record of every
// attempt: a scenario makes the Nodo answer late, not at all, with a fault or a transport fault, as an
// unavailable Nodo would, and judges the candidate's retries on the attempts. The script acts before
// the Nodo's pipeline: a scripted request is not taken unless its answer says `process`. Unscripted
// requests, and those past the script's end, get the Nodo's own handling. Attempts are counted per key.
// Used by the old model's nodoInviaRT (old/push-script.ts) and the flow upload (fdr/upload-script.ts).
import type { Clock } from '../../src/core/clock.js';
import type { TransportFault } from '../../src/core/faults.js';
import { type HoldEnd, type IncomingSoap, type OutgoingSoap, applyInboundFault } from '../../src/wire/http.js';
import type { Operation } from '../../src/wire/contract.js';
import type { El } from '../../src/wire/xml.js';

/** What the Nodo does with one request; `T` adds what the Nodo is told when it takes it. */
export type ScriptedAnswer<T extends object = object> =
  /** the Nodo's own checks and handling, answered at once (the default) */
  | ({ kind: 'process' } & T)
  /**
   * No answer: the connection is held until the caller closes it (its own wait) or `holdMs` passes,
   * then dropped. `process`: the Nodo took the request all the same (the answer was lost on the way back).
   */
  | ({ kind: 'no-answer'; holdMs?: number; process?: boolean } & T)
  /** The answer after `delayMs` on the clock: the Nodo's own, or `fault` without taking the request. */
  | ({ kind: 'late'; delayMs: number; fault?: { faultCode: string; description?: string } } & T)
  /** A KO with this fault at once, the request not taken (PPT_SYSTEM_ERROR …). */
  | { kind: 'fault'; faultCode: string; description?: string }
  /** A transport fault on the answer (http500, non-xml, truncated, schema-invalid, reset, no-answer, delay); taken only with `process`. */
  | ({ kind: 'transport'; fault: TransportFault; process?: boolean } & T);

/** What reached the caller: an esito (with its fault code), nothing, or something it cannot use. */
export type AttemptAnswer = { kind: 'answered'; esito: 'OK' | 'KO'; faultCode?: string } | { kind: 'none' } | { kind: 'unusable'; what: string };

/** One request as the Nodo saw it and answered it. */
export interface ScriptedAttempt<A> {
  /** 1-based, per key */
  n: number;
  /** when the request arrived (ms on the run's clock) */
  at: number;
  /** the script's answer ({ kind: 'process' } when none) */
  scripted: A;
  answer: AttemptAnswer;
  /** when the exchange ended: the answer was sent, or the connection was closed */
  endedAt: number;
  /** who ended the exchange: the Nodo (answered or dropped) or the caller (closed first) */
  endedBy: 'nodo' | 'caller';
  /** false while the exchange is open (its end fields are provisional) */
  ended: boolean;
}

export abstract class ScriptedAnswers<K, A extends ScriptedAnswer<object>, R extends ScriptedAttempt<A> & K> {
  protected readonly scripts = new Map<string, A[]>();
  private readonly log: R[] = [];
  private readonly listeners = new Set<() => void>();

  /** how long a 'no-answer' holds the connection when its answer does not say */
  holdMs: number;

  /**
   * `operation`: the primitive scripted; `taken`: what a request carries to the Nodo (the RT, the flow);
   * `attemptsAre`: what the attempts are called in messages.
   */
  constructor(
    protected readonly clock: Clock,
    private readonly o: { operation: string; taken: string; attemptsAre: string; holdMs: number },
  ) {
    this.holdMs = o.holdMs;
  }

  /** The request's key (what attempts are counted by). */
  protected abstract keysOf(body: El): K;
  protected abstract keyOf(keys: K): string;
  /** How messages name the attempts of `keys` (of every key when undefined). */
  protected abstract label(keys: K | undefined): string;
  /** The attempt of one request: the base's fields and the subclass's own. */
  protected abstract attempt(body: El, keys: K, base: ScriptedAttempt<A>): R;
  /** A KO with the Nodo's faultBean for `code`. */
  protected abstract ko(op: Operation, code: string, description?: string): OutgoingSoap;
  /** The esito and fault code of an answer the Nodo sent (undefined when it has none). */
  protected abstract readAnswer(op: Operation, out: OutgoingSoap): { esito?: string; faultCode?: string } | undefined;
  /** The Nodo's pipeline for a request taken with this answer (a subclass may prepare it first). */
  protected take(_scripted: A, _keys: K, serve: () => Promise<OutgoingSoap>): Promise<OutgoingSoap> {
    return serve();
  }
  /** The script of the Nth request of these keys. */
  protected scriptFor(keys: K, n: number): A | undefined {
    return this.scripts.get(this.keyOf(keys))?.[n - 1];
  }
  /** Called once an attempt answered with an esito (a subclass may copy what it needs). */
  protected answered(_a: R, _r: { esito?: string; faultCode?: string }): void {}

  /** The Nth request of these keys gets `answers[N-1]`; requests past the list get the Nodo's own handling. Replaces a previous script. */
  script(keys: K, answers: readonly A[]): void {
    this.scripts.set(this.keyOf(keys), [...answers]);
  }

  /** Forgets the script of these keys (all scripts without keys); the attempts already made stay recorded and counted. */
  clear(keys?: K): void {
    if (keys) this.scripts.delete(this.keyOf(keys));
    else this.scripts.clear();
  }

  /** The attempts recorded, in arrival order (of one key with keys). Copies. */
  attempts(keys?: K): R[] {
    const k = keys && this.keyOf(keys);
    return this.log.filter((a) => !k || this.keyOf(a) === k).map((a) => structuredClone(a));
  }

  /** Resolves when `count` attempts (of one key with keys) have ended; event-based, rejected after `deadlineMs` of real time. */
  waitAttempts(keys: K | undefined, count: number, deadlineMs: number): Promise<R[]> {
    const done = () => this.attempts(keys).filter((a) => a.ended);
    if (done().length >= count) return Promise.resolve(done());
    return new Promise((resolve, reject) => {
      const check = () => {
        if (done().length < count) return;
        stop();
        resolve(done());
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`waitAttempts(${this.label(keys)}): ${done().length} of ${count} ${this.o.attemptsAre} ended within ${deadlineMs} ms`));
      }, deadlineMs);
      const stop = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  /** Answers a request: the scripted primitive by its script, anything else by `serve` (the Nodo's pipeline). */
  async intercept(req: IncomingSoap, serve: () => Promise<OutgoingSoap>): Promise<OutgoingSoap> {
    const dec = req.decoded;
    if (!dec.ok || dec.msg.kind !== 'request' || dec.msg.op?.name !== this.o.operation) return serve();
    const op = dec.msg.op;
    const body = dec.msg.body;
    const keys = this.keysOf(body);
    const n = this.log.filter((x) => this.keyOf(x) === this.keyOf(keys)).length + 1;
    const scripted = this.scriptFor(keys, n) ?? ({ kind: 'process' } as A);
    const now = this.clock.now();
    const a = this.attempt(body, keys, { n, at: now, scripted, answer: { kind: 'none' }, endedAt: now, endedBy: 'nodo', ended: false });
    this.log.push(a);
    const take = () => this.take(scripted, keys, serve);
    const held = (out: OutgoingSoap, ms: number, drop?: 'close' | 'reset'): OutgoingSoap => ({ ...out, hold: { ms, drop, ended: (e) => this.end(a, op, out, e) } });
    switch (scripted.kind) {
      case 'process':
        return this.sendNow(a, op, await take());
      case 'fault':
        return this.sendNow(a, op, this.ko(op, scripted.faultCode, scripted.description ?? 'scripted answer of the reference Nodo'));
      case 'no-answer':
        return held(scripted.process ? await take() : this.ko(op, 'PPT_SYSTEM_ERROR', 'never sent'), scripted.holdMs ?? this.holdMs, 'close');
      case 'late':
        return held(scripted.fault ? this.ko(op, scripted.fault.faultCode, scripted.fault.description) : await take(), scripted.delayMs);
      case 'transport': {
        // a distorted answer is built from a KO when the request was not taken: a lenient reader never sees an OK
        const out = scripted.process ? await take() : this.ko(op, 'PPT_SYSTEM_ERROR', `the Nodo did not take the ${this.o.taken}`);
        const f = scripted.fault;
        if (f.kind === 'delay') return held(out, f.ms);
        const applied = applyInboundFault(f, out);
        if (applied === 'no-answer') return held(out, this.holdMs, 'close');
        if (applied === 'reset') return held(out, 0, 'reset');
        if (applied !== out) a.answer = { kind: 'unusable', what: f.kind };
        return this.sendNow(a, op, applied);
      }
    }
  }

  /** An answer sent at once. */
  private sendNow(a: R, op: Operation, out: OutgoingSoap): OutgoingSoap {
    this.end(a, op, out, { at: this.clock.now(), by: 'server', answered: true });
    return out;
  }

  private end(a: R, op: Operation, out: OutgoingSoap, e: HoldEnd): void {
    a.endedAt = e.at;
    a.endedBy = e.by === 'caller' ? 'caller' : 'nodo';
    if (!e.answered) a.answer = { kind: 'none' };
    else if (a.answer.kind !== 'unusable') {
      const r = out.status === 200 ? this.readAnswer(op, out) : undefined;
      if (r?.esito === 'OK' || r?.esito === 'KO') {
        a.answer = { kind: 'answered', esito: r.esito, ...(r.faultCode ? { faultCode: r.faultCode } : {}) };
        this.answered(a, r);
      } else a.answer = { kind: 'unusable', what: `HTTP ${out.status} without esito` };
    }
    a.ended = true;
    for (const l of [...this.listeners]) l();
  }
}
