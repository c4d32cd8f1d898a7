// How a PSP pushes one RT through nodoInviaRT, judged against the recovery rules of the catalogue
// (§3.4 OLD-RT-RETRY-01..03, OLD-PSP-ERR-11/13/16; §5.1 TR-08, TR-09; A-14): the attempts as the Nodo
// saw them (arrival, RT digest, the answer the Nodo gave and when the exchange ended) and what the
// PSP's PULL queue listed afterwards → one verdict per rule, with its reasons. Pure: no clock, no I/O.
//
// Readings taken (the seed leaves them open):
//  - A-14, the number of sends: "fino a cinque tentativi" (L2324) = 5 sends in all, or "ulteriori
//    cinque tentativi" (L2349) = 1 + 5 = 6; both PASS. Fewer than 5 unanswered sends before giving
//    up, or more than 6 sends, FAIL.
//  - TR-08's waits count from the moment the PSP knows it got no answer: its own wait ran out, or the
//    connection died first; when the Nodo answered or dropped later than that wait, from either moment
//    (a PSP may keep its connection open longer than it declared; on a virtual clock it always does). TR-10 leaves that wait to an external SLA: a profile value
//    (`callerWaitMs`), by default the Nodo's paaInviaRT timeout + 1 s (the Nodo answers nodoInviaRT
//    only after the EC's paaInviaRT, L1509-1512).
//  - The spec gives no tolerance on the waits; the harness allows `earlyToleranceMs` before and
//    max(`lateToleranceMs`, 25 % of the wait) after each (network and timer jitter).
//  - After PPT_STAZIONE_INT_PA_TIMEOUT / _IRRAGGIUNGIBILE the RT goes to the PULL queue (L2342);
//    pushing again is the PSP's option (L2344: "ha facoltà"), unscheduled, within the same maximum.
//  - PPT_SYSTEM_ERROR is generic: pushing again after it is allowed, unscheduled (the seed's advice for
//    it elsewhere, Tabella 21 after L3190: retry, then Tavolo Operativo).
//  - Any other answer (OK or KO) ends the recovery (L2361); the same RT pushed again after it is an
//    automatic repetition (L2043 for PPT_RT_DUPLICATA). A different RT after a KO is a new submission.
import { OLD_DEFAULT_TIMEOUTS, OLD_RT_RETRY_WAITS_MS } from '../timeouts.js';

/** TR-10 reading: how long a PSP waits for nodoInviaRT's answer when its profile does not say. */
export const OLD_PSP_RT_WAIT_MS = OLD_DEFAULT_TIMEOUTS.paaInviaRT + 1000;

/** The faults after which the RT goes to the PULL queue (TR-09, L2342). */
export const STATION_FAULTS: readonly string[] = ['PPT_STAZIONE_INT_PA_TIMEOUT', 'PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE'];
/** A generic error the PSP may push again after (the seed's own advice for PPT_SYSTEM_ERROR elsewhere: retry, then Tavolo Operativo, Tabella 21 after L3190), unscheduled. */
export const RETRYABLE_FAULTS: readonly string[] = ['PPT_SYSTEM_ERROR'];

/** One nodoInviaRT of the RT as the Nodo saw it. */
/** The judge's tolerance on each TR-08 wait (the spec gives none): this much early, max(LATE_TOLERANCE_MS, share × wait) late. */
export const EARLY_TOLERANCE_MS = 500;
export const LATE_TOLERANCE_MS = 2000;
export const LATE_TOLERANCE_SHARE = 0.25;

export interface PushAttempt {
  /** when the request arrived (ms on the run's clock) */
  at: number;
  /** SHA-256 of the RT document the request carried (hex) */
  digest: string;
  /** what the Nodo gave: an answer (OK / KO with its faultCode), nothing, or an answer the PSP cannot use (HTTP 500, not XML …) */
  answer: { kind: 'answered'; esito: 'OK' | 'KO'; faultCode?: string } | { kind: 'none' } | { kind: 'unusable'; what: string };
  /** when the exchange ended: the answer was sent, or the connection was closed */
  endedAt: number;
  /** 'caller': the PSP closed the connection first (it stopped waiting) */
  endedBy: 'nodo' | 'caller';
}

/** A pspChiediListaRT the Nodo made of the PSP's channel: did its list hold the RT? */
export interface PullObservation {
  at: number;
  listed: boolean;
}

export interface PushJudgeOptions {
  /** the PSP's own wait for nodoInviaRT's answer (default OLD_PSP_RT_WAIT_MS) */
  callerWaitMs?: number;
  /** TR-08's waits before the 2nd … 6th send (default 5, 10, 20, 40, 80 s) */
  waitsMs?: readonly number[];
  /** a retry may come this much before its wait is over (default 500 ms) */
  earlyToleranceMs?: number;
  /** … and max(this, 25 % of the wait) after (default 2000 ms) */
  lateToleranceMs?: number;
  /** when the observation ended: a retry not yet due then is not missing (default: the last attempt's end + the longest wait) */
  observedUntil?: number;
}

export type PushRule = 'retry-schedule' | 'retry-count' | 'stop-on-answer' | 'same-rt' | 'pull-fallback';

/** The requirements each rule judges. */
export const PUSH_RULES: Record<PushRule, { requirements: readonly string[]; what: string; whatIt: string }> = {
  'retry-schedule': {
    requirements: ['OLD-RT-RETRY-02', 'TR-08'],
    what: 'after a push without answer the next one waits 5, 10, 20, 40, 80 s (L2349-2355)',
    whatIt: 'dopo un invio senza risposta il successivo attende 5, 10, 20, 40, 80 s (L2349-2355)',
  },
  'retry-count': {
    requirements: ['OLD-RT-RETRY-02', 'OLD-RT-RETRY-03', 'OLD-PSP-ERR-13', 'TR-08'],
    what: 'a push without answer is retried until 5 or 6 sends (A-14), never more',
    whatIt: 'un invio senza risposta è ritentato fino a 5 o 6 invii (A-14), mai di più',
  },
  'stop-on-answer': {
    requirements: ['OLD-RT-RETRY-02', 'OLD-PSP-ERR-11'],
    what: 'an answer ends the recovery: the RT is not pushed again (L2361, L2043)',
    whatIt: 'una risposta chiude il recupero: la RT non è inviata di nuovo (L2361, L2043)',
  },
  'same-rt': { requirements: ['OLD-RT-RETRY-02', 'TR-08'], what: 'every retry pushes the same RT', whatIt: 'ogni nuovo tentativo invia la stessa RT' },
  'pull-fallback': {
    requirements: ['OLD-RT-RETRY-01', 'OLD-RT-RETRY-03', 'OLD-PSP-ERR-13', 'OLD-PSP-ERR-16', 'TR-09'],
    what: 'retries exhausted or a station fault: the RT is in the PULL queue (L2342, L2366)',
    whatIt: 'tentativi esauriti o un fault della stazione: la RT è nella coda PULL (L2342, L2366)',
  },
};

export interface PushRuleVerdict {
  rule: PushRule;
  requirements: readonly string[];
  verdict: 'pass' | 'fail' | 'not-exercised';
  reasons: string[];
  /** the reasons in Italian, one for one (the certificate's Italian view) */
  reasonsIt: string[];
}

/** An attempt as judged: did the PSP get a usable answer, and when did it know? */
export interface JudgedAttempt extends PushAttempt {
  n: number;
  /** the PSP got a usable answer within its wait */
  answered: boolean;
  /** the moment the PSP knew the outcome (answer, or its wait over / the connection gone) */
  knownAt: number;
  /** the wait TR-08 asks before this attempt (a retry after an unanswered one) */
  expectedWaitMs?: number;
  /** the wait the PSP kept before this attempt */
  waitedMs?: number;
}

export interface PushJudgement {
  rules: PushRuleVerdict[];
  attempts: JudgedAttempt[];
  /** the A-14 readings the sends are consistent with (when the pushes were exhausted without answer) */
  readings: ('5 sends' | '6 sends')[];
}

/** An A-14 reading in Italian. */
export const readingIt = (r: '5 sends' | '6 sends'): string => (r === '5 sends' ? '5 invii' : '6 invii');

const MAX_SENDS = 6;
const MIN_EXHAUSTED = 5;
const s = (ms: number) => `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;

/** Judges the pushes of one RT (attempts in arrival order) and the PULL lists observed. */
export function judgeRtPush(attempts: readonly PushAttempt[], pulls: readonly PullObservation[] = [], o: PushJudgeOptions = {}): PushJudgement {
  const wait = o.callerWaitMs ?? OLD_PSP_RT_WAIT_MS;
  const waits = o.waitsMs ?? OLD_RT_RETRY_WAITS_MS;
  const early = o.earlyToleranceMs ?? EARLY_TOLERANCE_MS;
  const late = (w: number) => Math.max(o.lateToleranceMs ?? LATE_TOLERANCE_MS, w * LATE_TOLERANCE_SHARE);
  const judged: JudgedAttempt[] = [...attempts]
    .sort((a, b) => a.at - b.at)
    .map((a, i) => {
      const answered = a.answer.kind === 'answered' && a.endedBy === 'nodo' && a.endedAt - a.at <= wait;
      const knownAt = answered || a.endedBy === 'caller' ? a.endedAt : Math.min(a.endedAt, a.at + wait);
      return { ...a, n: i + 1, answered, knownAt };
    });
  const faultIn = (a: JudgedAttempt, codes: readonly string[]) => a.answered && a.answer.kind === 'answered' && a.answer.faultCode !== undefined && codes.includes(a.answer.faultCode);
  const station = (a: JudgedAttempt) => faultIn(a, STATION_FAULTS);
  // answers after which pushing again is allowed, with no schedule: the station faults and PPT_SYSTEM_ERROR
  const optional = (a: JudgedAttempt) => station(a) || faultIn(a, RETRYABLE_FAULTS);
  const v = (rule: PushRule) => ({ rule, requirements: PUSH_RULES[rule].requirements, verdict: 'not-exercised' as PushRuleVerdict['verdict'], reasons: [] as string[], reasonsIt: [] as string[] });
  const schedule = v('retry-schedule');
  const count = v('retry-count');
  const stop = v('stop-on-answer');
  const same = v('same-rt');
  const pull = v('pull-fallback');
  const note = (r: PushRuleVerdict, why: string, whyIt: string) => {
    r.reasons.push(why);
    r.reasonsIt.push(whyIt);
  };
  const fail = (r: PushRuleVerdict, why: string, whyIt: string) => {
    r.verdict = 'fail';
    note(r, why, whyIt);
  };
  const pass = (r: PushRuleVerdict, why: string, whyIt: string) => {
    if (r.verdict !== 'fail') r.verdict = 'pass';
    note(r, why, whyIt);
  };
  const readings = new Set<'5 sends' | '6 sends'>();

  // episodes: a send and its retries, up to an answer that ends the recovery
  const episodes: JudgedAttempt[][] = [];
  for (const a of judged) {
    const cur = episodes.at(-1);
    const last = cur?.at(-1);
    const continues = last && (!last.answered || optional(last));
    if (cur && continues) cur.push(a);
    else {
      // a new submission after an answer: the same RT again is an automatic repetition
      if (last) {
        const ended = last.answer.kind === 'answered' ? `${last.answer.esito}${last.answer.faultCode ? ` ${last.answer.faultCode}` : ''}` : '';
        if (last.answer.kind === 'answered' && last.answer.esito === 'OK') {
          fail(stop, `push ${a.n} after push ${last.n} was answered OK: the recovery must end at a response (L2361)`, `invio ${a.n} dopo che l'invio ${last.n} ha avuto risposta OK: il recupero deve chiudersi a una risposta (L2361)`);
        } else if (a.digest === last.digest) {
          fail(stop, `push ${a.n} repeats the RT of push ${last.n}, answered ${ended} (L2043: no automatic repetition)`, `l'invio ${a.n} ripete la RT dell'invio ${last.n}, con risposta ${ended} (L2043: nessuna ripetizione automatica)`);
        }
      }
      episodes.push([a]);
    }
  }
  for (const ep of episodes) {
    const last = ep.at(-1)!;
    const first = ep[0]!;
    for (let i = 1; i < ep.length; i++) {
      const prev = ep[i - 1]!;
      const a = ep[i]!;
      if (a.digest !== first.digest) {
        const d = `digest ${a.digest.slice(0, 12)}… vs ${first.digest.slice(0, 12)}…`;
        fail(same, `push ${a.n} carries another RT than push ${first.n} (${d})`, `l'invio ${a.n} porta una RT diversa da quella dell'invio ${first.n} (${d.replace(' vs ', ' contro ')})`);
      }
      // a push again after a station fault is the PSP's option, with no schedule (L2344)
      if (optional(prev)) continue;
      const expected = waits[i - 1];
      if (expected === undefined) continue;
      a.expectedWaitMs = expected;
      // an answer (or a drop) later than the PSP's wait: the PSP may have kept its connection open
      // until then (on a virtual clock it always does); either moment is a defensible start
      const starts = prev.endedAt > prev.knownAt ? [prev.knownAt, prev.endedAt] : [prev.knownAt];
      a.waitedMs = starts.map((t) => a.at - t).sort((x, y) => Math.abs(x - expected) - Math.abs(y - expected))[0]!;
      const off = [
        `push ${a.n} came ${s(a.waitedMs)} after push ${prev.n} went unanswered; TR-08 asks ${s(expected)}`,
        `l'invio ${a.n} è arrivato ${s(a.waitedMs)} dopo che l'invio ${prev.n} è rimasto senza risposta; TR-08 chiede ${s(expected)}`,
      ] as const;
      if (a.waitedMs < expected - early) fail(schedule, ...off);
      else if (a.waitedMs > expected + late(expected)) fail(schedule, ...off);
      else pass(schedule, `push ${a.n} waited ${s(a.waitedMs)} (TR-08: ${s(expected)})`, `l'invio ${a.n} ha atteso ${s(a.waitedMs)} (TR-08: ${s(expected)})`);
    }
    if (ep.length > 1 && same.verdict !== 'fail') pass(same, `pushes ${first.n}..${last.n} carry the same RT`, `gli invii ${first.n}..${last.n} portano la stessa RT`);
    if (ep.length > MAX_SENDS) fail(count, `${ep.length} pushes of the RT: at most ${MAX_SENDS} (1 + five further attempts, L2349; A-14)`, `${ep.length} invii della RT: al massimo ${MAX_SENDS} (1 + cinque ulteriori tentativi, L2349; A-14)`);
    const exhausted = !last.answered;
    const firstStation = ep.find(station);
    // after a station fault the RT is in the PULL queue already: pushing again is optional (L2344)
    if (exhausted && !ep.some(optional) && ep.length <= MAX_SENDS) {
      const next = waits[ep.length - 1];
      const until = o.observedUntil ?? last.knownAt + Math.max(...waits) + late(Math.max(...waits));
      if (ep.length >= MIN_EXHAUSTED) {
        readings.add(ep.length === MIN_EXHAUSTED ? '5 sends' : '6 sends');
        const quote = ep.length === MIN_EXHAUSTED ? '"fino a cinque tentativi" (L2324)' : '1 + "ulteriori cinque tentativi" (L2349)';
        pass(count, `${ep.length} pushes without answer, then none: consistent with ${quote} (A-14)`, `${ep.length} invii senza risposta, poi nessuno: coerente con ${quote} (A-14)`);
      } else if (next !== undefined && last.knownAt + next + late(next) > until) {
        note(count, `push ${last.n} unanswered; the next was not yet due when the observation ended`, `invio ${last.n} senza risposta; il successivo non era ancora dovuto alla fine dell'osservazione`);
      } else {
        fail(
          count,
          `the PSP stopped after ${ep.length} push${ep.length > 1 ? 'es' : ''} without answer; TR-08 asks retries until 5 (L2324) or 6 (L2349) sends`,
          `il PSP si è fermato dopo ${ep.length} invi${ep.length > 1 ? 'i' : 'o'} senza risposta; TR-08 chiede nuovi tentativi fino a 5 (L2324) o 6 (L2349) invii`,
        );
      }
    } else if (!exhausted && ep.length > 1 && ep.length <= MAX_SENDS && !optional(last)) {
      pass(count, `push ${last.n} was answered after ${ep.length - 1} retr${ep.length > 2 ? 'ies' : 'y'}`, `l'invio ${last.n} ha avuto risposta dopo ${ep.length - 1} nuov${ep.length > 2 ? 'i tentativi' : 'o tentativo'}`);
    }
    // TR-09: a station fault, or the pushes exhausted, put the RT in the PULL queue (unless a later push was answered)
    const delivered = last.answered && !optional(last);
    if ((firstStation && !delivered) || (!firstStation && exhausted && ep.length >= MIN_EXHAUSTED)) {
      const from = (firstStation ?? last).knownAt;
      const seen = pulls.filter((p) => p.at >= from);
      const code = firstStation?.answer.kind === 'answered' ? firstStation.answer.faultCode : undefined;
      const why = firstStation ? `push ${firstStation.n} was answered ${code}` : `the pushes were exhausted at push ${last.n}`;
      const whyIt = firstStation ? `l'invio ${firstStation.n} ha avuto risposta ${code}` : `gli invii si sono esauriti all'invio ${last.n}`;
      if (seen.some((p) => p.listed)) pass(pull, `${why}; pspChiediListaRT then listed the RT`, `${whyIt}; pspChiediListaRT ha poi elencato la RT`);
      else if (seen.length) fail(pull, `${why}; pspChiediListaRT after that did not list the RT (L2342, L2366)`, `${whyIt}; pspChiediListaRT successiva non ha elencato la RT (L2342, L2366)`);
      else note(pull, `${why}; no pspChiediListaRT was made afterwards`, `${whyIt}; nessuna pspChiediListaRT è stata fatta dopo`);
    }
  }
  if (judged.length && stop.verdict !== 'fail' && judged.some((a) => a.answered && !optional(a))) pass(stop, 'no push of the RT after the answer that ended the recovery', 'nessun invio della RT dopo la risposta che ha chiuso il recupero');
  return { rules: [schedule, count, stop, same, pull], attempts: judged, readings: [...readings] };
}
