// The amount the PSP collects (NM-PSPPAY-PAY-07, IF-activatePaymentNotice-F76, IF-A-16): whatever it
// printed, verified or asked in the activation, the PSP charges the activation's totalAmount. The
// wire does not show the charge; the trigger report's amountCents does. A PSP that activates with
// the printed amount and charges totalAmount is conformant.
import { type ScenarioDef, spec } from '../../src/core/scenario.js';
import type { PspContext } from '../../seats/psp.js';
import { parseAmount } from '../../domain/common.js';
import { textOf } from '../../src/wire/xml.js';
import type { TriggerReport } from '../../src/triggers/index.js';
import type { Bi } from '../../src/core/text.js';
import { answer, bodyOf, checkReport, reportSpecs, runPay } from './lib.js';
import { type Flow, WIRE_SPECS, judgeWire } from './wire.js';
import { judgePaid, paidSpecs } from './paid.js';

type S = ScenarioDef<PspContext>;

const CHARGED = spec('charged-total', ['the user is charged the totalAmount of the activation', 'all’utente è addebitato il totalAmount dell’attivazione'], ['NM-PSPPAY-PAY-07', 'IF-activatePaymentNotice-F76', 'IF-activatePaymentNotice-F41']);

function checkCharged(f: Flow, report: TriggerReport | undefined, act: ReturnType<typeof judgePaid>, others: Bi): void {
  if (!act) return f.skip('charged-total', ['no activation succeeded', 'nessuna attivazione riuscita']);
  const a = answer(f.t, act);
  const total = parseAmount(textOf(a.body, 'totalAmount'));
  if (report?.amountCents === undefined) return f.skip('charged-total', ["the PSP's report carries no amountCents: what the user was charged is not on the wire", 'il resoconto del PSP non riporta amountCents: l’importo addebitato all’utente non compare nei messaggi'], [act, a.response]);
  f.check({ id: 'charged-total', held: report.amountCents === total, message: [`charged ${report.amountCents} cents, totalAmount ${total} (${others[0]})`, `addebitati ${report.amountCents} centesimi, totalAmount ${total} (${others[1]})`], entries: [act, a.response] });
}

export const amountScenarios: S[] = [
  {
    id: 'PSP-PAY-05',
    title: 'The EC updated the amount after printing: the PSP collects the totalAmount of the activation, not the printed amount',
    titleIt: 'L’EC ha aggiornato l’importo dopo la stampa: il PSP incassa il totalAmount dell’attivazione, non quello stampato',
    seat: 'psp',
    checks: [...WIRE_SPECS, ...paidSpecs('NM-PSPPAY-PAY-07'), CHARGED, ...reportSpecs('NM-PSPPAY-PAY-07')],
    async run(t) {
      const n = t.position({ amountCents: 12345, printedCents: 10000 });
      const { report } = await runPay(t, { action: 'pay', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeWire(t);
      const act = judgePaid(f, n);
      checkCharged(f, report, act, [`printed ${n.amountCents}`, `stampato ${n.amountCents}`]);
      checkReport(f, report, ['paid']);
    },
  },
  {
    id: 'PSP-PAY-09',
    title: 'The amount changes between verify and activation: the PSP collects the activation’s totalAmount, not the verified amount',
    titleIt: 'L’importo cambia tra verifica e attivazione: il PSP incassa il totalAmount dell’attivazione, non l’importo verificato',
    seat: 'psp',
    checks: [...WIRE_SPECS, ...paidSpecs('NM-PSPPAY-PAY-07'), CHARGED, ...reportSpecs('NM-PSPPAY-PAY-07')],
    async run(t) {
      const n = t.position({ amountCents: 10000 });
      const updated = 11234;
      let verified: string | undefined;
      t.script(async (op, _b, proceed) => {
        const r = await proceed();
        // the EC adds interest right after answering the verify (NM-PSPPAY-PAY-07 Pre)
        if (op === 'verifyPaymentNotice' && r.outcome === 'OK' && verified === undefined) {
          verified = String((r.paymentList as { paymentOptionDescription?: { amount?: string } } | undefined)?.paymentOptionDescription?.amount);
          t.rt.ec.update(n.fiscalCode, n.noticeNumber, { amountCents: updated });
        }
        return r;
      });
      const { report } = await runPay(t, { action: 'pay', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeWire(t);
      if (verified === undefined && !f.stopped) return t.inconclusive(['the PSP did not verify the notice, so no amount changed between verify and activation', 'il PSP non ha verificato l’avviso, quindi nessun importo è cambiato tra verifica e attivazione']);
      const act = judgePaid(f, n);
      const total = act ? parseAmount(textOf(answer(t, act).body, 'totalAmount')) : undefined;
      if (act && total !== updated) t.harnessError(`the activation answer carries totalAmount ${total}, not the updated ${updated}`);
      const asked = textOf(bodyOf(act), 'amount') ?? '?';
      checkCharged(f, report, act, [`verified ${verified}, activation asked ${asked}`, `verificato ${verified}, chiesto nell’attivazione ${asked}`]);
      checkReport(f, report, ['paid']);
    },
  },
];
