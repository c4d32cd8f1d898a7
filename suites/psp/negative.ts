// Generated negative answers (DESIGN: fault matrices generated from the fault tables): the harness's
// Nodo answers the candidate's activation or outcome with each transport fault of src/faults.ts
// (lost, reset, HTTP 500 with/without SOAP Fault, not XML, truncated, schema-invalid) and with each
// application fault the interface catalogue lists for nodeForPsp. The PSP must not crash, must not
// report a payment it did not make, must not pay twice, and must recover a missing answer only by
// resending the same request (same idempotencyKey).
import type { ScenarioDef } from '../../src/scenario.js';
import type { PspContext } from '../../src/seats/psp.js';
import type { TransportFault } from '../../src/faults.js';
import { TRANSPORT_FAULTS } from '../../src/faults.js';
import { catalogue } from '../../src/catalogue/index.js';
import { ko } from '../../src/protocol/soap.js';
import { nodoFault } from '../../mocks/nodo/index.js';
import { ACTIVATES, OUTCOMES, answer, bodyOf, checkOutcomeInTime, checkReport, judgeWire, runPay } from './lib.js';
import { textOf } from '../../src/protocol/xml.js';

type S = ScenarioDef<PspContext>;

/** Answer faults that make sense on the Nodo's answers (not the request-side ones). */
const ANSWER_FAULTS: TransportFault[] = TRANSPORT_FAULTS.filter((f) => !['delay', 'refused', 'wrong-soapaction'].includes(f.kind)).flatMap((f): TransportFault[] =>
  f.kind === 'http500' ? [{ kind: 'http500', soapFault: true }, { kind: 'http500', soapFault: false }] : [{ kind: f.kind } as TransportFault],
);
const label = (f: TransportFault) => (f.kind === 'http500' ? (f.soapFault ? 'HTTP500-FAULT' : 'HTTP500') : f.kind.toUpperCase());
const lost = (f: TransportFault) => f.kind === 'no-answer' || f.kind === 'reset';

/** After the disturbance the PSP still works: a second payment in the same scenario completes. */
async function stillWorks(t: PspContext): Promise<void> {
  const n2 = t.position();
  const h = await t.tryTrigger({ action: 'pay', verify: false, fiscalCode: n2.fiscalCode, noticeNumber: n2.noticeNumber, amount: n2.amount, amountCents: n2.amountCents });
  if ('error' in h) {
    t.check({ id: 'still-works', title: 'the PSP keeps working after an unreadable answer (a new payment is accepted and made)', requirement: 'NM-X-VAL-01', level: 'MUST', held: false, message: `the next trigger failed: ${h.error}`, entries: [] });
    return;
  }
  await t.acted(h, ACTIVATES, `notice ${n2.noticeNumber} (second payment)`);
  await t.settle(h);
  const paid = t.requests(OUTCOMES).some((e) => textOf(bodyOf(e), 'outcome') === 'OK' && e.raw && answer(t, e).outcome === 'OK' && (t.nodo.token(textOf(bodyOf(e), 'paymentToken') ?? '')?.noticeNumber === n2.noticeNumber || e.raw.includes(n2.noticeNumber)));
  const paid2 = paid || t.nodo.notice(n2.fiscalCode, n2.noticeNumber).state === 'paid';
  t.check({ id: 'still-works', title: 'the PSP keeps working after an unreadable answer (a new payment is accepted and made)', requirement: 'NM-X-VAL-01', level: 'MUST', held: paid2, message: paid2 ? 'the next notice was paid' : 'the next notice was not paid', entries: t.requests(OUTCOMES) });
}

function transportScenario(primitive: 'activate' | 'outcome', f: TransportFault): S {
  const ops = primitive === 'activate' ? ACTIVATES : OUTCOMES;
  return {
    id: `PSP-NEG-${primitive === 'activate' ? 'ACT' : 'OUT'}-${label(f)}`,
    title: `The Nodo's answer to ${primitive === 'activate' ? 'activatePaymentNotice' : 'sendPaymentOutcome'} is ${f.kind}${f.kind === 'http500' ? (f.soapFault ? ' (SOAP Fault)' : ' (no SOAP Fault)') : ''}: same request again or stop, never a second payment`,
    titleIt: `La risposta del Nodo a ${primitive === 'activate' ? 'activatePaymentNotice' : 'sendPaymentOutcome'} è ${f.kind}: stessa richiesta o stop, mai un secondo pagamento`,
    seat: 'psp',
    requirements: primitive === 'activate' ? ['NM-SLA-KPI-04', 'NM-X-VAL-01', 'IF-activatePaymentNotice-F05'] : ['IF-sendPaymentOutcome-F71', 'NM-TOK-DUP-02', 'NM-X-VAL-01'],
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
      const { report } = await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeWire(t);
      const sent = t.requests(ops);
      if (primitive === 'outcome' && lost(f)) {
        const first = sent[0];
        const again = sent.filter((e) => e !== first && textOf(bodyOf(e), 'idempotencyKey') === textOf(bodyOf(first), 'idempotencyKey'));
        t.check({ id: 'outcome-retried', title: 'a lost outcome answer is recovered by resending the same outcome (same idempotencyKey)', requirement: 'IF-sendPaymentOutcome-F71', level: 'MUST', held: again.length > 0, message: `${sent.length} outcome request(s), ${again.length} resend(s) with the same key`, entries: sent });
      }
      if (primitive === 'outcome') checkOutcomeInTime(t);
      checkReport(t, report, 'NM-X-VAL-01');
      await stillWorks(t);
    },
  };
}

/** Nodo application faults for nodeForPsp, from the interface catalogue's fault table. */
function nodeForPspFaults(): string[] {
  const ids = catalogue().requirements.filter((r) => r.id.startsWith('IF-FAULT-PPT_') && /nodeForPsp|activate/.test(r.title)).map((r) => r.id.slice('IF-FAULT-'.length));
  return [...new Set(ids)].sort();
}

function appFaultScenario(where: 'activate' | 'outcome'): S {
  const ops = where === 'activate' ? ACTIVATES : OUTCOMES;
  return {
    id: `PSP-NEG-${where === 'activate' ? 'ACT' : 'OUT'}-APPFAULTS`,
    title: `Every Nodo fault of the catalogue on ${where === 'activate' ? 'activatePaymentNotice' : 'sendPaymentOutcome'}: the PSP takes the answer as final and reports no payment`,
    titleIt: `Ogni fault del Nodo del catalogo su ${where === 'activate' ? 'activatePaymentNotice' : 'sendPaymentOutcome'}: il PSP prende la risposta come definitiva e non riporta pagamenti`,
    seat: 'psp',
    requirements: where === 'activate' ? ['IF-activatePaymentNotice-F75', 'NM-X-FB-01', 'NM-SLA-KPI-04'] : ['IF-sendPaymentOutcome-F71', 'NM-TOK-ERR-02', 'NM-TOK-ERR-03', 'NM-TOK-DUP-02'],
    async run(t) {
      const codes = nodeForPspFaults();
      if (codes.length === 0) return t.inconclusive('the catalogue lists no nodeForPsp fault');
      const notices = new Map<string, string>();
      t.script(async (op, body, proceed) => {
        const nn = body.children.find((c) => c.name === 'qrCode')?.children.find((c) => c.name === 'noticeNumber')?.text.trim();
        const r = await proceed();
        if (!ops.includes(op)) return r;
        const code = where === 'activate' ? notices.get(nn ?? '') : [...notices.entries()].find(([n]) => t.nodo.token(textOf(body, 'paymentToken') ?? '')?.noticeNumber === n)?.[1];
        return code ? ko(nodoFault(code, 'scripted by the harness')) : r;
      });
      for (const code of codes) {
        const n = t.position();
        notices.set(n.noticeNumber, code);
        const { report } = await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents, note: `the Nodo answers ${code}` });
        if (report?.result === 'paid') {
          t.check({ id: `no-paid-${code}`, title: `after ${code} the PSP does not report a payment`, requirement: where === 'activate' ? 'IF-activatePaymentNotice-F75' : 'IF-sendPaymentOutcome-F71', level: 'MUST', held: false, message: `reported paid after ${code}`, entries: [] });
        }
      }
      judgeWire(t);
      const outs = t.requests(OUTCOMES);
      t.check({ id: 'faults-applied', title: `the ${codes.length} faults of the table were answered`, requirement: where === 'activate' ? 'NM-X-FB-01' : 'NM-TOK-ERR-02', level: 'MUST', held: t.requests(ops).length >= codes.length, message: `${t.requests(ops).length} ${where} request(s) for ${codes.length} codes: ${codes.join(', ')}`, entries: where === 'activate' ? t.requests(ops) : outs });
    },
  };
}

export const negativeScenarios: S[] = [
  ...ANSWER_FAULTS.map((f) => transportScenario('activate', f)),
  ...ANSWER_FAULTS.map((f) => transportScenario('outcome', f)),
  appFaultScenario('activate'),
  appFaultScenario('outcome'),
];
