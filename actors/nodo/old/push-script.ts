// Scripted answers to a PSP's nodoInviaRT (issue 11 item 3) and the record of every push, so a seat
// can make the Nodo unavailable in the ways the spec's recovery rules name (no answer, a late answer,
// PPT_STAZIONE_INT_PA_TIMEOUT / _IRRAGGIUNGIBILE, PPT_SYSTEM_ERROR, a transport fault of
// src/core/faults.ts) and judge the PSP's retries with domain/old/rt-push.ts (TR-08, TR-09, A-14).
// The script acts before the Nodo's pipeline, as an unavailable Nodo would: a scripted push is not
// taken (no RT accepted, nothing delivered) unless the answer says `process`. Unscripted pushes, and
// those past the script's end, get the Nodo's own handling. Attempts are counted per RPT key.
import { createHash } from 'node:crypto';
import type { Clock } from '../../../src/core/clock.js';
import type { TransportFault } from '../../../src/core/faults.js';
import { type HoldEnd, type IncomingSoap, type OutgoingSoap, applyInboundFault } from '../../../src/wire/http.js';
import type { Operation } from '../../../src/wire/contract.js';
import { encodeEnvelope } from '../../../src/wire/soap.js';
import { textOf } from '../../../src/wire/xml.js';
import { decodeEnvelope } from '../../../interfaces/index.js';
import { OLD_PSP_RT_WAIT_MS, type PullObservation, type PushAttempt, type PushJudgeOptions, type PushJudgement, judgeRtPush } from '../../../domain/old/rt-push.js';
import { koAnswer, oldFault, readOldAnswer } from './faults.js';
import { rptKey } from './store.js';

/** What the Nodo does with one push. */
export type PushAnswer =
  /** the Nodo's own checks and delivery, answered at once (the default) */
  | { kind: 'process' }
  /**
   * No answer: the connection is held until the PSP closes it (its own wait) or `holdMs` passes, then
   * dropped. `process`: the Nodo took the RT all the same (the answer was lost on the way back).
   */
  | { kind: 'no-answer'; holdMs?: number; process?: boolean }
  /** The answer after `delayMs` on the clock: the Nodo's own, or `fault` without taking the RT. */
  | { kind: 'late'; delayMs: number; fault?: { faultCode: string; description?: string } }
  /** A KO with this fault at once, the RT not taken (PPT_STAZIONE_INT_PA_TIMEOUT, _IRRAGGIUNGIBILE, PPT_SYSTEM_ERROR …). */
  | { kind: 'fault'; faultCode: string; description?: string }
  /** A transport fault on the answer (http500, non-xml, truncated, schema-invalid, reset, no-answer, delay); the RT taken only with `process`. */
  | { kind: 'transport'; fault: TransportFault; process?: boolean };

export interface RtKeys {
  idDominio: string;
  iuv: string;
  ccp: string;
}

/** One nodoInviaRT as the Nodo saw it and answered it (the judge's PushAttempt, plus what identifies it). */
export interface RtPushAttempt extends PushAttempt, RtKeys {
  /** 1-based, per RPT key */
  n: number;
  idPSP?: string;
  /** identificativoMessaggioRicevuta of the RT pushed */
  idMessaggioRicevuta?: string;
  /** the script's answer ({ kind: 'process' } when none) */
  scripted: PushAnswer;
  faultCode?: string;
  /** false while the exchange is open (its end fields are provisional) */
  ended: boolean;
}

const keyOf = (k: RtKeys) => rptKey(k.idDominio, k.iuv, k.ccp);

export class RtPushes {
  private readonly scripts = new Map<string, PushAnswer[]>();
  private readonly log: RtPushAttempt[] = [];
  private readonly listeners = new Set<() => void>();

  /** how long a 'no-answer' holds the connection when its answer does not say: the PSP's own wait (TR-10) */
  holdMs = OLD_PSP_RT_WAIT_MS;

  constructor(private readonly d: { clock: Clock }) {}

  /** The Nth push of this RPT's RT gets `answers[N-1]`; pushes past the list get the Nodo's own handling. Replaces a previous script. */
  script(keys: RtKeys, answers: readonly PushAnswer[]): void {
    this.scripts.set(keyOf(keys), [...answers]);
  }

  /** Forgets the script of these keys (all scripts without keys); the attempts already made stay recorded and counted. */
  clear(keys?: RtKeys): void {
    if (keys) this.scripts.delete(keyOf(keys));
    else this.scripts.clear();
  }

  /** The pushes recorded, in arrival order (of one RPT with keys). Copies. */
  attempts(keys?: RtKeys): RtPushAttempt[] {
    const k = keys && keyOf(keys);
    return this.log.filter((a) => !k || keyOf(a) === k).map((a) => structuredClone(a));
  }

  /** Resolves when `count` pushes of the RPT's RT have ended; event-based, rejected after `deadlineMs` of real time. */
  waitAttempts(keys: RtKeys, count: number, deadlineMs: number): Promise<RtPushAttempt[]> {
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
        reject(new Error(`waitAttempts(${keyOf(keys)}): ${done().length} of ${count} pushes ended within ${deadlineMs} ms`));
      }, deadlineMs);
      const stop = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  /** The judge's verdicts on the pushes of one RPT's RT (domain/old/rt-push.ts), with the PULL lists observed. */
  judge(keys: RtKeys, pulls: readonly PullObservation[] = [], o: PushJudgeOptions = {}): PushJudgement {
    return judgeRtPush(this.attempts(keys).filter((a) => a.ended), pulls, o);
  }

  /** Answers a request: a nodoInviaRT by its script, anything else by `serve` (the Nodo's pipeline). */
  async intercept(req: IncomingSoap, serve: () => Promise<OutgoingSoap>): Promise<OutgoingSoap> {
    const d = req.decoded;
    if (!d.ok || d.msg.kind !== 'request' || d.msg.op?.name !== 'nodoInviaRT') return serve();
    const op = d.msg.op;
    const body = d.msg.body;
    const keys = { idDominio: textOf(body, 'identificativoDominio') ?? '', iuv: textOf(body, 'identificativoUnivocoVersamento') ?? '', ccp: textOf(body, 'codiceContestoPagamento') ?? '' };
    const xml = Buffer.from((textOf(body, 'rt') ?? '').replace(/\s+/g, ''), 'base64').toString('utf8');
    const n = this.log.filter((a) => keyOf(a) === keyOf(keys)).length + 1;
    const scripted = this.scripts.get(keyOf(keys))?.[n - 1] ?? { kind: 'process' };
    const now = this.d.clock.now();
    const a: RtPushAttempt = {
      ...keys, n, at: now, idPSP: textOf(body, 'identificativoPSP'),
      digest: createHash('sha256').update(xml).digest('hex'),
      idMessaggioRicevuta: /<(?:[\w-]+:)?identificativoMessaggioRicevuta>([^<]*)</.exec(xml)?.[1],
      scripted, answer: { kind: 'none' }, endedAt: now, endedBy: 'nodo', ended: false,
    };
    this.log.push(a);
    const holdMs = this.holdMs;
    const ko = (code: string, description?: string): OutgoingSoap => ({ status: 200, body: encodeEnvelope(op, 'response', koAnswer(op, oldFault(code, description))) });
    const held = (out: OutgoingSoap, ms: number, drop?: 'close' | 'reset'): OutgoingSoap => ({ ...out, hold: { ms, drop, ended: (e) => this.end(a, op, out, e) } });
    switch (scripted.kind) {
      case 'process':
        return this.sendNow(a, op, await serve());
      case 'fault':
        return this.sendNow(a, op, ko(scripted.faultCode, scripted.description ?? 'scripted answer of the reference Nodo'));
      case 'no-answer':
        return held(scripted.process ? await serve() : ko('PPT_SYSTEM_ERROR', 'never sent'), scripted.holdMs ?? holdMs, 'close');
      case 'late':
        return held(scripted.fault ? ko(scripted.fault.faultCode, scripted.fault.description) : await serve(), scripted.delayMs);
      case 'transport': {
        // a distorted answer is built from a KO when the RT was not taken: a lenient reader never sees an OK
        const out = scripted.process ? await serve() : ko('PPT_SYSTEM_ERROR', 'the Nodo did not take the RT');
        const f = scripted.fault;
        if (f.kind === 'delay') return held(out, f.ms);
        const applied = applyInboundFault(f, out);
        if (applied === 'no-answer') return held(out, holdMs, 'close');
        if (applied === 'reset') return held(out, 0, 'reset');
        if (applied === out) return this.sendNow(a, op, out);
        a.answer = { kind: 'unusable', what: f.kind };
        return this.sendNow(a, op, applied);
      }
    }
  }

  /** An answer sent at once. */
  private sendNow(a: RtPushAttempt, op: Operation, out: OutgoingSoap): OutgoingSoap {
    this.end(a, op, out, { at: this.d.clock.now(), by: 'server', answered: true });
    return out;
  }

  private end(a: RtPushAttempt, op: Operation, out: OutgoingSoap, e: HoldEnd): void {
    a.endedAt = e.at;
    a.endedBy = e.by === 'caller' ? 'caller' : 'nodo';
    if (!e.answered) a.answer = { kind: 'none' };
    else if (a.answer.kind !== 'unusable') {
      const dec = out.status === 200 ? decodeEnvelope(out.body, { validate: false }) : undefined;
      const r = dec?.ok ? readOldAnswer(op, dec.msg.body) : undefined;
      if (r?.esito === 'OK' || r?.esito === 'KO') {
        a.answer = { kind: 'answered', esito: r.esito, ...(r.fault ? { faultCode: r.fault.faultCode } : {}) };
        a.faultCode = r.fault?.faultCode;
      } else a.answer = { kind: 'unusable', what: `HTTP ${out.status} without esito` };
    }
    a.ended = true;
    for (const l of [...this.listeners]) l();
  }
}
