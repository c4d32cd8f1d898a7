// Scripted answers to a PSP's nodoInviaRT (issue 11 item 3) and the record of every push, so a seat
// can make the Nodo unavailable in the ways the spec's recovery rules name (no answer, a late answer,
// PPT_STAZIONE_INT_PA_TIMEOUT / _IRRAGGIUNGIBILE, PPT_SYSTEM_ERROR, a transport fault of
// src/core/faults.ts) and judge the PSP's retries with domain/old/rt-push.ts (TR-08, TR-09, A-14).
// The mechanism is actors/nodo/scripted-answers.ts: a scripted push is not taken (no RT accepted,
// nothing delivered) unless the answer says `process`. Attempts are counted per RPT key.
import { createHash } from 'node:crypto';
import type { Clock } from '../../../src/core/clock.js';
import type { OutgoingSoap } from '../../../src/wire/http.js';
import type { Operation } from '../../../src/wire/contract.js';
import { encodeEnvelope } from '../../../src/wire/soap.js';
import { type El, textOf } from '../../../src/wire/xml.js';
import { decodeEnvelope } from '../../../interfaces/index.js';
import { OLD_PSP_RT_WAIT_MS, type PullObservation, type PushAttempt, type PushJudgeOptions, type PushJudgement, judgeRtPush } from '../../../domain/old/rt-push.js';
import { type ScriptedAnswer, type ScriptedAttempt, ScriptedAnswers } from '../scripted-answers.js';
import { koAnswer, oldFault, readOldAnswer } from './faults.js';
import { rptKey } from './store.js';

/** What the Nodo does with one push (actors/nodo/scripted-answers.ts): `process` takes the RT. */
export type PushAnswer = ScriptedAnswer;

export interface RtKeys {
  idDominio: string;
  iuv: string;
  ccp: string;
}

/** One nodoInviaRT as the Nodo saw it and answered it (the judge's PushAttempt, plus what identifies it). */
export interface RtPushAttempt extends PushAttempt, ScriptedAttempt<PushAnswer>, RtKeys {
  idPSP?: string;
  /** identificativoMessaggioRicevuta of the RT pushed */
  idMessaggioRicevuta?: string;
  faultCode?: string;
}

export class RtPushes extends ScriptedAnswers<RtKeys, PushAnswer, RtPushAttempt> {
  /** a 'no-answer' holds the connection for the PSP's own wait (TR-10) */
  constructor(d: { clock: Clock }) {
    super(d.clock, { operation: 'nodoInviaRT', taken: 'RT', attemptsAre: 'pushes', holdMs: OLD_PSP_RT_WAIT_MS });
  }

  /** The judge's verdicts on the pushes of one RPT's RT (domain/old/rt-push.ts), with the PULL lists observed. */
  judge(keys: RtKeys, pulls: readonly PullObservation[] = [], o: PushJudgeOptions = {}): PushJudgement {
    return judgeRtPush(this.attempts(keys).filter((a) => a.ended), pulls, o);
  }

  protected keysOf(body: El): RtKeys {
    return { idDominio: textOf(body, 'identificativoDominio') ?? '', iuv: textOf(body, 'identificativoUnivocoVersamento') ?? '', ccp: textOf(body, 'codiceContestoPagamento') ?? '' };
  }

  protected keyOf(k: RtKeys): string {
    return rptKey(k.idDominio, k.iuv, k.ccp);
  }

  protected label(keys: RtKeys | undefined): string {
    return keys ? this.keyOf(keys) : 'any RT';
  }

  protected attempt(body: El, keys: RtKeys, base: ScriptedAttempt<PushAnswer>): RtPushAttempt {
    const xml = Buffer.from((textOf(body, 'rt') ?? '').replace(/\s+/g, ''), 'base64').toString('utf8');
    return {
      ...keys, ...base, idPSP: textOf(body, 'identificativoPSP'),
      digest: createHash('sha256').update(xml).digest('hex'),
      idMessaggioRicevuta: /<(?:[\w-]+:)?identificativoMessaggioRicevuta>([^<]*)</.exec(xml)?.[1],
    };
  }

  protected ko(op: Operation, code: string, description?: string): OutgoingSoap {
    return { status: 200, body: encodeEnvelope(op, 'response', koAnswer(op, oldFault(code, description))) };
  }

  protected readAnswer(op: Operation, out: OutgoingSoap): { esito?: string; faultCode?: string } | undefined {
    const dec = decodeEnvelope(out.body, { validate: false });
    if (!dec.ok) return undefined;
    const r = readOldAnswer(op, dec.msg.body);
    return { esito: r.esito, faultCode: r.fault?.faultCode };
  }

  protected override answered(a: RtPushAttempt, r: { faultCode?: string }): void {
    a.faultCode = r.faultCode;
  }
}
