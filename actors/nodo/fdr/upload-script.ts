// Scripted answers to a PSP's nodoInviaFlussoRendicontazione, and the record of every upload, so a seat
// can make the Nodo answer late or not at all while still taking the flow (OLD-FDR-ERR-07: upload
// timeout, then nodoChiediStatoFlussoRendicontazione), or refuse it as an unavailable Nodo would. The
// pattern of push-script.ts (the old model's nodoInviaRT): the script acts before the Nodo's pipeline;
// a scripted upload is not taken unless its answer says `process`. Unscripted uploads, and those past
// the script's end, get the Nodo's own handling. Attempts are counted per (PSP, flow identifier).
import type { Clock } from '../../../src/core/clock.js';
import type { TransportFault } from '../../../src/core/faults.js';
import { type HoldEnd, type IncomingSoap, type OutgoingSoap, applyInboundFault } from '../../../src/wire/http.js';
import type { Operation } from '../../../src/wire/contract.js';
import { type FaultBean, decodeEnvelope, encodeEnvelope, koFor, outcomeOf, readFault } from '../../../src/wire/soap.js';
import { textOf } from '../../../src/wire/xml.js';

export const UPLOAD_OPERATION = 'nodoInviaFlussoRendicontazione';

/** What the Nodo does with one upload. `processingMs`: how long a taken flow then stays FLUSSO_IN_ELABORAZIONE. */
export type UploadAnswer =
  /** the Nodo's own checks and processing, answered at once (the default) */
  | { kind: 'process'; processingMs?: number }
  /** No answer: the connection held until the PSP closes it or `holdMs` passes, then dropped; `process`: the flow taken all the same. */
  | { kind: 'no-answer'; holdMs?: number; process?: boolean; processingMs?: number }
  /** The answer after `delayMs` on the clock: the Nodo's own (the flow taken at once), or `fault` without taking it. */
  | { kind: 'late'; delayMs: number; fault?: { faultCode: string; description?: string }; processingMs?: number }
  /** A KO with this fault at once, the flow not taken (PPT_SYSTEM_ERROR …). */
  | { kind: 'fault'; faultCode: string; description?: string }
  /** A transport fault on the answer (src/core/faults.ts); the flow taken only with `process`. */
  | { kind: 'transport'; fault: TransportFault; process?: boolean; processingMs?: number };

export interface FlowKeys {
  idPSP: string;
  flowId: string;
}

/** One upload as the Nodo saw it and answered it. */
export interface FlowUploadAttempt extends FlowKeys {
  /** 1-based, per (PSP, flow) */
  n: number;
  at: number;
  /** the script's answer ({ kind: 'process' } when none) */
  scripted: UploadAnswer;
  /** what reached the PSP: an esito (with its fault code), nothing, or something unusable */
  answer: { kind: 'answered'; esito: 'OK' | 'KO'; faultCode?: string } | { kind: 'none' } | { kind: 'unusable'; what: string };
  endedAt: number;
  /** who ended the exchange: the Nodo (answered or dropped) or the PSP (closed first) */
  endedBy: 'nodo' | 'caller';
  /** false while the exchange is open */
  ended: boolean;
}

const keyOf = (k: FlowKeys) => `${k.idPSP}\u0000${k.flowId}`;

export class FlowUploads {
  private readonly scripts = new Map<string, UploadAnswer[]>();
  private readonly pspScripts = new Map<string, UploadAnswer[]>();
  private readonly log: FlowUploadAttempt[] = [];
  private readonly listeners = new Set<() => void>();

  /** how long a 'no-answer' holds the connection when its answer does not say (NM-A-26: a caller of FdR primitives waits at least 30 s) */
  holdMs = 30_000;

  /**
   * `processing`: tells the Nodo how long the next upload of these keys stays FLUSSO_IN_ELABORAZIONE once
   * taken; `fault`: the Nodo's faultBean for a scripted KO.
   */
  constructor(private readonly d: { clock: Clock; processing: (keys: FlowKeys, ms: number) => void; fault: (code: string, description?: string) => FaultBean }) {}

  /** The Nth upload of this PSP's flow gets `answers[N-1]`; uploads past the list get the Nodo's own handling. Replaces a previous script. */
  script(keys: FlowKeys, answers: readonly UploadAnswer[]): void {
    this.scripts.set(keyOf(keys), [...answers]);
  }

  /**
   * The Nth upload of each flow of this PSP without a script of its own gets `answers[N-1]` (a seat does
   * not know the identifier a candidate will choose). Replaces the PSP's previous script.
   */
  scriptPsp(idPSP: string, answers: readonly UploadAnswer[]): void {
    this.pspScripts.set(idPSP, [...answers]);
  }

  /** Forgets the script of these keys (every script without keys); the attempts already made stay recorded and counted. */
  clear(keys?: FlowKeys): void {
    if (keys) this.scripts.delete(keyOf(keys));
    else {
      this.scripts.clear();
      this.pspScripts.clear();
    }
  }

  /** The uploads recorded, in arrival order (of one PSP's flow with keys). Copies. */
  attempts(keys?: FlowKeys): FlowUploadAttempt[] {
    const k = keys && keyOf(keys);
    return this.log.filter((a) => !k || keyOf(a) === k).map((a) => structuredClone(a));
  }

  /** Resolves when `count` uploads (of one PSP's flow with keys) have ended; event-based, rejected after `deadlineMs` of real time. */
  waitAttempts(keys: FlowKeys | undefined, count: number, deadlineMs: number): Promise<FlowUploadAttempt[]> {
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
        reject(new Error(`waitAttempts(${keys ? `${keys.idPSP}/${keys.flowId}` : 'any flow'}): ${done().length} of ${count} uploads ended within ${deadlineMs} ms`));
      }, deadlineMs);
      const stop = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  /** Answers a request: an upload by its script, anything else by `serve` (the Nodo's pipeline). */
  async intercept(req: IncomingSoap, serve: () => Promise<OutgoingSoap>): Promise<OutgoingSoap> {
    const dec = req.decoded;
    if (!dec.ok || dec.msg.kind !== 'request' || dec.msg.op?.name !== UPLOAD_OPERATION) return serve();
    const op = dec.msg.op;
    const keys = { idPSP: textOf(dec.msg.body, 'identificativoPSP') ?? '', flowId: textOf(dec.msg.body, 'identificativoFlusso') ?? '' };
    const n = this.log.filter((a) => keyOf(a) === keyOf(keys)).length + 1;
    const scripted = (this.scripts.get(keyOf(keys)) ?? this.pspScripts.get(keys.idPSP))?.[n - 1] ?? { kind: 'process' };
    const now = this.d.clock.now();
    const a: FlowUploadAttempt = { ...keys, n, at: now, scripted, answer: { kind: 'none' }, endedAt: now, endedBy: 'nodo', ended: false };
    this.log.push(a);
    const take = (processingMs?: number) => {
      if (processingMs !== undefined) this.d.processing(keys, processingMs);
      return serve();
    };
    const ko = (code: string, description?: string): OutgoingSoap => ({ status: 200, body: encodeEnvelope(op, 'response', koFor(op, this.d.fault(code, description))) });
    const held = (out: OutgoingSoap, ms: number, drop?: 'close' | 'reset'): OutgoingSoap => ({ ...out, hold: { ms, drop, ended: (e) => this.end(a, op, out, e) } });
    switch (scripted.kind) {
      case 'process':
        return this.sendNow(a, op, await take(scripted.processingMs));
      case 'fault':
        return this.sendNow(a, op, ko(scripted.faultCode, scripted.description ?? 'scripted answer of the reference Nodo'));
      case 'no-answer':
        return held(scripted.process ? await take(scripted.processingMs) : ko('PPT_SYSTEM_ERROR', 'never sent'), scripted.holdMs ?? this.holdMs, 'close');
      case 'late':
        return held(scripted.fault ? ko(scripted.fault.faultCode, scripted.fault.description) : await take(scripted.processingMs), scripted.delayMs);
      case 'transport': {
        // a distorted answer is built from a KO when the flow was not taken: a lenient reader never sees an OK
        const out = scripted.process ? await take(scripted.processingMs) : ko('PPT_SYSTEM_ERROR', 'the Nodo did not take the flow');
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

  private sendNow(a: FlowUploadAttempt, op: Operation, out: OutgoingSoap): OutgoingSoap {
    this.end(a, op, out, { at: this.d.clock.now(), by: 'server', answered: true });
    return out;
  }

  private end(a: FlowUploadAttempt, op: Operation, out: OutgoingSoap, e: HoldEnd): void {
    a.endedAt = e.at;
    a.endedBy = e.by === 'caller' ? 'caller' : 'nodo';
    if (!e.answered) a.answer = { kind: 'none' };
    else if (a.answer.kind !== 'unusable') {
      const dec = out.status === 200 ? decodeEnvelope(out.body, { ops: [op], validate: false }) : undefined;
      const esito = dec?.ok ? outcomeOf(dec.msg.body, op) : undefined;
      if (dec?.ok && (esito === 'OK' || esito === 'KO')) {
        const faultCode = readFault(dec.msg.body, op)?.faultCode;
        a.answer = { kind: 'answered', esito, ...(faultCode ? { faultCode } : {}) };
      } else a.answer = { kind: 'unusable', what: `HTTP ${out.status} without esito` };
    }
    a.ended = true;
    for (const l of [...this.listeners]) l();
  }
}
