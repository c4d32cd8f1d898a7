// How long a PSP scenario listens after the candidate acted (issue 14, item 11): until nothing more
// is due from the PSP by the spec's schedule, on the run's clock, never after a fixed silence.
//   - a request of the PSP still being answered → wait for the answer;
//   - a request whose answer the PSP could not use (lost, reset, HTTP 500, not a valid response,
//     or later than the PSP's own wait) and fewer than 5 sends → its retry is due by
//     gave-up + slot·(2^k − 1), k = sends so far (NM-TR-06, NM-TOK-RETRY-01, IF-sendPaymentOutcome-F71),
//     a minimum wait, so plus the 2 s a PSP has for any step (below);
//   - otherwise the PSP's next step (the outcome after an activation or a positive notification)
//     follows within 2 s (TPSPO / TNSPO, NM-TR-03 / NM-TR-04), unless the PSP already reported
//     that its flow is over.
import type { JournalEntry } from '../src/core/journal.js';
import type { Profile } from '../src/profile/index.js';
import { decodeEnvelope } from '../interfaces/index.js';
import { DEFAULT_TIMEOUTS, MAX_RETRY_ATTEMPTS } from '../domain/timeouts.js';
import { TPSPO_MS } from '../domain/service-levels.js';

export interface PspTiming {
  /** how long the PSP waits for the Nodo before it gives up on a request (NM-SLA-TO-03, NM-A-26) */
  callerWaitMs: number;
  /** the retry slot of NM-TR-06: send k+1 follows send k by at least slot·(2^k − 1) */
  retrySlotMs: number;
  /** NM-TR-06: at most 5 attempts */
  maxAttempts: number;
  /** NM-TR-03 / NM-TR-04: the PSP's next message follows the end of the previous step within 2 s */
  stepMs: number;
}

/** [QI] "Processi di retry": at most 5 attempts (NM-TR-06). */
export const MAX_ATTEMPTS = MAX_RETRY_ATTEMPTS;
/** TPSPO / TNSPO: 98 % within 2 s (NM-TR-03, NM-TR-04). */
export const STEP_MS = TPSPO_MS;

/**
 * The timing in force for a profile. The PSP's own wait for the Nodo is a profile parameter
 * (`timeouts.callerWait`); without it, NM-A-26's reading: the Nodo→EC timeout in force plus 1 s
 * (8 s with the defaults). The retry slot is the caller's maximum wait ([QI], NM-TR-06) unless the
 * profile declares the PSP's own (`timeouts.retrySlot`).
 */
export function pspTiming(p: Profile): PspTiming {
  const t = p.timeouts ?? {};
  const nodoToEc = Math.max(t.paVerifyPaymentNotice ?? DEFAULT_TIMEOUTS.paVerifyPaymentNotice, t.paGetPayment ?? DEFAULT_TIMEOUTS.paGetPayment, t.paDemandPaymentNotice ?? DEFAULT_TIMEOUTS.paDemandPaymentNotice);
  const callerWaitMs = t.callerWait ?? nodoToEc + 1000;
  return { callerWaitMs, retrySlotMs: t.retrySlot ?? callerWaitMs, maxAttempts: MAX_ATTEMPTS, stepMs: STEP_MS };
}

/** The longest a flow may keep a scenario listening after its trigger's deadline (a full retry schedule). */
export function scheduleSpan(t: PspTiming): number {
  return t.callerWaitMs + t.retrySlotMs * (2 ** t.maxAttempts - 1);
}

const usable = new WeakMap<JournalEntry, boolean>();
/** A valid response of the request's operation (the PSP can use it). */
function usableAnswer(req: JournalEntry, ans: JournalEntry): boolean {
  let u = usable.get(ans);
  if (u === undefined) {
    const d = !ans.transport && ans.httpStatus === 200 && ans.raw ? decodeEnvelope(ans.raw) : undefined;
    u = !!d?.ok && d.msg.kind === 'response' && d.msg.op?.name === req.primitive && d.msg.xsd.valid;
    usable.set(ans, u);
  }
  return u;
}

/**
 * The instant by which the PSP's next message is due, given a scenario's journal; `undefined`
 * while an exchange with the PSP is still open (its answer not yet recorded).
 */
export function nextDue(entries: readonly JournalEntry[], t: PspTiming, reported: boolean): number | undefined {
  const withPsp = entries.filter((e) => e.from === 'psp' || e.to === 'psp');
  const answers = new Map<number, JournalEntry>();
  for (const e of withPsp) if (e.direction === 'response') answers.set(e.exchange, e);
  let due = -Infinity;
  const groups = new Map<string, JournalEntry[]>();
  for (const r of withPsp) {
    if (r.direction !== 'request') continue;
    if (!answers.has(r.exchange)) return undefined;
    // the PSP's requests, by logical request: a retry repeats the key (or the token, the notice)
    if (r.from !== 'psp' || !r.primitive) continue;
    const c = r.correlation;
    const k = `${r.primitive}|${c.idempotencyKey ?? c.paymentToken ?? c.noticeNumber ?? ''}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  for (const g of groups.values()) {
    const last = g[g.length - 1]!;
    const ans = answers.get(last.exchange)!;
    const inTime = ans.at - last.at <= t.callerWaitMs;
    if (inTime && usableAnswer(last, ans)) continue;
    if (g.length >= t.maxAttempts) continue;
    // a lost answer (or one later than its wait) is known to the PSP only when its wait ends
    const gaveUp = ans.transport === 'no-answer' || !inTime ? last.at + t.callerWaitMs : ans.at;
    due = Math.max(due, gaveUp + t.retrySlotMs * (2 ** g.length - 1) + t.stepMs);
  }
  const lastAt = withPsp.length ? withPsp[withPsp.length - 1]!.at : undefined;
  if (!reported && lastAt !== undefined) due = Math.max(due, lastAt + t.stepMs);
  return due;
}
