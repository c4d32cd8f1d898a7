// The checks every PSP scenario makes on what the candidate sent to the harness's Nodo, as data
// (WIRE_SPECS) and as one judge (judgeWire). Each check is recorded only when its subject occurred
// (no outcome exchanged → no outcome-retry check), every PASS carries the entries it judged, and a
// defect that made the Nodo refuse a request stops the flow: the later flow checks of the scenario
// are then NOT_EXERCISED (one defect = one FAIL where it happened, Flow below).
import type { JournalEntry } from '../../src/core/journal.js';
import type { PspContext } from '../../seats/psp.js';
import { type CheckSpec, spec } from '../../src/core/scenario.js';
import { catalogue, requirement } from '../../src/catalogue/index.js';
import { type El, textOf } from '../../src/wire/xml.js';
import { fingerprint } from '../../actors/nodo/tree.js';
import { Flow } from './flow.js';
import { ACTIVATES, OUTCOMES, answer, bodyOf, issuedTokens, noticeOf, same, tokensOf } from './lib.js';
import { isUsable } from '../../src/wire/answer.js';
import { type Bi, clipQuoted, quoted } from '../../src/core/text.js';

/** The interface whose field rules (IF-<op>-Fnn) a request of each primitive follows. */
const FAMILY: Record<string, { key: string; rules: string[] }> = {
  verifyPaymentNotice: { key: 'verify', rules: ['verifyPaymentNotice'] },
  activatePaymentNotice: { key: 'activate', rules: ['activatePaymentNotice'] },
  activatePaymentNoticeV2: { key: 'activate', rules: ['activatePaymentNotice', 'activatePaymentNoticeV2'] },
  sendPaymentOutcome: { key: 'outcome', rules: ['sendPaymentOutcome'] },
  sendPaymentOutcomeV2: { key: 'outcome', rules: ['sendPaymentOutcome', 'sendPaymentOutcomeV2'] },
  demandPaymentNotice: { key: 'demand', rules: ['demandPaymentNotice'] },
  nodoChiediCatalogoServiziV2: { key: 'catalogue', rules: ['nodoChiediCatalogoServiziV2'] },
};
/** caller fields → IF-<op>-F01..F04 (the same numbers for every nodeForPsp request the PSP sends) */
const CALLER = [
  { field: 'idPSP', legacy: 'identificativoPSP', f: 'F01' },
  { field: 'idBrokerPSP', legacy: 'identificativoIntermediarioPSP', f: 'F02' },
  { field: 'idChannel', legacy: 'identificativoCanale', f: 'F03' },
  { field: 'password', legacy: 'password', f: 'F04' },
] as const;
/** flow requirements a field's schema rule also expresses */
const FIELD_EXTRA: Record<string, string[]> = {
  expirationTime: ['NM-TOK-VAL-01', 'IF-activatePaymentNotice-F73'],
  idempotencyKey: ['NM-TOK-VAL-03'],
  // lexical forms of amounts, dates and base64 payloads (IF-X-19..21)
  amount: ['IF-X-19'],
  fee: ['IF-X-19'],
  primaryCiIncurredFee: ['IF-X-19'],
  applicationDate: ['IF-X-20'],
  transferDate: ['IF-X-20'],
  dueDate: ['IF-X-20'],
  datiSpecificiServizio: ['IF-X-21'],
};

interface FieldRule { id: string; /** element names */ fields: string[]; /** paths from the request body */ paths: string[][] }

/** The request field rules (F05..F39) of an interface, with the elements each one governs. */
function fieldRulesOf(iface: string): FieldRule[] {
  const re = new RegExp(`^IF-${iface}-F(\\d+)$`);
  return catalogue()
    .requirements.filter((r) => r.levels.psp && re.test(r.id) && Number(re.exec(r.id)![1]) >= 5 && Number(re.exec(r.id)![1]) < 40)
    .map((r) => {
      // "details.primaryCiIncurredFee, idBundle, idCiBundle: …" → details/primaryCiIncurredFee, details/idBundle, …
      const names = r.title.split(/:| \(/)[0]!.split(',').map((x) => x.trim()).filter(Boolean);
      const parent = names[0]!.split('.').slice(0, -1);
      const paths = names.map((n) => (n.includes('.') ? n.split('.') : [...parent, n]));
      return { id: r.id, fields: paths.map((x) => x[x.length - 1]!), paths };
    });
}
const RULES = new Map<string, FieldRule[]>(Object.entries(FAMILY).map(([op, f]) => [op, f.rules.flatMap(fieldRulesOf)]));
const FAMILY_KEYS = [...new Set(Object.values(FAMILY).map((f) => f.key))];
const rulesOfKey = (key: string) => [...new Set(Object.entries(FAMILY).filter(([, f]) => f.key === key).flatMap(([op]) => RULES.get(op)!))];
const callerIds = (op: string) => CALLER.map((c) => `IF-${FAMILY[op]!.rules[0]}-${c.f}`);

const extraOf = (fields: string[]) => fields.flatMap((f) => FIELD_EXTRA[f] ?? []);
const onlyPsp = (ids: string[]) => [...new Set(ids)].filter((id) => requirement(id)?.levels.psp);

/** The check definitions judgeWire may record (declare them all in a scenario that calls it). */
export const WIRE_SPECS: CheckSpec[] = [
  ...FAMILY_KEYS.map((key) => {
    const rules = rulesOfKey(key);
    return spec(`fields-${key}`, [`every ${key} request the PSP sends validates against nodeForPsp.xsd, field by field`, `ogni richiesta "${key}" inviata dal PSP è valida rispetto a nodeForPsp.xsd, campo per campo`], onlyPsp(['NM-X-SYN-01', 'IF-X-06', ...rules.map((r) => r.id), ...extraOf(rules.flatMap((r) => r.fields))]));
  }),
  spec('soap11', ['every request is a SOAP 1.1 POST with Content-Type text/xml', 'ogni richiesta è una POST SOAP 1.1 con Content-Type text/xml'], 'IF-X-01'),
  spec('unknown-requests', ['every request the PSP sends is a nodeForPsp request', 'ogni richiesta inviata dal PSP è una richiesta di nodeForPsp'], 'NM-X-SYN-01'),
  spec('soapaction', ['SOAPAction is the bare operation name', 'SOAPAction è il solo nome dell’operazione'], 'IF-X-02'),
  spec('identities', ["every request carries the PSP's own idPSP, idBrokerPSP, idChannel and password", 'ogni richiesta riporta idPSP, idBrokerPSP, idChannel e password del PSP stesso'], onlyPsp(['NM-X-AUTH-01', ...Object.keys(FAMILY).flatMap(callerIds)])),
  spec('key-prefix', ['idempotencyKey is <idPSP>_<10 alphanumerics> (NM-A-07, IF-A-30: SHOULD)', 'idempotencyKey è <idPSP>_<10 caratteri alfanumerici> (NM-A-07, IF-A-30: SHOULD)'], ['NM-TOK-VAL-03', 'IF-activatePaymentNotice-F71'], 'SHOULD'),
  spec('key-not-reused', ['an idempotencyKey is never reused for a different request', 'una idempotencyKey non è mai riusata per una richiesta diversa'], 'NM-TOK-ERR-01'),
  spec('no-new-session', ['no new activation for the same user operation (unanswered retry with a new key, or after IN_CORSO/DUPLICATO/EC refusal)', 'nessuna nuova attivazione per la stessa operazione dell’utente (ritentativo senza risposta con una nuova chiave, o dopo IN_CORSO/DUPLICATO/rifiuto dell’EC)'], 'NM-SLA-KPI-04'),
  spec('outcome-only-with-token', ['no sendPaymentOutcome for a token the PSP was not given (no outcome after a failed activation)', 'nessun sendPaymentOutcome per un token non ricevuto dal PSP (nessun esito dopo un’attivazione fallita)'], ['IF-activatePaymentNotice-F75', 'NM-TOK-TO-01', 'IF-sendPaymentOutcomeV2-F77']),
  spec('no-outcome-after-answer', ['once the Nodo answered an outcome, the PSP never sends another for that token', 'una volta che il Nodo ha risposto a un esito, il PSP non ne invia un altro per quel token'], ['NM-TOK-DUP-02', 'IF-sendPaymentOutcome-F71']),
  spec('outcome-retry-same', ['an unanswered outcome is retried with the same idempotencyKey and the same content', 'un esito senza risposta è ritentato con la stessa idempotencyKey e lo stesso contenuto'], 'IF-sendPaymentOutcome-F71'),
  spec('never-pay-twice', ['a notice is paid at most once', 'un avviso è pagato al più una volta'], 'NM-SLA-KPI-04'),
];

export { Flow };

const REFUSALS = /^PPT_(SINTASSI_|AUTENTICAZIONE|AUTORIZZAZIONE|PSP_|INTERMEDIARIO_PSP_|CANALE_SCONOSCIUTO|CANALE_DISABILITATO|SOAPACTION_ERRATA)/;

function present(body: El | undefined, path: string[]): boolean {
  let cur = body;
  for (const p of path) cur = cur?.children.find((c) => c.name === p);
  return !!cur;
}

/** Schema validity of one family's requests, naming the field rules of the fields judged or wrong. */
function judgeFields(t: PspContext, key: string, reqs: JournalEntry[]): Set<JournalEntry> {
  const bad = new Set<JournalEntry>();
  if (reqs.length === 0) return bad;
  const wrongIds: string[] = [];
  const judgedIds: string[] = [];
  const msgs: string[] = [];
  const msgsIt: string[] = [];
  for (const e of reqs) {
    const rules = RULES.get(e.primitive!)!;
    if (!e.xsd?.valid) {
      bad.add(e);
      const errs = e.xsd?.errors ?? ['not a SOAP message'];
      msgs.push(`${e.primitive}: ${errs[0]}`);
      msgsIt.push(`${e.primitive}: ${e.xsd?.errors ? quoted(`${errs[0]}`) : 'non è un messaggio SOAP'}`);
      const fields = errs.map((x) => /Element '([^']+)'/.exec(x)?.[1]).filter((x): x is string => !!x);
      for (const r of rules) if (r.fields.some((f) => fields.includes(f))) wrongIds.push(r.id);
      wrongIds.push(...extraOf(fields));
      if (errs.some((x) => /not expected/.test(x))) wrongIds.push('IF-X-06');
    } else {
      const b = bodyOf(e);
      judgedIds.push('IF-X-06');
      for (const r of rules) {
        const here = r.paths.filter((x) => present(b, x)).map((x) => x[x.length - 1]!);
        if (here.length) judgedIds.push(r.id, ...extraOf(here));
      }
    }
  }
  const failed = bad.size > 0;
  t.check({
    id: `fields-${key}`,
    requirements: onlyPsp(['NM-X-SYN-01', ...(failed ? wrongIds : judgedIds)]),
    held: !failed,
    message: failed
      ? [`${bad.size} of ${reqs.length} invalid: ${msgs.join('; ').slice(0, 300)}`, `${bad.size} su ${reqs.length} non valide: ${clipQuoted(msgsIt.join('; '), 300)}`]
      : [`${reqs.length} request(s), all valid (${onlyPsp(judgedIds).length} field rule(s) judged)`, `${reqs.length} richieste, tutte valide (${onlyPsp(judgedIds).length} regole di campo giudicate)`],
    entries: failed ? [...bad] : reqs,
  });
  return bad;
}

/**
 * The checks on what the candidate sent (each only when its subject occurred). Returns the Flow the
 * scenario records its later checks through.
 */
export function judgeWire(t: PspContext): Flow {
  const reqs = t.requests();
  const defective = new Map<JournalEntry, string>();
  // schema, per family of primitives
  for (const key of FAMILY_KEYS) {
    const fam = reqs.filter((e) => FAMILY[e.primitive ?? '']?.key === key);
    for (const e of judgeFields(t, key, fam)) defective.set(e, `fields-${key}`);
  }
  const unknown = reqs.filter((e) => !FAMILY[e.primitive ?? '']);
  if (unknown.length) {
    t.check({
      id: 'unknown-requests', held: false,
      message: [
        unknown.map((e) => `${e.primitive ?? 'unreadable'}: ${e.xsd?.errors[0] ?? 'not a nodeForPsp request'}`).join('; ').slice(0, 300),
        clipQuoted(unknown.map((e) => `${e.primitive ?? 'illeggibile'}: ${e.xsd?.errors[0] !== undefined ? quoted(e.xsd.errors[0]) : 'non è una richiesta di nodeForPsp'}`).join('; '), 300),
      ],
      entries: unknown,
    });
    for (const e of unknown) defective.set(e, 'unknown-requests');
  }
  if (reqs.length) {
    const badAction = reqs.filter((e) => e.primitive && e.soapAction !== e.primitive);
    t.check({ id: 'soapaction', held: badAction.length === 0, message: badAction.length ? same(badAction.map((e) => `${e.primitive}: SOAPAction "${e.soapAction}"`).join('; ')) : [`${reqs.length} request(s), each with its operation name`, `${reqs.length} richieste, ciascuna con il nome della sua operazione`], entries: badAction.length ? badAction : reqs });
    for (const e of badAction) defective.set(e, 'soapaction');
    const withHeaders = reqs.filter((e) => e.headers);
    if (withHeaders.length) {
      const notXml = withHeaders.filter((e) => !/^text\/xml\b/i.test(e.headers!['content-type'] ?? ''));
      t.check({
        id: 'soap11', held: notXml.length === 0,
        message: notXml.length
          ? [notXml.map((e) => `${e.primitive ?? '?'}: Content-Type ${e.headers!['content-type'] ?? '(absent)'}`).join('; '), notXml.map((e) => `${e.primitive ?? '?'}: Content-Type ${e.headers!['content-type'] ?? '(assente)'}`).join('; ')]
          : [`${withHeaders.length} request(s) with Content-Type text/xml`, `${withHeaders.length} richieste con Content-Type text/xml`],
        entries: notXml.length ? notXml : withHeaders,
      });
    }
  }
  // identities and password: the field rule of the wrong field, per operation
  const known = reqs.filter((e) => FAMILY[e.primitive ?? ''] && bodyOf(e));
  if (known.length) {
    const wrong: string[] = [];
    const wrongIt: string[] = [];
    const wrongIds: string[] = [];
    const wrongEntries: JournalEntry[] = [];
    for (const e of known) {
      const b = bodyOf(e);
      const iface = FAMILY[e.primitive!]!.rules[0]!;
      for (const c of CALLER) {
        const got = textOf(b, c.field) ?? textOf(b, c.legacy);
        if (got === t.candidate[c.field]) continue;
        wrong.push(`${e.primitive}: ${c.field} ${c.field === 'password' ? '(redacted) differs' : `${got ?? '(absent)'} ≠ ${t.candidate[c.field]}`}`);
        wrongIt.push(`${e.primitive}: ${c.field} ${c.field === 'password' ? '(oscurata) diversa' : `${got ?? '(assente)'} ≠ ${t.candidate[c.field]}`}`);
        wrongIds.push(`IF-${iface}-${c.f}`);
        if (!wrongEntries.includes(e)) wrongEntries.push(e);
        defective.set(e, 'identities');
      }
    }
    t.check({
      id: 'identities',
      requirements: onlyPsp(['NM-X-AUTH-01', ...(wrong.length ? wrongIds : known.flatMap((e) => callerIds(e.primitive!)))]),
      held: wrong.length === 0,
      message: wrong.length ? [[...new Set(wrong)].join('; '), [...new Set(wrongIt)].join('; ')] : [`${known.length} request(s) identify the PSP correctly`, `${known.length} richieste identificano correttamente il PSP`],
      entries: wrong.length ? wrongEntries : known,
    });
  }
  // idempotency keys
  const keys = reqs.filter((e) => [...ACTIVATES, ...OUTCOMES].includes(e.primitive ?? '')).map((e) => ({ e, key: textOf(bodyOf(e), 'idempotencyKey') })).filter((k): k is { e: JournalEntry; key: string } => !!k.key && !!k.e.xsd?.valid);
  if (keys.length) {
    const prefix = t.candidate.idPSP.replace(/[^a-zA-Z0-9]/g, '').slice(0, 18);
    const noPrefix = keys.filter((k) => !k.key.startsWith(`${prefix}_`));
    t.check({ id: 'key-prefix', held: noPrefix.length === 0, message: noPrefix.length ? same(noPrefix.map((k) => k.key).join(', ')) : [`${keys.length} key(s) prefixed with ${prefix}_`, `${keys.length} chiavi con prefisso ${prefix}_`], entries: noPrefix.length ? noPrefix.map((k) => k.e) : keys.map((k) => k.e) });
  }
  if (keys.length > 1) {
    const byKey = new Map<string, JournalEntry[]>();
    for (const k of keys) byKey.set(k.key, [...(byKey.get(k.key) ?? []), k.e]);
    const reused = [...byKey.entries()].filter(([, es]) => new Set(es.map((e) => `${e.primitive}|${fingerprint(bodyOf(e)!)}`)).size > 1);
    t.check({
      id: 'key-not-reused', held: reused.length === 0,
      message: reused.length
        ? [reused.map(([k]) => `${k} used for different requests`).join('; '), reused.map(([k]) => `${k} usata per richieste diverse`).join('; ')]
        : [`${keys.length} keyed request(s), ${byKey.size} key(s), each for one logical request`, `${keys.length} richieste con chiave, ${byKey.size} chiavi, ciascuna per una sola richiesta logica`],
      entries: reused.length ? reused.flatMap(([, es]) => es) : keys.map((k) => k.e),
    });
  }
  judgeSessions(t);
  judgeOutcomes(t);
  return new Flow(t, stopReason(t, reqs, defective));
}

/** A repeated activation of a notice (retry or new attempt) must not open a new session. */
function judgeSessions(t: PspContext): void {
  const acts = t.requests(ACTIVATES);
  const repeats: JournalEntry[] = [];
  const newSessions: JournalEntry[] = [];
  for (let i = 1; i < acts.length; i++) {
    const cur = acts[i]!;
    const cb = bodyOf(cur);
    const prev = acts.slice(0, i).reverse().find((p) => noticeOf(bodyOf(p)) === noticeOf(cb));
    if (!prev) continue;
    const pb = bodyOf(prev);
    const pa = answer(t, prev);
    const sameKey = textOf(pb, 'idempotencyKey') !== undefined && textOf(pb, 'idempotencyKey') === textOf(cb, 'idempotencyKey');
    const prevToken = pa.outcome === 'OK' ? textOf(pa.body, 'paymentToken') : undefined;
    // a session still open (token issued, no outcome yet) when the PSP activates the notice again
    const openSession = !!prevToken && !t.requests(OUTCOMES).some((o) => o.seq < cur.seq && tokensOf(bodyOf(o)).includes(prevToken));
    if (!isUsable(pa) || pa.outcome === 'KO' || openSession) repeats.push(prev, cur);
    const afterNoAnswer = (!isUsable(pa) || openSession) && !sameKey;
    const afterRefusal = ['PPT_PAGAMENTO_IN_CORSO', 'PPT_PAGAMENTO_DUPLICATO', 'PPT_ERRORE_EMESSO_DA_PAA'].includes(pa.fault?.faultCode ?? '');
    if (afterNoAnswer || afterRefusal) newSessions.push(cur);
  }
  if (!repeats.length) return;
  t.check({
    id: 'no-new-session',
    held: newSessions.length === 0,
    message: newSessions.length
      ? [`${newSessions.length} activation(s) opened a new session: ${newSessions.map((e) => textOf(bodyOf(e), 'idempotencyKey') ?? '(no key)').join(', ')}`, `${newSessions.length} attivazioni hanno aperto una nuova sessione: ${newSessions.map((e) => textOf(bodyOf(e), 'idempotencyKey') ?? '(nessuna chiave)').join(', ')}`]
      : ['repeated activations reuse the key of the unanswered one', 'le attivazioni ripetute riusano la chiave di quella senza risposta'],
    entries: newSessions.length ? newSessions : [...new Set(repeats)],
  });
}

/** Outcomes: only for tokens the PSP got; retries same key+body; nothing after an answer; one payment per notice. */
function judgeOutcomes(t: PspContext): void {
  const outs = t.requests(OUTCOMES);
  if (!outs.length) return;
  const issued = issuedTokens(t);
  const foreign = outs.filter((e) => tokensOf(bodyOf(e)).some((tok) => !issued.has(tok)));
  t.check({
    id: 'outcome-only-with-token', requirements: ['IF-activatePaymentNotice-F75', 'NM-TOK-TO-01', ...(outs.some((e) => e.primitive === 'sendPaymentOutcomeV2') ? ['IF-sendPaymentOutcomeV2-F77'] : [])], held: foreign.length === 0,
    message: foreign.length
      ? [`outcome for ${foreign.map((e) => tokensOf(bodyOf(e)).join('+')).join(', ')}, never issued to the PSP`, `esito per ${foreign.map((e) => tokensOf(bodyOf(e)).join('+')).join(', ')}, mai emesso per il PSP`]
      : [`${outs.length} outcome(s), each for an issued token`, `${outs.length} esiti, ciascuno per un token emesso`],
    entries: foreign.length ? foreign : outs,
  });
  const afterFinal: JournalEntry[] = [];
  const changedRetry: JournalEntry[] = [];
  const retries: JournalEntry[] = [];
  const answered: JournalEntry[] = [];
  const seen = new Map<string, { fp: string; answered: boolean }>();
  for (const e of outs) {
    const b = bodyOf(e);
    const fp = `${e.primitive}|${b ? fingerprint(b) : e.raw}|${textOf(b, 'idempotencyKey')}`;
    for (const tok of tokensOf(b)) {
      const prev = seen.get(tok);
      if (prev?.answered) afterFinal.push(e);
      else if (prev) {
        retries.push(e);
        if (prev.fp !== fp) changedRetry.push(e);
      }
    }
    const a = answer(t, e);
    if (isUsable(a)) answered.push(e, a.response!);
    for (const tok of tokensOf(b)) seen.set(tok, { fp, answered: (seen.get(tok)?.answered ?? false) || isUsable(a) });
  }
  if (answered.length) {
    t.check({ id: 'no-outcome-after-answer', held: afterFinal.length === 0, message: afterFinal.length ? [`${afterFinal.length} outcome(s) after the Nodo had answered`, `${afterFinal.length} esiti dopo che il Nodo aveva risposto`] : ['nothing sent after the answer', 'nulla inviato dopo la risposta'], entries: afterFinal.length ? afterFinal : answered });
  }
  if (retries.length) {
    t.check({
      id: 'outcome-retry-same', held: changedRetry.length === 0,
      message: changedRetry.length
        ? [`${changedRetry.length} retry(ies) with another key or content`, `${changedRetry.length} ritentativi con altra chiave o contenuto`]
        : [`${retries.length} retry(ies), each identical to the unanswered outcome`, `${retries.length} ritentativi, ciascuno identico all’esito senza risposta`],
      entries: changedRetry.length ? changedRetry : [...outs.filter((e) => !retries.includes(e)).slice(0, 1), ...retries],
    });
  }
  const paidByNotice = new Map<string, Set<string>>();
  const paidEntries: JournalEntry[] = [];
  for (const e of outs) {
    const a = answer(t, e);
    if (a.outcome !== 'OK' || textOf(bodyOf(e), 'outcome') !== 'OK') continue;
    paidEntries.push(e, a.response!);
    for (const tok of tokensOf(bodyOf(e))) {
      const n = issued.get(tok)?.notice ?? t.nodo.token(tok)?.noticeNumber ?? tok;
      paidByNotice.set(n, new Set([...(paidByNotice.get(n) ?? []), tok]));
    }
  }
  if (paidEntries.length) {
    const twice = [...paidByNotice.entries()].filter(([, s]) => s.size > 1);
    t.check({
      id: 'never-pay-twice', held: twice.length === 0,
      message: twice.length
        ? [twice.map(([n, s]) => `${n}: ${s.size} tokens paid`).join('; '), twice.map(([n, s]) => `${n}: ${s.size} token pagati`).join('; ')]
        : [`${paidByNotice.size} notice(s), each paid once`, `${paidByNotice.size} avvisi, ciascuno pagato una volta`],
      entries: paidEntries,
    });
  }
}

/** The first request the Nodo refused because of a defect judged above: later steps cannot be judged. */
function stopReason(t: PspContext, reqs: JournalEntry[], defective: Map<JournalEntry, string>): Bi | undefined {
  for (const e of reqs) {
    const why = defective.get(e);
    if (!why) continue;
    const a = answer(t, e);
    if (!isUsable(a) || (a.outcome === 'KO' && REFUSALS.test(a.fault?.faultCode ?? ''))) {
      return [
        `the flow stopped at ${e.primitive ?? 'an unreadable request'}: the Nodo refused it (${a.fault?.faultCode ?? 'no valid answer'}) for the defect judged by ${why}`,
        `il flusso di pagamento si è fermato alla richiesta ${e.primitive ?? 'illeggibile'}: il Nodo l’ha rifiutata (${a.fault?.faultCode ?? 'nessuna risposta valida'}) per il difetto giudicato da ${quoted(why)}`,
      ];
    }
  }
  return undefined;
}

