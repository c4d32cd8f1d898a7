// Generated negative answers (DESIGN: fault matrices generated from the fault tables): the harness's
// Nodo answers the candidate's activation or outcome with each transport fault of src/faults.ts
// (lost, reset, HTTP 500 with/without SOAP Fault, not XML, truncated, schema-invalid) and with each
// application fault the interface catalogue lists for nodeForPsp. The PSP must not crash, must not
// report a payment it did not make, must not pay twice, and must recover a missing answer only by
// resending the same request (same idempotencyKey).
import { type CheckSpec, type ScenarioDef, spec } from '../../src/core/scenario.js';
import type { PspContext } from '../../seats/psp.js';
import type { TransportFault } from '../../src/core/faults.js';
import { TRANSPORT_FAULTS } from '../../src/core/faults.js';
import { catalogue } from '../../src/catalogue/index.js';
import { featureOn } from '../../src/profile/index.js';
import { ko } from '../../src/wire/soap.js';
import { child, textOf } from '../../src/wire/xml.js';
import { nodoFault } from '../../actors/nodo/index.js';
import { ACTIVATES, OUTCOMES, answer, bodyOf, checkOutcomeInTime, checkReport, outcomeSpecs, reportSpecs, runPay, tokensOf } from './lib.js';
import { isUsable } from '../../src/wire/answer.js';
import { quoted } from '../../src/core/text.js';
import { type Flow, WIRE_SPECS, judgeWire } from './wire.js';

type S = ScenarioDef<PspContext>;

/** Answer faults that make sense on the Nodo's answers (not the request-side ones). */
const ANSWER_FAULTS: TransportFault[] = TRANSPORT_FAULTS.filter((f) => !['delay', 'refused', 'wrong-soapaction'].includes(f.kind)).flatMap((f): TransportFault[] =>
  f.kind === 'http500' ? [{ kind: 'http500', soapFault: true }, { kind: 'http500', soapFault: false }] : [{ kind: f.kind } as TransportFault],
);
const label = (f: TransportFault) => (f.kind === 'http500' ? (f.soapFault ? 'HTTP500-FAULT' : 'HTTP500') : f.kind.toUpperCase());
const lost = (f: TransportFault) => f.kind === 'no-answer' || f.kind === 'reset';

const STILL_WORKS = spec('still-works', ['the PSP keeps working after an unreadable answer (it carries a new payment through its activation)', 'il PSP continua a funzionare dopo una risposta illeggibile (porta un nuovo pagamento fino alla sua attivazione)'], 'NM-X-VAL-01');

/** After the disturbance the PSP still works: a second payment in the same scenario completes. */
async function stillWorks(t: PspContext, f: Flow): Promise<void> {
  const n2 = t.position();
  const h = await t.tryTrigger({ action: 'pay', verify: false, fiscalCode: n2.fiscalCode, noticeNumber: n2.noticeNumber, amount: n2.amount, amountCents: n2.amountCents });
  if ('error' in h) {
    f.check({ id: 'still-works', held: false, message: [`the next trigger failed: ${h.error}`, `il trigger successivo è fallito: ${h.errorIt}`], entries: t.requests().slice(-2) });
    return;
  }
  await t.acted(h, ACTIVATES, `notice ${n2.noticeNumber} (second payment)`, `l’avviso ${n2.noticeNumber} (secondo pagamento)`);
  await t.settle(h);
  // it keeps working when it carries the new payment through its first step (how it ends is judged elsewhere)
  const acts = t.requests(ACTIVATES).filter((e) => textOf(child(bodyOf(e), 'qrCode'), 'noticeNumber') === n2.noticeNumber);
  const done = acts.find((e) => isUsable(answer(t, e)));
  f.check({
    id: 'still-works', held: !!done,
    message: done
      ? [`notice ${n2.noticeNumber} activated (${answer(t, done).outcome})`, `avviso ${n2.noticeNumber} attivato (${answer(t, done).outcome})`]
      : [`${acts.length} activation(s) of ${n2.noticeNumber}, none answered`, `${acts.length} attivazioni di ${n2.noticeNumber}, nessuna con risposta`],
    entries: acts.flatMap((e) => [e, answer(t, e).response]),
  });
}

function transportScenario(primitive: 'activate' | 'outcome', f: TransportFault): S {
  const ops = primitive === 'activate' ? ACTIVATES : OUTCOMES;
  const checks: CheckSpec[] = [...WIRE_SPECS, STILL_WORKS, ...reportSpecs('NM-X-VAL-01')];
  if (primitive === 'outcome') checks.push(...outcomeSpecs(), ...(lost(f) ? [spec('outcome-retried', ['a lost outcome answer is recovered by resending the same outcome (same idempotencyKey)', 'una risposta all’esito persa è recuperata reinviando lo stesso esito (stessa idempotencyKey)'], ['IF-sendPaymentOutcome-F71', 'NM-TOK-DUP-02'])] : []));
  return {
    id: `PSP-NEG-${primitive === 'activate' ? 'ACT' : 'OUT'}-${label(f)}`,
    title: `The Nodo's answer to ${primitive === 'activate' ? 'activatePaymentNotice' : 'sendPaymentOutcome'} is ${f.kind}${f.kind === 'http500' ? (f.soapFault ? ' (SOAP Fault)' : ' (no SOAP Fault)') : ''}: same request again or stop, never a second payment`,
    titleIt: `La risposta del Nodo a ${primitive === 'activate' ? 'activatePaymentNotice' : 'sendPaymentOutcome'} è ${f.kind}: stessa richiesta o stop, mai un secondo pagamento`,
    seat: 'psp',
    checks,
    async run(t) {
      const n = t.position();
      if (primitive === 'activate') for (const op of ops) t.faults.add({ side: 'inbound', primitive: op, match: { noticeNumber: n.noticeNumber }, fault: f, times: 1 });
      else {
        // an outcome carries only the token: arm the fault as soon as the activation answer names it
        let armed = false;
        t.onEntry((e) => {
          const tok = e.direction === 'response' && e.from === 'nodo' && ACTIVATES.includes(e.primitive ?? '') ? textOf(bodyOf(e), 'paymentToken') : undefined;
          if (tok && !armed && e.raw.includes('<outcome>OK</outcome>')) {
            armed = true;
            for (const op of ops) t.faults.add({ side: 'inbound', primitive: op, match: { paymentToken: tok }, fault: f, times: 1 });
          }
        });
      }
      const { h, report } = await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      if (primitive === 'outcome' && lost(f)) {
        // the resend comes after the PSP's own timeout and backoff: wait for it within the trigger's deadline
        const first = t.requests(ops)[0];
        const toks = tokensOf(bodyOf(first));
        if (first) await t.journal.waitFor((e) => e.direction === 'request' && e.seq > first.seq && ops.includes(e.primitive ?? '') && tokensOf(bodyOf(e)).some((x) => toks.includes(x)), Math.max(0, h.deadlineAt - Date.now()), 'the resent outcome').catch(() => undefined);
      }
      const w = judgeWire(t);
      const sent = t.requests(ops);
      if (primitive === 'outcome' && lost(f)) {
        const first = sent[0];
        if (!first) w.skip('outcome-retried', ['no outcome was sent, so no answer was lost', 'nessun esito è stato inviato, quindi nessuna risposta è andata persa']);
        else {
          const again = sent.filter((e) => e !== first && textOf(bodyOf(e), 'idempotencyKey') === textOf(bodyOf(first), 'idempotencyKey'));
          w.check({ id: 'outcome-retried', held: again.length > 0, message: [`${sent.length} outcome request(s), ${again.length} resend(s) with the same key`, `${sent.length} richieste di esito, ${again.length} reinvii con la stessa chiave`], entries: sent });
        }
      }
      if (primitive === 'outcome') checkOutcomeInTime(w);
      checkReport(w, report);
      await stillWorks(t, w);
    },
  };
}

/**
 * The EC is slow: the Nodo answers the activation just within the station timeout. A PSP must wait
 * (or resend with the same key): a new activation with a new key opens a new session (NM-SLA-KPI-04).
 */
const slowActivation: S = {
  id: 'PSP-NEG-ACT-SLOW',
  title: 'The Nodo answers the activation just within the station timeout: the PSP waits or resends the same request, never a new session',
  titleIt: 'Il Nodo risponde all’attivazione appena entro il timeout della stazione: il PSP attende o reinvia la stessa richiesta, mai una nuova sessione',
  seat: 'psp',
  checks: [...WIRE_SPECS, spec('one-session', ['one user operation, one session: every activation of the notice carries the same idempotencyKey', 'una operazione dell’utente, una sessione: ogni attivazione dell’avviso riporta la stessa idempotencyKey'], ['NM-SLA-KPI-04', 'IF-activatePaymentNotice-F05']), ...outcomeSpecs(), ...reportSpecs('NM-SLA-KPI-04')],
  async run(t) {
    const n = t.position();
    const slow = t.nodo.stationTimeouts.paGetPayment - 500;
    for (const primitive of ['paGetPayment', 'paGetPaymentV2']) t.faults.add({ side: 'outbound', primitive, match: { noticeNumber: n.noticeNumber }, fault: { kind: 'delay', ms: slow }, times: 1 });
    const { report } = await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents, note: `the EC answers the Nodo after ${slow} ms` });
    const w = judgeWire(t);
    const acts = t.requests(ACTIVATES);
    const keys = new Set(acts.map((e) => textOf(bodyOf(e), 'idempotencyKey') ?? '(no key)'));
    w.check({ id: 'one-session', held: keys.size === 1 && !(acts.length > 1 && keys.has('(no key)')), message: [`${acts.length} activation(s), key(s): ${[...keys].join(', ')}`, `${acts.length} attivazioni, chiavi: ${[...keys].map((k) => (k === '(no key)' ? '(nessuna chiave)' : k)).join(', ')}`], entries: acts.flatMap((e) => [e, answer(t, e).response]) });
    checkOutcomeInTime(w);
    checkReport(w, report);
  },
};

/** Nodo application faults of one operation, from the interface catalogue's fault table ("— ops: …"). */
export function faultsFor(where: 'activate' | 'outcome'): string[] {
  const re = where === 'activate' ? /all nodeForPsp|activate|\bany\b/ : /all nodeForPsp|sendPaymentOutcome|\bany\b/;
  return catalogue().requirements.filter((r) => r.id.startsWith('IF-FAULT-PPT_') && re.test(r.title.split('— ops:')[1] ?? '')).map((r) => r.id.slice('IF-FAULT-'.length)).sort();
}

/** requirement a PSP violates by not taking each outcome fault as final */
const OUTCOME_CODE_REQ: Record<string, string> = { PPT_TOKEN_SCONOSCIUTO: 'NM-TOK-ERR-02', PPT_TOKEN_SCADUTO: 'NM-TOK-ERR-03', PPT_TOKEN_SCADUTO_KO: 'NM-TOK-ERR-04', PPT_ESITO_GIA_ACQUISITO: 'NM-TOK-DUP-02' };

function appFaultScenario(where: 'activate' | 'outcome'): S {
  const ops = where === 'activate' ? ACTIVATES : OUTCOMES;
  const finalReqs = where === 'activate' ? ['NM-SLA-KPI-04', 'IF-activatePaymentNotice-F75'] : ['IF-sendPaymentOutcome-F71', ...new Set(Object.values(OUTCOME_CODE_REQ))];
  return {
    id: `PSP-NEG-${where === 'activate' ? 'ACT' : 'OUT'}-APPFAULTS`,
    title: `Every Nodo fault the catalogue lists for ${where === 'activate' ? 'activatePaymentNotice(V2)' : 'sendPaymentOutcome(V2)'}: the PSP takes the answer as final and reports no payment`,
    titleIt: `Ogni fault del Nodo che il catalogo elenca per ${where === 'activate' ? 'activatePaymentNotice(V2)' : 'sendPaymentOutcome(V2)'}: il PSP prende la risposta come definitiva e non riporta pagamenti`,
    seat: 'psp',
    checks: [...WIRE_SPECS, spec('fault-final', ['the PSP takes the fault as final: nothing more for that payment, no payment reported', 'il PSP prende il fault come definitivo: nient’altro per quel pagamento, nessun pagamento riportato'], finalReqs)],
    async run(t) {
      const codes = faultsFor(where);
      if (codes.length === 0) return t.harnessError(`the catalogue lists no fault for ${where}`);
      const versions: ('v1' | 'v2')[] = featureOn(t.profile, 'v2') ? ['v1', 'v2'] : ['v1'];
      const byNotice = new Map<string, string>();
      const noticeOfBody = (op: string, body: Parameters<typeof tokensOf>[0]) =>
        ACTIVATES.includes(op) ? textOf(child(body, 'qrCode'), 'noticeNumber') : tokensOf(body).map((tok) => t.nodo.token(tok)?.noticeNumber).find((x) => x && byNotice.has(x));
      t.script(async (op, body, proceed) => {
        const code = ops.includes(op) ? byNotice.get(noticeOfBody(op, body) ?? '') : undefined;
        return code ? ko(nodoFault(code, 'scripted by the harness')) : proceed();
      });
      const runs: { code: string; v: string; nn: string; report?: Awaited<ReturnType<typeof runPay>>['report'] }[] = [];
      for (const v of versions) {
        for (const code of codes) {
          const n = t.position();
          byNotice.set(n.noticeNumber, code);
          const { report } = await runPay(t, { action: 'pay', primitives: v, verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents, note: `the Nodo answers ${code}` });
          runs.push({ code, v, nn: n.noticeNumber, report });
        }
      }
      const w = judgeWire(t);
      for (const r of runs) judgeFinal(t, w, where, r, finalReqs);
    },
  };
}

function judgeFinal(t: PspContext, w: Flow, where: 'activate' | 'outcome', r: { code: string; v: string; nn: string; report?: { result: string } }, finalReqs: string[]): void {
  const title = `${r.v.toUpperCase()}: after ${r.code} on ${where} the PSP takes the answer as final and reports no payment`;
  const whereIt = where === 'activate' ? 'attivazione' : 'esito';
  const titleIt = `${r.v.toUpperCase()}: dopo ${r.code} su ${whereIt} il PSP prende la risposta come definitiva e non riporta pagamenti`;
  const acts = t.requests(ACTIVATES).filter((e) => textOf(child(bodyOf(e), 'qrCode'), 'noticeNumber') === r.nn);
  const tokens = acts.map((e) => textOf(answer(t, e).body, 'paymentToken')).filter((x): x is string => !!x);
  const outs = t.requests(OUTCOMES).filter((e) => tokensOf(bodyOf(e)).some((tok) => tokens.includes(tok) || t.nodo.token(tok)?.noticeNumber === r.nn));
  const sent = where === 'activate' ? acts : outs;
  const faulted = sent.find((e) => answer(t, e).fault?.faultCode === r.code);
  const requirements = where === 'activate' ? finalReqs : ['IF-sendPaymentOutcome-F71', ...(OUTCOME_CODE_REQ[r.code] ? [OUTCOME_CODE_REQ[r.code]!] : [])];
  if (!faulted) {
    if (w.stopped) return w.skip('fault-final', w.stopped, acts);
    if (where === 'outcome' && !tokens.length) return w.skip('fault-final', [`${title}: no activation succeeded, no outcome to answer`, `${titleIt}: nessuna attivazione riuscita, nessun esito a cui rispondere`], acts);
    if (!sent.length) return w.skip('fault-final', [`${title}: the PSP sent no ${where} for notice ${r.nn}`, `${titleIt}: il PSP non ha inviato alcuna richiesta di ${whereIt} per l’avviso ${r.nn}`], acts);
    return t.harnessError(`the harness's Nodo was to answer ${where} for notice ${r.nn} with ${r.code}, but: ${sent.map((e) => answer(t, e).fault?.faultCode ?? answer(t, e).outcome ?? 'no valid answer').join(', ')}`);
  }
  const later = (where === 'activate'
    ? [...acts.filter((e) => e.seq > faulted.seq && textOf(bodyOf(e), 'idempotencyKey') !== textOf(bodyOf(faulted), 'idempotencyKey')), ...outs]
    : outs.filter((e) => e.seq > faulted.seq));
  const paid = r.report?.result === 'paid';
  w.check({
    id: 'fault-final', title: [title, titleIt], requirements, held: later.length === 0 && !paid,
    message: [
      [later.length ? `then ${later.map((e) => e.primitive).join(', ')}` : 'nothing more sent', r.report ? `report: ${r.report.result}` : 'no report'].join('; '),
      [later.length ? `poi ${later.map((e) => e.primitive).join(', ')}` : 'nient’altro inviato', r.report ? `resoconto: ${quoted(r.report.result)}` : 'nessun resoconto'].join('; '),
    ],
    entries: [faulted, answer(t, faulted).response, ...later],
  });
}

export const negativeScenarios: S[] = [
  ...ANSWER_FAULTS.map((f) => transportScenario('activate', f)),
  ...ANSWER_FAULTS.map((f) => transportScenario('outcome', f)),
  slowActivation,
  appFaultScenario('activate'),
  appFaultScenario('outcome'),
];
