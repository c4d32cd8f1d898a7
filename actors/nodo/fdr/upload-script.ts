// Scripted answers to a PSP's nodoInviaFlussoRendicontazione, and the record of every upload, so a seat
// can make the Nodo answer late or not at all while still taking the flow (OLD-FDR-ERR-07: upload
// timeout, then nodoChiediStatoFlussoRendicontazione), or refuse it as an unavailable Nodo would. The
// mechanism is actors/nodo/scripted-answers.ts (as for the old model's nodoInviaRT): a scripted upload
// is not taken unless its answer says `process`. Attempts are counted per (PSP, flow identifier); a
// PSP-wide script serves a flow without one of its own.
import type { Clock } from '../../../src/core/clock.js';
import type { OutgoingSoap } from '../../../src/wire/http.js';
import type { Operation } from '../../../src/wire/contract.js';
import { type FaultBean, decodeEnvelope, encodeEnvelope, koFor, outcomeOf, readFault } from '../../../src/wire/soap.js';
import { type El, textOf } from '../../../src/wire/xml.js';
import { type ScriptedAnswer, type ScriptedAttempt, ScriptedAnswers } from '../scripted-answers.js';

export const UPLOAD_OPERATION = 'nodoInviaFlussoRendicontazione';

/**
 * What the Nodo does with one upload (actors/nodo/scripted-answers.ts): `process` takes the flow.
 * `processingMs`: how long a taken flow then stays FLUSSO_IN_ELABORAZIONE.
 */
export type UploadAnswer = ScriptedAnswer<{ processingMs?: number }>;

export interface FlowKeys {
  idPSP: string;
  flowId: string;
}

/** One upload as the Nodo saw it and answered it. */
export interface FlowUploadAttempt extends FlowKeys, ScriptedAttempt<UploadAnswer> {}

const keyOf = (k: FlowKeys) => `${k.idPSP}\u0000${k.flowId}`;

export class FlowUploads extends ScriptedAnswers<FlowKeys, UploadAnswer, FlowUploadAttempt> {
  private readonly pspScripts = new Map<string, UploadAnswer[]>();

  /**
   * `processing`: tells the Nodo how long the next upload of these keys stays FLUSSO_IN_ELABORAZIONE once
   * taken; `fault`: the Nodo's faultBean for a scripted KO. A 'no-answer' holds the connection 30 s when
   * its answer does not say (NM-A-26: a caller of FdR primitives waits at least 30 s).
   */
  constructor(private readonly d: { clock: Clock; processing: (keys: FlowKeys, ms: number) => void; fault: (code: string, description?: string) => FaultBean }) {
    super(d.clock, { operation: UPLOAD_OPERATION, taken: 'flow', attemptsAre: 'uploads', holdMs: 30_000 });
  }

  /**
   * The Nth upload of each flow of this PSP without a script of its own gets `answers[N-1]` (a seat does
   * not know the identifier a candidate will choose). Replaces the PSP's previous script.
   */
  scriptPsp(idPSP: string, answers: readonly UploadAnswer[]): void {
    this.pspScripts.set(idPSP, [...answers]);
  }

  /** Forgets the script of these keys (every script, the PSPs' too, without keys); the attempts already made stay recorded and counted. */
  override clear(keys?: FlowKeys): void {
    super.clear(keys);
    if (!keys) this.pspScripts.clear();
  }

  protected override scriptFor(keys: FlowKeys, n: number): UploadAnswer | undefined {
    return (this.scripts.get(keyOf(keys)) ?? this.pspScripts.get(keys.idPSP))?.[n - 1];
  }

  protected override take(scripted: UploadAnswer, keys: FlowKeys, serve: () => Promise<OutgoingSoap>): Promise<OutgoingSoap> {
    const ms = 'processingMs' in scripted ? scripted.processingMs : undefined;
    if (ms !== undefined) this.d.processing(keys, ms);
    return serve();
  }

  protected keysOf(body: El): FlowKeys {
    return { idPSP: textOf(body, 'identificativoPSP') ?? '', flowId: textOf(body, 'identificativoFlusso') ?? '' };
  }

  protected keyOf(k: FlowKeys): string {
    return keyOf(k);
  }

  protected label(keys: FlowKeys | undefined): string {
    return keys ? `${keys.idPSP}/${keys.flowId}` : 'any flow';
  }

  protected attempt(_body: El, keys: FlowKeys, base: ScriptedAttempt<UploadAnswer>): FlowUploadAttempt {
    return { ...keys, ...base };
  }

  protected ko(op: Operation, code: string, description?: string): OutgoingSoap {
    return { status: 200, body: encodeEnvelope(op, 'response', koFor(op, this.d.fault(code, description))) };
  }

  protected readAnswer(op: Operation, out: OutgoingSoap): { esito?: string; faultCode?: string } | undefined {
    const dec = decodeEnvelope(out.body, { ops: [op], validate: false });
    return dec.ok ? { esito: outcomeOf(dec.msg.body, op), faultCode: readFault(dec.msg.body, op)?.faultCode } : undefined;
  }
}
