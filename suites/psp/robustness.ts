// What a PSP must cope with in the Nodo's answers (IF-X-04/05, NM-X-VAL-01): the same answers written
// with other namespace prefixes (declared on the wrapper, not on the envelope), and an answer that
// carries a DTD with an entity. A PSP reads by namespace, never by prefix, and refuses unsafe XML
// without expanding it: such an answer is no valid answer, recovered by resending the same request.
import { randomBytes } from 'node:crypto';
import { type ScenarioDef, spec } from '../../src/core/scenario.js';
import type { PspContext } from '../../seats/psp.js';
import { encodeEnvelope } from '../../src/wire/soap.js';
import { OPERATIONS } from '../../interfaces/index.js';
import type { NodeObj } from '../../src/wire/xml.js';
import { ACTIVATES, OUTCOMES, answer, checkReport, reportSpecs, runPay } from './lib.js';
import { isUsable } from '../../src/wire/answer.js';
import { WIRE_SPECS, judgeWire } from './wire.js';

type S = ScenarioDef<PspContext>;

/** The answer of `op` with prefixes S: (envelope) and ns3: declared on the wrapper element. */
export function restyled(op: string, content: NodeObj): NodeObj {
  const env = encodeEnvelope(OPERATIONS[op]!, 'response', content);
  const [, prefix, ns] = / xmlns:(\w+)="(http:\/\/pagopa-api[^"]+)"/.exec(env) ?? [];
  if (!prefix || !ns) throw new Error(`no nodeForPsp namespace in the ${op} answer`);
  const out = env
    .replace(` xmlns:${prefix}="${ns}"`, '')
    .replace(/(<\/?)soapenv:/g, '$1S:')
    .replace('xmlns:soapenv=', 'xmlns:S=')
    .replace(new RegExp(`<${prefix}:(\\w+)>`), `<ns3:$1 xmlns:ns3="${ns}">`)
    .replace(new RegExp(`</${prefix}:(\\w+)>`), '</ns3:$1>');
  return { rawEnvelope: out };
}

export const robustnessScenarios: S[] = [
  {
    id: 'PSP-ROB-01',
    title: 'The Nodo answers with other namespace prefixes (declared on the wrapper): the PSP reads them by namespace and pays',
    titleIt: 'Il Nodo risponde con altri prefissi di namespace (dichiarati sul wrapper): il PSP li legge per namespace e paga',
    seat: 'psp',
    checks: [...WIRE_SPECS, spec('prefixes-read', ['answers written with other prefixes are read: nothing resent after an answer, the flow goes on', 'le risposte scritte con altri prefissi sono lette: nulla è reinviato dopo una risposta, il flusso prosegue'], ['IF-X-04', 'IF-X-05']), ...reportSpecs('IF-X-04')],
    async run(t) {
      const n = t.position();
      t.script(async (op, _b, proceed) => restyled(op, await proceed()));
      const { report } = await runPay(t, { action: 'pay', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeWire(t);
      const reqs = t.requests();
      // a request sent again after a valid answer to the same request: the PSP could not read it
      const resent = reqs.filter((e, i) => reqs.slice(0, i).some((p) => p.primitive === e.primitive && p.raw === e.raw && isUsable(answer(t, p))));
      // the PSP went on after the verify it read: an activation followed its OK answer
      const verified = reqs.find((e) => e.primitive === 'verifyPaymentNotice' && answer(t, e).outcome === 'OK');
      const next = verified && t.requests(ACTIVATES).some((e) => e.seq > verified.seq);
      f.check({
        id: 'prefixes-read', held: resent.length === 0 && (!verified || !!next),
        message: [
          `${resent.length ? `${resent.length} request(s) sent again after a valid answer (${resent.map((e) => e.primitive).join(', ')})` : 'nothing resent after an answer'}; ${next ? 'the activation followed the verify' : verified ? 'no activation followed the verify' : 'no verify answered OK'}`,
          `${resent.length ? `${resent.length} richieste reinviate dopo una risposta valida (${resent.map((e) => e.primitive).join(', ')})` : 'nulla reinviato dopo una risposta'}; ${next ? 'l’attivazione ha seguito la verifica' : verified ? 'nessuna attivazione ha seguito la verifica' : 'nessuna verifica con risposta OK'}`,
        ],
        entries: reqs.flatMap((e) => [e, answer(t, e).response]),
      });
      checkReport(f, report, ['paid']);
    },
  },
  {
    id: 'PSP-ROB-02',
    title: 'The activation answer carries a DTD with an entity: the PSP does not expand it, takes it as no answer and resends the same request',
    titleIt: 'La risposta all’attivazione contiene un DTD con un’entità: il PSP non la espande, la considera mancata e reinvia la stessa richiesta',
    seat: 'psp',
    checks: [...WIRE_SPECS, spec('no-entity-expansion', ['no request of the PSP carries a value only the entity of the DTD defined', 'nessuna richiesta del PSP riporta un valore definito solo dall’entità del DTD'], 'NM-X-VAL-01'), ...reportSpecs('NM-X-VAL-01')],
    async run(t) {
      const n = t.position();
      const decoy = `DECOY${randomBytes(8).toString('hex').toUpperCase()}`;
      let sent = false;
      t.script(async (op, _b, proceed) => {
        const r = await proceed();
        if (!ACTIVATES.includes(op) || sent || r.outcome !== 'OK') return r;
        sent = true;
        const env = encodeEnvelope(OPERATIONS[op]!, 'response', { ...r, paymentToken: '__TOKEN__' });
        const dtd = `<!DOCTYPE Envelope [<!ENTITY tok "${decoy}">]>`;
        return { rawEnvelope: env.replace(/^(<\?xml[^>]*\?>)?/, `$1${dtd}`).replace('__TOKEN__', '&tok;') };
      });
      const { report } = await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeWire(t);
      if (!sent && !f.stopped) return t.inconclusive(['no activation was answered OK, so no answer carried the DTD', 'nessuna attivazione ha avuto risposta OK, quindi nessuna risposta ha portato il DTD']);
      const leaked = t.requests().filter((e) => e.raw.includes(decoy));
      const acts = t.requests(ACTIVATES);
      f.check({
        id: 'no-entity-expansion', held: leaked.length === 0,
        message: leaked.length
          ? [`${leaked.map((e) => e.primitive).join(', ')} carried the entity's value ${decoy}`, `${leaked.map((e) => e.primitive).join(', ')} ha riportato il valore dell’entità ${decoy}`]
          : [`${acts.length} activation(s); the entity's value was never used`, `${acts.length} attivazioni; il valore dell’entità non è mai stato usato`],
        entries: leaked.length ? leaked : [...acts.flatMap((e) => [e, answer(t, e).response]), ...t.requests(OUTCOMES)],
      });
      checkReport(f, report);
    },
  },
];
