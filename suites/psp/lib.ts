// Checks shared by the PSP seat's scenarios: they read what the candidate sent to the harness's Nodo
// (and answered to it) from the scenario's journal. A verdict rests on the wire only; the optional
// trigger report is judged only for coherence with the wire (never "paid" without an accepted outcome).
import type { JournalEntry } from '../../src/journal.js';
import type { PspContext, TriggerHandle } from '../../src/seats/psp.js';
import type { TriggerReport } from '../../src/triggers/index.js';
import { decodeEnvelope, readFault } from '../../src/protocol/soap.js';
import { type El, child, childrenNamed, textOf } from '../../src/protocol/xml.js';
import { fingerprint } from '../../mocks/nodo/tree.js';

export const KEY_PATTERN = /^[a-zA-Z0-9]{2,18}_[a-zA-Z0-9]{10}$/;
export const ACTIVATES = ['activatePaymentNotice', 'activatePaymentNoticeV2'];
export const OUTCOMES = ['sendPaymentOutcome', 'sendPaymentOutcomeV2'];
export const NOTICE_OPS = ['verifyPaymentNotice', ...ACTIVATES];

/** The message body (wrapper element) of a journal entry, when it decodes. */
export function bodyOf(e: JournalEntry | undefined): El | undefined {
  if (!e?.raw) return undefined;
  const d = decodeEnvelope(e.raw, { validate: false });
  return d.ok ? d.msg.body : undefined;
}

export interface Answer {
  entry?: JournalEntry;
  body?: El;
  outcome?: string;
  faultCode?: string;
  /** a well-formed answer of the operation came back */
  valid: boolean;
}

export function answer(t: PspContext, req: JournalEntry): Answer {
  const entry = t.answerOf(req);
  const d = entry?.raw && entry.httpStatus === 200 && !entry.transport ? decodeEnvelope(entry.raw) : undefined;
  if (!d?.ok || d.msg.kind !== 'response' || !d.msg.xsd.valid) return { entry, valid: false };
  return { entry, body: d.msg.body, outcome: textOf(d.msg.body, 'outcome'), faultCode: readFault(d.msg.body)?.faultCode, valid: true };
}

export function tokensOf(outcomeReq: El | undefined): string[] {
  const list = childrenNamed(child(outcomeReq, 'paymentTokens'), 'paymentToken').map((x) => x.text.trim());
  const one = textOf(outcomeReq, 'paymentToken');
  return one ? [one] : list;
}

function noticeOf(b: El | undefined): string | undefined {
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

/**
 * The checks every PSP scenario makes on what the candidate sent: schema validity, SOAPAction,
 * identities and password, idempotency keys (format, prefix, reuse), no outcome without a token,
 * retries with the same key and body, nothing after a final answer, no double payment.
 */
export function judgeWire(t: PspContext, o: { expectOutcome?: boolean } = {}): void {
  const reqs = t.requests();
  const ids = t.candidate;
  // schema and SOAPAction
  const invalid = reqs.filter((e) => !e.xsd?.valid);
  t.check({
    id: 'requests-schema-valid', title: 'every request the PSP sends validates against nodeForPsp.xsd', requirement: 'NM-X-SYN-01', level: 'MUST',
    held: invalid.length === 0, message: invalid.length ? `${invalid.length} invalid: ${invalid.map((e) => `${e.primitive ?? '?'}: ${e.xsd?.errors[0] ?? 'not a SOAP message'}`).join('; ').slice(0, 300)}` : `${reqs.length} request(s), all valid`,
    entries: invalid.length ? invalid : reqs.slice(0, 3),
  });
  const badAction = reqs.filter((e) => e.primitive && e.soapAction !== e.primitive);
  t.check({
    id: 'soapaction', title: 'SOAPAction is the bare operation name', requirement: 'IF-X-02', level: 'MUST',
    held: badAction.length === 0, message: badAction.length ? badAction.map((e) => `${e.primitive}: SOAPAction "${e.soapAction}"`).join('; ') : 'all match', entries: badAction,
  });
  // identities and password (IF-<op>-F01..F04)
  const wrong: string[] = [];
  const wrongEntries: JournalEntry[] = [];
  for (const e of reqs) {
    const b = bodyOf(e);
    const got = {
      idPSP: textOf(b, 'idPSP') ?? textOf(b, 'identificativoPSP'),
      idBrokerPSP: textOf(b, 'idBrokerPSP') ?? textOf(b, 'identificativoIntermediarioPSP'),
      idChannel: textOf(b, 'idChannel') ?? textOf(b, 'identificativoCanale'),
      password: textOf(b, 'password'),
    };
    for (const k of ['idPSP', 'idBrokerPSP', 'idChannel', 'password'] as const) {
      if (got[k] !== ids[k]) {
        wrong.push(`${e.primitive}: ${k} ${k === 'password' ? '(redacted) differs' : `${got[k]} ≠ ${ids[k]}`}`);
        wrongEntries.push(e);
      }
    }
  }
  const idReq = reqs.some((e) => e.primitive?.startsWith('sendPaymentOutcome')) ? 'IF-sendPaymentOutcome-F04' : 'IF-activatePaymentNotice-F04';
  t.check({
    id: 'identities', title: 'every request carries the PSP\'s own idPSP, idBrokerPSP, idChannel and password', requirement: reqs.length ? idReq : 'IF-verifyPaymentNotice-F04', level: 'MUST',
    held: wrong.length === 0, message: wrong.length ? [...new Set(wrong)].join('; ') : 'all requests identify the PSP correctly', entries: wrongEntries,
  });
  // idempotency keys
  const keyed = reqs.filter((e) => [...ACTIVATES, ...OUTCOMES].includes(e.primitive ?? ''));
  const keys = keyed.map((e) => ({ e, key: textOf(bodyOf(e), 'idempotencyKey') }));
  const badKeys = keys.filter((k) => k.key !== undefined && !KEY_PATTERN.test(k.key));
  t.check({
    id: 'key-format', title: 'idempotencyKey matches [a-zA-Z0-9]{2,18}_[a-zA-Z0-9]{10}', requirement: 'NM-TOK-VAL-03', level: 'MUST',
    held: badKeys.length === 0, message: badKeys.length ? badKeys.map((k) => k.key).join(', ') : `${keys.filter((k) => k.key).length} key(s) well formed`, entries: badKeys.map((k) => k.e),
  });
  const prefix = ids.idPSP.replace(/[^a-zA-Z0-9]/g, '').slice(0, 18);
  const noPrefix = keys.filter((k) => k.key && KEY_PATTERN.test(k.key) && !k.key.startsWith(`${prefix}_`));
  t.check({
    id: 'key-prefix', title: 'idempotencyKey is <idPSP>_<10 alphanumerics> (NM-A-07, IF-A-30: SHOULD)', requirement: 'NM-TOK-VAL-03', level: 'SHOULD',
    held: noPrefix.length === 0, message: noPrefix.length ? noPrefix.map((k) => k.key).join(', ') : 'prefix = idPSP', entries: noPrefix.map((k) => k.e),
  });
  const byKey = new Map<string, JournalEntry[]>();
  for (const k of keys) if (k.key) byKey.set(k.key, [...(byKey.get(k.key) ?? []), k.e]);
  const reused = [...byKey.entries()].filter(([, es]) => new Set(es.map((e) => `${e.primitive}|${fingerprint(bodyOf(e)!)}`)).size > 1);
  t.check({
    id: 'key-not-reused', title: 'an idempotencyKey is never reused for a different request', requirement: 'NM-TOK-ERR-01', level: 'MUST',
    held: reused.length === 0, message: reused.length ? reused.map(([k]) => `${k} used for different requests`).join('; ') : 'each key belongs to one logical request', entries: reused.flatMap(([, es]) => es),
  });
  // activation retries: after an activate without a usable answer, the next activation of that notice reuses the key
  const acts = t.requests(ACTIVATES);
  const newKeyRetries: JournalEntry[] = [];
  for (let i = 1; i < acts.length; i++) {
    const prev = acts[i - 1]!;
    const cur = acts[i]!;
    const pb = bodyOf(prev);
    const cb = bodyOf(cur);
    if (noticeOf(pb) !== noticeOf(cb)) continue;
    const pa = answer(t, prev);
    const retryAfterNoAnswer = !pa.valid && textOf(pb, 'idempotencyKey') !== textOf(cb, 'idempotencyKey');
    const retryAfterInProgress = pa.faultCode === 'PPT_PAGAMENTO_IN_CORSO' || pa.faultCode === 'PPT_PAGAMENTO_DUPLICATO' || pa.faultCode === 'PPT_ERRORE_EMESSO_DA_PAA';
    if (retryAfterNoAnswer || retryAfterInProgress) newKeyRetries.push(cur);
  }
  t.check({
    id: 'no-new-session', title: 'no new activation for the same user operation (unanswered retry with a new key, or after IN_CORSO/DUPLICATO/EC refusal)', requirement: 'NM-SLA-KPI-04', level: 'MUST',
    held: newKeyRetries.length === 0, message: newKeyRetries.length ? `${newKeyRetries.length} activation(s) opened a new session: ${newKeyRetries.map((e) => textOf(bodyOf(e), 'idempotencyKey')).join(', ')}` : 'none', entries: newKeyRetries,
  });
  // outcomes: only for tokens the PSP got; retries same key+body; nothing after a valid answer
  const issued = issuedTokens(t);
  const outs = t.requests(OUTCOMES);
  const foreign = outs.filter((e) => tokensOf(bodyOf(e)).some((tok) => !issued.has(tok)));
  t.check({
    id: 'outcome-only-with-token', title: 'no sendPaymentOutcome for a token the PSP was not given (no outcome after a failed activation)', requirement: 'IF-activatePaymentNotice-F75', level: 'MUST',
    held: foreign.length === 0, message: foreign.length ? `outcome for ${foreign.map((e) => tokensOf(bodyOf(e)).join('+')).join(', ')}` : 'every outcome names an issued token', entries: foreign,
  });
  const afterFinal: JournalEntry[] = [];
  const changedRetry: JournalEntry[] = [];
  const seen = new Map<string, { key?: string; fp: string; answered: boolean }>();
  for (const e of outs) {
    const b = bodyOf(e)!;
    const fp = `${e.primitive}|${fingerprint(b)}|${textOf(b, 'idempotencyKey')}`;
    for (const tok of tokensOf(b)) {
      const prev = seen.get(tok);
      if (prev?.answered) afterFinal.push(e);
      else if (prev && prev.fp !== fp) changedRetry.push(e);
    }
    const a = answer(t, e);
    for (const tok of tokensOf(b)) seen.set(tok, { fp, answered: (seen.get(tok)?.answered ?? false) || a.valid });
  }
  t.check({
    id: 'no-outcome-after-answer', title: 'once the Nodo answered an outcome, the PSP never sends another for that token', requirement: 'NM-TOK-DUP-02', level: 'MUST',
    held: afterFinal.length === 0, message: afterFinal.length ? `${afterFinal.length} outcome(s) after a final answer` : 'none', entries: afterFinal,
  });
  t.check({
    id: 'outcome-retry-same', title: 'an unanswered outcome is retried with the same idempotencyKey and the same content', requirement: 'IF-sendPaymentOutcome-F71', level: 'MUST',
    held: changedRetry.length === 0, message: changedRetry.length ? `${changedRetry.length} retry(ies) with another key or content` : 'retries (if any) identical', entries: changedRetry,
  });
  // no double payment: per notice at most one token paid
  const paidByNotice = new Map<string, Set<string>>();
  for (const e of outs) {
    const a = answer(t, e);
    if (a.outcome !== 'OK' || textOf(bodyOf(e), 'outcome') !== 'OK') continue;
    for (const tok of tokensOf(bodyOf(e))) {
      const n = issued.get(tok)?.notice ?? t.nodo.token(tok)?.noticeNumber ?? tok;
      paidByNotice.set(n, new Set([...(paidByNotice.get(n) ?? []), tok]));
    }
  }
  const twice = [...paidByNotice.entries()].filter(([, s]) => s.size > 1);
  t.check({
    id: 'never-pay-twice', title: 'a notice is paid at most once', requirement: 'NM-SLA-KPI-04', level: 'MUST',
    held: twice.length === 0, message: twice.length ? twice.map(([n, s]) => `${n}: ${s.size} tokens paid`).join('; ') : 'no notice paid twice', entries: outs,
  });
  if (o.expectOutcome) checkOutcomeInTime(t);
}

/** Every token issued to the PSP got an outcome before it expired (NM-TOK-TO-01, NM-TR-02). */
export function checkOutcomeInTime(t: PspContext, requirement = 'NM-TOK-TO-01'): void {
  const issued = issuedTokens(t);
  const outs = t.requests(OUTCOMES);
  const problems: string[] = [];
  const ev: JournalEntry[] = [];
  for (const [tok, info] of issued) {
    const first = outs.find((e) => tokensOf(bodyOf(e)).includes(tok));
    if (!first) problems.push(`token ${tok}: no outcome`);
    else if (info.expiresAt !== undefined && first.at >= info.expiresAt) {
      problems.push(`token ${tok}: outcome ${Math.round((first.at - info.at) / 1000)} s after activation, after the token expired`);
      ev.push(first);
    }
  }
  t.check({
    id: 'outcome-before-expiry', title: 'every activation is followed by one sendPaymentOutcome before the token expires', requirement, level: 'MUST',
    held: problems.length === 0 && issued.size > 0, message: problems.length ? problems.join('; ') : issued.size ? `${issued.size} token(s), each with an outcome in time` : 'no token was issued', entries: [...ev, ...t.requests(ACTIVATES)],
  });
}

/** A report, when the candidate sends one, must not claim a payment the Nodo did not accept. */
export function checkReport(t: PspContext, report: TriggerReport | undefined, requirement: string, expected?: TriggerReport['result'][]): void {
  if (!report) return;
  const accepted = t.requests(OUTCOMES).filter((e) => textOf(bodyOf(e), 'outcome') === 'OK' && answer(t, e).outcome === 'OK');
  const paidTokens = new Set(accepted.flatMap((e) => tokensOf(bodyOf(e))));
  const claimsPaid = report.result === 'paid';
  const backed = (report.paymentTokens ?? []).length > 0 && (report.paymentTokens ?? []).every((x) => paidTokens.has(x));
  t.check({
    id: 'report-honest', title: 'the PSP does not report a payment the Nodo did not accept', requirement, level: 'MUST',
    held: !claimsPaid || backed, message: `report: ${report.result}${report.message ? ` (${report.message})` : ''}; OK outcomes accepted for ${[...paidTokens].join(', ') || 'no token'}`, entries: accepted,
  });
  if (expected) {
    t.check({
      id: 'report-result', title: `the PSP's own account of the flow is ${expected.join(' or ')}`, requirement, level: 'MUST',
      held: expected.includes(report.result), message: `report: ${report.result}`, entries: [],
    });
  }
}

export async function runPay(t: PspContext, trig: Parameters<PspContext['trigger']>[0], first: string[] = NOTICE_OPS): Promise<{ h: TriggerHandle; report?: TriggerReport }> {
  const h = await t.trigger(trig);
  await t.acted(h, first, `notice ${trig.noticeNumber}`);
  const report = await t.settle(h);
  return { h, report };
}

export function fmtCents(c: number): string {
  return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
}
