// The pure judge of a PSP's RT pushes (domain/old/rt-push.ts): TR-08's schedule, A-14's two readings
// of the number of sends, the end of the recovery at an answer, the same RT on every retry, and
// TR-09's fall-back to the PULL queue.
import { describe, expect, it } from 'vitest';
import { PUSH_RULES, type PushAttempt, type PushRule, judgeRtPush } from '../domain/old/rt-push.js';
import { englishIn } from './support/english.js';

const WAIT = 16_000;
const T0 = 1_000_000;

/** `n` pushes of one RT, none answered: each held until the PSP's wait ran out, then retried after `gaps`. */
function silent(gaps: number[], o: { digest?: (i: number) => string } = {}): PushAttempt[] {
  const out: PushAttempt[] = [];
  let at = T0;
  for (let i = 0; i <= gaps.length; i++) {
    out.push({ at, digest: o.digest?.(i) ?? 'd1', answer: { kind: 'none' }, endedAt: at + WAIT, endedBy: 'nodo' });
    at = at + WAIT + (gaps[i] ?? 0);
  }
  return out;
}
const verdict = (j: ReturnType<typeof judgeRtPush>, r: PushRule) => j.rules.find((x) => x.rule === r)!;
const TABLE = [5000, 10000, 20000, 40000, 80000];

describe('judgeRtPush', () => {
  it('six sends on the TR-08 table, then the RT in the PULL list: every rule passes, reading "6 sends"', () => {
    const a = silent(TABLE);
    const end = a.at(-1)!.endedAt;
    const j = judgeRtPush(a, [{ at: end + 1000, listed: true }], { callerWaitMs: WAIT });
    for (const r of ['retry-schedule', 'retry-count', 'same-rt', 'pull-fallback'] as const) expect(verdict(j, r).verdict, `${r}: ${verdict(j, r).reasons.join('; ')}`).toBe('pass');
    expect(verdict(j, 'stop-on-answer').verdict).toBe('not-exercised');
    expect(j.readings).toEqual(['6 sends']);
    expect(j.attempts.map((x) => x.expectedWaitMs)).toEqual([undefined, ...TABLE]);
  });

  it('five sends then none also passes (A-14: "fino a cinque tentativi"); four sends and silence fails', () => {
    const five = judgeRtPush(silent(TABLE.slice(0, 4)), [], { callerWaitMs: WAIT });
    expect(verdict(five, 'retry-count').verdict).toBe('pass');
    expect(five.readings).toEqual(['5 sends']);
    const four = silent(TABLE.slice(0, 3));
    const j = judgeRtPush(four, [], { callerWaitMs: WAIT, observedUntil: four.at(-1)!.endedAt + 600_000 });
    expect(verdict(j, 'retry-count').verdict).toBe('fail');
    expect(verdict(j, 'retry-count').reasons.join()).toContain('stopped after 4 pushes');
  });

  it('a push sent once and never retried fails retry-count; one whose next retry was not yet due is not judged', () => {
    const once = silent([]);
    expect(verdict(judgeRtPush(once, [], { callerWaitMs: WAIT, observedUntil: T0 + 600_000 }), 'retry-count').verdict).toBe('fail');
    expect(verdict(judgeRtPush(once, [], { callerWaitMs: WAIT, observedUntil: T0 + WAIT + 1000 }), 'retry-count').verdict).toBe('not-exercised');
  });

  it('a seventh push fails retry-count', () => {
    const j = judgeRtPush(silent([...TABLE, 80000]), [], { callerWaitMs: WAIT });
    expect(verdict(j, 'retry-count').verdict).toBe('fail');
    expect(verdict(j, 'retry-count').reasons.join()).toContain('7 pushes');
  });

  it('retries too early or too late fail retry-schedule with the wait kept and the wait asked', () => {
    const early = judgeRtPush(silent([1000, 10000]), [], { callerWaitMs: WAIT, observedUntil: T0 });
    expect(verdict(early, 'retry-schedule').verdict).toBe('fail');
    expect(verdict(early, 'retry-schedule').reasons[0]).toContain('came 1 s after push 1');
    const lateJ = judgeRtPush(silent([5000, 30000]), [], { callerWaitMs: WAIT, observedUntil: T0 });
    expect(verdict(lateJ, 'retry-schedule').reasons.join()).toContain('TR-08 asks 10 s');
    expect(verdict(lateJ, 'retry-schedule').verdict).toBe('fail');
  });

  it('waits count from when the PSP knew: the connection it closed itself, or an answer after its wait', () => {
    // the PSP gave up after 8 s (closing the connection), retried 5 s later
    const a: PushAttempt[] = [
      { at: T0, digest: 'd1', answer: { kind: 'none' }, endedAt: T0 + 8000, endedBy: 'caller' },
      { at: T0 + 13_000, digest: 'd1', answer: { kind: 'answered', esito: 'OK' }, endedAt: T0 + 13_100, endedBy: 'nodo' },
    ];
    const j = judgeRtPush(a, [], { callerWaitMs: WAIT });
    expect(verdict(j, 'retry-schedule').verdict).toBe('pass');
    expect(verdict(j, 'retry-count').verdict).toBe('pass');
    // an OK later than the PSP's wait is no answer for it: the retry counts from the wait's end
    const lateOk: PushAttempt[] = [
      { at: T0, digest: 'd1', answer: { kind: 'answered', esito: 'OK' }, endedAt: T0 + 30_000, endedBy: 'nodo' },
      { at: T0 + WAIT + 5000, digest: 'd1', answer: { kind: 'answered', esito: 'KO', faultCode: 'PPT_RT_DUPLICATA' }, endedAt: T0 + WAIT + 5100, endedBy: 'nodo' },
    ];
    const k = judgeRtPush(lateOk, [], { callerWaitMs: WAIT });
    expect(k.attempts[0]!.answered).toBe(false);
    expect(verdict(k, 'retry-schedule').verdict).toBe('pass');
    expect(verdict(k, 'stop-on-answer').verdict).toBe('pass');
  });

  it('a retry carrying another RT fails same-rt', () => {
    const j = judgeRtPush(silent([5000, 10000], { digest: (i) => (i === 2 ? 'd2' : 'd1') }), [], { callerWaitMs: WAIT, observedUntil: T0 });
    expect(verdict(j, 'same-rt').verdict).toBe('fail');
    expect(verdict(j, 'same-rt').reasons[0]).toContain('push 3');
  });

  it('an answer ends the recovery: a push after OK fails; the same RT after PPT_RT_DUPLICATA fails, a corrected one after PPT_SEMANTICA does not', () => {
    const ok: PushAttempt = { at: T0, digest: 'd1', answer: { kind: 'answered', esito: 'OK' }, endedAt: T0 + 100, endedBy: 'nodo' };
    const again: PushAttempt = { ...ok, at: T0 + 10_000, endedAt: T0 + 10_100 };
    expect(verdict(judgeRtPush([ok, again], [], { callerWaitMs: WAIT }), 'stop-on-answer').verdict).toBe('fail');
    const dup: PushAttempt = { ...ok, answer: { kind: 'answered', esito: 'KO', faultCode: 'PPT_RT_DUPLICATA' } };
    const loop = judgeRtPush([dup, { ...dup, at: T0 + 5000, endedAt: T0 + 5100 }], [], { callerWaitMs: WAIT });
    expect(verdict(loop, 'stop-on-answer').verdict).toBe('fail');
    expect(verdict(loop, 'stop-on-answer').reasons[0]).toContain('L2043');
    const sem: PushAttempt = { ...ok, answer: { kind: 'answered', esito: 'KO', faultCode: 'PPT_SEMANTICA' } };
    const fixed = judgeRtPush([sem, { ...ok, digest: 'd2', at: T0 + 60_000, endedAt: T0 + 60_100 }], [], { callerWaitMs: WAIT });
    expect(verdict(fixed, 'stop-on-answer').verdict).toBe('pass');
  });

  it('PPT_STAZIONE_INT_PA_TIMEOUT: the RT must be in the PULL list afterwards; pushing again is allowed, unscheduled', () => {
    const st: PushAttempt = { at: T0, digest: 'd1', answer: { kind: 'answered', esito: 'KO', faultCode: 'PPT_STAZIONE_INT_PA_TIMEOUT' }, endedAt: T0 + 200, endedBy: 'nodo' };
    const repush: PushAttempt = { ...st, at: T0 + 1000, endedAt: T0 + 1200 };
    const listed = judgeRtPush([st, repush], [{ at: T0 + 2000, listed: true }], { callerWaitMs: WAIT });
    expect(verdict(listed, 'pull-fallback').verdict).toBe('pass');
    expect(verdict(listed, 'retry-schedule').verdict).toBe('not-exercised');
    expect(verdict(listed, 'stop-on-answer').verdict).not.toBe('fail');
    const missing = judgeRtPush([st], [{ at: T0 + 2000, listed: false }], { callerWaitMs: WAIT });
    expect(verdict(missing, 'pull-fallback').verdict).toBe('fail');
    expect(verdict(judgeRtPush([st], [], { callerWaitMs: WAIT }), 'pull-fallback').verdict).toBe('not-exercised');
    // a list taken before the fault says nothing
    expect(verdict(judgeRtPush([st], [{ at: T0 - 1, listed: false }], { callerWaitMs: WAIT }), 'pull-fallback').verdict).toBe('not-exercised');
  });

  it('exhausted pushes whose RT never shows in the PULL list fail pull-fallback', () => {
    const a = silent(TABLE);
    const j = judgeRtPush(a, [{ at: a.at(-1)!.endedAt + 5000, listed: false }], { callerWaitMs: WAIT });
    expect(verdict(j, 'pull-fallback').verdict).toBe('fail');
    expect(verdict(j, 'pull-fallback').requirements).toContain('TR-09');
  });

  it('PPT_SYSTEM_ERROR may be followed by another push of the same RT (unscheduled); after PPT_RT_DUPLICATA it may not', () => {
    const sys: PushAttempt = { at: T0, digest: 'd1', answer: { kind: 'answered', esito: 'KO', faultCode: 'PPT_SYSTEM_ERROR' }, endedAt: T0 + 100, endedBy: 'nodo' };
    const ok: PushAttempt = { at: T0 + 700, digest: 'd1', answer: { kind: 'answered', esito: 'OK' }, endedAt: T0 + 800, endedBy: 'nodo' };
    const j = judgeRtPush([sys, ok], [], { callerWaitMs: WAIT });
    expect(verdict(j, 'stop-on-answer').verdict).toBe('pass');
    expect(verdict(j, 'retry-schedule').verdict).toBe('not-exercised');
    expect(verdict(j, 'pull-fallback').verdict).toBe('not-exercised');
  });

  it('says every reason in Italian too, one for one, with no English sentence (the certificate\'s Italian view)', () => {
    const ok: PushAttempt = { at: T0, digest: 'd1', answer: { kind: 'answered', esito: 'OK' }, endedAt: T0 + 100, endedBy: 'nodo' };
    const st: PushAttempt = { ...ok, answer: { kind: 'answered', esito: 'KO', faultCode: 'PPT_STAZIONE_INT_PA_TIMEOUT' } };
    const dup: PushAttempt = { ...ok, answer: { kind: 'answered', esito: 'KO', faultCode: 'PPT_RT_DUPLICATA' } };
    const four = silent(TABLE.slice(0, 3));
    const runs = [
      judgeRtPush(silent(TABLE), [{ at: T0 + 10_000_000, listed: true }], { callerWaitMs: WAIT }),
      judgeRtPush(silent([...TABLE, 80000], { digest: (i) => (i === 3 ? 'd2' : 'd1') }), [], { callerWaitMs: WAIT }),
      judgeRtPush(four, [], { callerWaitMs: WAIT, observedUntil: four.at(-1)!.endedAt + 600_000 }),
      judgeRtPush(silent([]), [], { callerWaitMs: WAIT, observedUntil: T0 + WAIT + 1000 }),
      judgeRtPush(silent([1000, 30000]), [], { callerWaitMs: WAIT, observedUntil: T0 }),
      judgeRtPush([ok, { ...ok, at: T0 + 10_000, endedAt: T0 + 10_100 }], [], { callerWaitMs: WAIT }),
      judgeRtPush([dup, { ...dup, at: T0 + 5000, endedAt: T0 + 5100 }], [], { callerWaitMs: WAIT }),
      judgeRtPush([st], [{ at: T0 + 2000, listed: false }], { callerWaitMs: WAIT }),
      judgeRtPush([st], [], { callerWaitMs: WAIT }),
    ];
    const rules = runs.flatMap((j) => j.rules);
    // every kind of reason the judge gives is among them: passes, failures and notes
    expect(new Set(rules.filter((r) => r.reasons.length).map((r) => r.verdict))).toEqual(new Set(['pass', 'fail', 'not-exercised']));
    for (const r of rules) {
      expect(r.reasonsIt, `${r.rule}: ${r.reasons.join('; ')}`).toHaveLength(r.reasons.length);
      for (const it of r.reasonsIt) expect(englishIn(it), it).toEqual([]);
    }
    for (const x of Object.values(PUSH_RULES)) expect(englishIn(x.whatIt), x.whatIt).toEqual([]);
  });
});
