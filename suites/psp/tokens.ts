// Payment token and idempotency (catalogue §3.2): keys unique per logical request, late outcomes.
import type { ScenarioDef } from '../../src/scenario.js';
import type { PspContext } from '../../src/seats/psp.js';
import { ko } from '../../src/protocol/soap.js';
import { textOf } from '../../src/protocol/xml.js';
import { nodoFault } from '../../mocks/nodo/index.js';
import { ACTIVATES, OUTCOMES, answer, bodyOf, checkReport, judgeWire, runPay } from './lib.js';

type S = ScenarioDef<PspContext>;

export const tokenScenarios: S[] = [
  {
    id: 'PSP-TOK-01',
    title: 'Two payments in a row: a new idempotencyKey for each activation and each outcome',
    titleIt: 'Due pagamenti di seguito: una nuova idempotencyKey per ogni attivazione e ogni esito',
    seat: 'psp',
    requirements: ['NM-TOK-ERR-01', 'NM-TOK-VAL-03', 'IF-activatePaymentNotice-F05', 'IF-sendPaymentOutcome-F05'],
    async run(t) {
      for (let i = 0; i < 2; i++) {
        const n = t.position();
        await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      }
      judgeWire(t, { expectOutcome: true });
      const keyed = t.requests([...ACTIVATES, ...OUTCOMES]);
      const keys = keyed.map((e) => textOf(bodyOf(e), 'idempotencyKey')).filter((k): k is string => !!k);
      t.check({ id: 'keys-distinct', title: 'the two activations and the two outcomes use four distinct keys', requirement: 'NM-TOK-ERR-01', level: 'MUST', held: keyed.length >= 4 && new Set(keys).size === keys.length, message: `${keyed.length} keyed request(s), ${new Set(keys).size} distinct key(s): ${keys.join(', ')}`, entries: keyed });
    },
  },
  {
    id: 'PSP-TOK-02',
    title: 'The user abandons but the token has expired: the PSP still sends the KO and takes PPT_TOKEN_SCADUTO_KO as final',
    titleIt: 'L’utente abbandona ma il token è scaduto: il PSP invia comunque il KO e prende PPT_TOKEN_SCADUTO_KO come definitivo',
    seat: 'psp',
    requirements: ['NM-TOK-ERR-04', 'NM-TOK-TO-01'],
    async run(t) {
      const n = t.position();
      t.script(async (op, body, proceed) => (OUTCOMES.includes(op) && textOf(body, 'outcome') === 'KO' ? ko(nodoFault('PPT_TOKEN_SCADUTO_KO', 'token expired (scripted)')) : proceed()));
      const { report } = await runPay(t, { action: 'abandon', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeWire(t);
      const outs = t.requests(OUTCOMES);
      t.check({ id: 'ko-sent', title: 'the KO outcome is sent even for an expired token', requirement: 'NM-TOK-ERR-04', level: 'MUST', held: outs.some((e) => textOf(bodyOf(e), 'outcome') === 'KO'), message: `${outs.length} outcome(s)`, entries: outs });
      t.check({ id: 'final', title: 'PPT_TOKEN_SCADUTO_KO is final: the outcome is sent once', requirement: 'NM-TOK-ERR-04', level: 'MUST', held: outs.length === 1, message: `${outs.length} outcome request(s)`, entries: outs });
      checkReport(t, report, 'NM-TOK-ERR-04', ['not-paid', 'failed']);
    },
  },
  {
    id: 'PSP-TOK-03',
    title: 'The outcome OK arrives after expiry (PPT_TOKEN_SCADUTO): no retry, no payment reported, the collection is reversed',
    titleIt: 'L’esito OK arriva dopo la scadenza (PPT_TOKEN_SCADUTO): nessun ritentativo, nessun pagamento riportato, incasso stornato',
    seat: 'psp',
    requirements: ['NM-TOK-ERR-03', 'NM-TOK-ERR-04', 'IF-sendPaymentOutcome-F71'],
    async run(t) {
      const n = t.position();
      t.script(async (op, _b, proceed) => (OUTCOMES.includes(op) ? ko(nodoFault('PPT_TOKEN_SCADUTO', 'token expired (scripted)')) : proceed()));
      const { report } = await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeWire(t);
      const outs = t.requests(OUTCOMES);
      t.check({ id: 'no-retry', title: 'after PPT_TOKEN_SCADUTO the outcome is not sent again', requirement: 'NM-TOK-ERR-03', level: 'MUST', held: outs.length === 1 && answer(t, outs[0]!).faultCode === 'PPT_TOKEN_SCADUTO', message: `${outs.length} outcome(s)`, entries: outs });
      checkReport(t, report, 'NM-TOK-ERR-04', ['not-paid', 'failed']);
    },
  },
];
