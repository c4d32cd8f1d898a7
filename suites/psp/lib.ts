// Checks shared by the PSP seat's scenarios: they read what the candidate sent to the harness's Nodo
// (and answered to it) from the scenario's journal. A verdict rests on the wire only; the optional
// trigger report is judged only for coherence with the wire (never "paid" without an accepted outcome).
import type { JournalEntry } from '../../src/core/journal.js';
import type { PspContext, TriggerHandle } from '../../seats/psp.js';
import type { TriggerReport } from '../../src/triggers/index.js';
import { type El, child, childrenNamed, textOf } from '../../src/wire/xml.js';
import { type CheckSpec, spec } from '../../src/core/scenario.js';
import type { Flow } from './flow.js';
import { type Bi, joinSaid, quoted } from '../../src/core/text.js';
import { ALL_OPERATIONS, decodeEnvelope } from '../../interfaces/index.js';
import { type Answer, answerOfExchange, isUsable } from '../../src/wire/answer.js';

export const ACTIVATES = ['activatePaymentNotice', 'activatePaymentNoticeV2'];
export const OUTCOMES = ['sendPaymentOutcome', 'sendPaymentOutcomeV2'];
export const NOTICE_OPS = ['verifyPaymentNotice', ...ACTIVATES];

/** A text of data only (codes, keys, element names, values): the same in both languages. */
export const same = (x: string): Bi => [x, x];

/** The message body (wrapper element) of a journal entry, when it decodes. */
export function bodyOf(e: JournalEntry | undefined): El | undefined {
  if (!e?.raw) return undefined;
  const d = decodeEnvelope(e.raw, { validate: false });
  return d.ok ? d.msg.body : undefined;
}

/** The Nodo's answer to a request of the candidate (read again with validation). */
export function readAnswer(t: PspContext, req: JournalEntry): Answer {
  return answerOfExchange(req, t.answerOf(req), { ops: ALL_OPERATIONS, validate: true });
}

/**
 * The Nodo's answer as the candidate may rely on it: its body, outcome and fault only when it is a
 * valid response of the operation with HTTP 200 (isUsable); else just where it came from and why not.
 */
export function answer(t: PspContext, req: JournalEntry): Answer {
  const a = readAnswer(t, req);
  if (isUsable(a)) return a;
  return { transport: a.transport, httpStatus: a.httpStatus, request: a.request, response: a.response, problem: a.problem ?? 'not a valid answer of the operation', problemIt: a.problem === undefined ? 'non è una risposta valida dell’operazione' : a.problemIt };
}

export function tokensOf(outcomeReq: El | undefined): string[] {
  const list = childrenNamed(child(outcomeReq, 'paymentTokens'), 'paymentToken').map((x) => x.text.trim());
  const one = textOf(outcomeReq, 'paymentToken');
  return one ? [one] : list;
}

export function noticeOf(b: El | undefined): string | undefined {
  return textOf(child(b, 'qrCode'), 'noticeNumber');
}

/** Tokens issued to the candidate in this scenario: by its OK activations and by pspNotifyPayment. */
export function issuedTokens(t: PspContext): Map<string, { notice?: string; at: number; expiresAt?: number }> {
  const m = new Map<string, { notice?: string; at: number; expiresAt?: number }>();
  for (const r of t.requests(ACTIVATES)) {
    const a = answer(t, r);
    const tok = textOf(a.body, 'paymentToken');
    if (a.outcome === 'OK' && tok) m.set(tok, { notice: noticeOf(bodyOf(r)), at: r.at, expiresAt: t.nodo.token(tok)?.expiresAt });
  }
  for (const e of t.journal.entries.filter((x) => x.direction === 'request' && x.from === 'nodo' && x.to === 'psp')) {
    const b = bodyOf(e);
    for (const tok of [textOf(b, 'paymentToken'), ...childrenNamed(child(b, 'paymentList'), 'payment').map((p) => textOf(p, 'paymentToken'))]) {
      if (tok && !m.has(tok)) m.set(tok, { at: e.at, expiresAt: t.nodo.token(tok)?.expiresAt });
    }
  }
  for (const e of t.journal.entries.filter((x) => x.direction === 'request' && x.from === 'checkout')) {
    const a = t.answerOf(e);
    const tok = textOf(bodyOf(a), 'paymentToken');
    if (tok && !m.has(tok)) m.set(tok, { notice: noticeOf(bodyOf(e)), at: e.at, expiresAt: t.nodo.token(tok)?.expiresAt });
  }
  return m;
}

/** The definitions of checkOutcomeInTime's check, bound to the requirement the scenario judges. */
export function outcomeSpecs(requirement = 'NM-TOK-TO-01'): CheckSpec[] {
  return [spec('outcome-before-expiry', ['every activation is followed by one sendPaymentOutcome before the token expires', 'ogni attivazione è seguita da un sendPaymentOutcome prima della scadenza del token'], [...new Set([requirement, 'NM-TOK-TO-01', 'IF-activatePaymentNotice-F75'])])];
}

/** Every token issued to the PSP got an outcome before it expired (NM-TOK-TO-01, IF-activatePaymentNotice-F75). */
export function checkOutcomeInTime(f: Flow, requirements?: string[]): void {
  const t = f.t;
  const issued = issuedTokens(t);
  const outs = t.requests(OUTCOMES);
  if (issued.size === 0) return f.skip('outcome-before-expiry', ['no token was issued to the PSP in this scenario', 'in questo scenario nessun token è stato emesso per il PSP'], t.requests(ACTIVATES));
  const problems: Bi[] = [];
  const ev: JournalEntry[] = [];
  for (const [tok, info] of issued) {
    const first = outs.find((e) => tokensOf(bodyOf(e)).includes(tok));
    if (!first) problems.push([`token ${tok}: no outcome`, `token ${tok}: nessun esito`]);
    else if (info.expiresAt !== undefined && first.at >= info.expiresAt) {
      const s = Math.round((first.at - info.at) / 1000);
      problems.push([`token ${tok}: outcome ${s} s after activation, after the token expired`, `token ${tok}: esito ${s} s dopo l’attivazione, a token già scaduto`]);
    }
    if (first) ev.push(first);
  }
  f.check({
    id: 'outcome-before-expiry', requirements,
    held: problems.length === 0, message: problems.length ? joinSaid(problems) : [`${issued.size} token(s), each with an outcome in time`, `${issued.size} token, ciascuno con un esito in tempo`], entries: [...t.requests(ACTIVATES), ...ev],
  });
}

/** The definitions of checkReport's checks, bound to the requirement the scenario judges. */
export function reportSpecs(requirement: string): CheckSpec[] {
  return [
    spec('report-honest', ['the PSP does not report a payment the Nodo did not accept', 'il PSP non dichiara un pagamento che il Nodo non ha accettato'], requirement),
    spec('report-result', ["the PSP's own account of the flow matches what the scenario asked", 'il resoconto del flusso dato dal PSP corrisponde a quanto chiesto dallo scenario'], requirement),
  ];
}

/** A report, when the candidate sends one, must not claim a payment the Nodo did not accept. */
export function checkReport(f: Flow, report: TriggerReport | undefined, expected?: TriggerReport['result'][]): void {
  if (!report) return;
  const t = f.t;
  const outs = t.requests(OUTCOMES);
  const accepted = outs.filter((e) => textOf(bodyOf(e), 'outcome') === 'OK' && answer(t, e).outcome === 'OK');
  const paidTokens = new Set(accepted.flatMap((e) => tokensOf(bodyOf(e))));
  const claimsPaid = report.result === 'paid';
  const backed = (report.paymentTokens ?? []).length > 0 && (report.paymentTokens ?? []).every((x) => paidTokens.has(x));
  const context = outs.length ? outs.flatMap((e) => [e, answer(t, e).response]) : t.journal.entries.slice(-2);
  // the candidate's own words, quoted in the Italian as data
  const said = `${report.result}${report.message ? ` (${report.message})` : ''}`;
  const saidIt = `${quoted(report.result)}${report.message ? ` (${quoted(report.message)})` : ''}`;
  // the honesty of a report never depends on the flow having gone further: judged even after a stop
  t.check({
    id: 'report-honest',
    held: !claimsPaid || backed,
    message: [`report: ${said}; OK outcomes accepted for ${[...paidTokens].join(', ') || 'no token'}`, `resoconto: ${saidIt}; esiti OK accettati per ${[...paidTokens].join(', ') || 'nessun token'}`],
    entries: claimsPaid ? accepted : context,
  });
  if (expected) {
    f.check({
      id: 'report-result',
      title: [`the PSP's own account of the flow is ${expected.join(' or ')}`, `il resoconto del flusso dato dal PSP è ${expected.map(quoted).join(' o ')}`],
      held: expected.includes(report.result), message: [`report: ${said}`, `resoconto: ${saidIt}`], entries: context,
    });
  }
}

export async function runPay(t: PspContext, trig: Parameters<PspContext['trigger']>[0], first: string[] = NOTICE_OPS): Promise<{ h: TriggerHandle; report?: TriggerReport }> {
  const h = await t.trigger(trig);
  await t.acted(h, first, `notice ${trig.noticeNumber}`, `l’avviso ${trig.noticeNumber}`);
  const report = await t.settle(h);
  return { h, report };
}
