// Payment options (catalogue §3.6): options with different due dates, instalment plans with a
// single option, options no longer payable — through the EC's payment-options REST service
// (validated against openapi/payment-options.json) and through verify / paGetPayment.
import { spec, type ScenarioDef, type Notice } from '../../src/core/scenario.js';
import type { EcContext } from '../../seats/ec.js';
import { parseAmount } from '../../domain/common.js';
import { restCall, type RestCall } from '../../actors/platform/index.js';
import { PAYMENT_OPTIONS } from '../../interfaces/rest/index.js';
import { checkKo, checkOk, child, exchanges, getPrimitive, rtPrimitive, textOf, verifyAtEc } from './lib.js';
import { answerSaid } from '../../src/wire/answer.js';
import type { Bi } from '../../src/core/text.js';
import { dataSaid } from '../../src/core/text.js';
import { checkRestBody, ecSurface, provisionExt } from './platform-lib.js';

type S = ScenarioDef<EcContext>;
interface Installment { nav: string; amount: number; dueDate: string; status: string }
interface Option { numberOfInstallments: number; amount: number; dueDate: string; status: string; installments: Installment[] }
/** NM-A-15: a notice no longer payable because another option was paid — any of these codes is a defensible reading */
const NOT_PAYABLE = ['PAA_PAGAMENTO_ANNULLATO', 'PAA_PAGAMENTO_DUPLICATO', 'PAA_PAGAMENTO_SCADUTO'];

async function options(t: EcContext, n: { fiscalCode: string; noticeNumber: string }, tag: string): Promise<RestCall> {
  const url = ecSurface(t, 'payment options service', `/payment-options/organizations/${n.fiscalCode}/notices/${n.noticeNumber}`);
  return restCall({ method: 'POST', url, journal: t.journal, clock: t.clock, from: 'nodo', to: 'ec-options', api: PAYMENT_OPTIONS, operationId: 'getPaymentOptionsByNoticeNumber', note: tag });
}
const optionsOf = (r: RestCall): Option[] => ((r.json as { paymentOptions?: Option[] } | undefined)?.paymentOptions ?? []);
const notice = (fiscalCode: string, noticeNumber: string): Notice => ({ fiscalCode, noticeNumber, state: 'payable' });

/** Pays one option through the Nodo: judged on the EC's answers (its activation, its first receipt answer). */
async function pay(t: EcContext, n: Notice): Promise<boolean> {
  const r = await t.psp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber });
  const ok = !!r.paymentToken && r.outcome?.outcome === 'OK';
  const d = ok ? await t.nodo.waitDelivery(r.paymentToken!, n.fiscalCode).catch(() => undefined) : undefined;
  const title: Bi = [`option ${n.noticeNumber} is paid and its receipt accepted`, `l’opzione ${n.noticeNumber} è pagata e la sua ricevuta accettata`];
  if (!ok) {
    const g = exchanges(t, getPrimitive(t), n.noticeNumber).at(-1);
    const [en, it] = answerSaid(r.activate ?? r.verify ?? {});
    return t.check({ id: 'paid', title, held: false, message: [`not paid: ${en}`, `non pagata: ${it}`], entries: [g?.request, g?.response] });
  }
  const rt = exchanges(t, rtPrimitive(t), n.noticeNumber)[0];
  if (!rt) return t.harnessError(`the harness Nodo sent no receipt for paid option ${n.noticeNumber} (delivery ${d?.state ?? 'not ended'})`);
  return checkOk(t, rt, { id: 'paid', title: title });
}
const paid = (requirement: string) => spec('paid', ['the option is paid and its receipt accepted', 'l’opzione è pagata e la sua ricevuta accettata'], requirement);
const optionsSchema = (requirement: string) => spec('options-schema', ['the payment-options service answers 200 with a valid PaymentOptionsResponse', 'il servizio delle opzioni di pagamento risponde 200 con una PaymentOptionsResponse valida'], requirement);

export const optionScenarios: S[] = [
  {
    id: 'EC-OPT-01',
    title: 'Several options with different due dates: each option verified with its own amount and due date; paying one makes the others not payable',
    titleIt: 'Più opzioni con scadenze differenti: ogni opzione verificata con importo e scadenza propri; pagarne una rende non pagabili le altre',
    seat: 'ec',
    feature: 'paymentOptions',
    checks: [
      optionsSchema('NM-OPT-PAY-02'),
      spec('distinct-dues', ['at least two options, with different due dates, each with its own notice', 'almeno due opzioni, con scadenze diverse, ciascuna con il proprio avviso'], 'NM-OPT-PAY-02'),
      spec('verify-option', ['verify of each option answers its own amount and due date', 'la verifica di ciascuna opzione risponde con importo e scadenza propri'], 'NM-OPT-PAY-02'),
      paid('NM-OPT-PAY-02'),
      spec('other-not-payable', ['once one option is paid, the other option is no longer payable', 'pagata un’opzione, l’altra non è più pagabile'], 'NM-OPT-PAY-02'),
    ],
    async run(t) {
      const p = await provisionExt(t, { state: 'payable', plan: { options: 2 } });
      const r = await options(t, p, 'before');
      if (!checkRestBody(t, r, 'payment-options', 'PaymentOptionsResponse', { id: 'options-schema', status: 200 })) return;
      const opts = optionsOf(r);
      const dues = new Set(opts.map((o) => o.dueDate.slice(0, 10)));
      t.check({ id: 'distinct-dues', held: opts.length >= 2 && dues.size === opts.length && new Set(opts.map((o) => o.installments[0]?.nav)).size === opts.length, message: [opts.map((o) => `${o.installments[0]?.nav} ${o.amount} due ${o.dueDate}`).join('; '), opts.map((o) => `${o.installments[0]?.nav} ${o.amount} scadenza ${o.dueDate}`).join('; ')], entries: [r.response] });
      for (const o of opts) {
        const i = o.installments[0]!;
        const v = await verifyAtEc(t, notice(p.fiscalCode, i.nav));
        const pod = child(child(v.body, 'paymentList'), 'paymentOptionDescription');
        const [en, it] = answerSaid(v);
        t.check({
          id: 'verify-option',
          title: [`verify of option ${i.nav} answers its own amount and due date`, `la verifica dell’opzione ${i.nav} risponde con importo e scadenza propri`],
          held: v.outcome === 'OK' && parseAmount(textOf(pod, 'amount')) === i.amount && textOf(pod, 'dueDate') === i.dueDate.slice(0, 10),
          message: [
            `${en}: amount ${textOf(pod, 'amount')} due ${textOf(pod, 'dueDate')}; service ${i.amount} due ${i.dueDate}`,
            `${it}: importo ${textOf(pod, 'amount')} scadenza ${textOf(pod, 'dueDate')}; servizio ${i.amount} scadenza ${i.dueDate}`,
          ],
          entries: [v.response],
        });
      }
      const [first, second] = opts.map((o) => o.installments[0]!);
      if (!first || !second || !(await pay(t, notice(p.fiscalCode, first.nav)))) return;
      checkKo(t, await verifyAtEc(t, notice(p.fiscalCode, second.nav)), { id: 'other-not-payable', accept: NOT_PAYABLE });
    },
  },
  {
    id: 'EC-OPT-02',
    title: 'Instalment plan plus single option: paying an instalment leaves the other instalments payable and ends the single option',
    titleIt: 'Piano rateale più opzione unica: pagare una rata lascia pagabili le altre rate e chiude l’opzione unica',
    seat: 'ec',
    feature: 'paymentOptions',
    checks: [
      optionsSchema('NM-OPT-PAY-03'),
      spec('plan-shape', ['the notice offers an instalment plan (each instalment its own notice and due date) and a single option', 'l’avviso offre un piano rateale (ogni rata con avviso e scadenza propri) e un’opzione unica'], 'NM-OPT-PAY-03'),
      paid('NM-OPT-PAY-03'),
      spec('still-payable', ['after paying the first instalment, the other instalments are still payable', 'dopo il pagamento della prima rata, le altre rate sono ancora pagabili'], 'NM-OPT-PAY-03'),
      spec('single-closed', ['after an instalment is paid, the single option is no longer payable', 'pagata una rata, l’opzione unica non è più pagabile'], 'NM-OPT-PAY-03'),
      spec('partially-paid', ['the plan is reported partially paid', 'il piano risulta parzialmente pagato'], 'NM-OPT-PAY-03'),
    ],
    async run(t) {
      const p = await provisionExt(t, { state: 'payable', plan: { instalments: 3, total: true } });
      const r = await options(t, p, 'before');
      if (!checkRestBody(t, r, 'payment-options', 'PaymentOptionsResponse', { id: 'options-schema', status: 200 })) return;
      const opts = optionsOf(r);
      const plan = opts.find((o) => o.numberOfInstallments >= 2);
      const single = opts.find((o) => o.numberOfInstallments === 1);
      t.check({ id: 'plan-shape', held: !!plan && !!single && new Set(plan.installments.map((i) => i.nav)).size === plan.installments.length && new Set(plan.installments.map((i) => i.dueDate)).size === plan.installments.length, message: dataSaid(opts.map((o) => `${o.numberOfInstallments} × ${o.installments.map((i) => i.nav).join('/')}`).join('; ')), entries: [r.response] });
      if (!plan || !single) return;
      const [i1, ...rest] = plan.installments;
      if (!i1 || !(await pay(t, notice(p.fiscalCode, i1.nav)))) return;
      for (const i of rest) checkOk(t, await verifyAtEc(t, notice(p.fiscalCode, i.nav)), { id: 'still-payable', title: [`after paying the first instalment, instalment ${i.nav} is still payable`, `dopo il pagamento della prima rata, la rata ${i.nav} è ancora pagabile`] });
      checkKo(t, await verifyAtEc(t, notice(p.fiscalCode, single.installments[0]!.nav)), { id: 'single-closed', accept: NOT_PAYABLE });
      const ra = await options(t, p, 'after');
      const planAfter = optionsOf(ra).find((o) => o.numberOfInstallments >= 2);
      t.check({ id: 'partially-paid', held: planAfter?.status === 'PO_PARTIALLY_PAID', message: [`plan status ${planAfter?.status}`, `stato del piano ${planAfter?.status}`], entries: [ra.request, ra.response] });
    },
  },
  {
    id: 'EC-OPT-03',
    title: 'Option no longer payable: instalments after the single option was paid; unknown notice on the payment-options service (ODP-107)',
    titleIt: 'Opzione non più pagabile: rate dopo il pagamento dell’opzione unica; avviso sconosciuto sul servizio opzioni (ODP-107)',
    seat: 'ec',
    feature: 'paymentOptions',
    checks: [
      paid('NM-OPT-ERR-01'),
      spec('instalment-not-payable', ['an instalment of a plan settled by the single option is answered as not payable', 'una rata di un piano saldato con l’opzione unica risulta non pagabile'], 'NM-OPT-ERR-01'),
      spec('relayed', ['the PSP gets the EC’s meaning through the Nodo (PPT_ERRORE_EMESSO_DA_PAA with the PAA_ code)', 'il PSP riceve tramite il Nodo il significato dato dall’EC (PPT_ERRORE_EMESSO_DA_PAA con il codice PAA_)'], 'NM-OPT-ERR-01'),
      spec('unknown-404', ['an unknown notice on the payment-options service answers 404 with a valid ErrorResponse', 'un avviso sconosciuto sul servizio delle opzioni di pagamento risponde 404 con una ErrorResponse valida'], 'NM-OPT-ERR-01'),
      spec('unknown-odp107', ['the error code of an unknown notice is ODP-107 (PAA_PAGAMENTO_SCONOSCIUTO)', 'il codice di errore di un avviso sconosciuto è ODP-107 (PAA_PAGAMENTO_SCONOSCIUTO)'], 'NM-OPT-ERR-01'),
    ],
    reads: { unknown: 1 },
    async run(t) {
      const p = await provisionExt(t, { state: 'payable', plan: { instalments: 2, total: true } });
      const opts = optionsOf(await options(t, p, 'before'));
      const single = opts.find((o) => o.numberOfInstallments === 1)?.installments[0];
      const plan = opts.find((o) => o.numberOfInstallments >= 2);
      if (!single || !plan) return t.inconclusive(['the payment-options service did not describe the plan (see EC-OPT-02)', 'il servizio delle opzioni di pagamento non ha descritto il piano (vedi EC-OPT-02)']);
      if (!(await pay(t, notice(p.fiscalCode, single.nav)))) return;
      const i1 = plan.installments[0]!;
      checkKo(t, await verifyAtEc(t, notice(p.fiscalCode, i1.nav)), { id: 'instalment-not-payable', accept: NOT_PAYABLE });
      const relayed = await t.psp.verify({ fiscalCode: p.fiscalCode, noticeNumber: i1.nav });
      const ecAnswer = exchanges(t, 'paVerifyPaymentNotice', i1.nav).at(-1);
      t.check({ id: 'relayed', held: relayed.outcome === 'KO' && NOT_PAYABLE.includes(relayed.fault?.originalFaultCode ?? ''), message: dataSaid(`${relayed.fault?.faultCode} / ${relayed.fault?.originalFaultCode}`), entries: [ecAnswer?.request, ecAnswer?.response] });
      const unknown = await t.notice('unknown');
      const u = await options(t, unknown, 'unknown');
      const code = (u.json as { appErrorCode?: string } | undefined)?.appErrorCode;
      checkRestBody(t, u, 'payment-options', 'ErrorResponse', { id: 'unknown-404', status: 404 });
      t.check({ id: 'unknown-odp107', held: code === 'ODP-107', message: dataSaid(`appErrorCode ${code}`), entries: [u.response] });
    },
  },
];
