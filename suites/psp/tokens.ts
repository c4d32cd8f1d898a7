// Payment token and idempotency (catalogue §3.2): keys unique per logical request, late outcomes.
import { type ScenarioDef, spec } from '../../src/core/scenario.js';
import type { PspContext } from '../../seats/psp.js';
import { ko } from '../../src/wire/soap.js';
import { textOf } from '../../src/wire/xml.js';
import { nodoFault } from '../../actors/nodo/index.js';
import { ACTIVATES, OUTCOMES, answer, bodyOf, checkOutcomeInTime, checkReport, outcomeSpecs, reportSpecs, runPay } from './lib.js';
import { WIRE_SPECS, judgeWire } from './wire.js';

type S = ScenarioDef<PspContext>;

/** The first activation the Nodo answered OK (the session a late outcome belongs to). */
const activated = (t: PspContext) => t.requests(ACTIVATES).find((e) => answer(t, e).outcome === 'OK');

export const tokenScenarios: S[] = [
  {
    id: 'PSP-TOK-01',
    title: 'Two payments in a row: a new idempotencyKey for each activation and each outcome',
    titleIt: 'Due pagamenti di seguito: una nuova idempotencyKey per ogni attivazione e ogni esito',
    seat: 'psp',
    checks: [...WIRE_SPECS, spec('keys-distinct', ['the two activations and the two outcomes use four distinct keys', 'le due attivazioni e i due esiti usano quattro chiavi distinte'], ['NM-TOK-ERR-01', 'IF-activatePaymentNotice-F05', 'IF-sendPaymentOutcome-F05']), ...outcomeSpecs()],
    async run(t) {
      for (let i = 0; i < 2; i++) {
        const n = t.position();
        await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      }
      const f = judgeWire(t);
      const keyed = t.requests([...ACTIVATES, ...OUTCOMES]);
      const keys = keyed.map((e) => textOf(bodyOf(e), 'idempotencyKey')).filter((k): k is string => !!k);
      f.check({ id: 'keys-distinct', held: keyed.length >= 4 && new Set(keys).size === keys.length, message: [`${keyed.length} keyed request(s), ${new Set(keys).size} distinct key(s): ${keys.join(', ')}`, `${keyed.length} richieste con chiave, ${new Set(keys).size} chiavi distinte: ${keys.join(', ')}`], entries: keyed });
      checkOutcomeInTime(f);
    },
  },
  {
    id: 'PSP-TOK-02',
    title: 'The user abandons but the token has expired: the PSP still sends the KO and takes PPT_TOKEN_SCADUTO_KO as final',
    titleIt: 'L’utente abbandona ma il token è scaduto: il PSP invia comunque il KO e prende PPT_TOKEN_SCADUTO_KO come definitivo',
    seat: 'psp',
    checks: [...WIRE_SPECS, spec('ko-sent', ['the KO outcome is sent even for an expired token', 'l’esito KO è inviato anche per un token scaduto'], 'NM-TOK-ERR-04'), spec('final', ['PPT_TOKEN_SCADUTO_KO is final: the outcome is sent once', 'PPT_TOKEN_SCADUTO_KO è definitivo: l’esito è inviato una sola volta'], ['NM-TOK-ERR-04', 'IF-sendPaymentOutcome-F71']), ...reportSpecs('NM-TOK-ERR-04')],
    async run(t) {
      const n = t.position();
      t.script(async (op, body, proceed) => (OUTCOMES.includes(op) && textOf(body, 'outcome') === 'KO' ? ko(nodoFault('PPT_TOKEN_SCADUTO_KO', 'token expired (scripted)')) : proceed()));
      const { report } = await runPay(t, { action: 'abandon', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeWire(t);
      const act = activated(t);
      const outs = t.requests(OUTCOMES);
      if (!act) {
        f.skip('ko-sent', ['no activation succeeded: no token to close', 'nessuna attivazione riuscita: nessun token da chiudere']);
        f.skip('final', ['no activation succeeded', 'nessuna attivazione riuscita']);
      } else {
        const kos = outs.filter((e) => textOf(bodyOf(e), 'outcome') === 'KO');
        const sent = outs.map((e) => textOf(bodyOf(e), 'outcome')).join(', ');
        f.check({ id: 'ko-sent', held: kos.length > 0, message: [`${outs.length} outcome(s): ${sent || 'none'}`, `${outs.length} esiti: ${sent || 'nessuno'}`], entries: outs.length ? outs : [act] });
        if (outs.length) f.check({ id: 'final', held: outs.length === 1, message: [`${outs.length} outcome request(s)`, `${outs.length} richieste di esito`], entries: outs.flatMap((e) => [e, answer(t, e).response]) });
        else f.skip('final', ['no outcome was sent', 'nessun esito è stato inviato']);
      }
      checkReport(f, report, ['not-paid', 'failed']);
    },
  },
  {
    id: 'PSP-TOK-03',
    title: 'The outcome OK arrives after expiry (PPT_TOKEN_SCADUTO): no retry, no payment reported, the collection is reversed',
    titleIt: 'L’esito OK arriva dopo la scadenza (PPT_TOKEN_SCADUTO): nessun ritentativo, nessun pagamento riportato, incasso stornato',
    seat: 'psp',
    checks: [...WIRE_SPECS, spec('no-retry', ['after PPT_TOKEN_SCADUTO the outcome is not sent again', 'dopo PPT_TOKEN_SCADUTO l’esito non è inviato di nuovo'], ['NM-TOK-ERR-03', 'IF-sendPaymentOutcome-F71']), ...reportSpecs('NM-TOK-ERR-03')],
    async run(t) {
      const n = t.position();
      t.script(async (op, _b, proceed) => (OUTCOMES.includes(op) ? ko(nodoFault('PPT_TOKEN_SCADUTO', 'token expired (scripted)')) : proceed()));
      const { report } = await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeWire(t);
      const outs = t.requests(OUTCOMES);
      const first = outs.find((e) => answer(t, e).fault?.faultCode === 'PPT_TOKEN_SCADUTO');
      if (!first) f.skip('no-retry', activated(t) ? ['no outcome was answered PPT_TOKEN_SCADUTO', 'nessun esito ha avuto risposta PPT_TOKEN_SCADUTO'] : ['no activation succeeded', 'nessuna attivazione riuscita'], outs);
      else f.check({ id: 'no-retry', held: outs.length === 1, message: [`${outs.length} outcome(s)`, `${outs.length} esiti`], entries: outs.flatMap((e) => [e, answer(t, e).response]) });
      checkReport(f, report, ['not-paid', 'failed']);
    },
  },
];
