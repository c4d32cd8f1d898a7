// Spontaneous payments (paDemandPaymentNotice): the EC creates a position from service data and
// returns the notice the PSP then pays (catalogue §3.3, IF-paDemandPaymentNotice-F70/F71).
import { createHash } from 'node:crypto';
import type { ScenarioDef } from '../../src/scenario.js';
import type { EcContext } from '../../src/seats/ec.js';
import { child, textOf } from '../../src/protocol/xml.js';
import { parseAmount } from '../../src/domain.js';
import { checkKo, checkOk, checkSchema, answerOfCall, describeAnswer, lastExchange, verifyAtEc, type Answer } from './lib.js';

type S = ScenarioDef<EcContext>;

/** `{{unique:N}}` → N uppercase letters/digits, fresh per scenario and run (a new position each time). */
export function fillUnique(template: string, seed: string): string {
  let i = 0;
  return template.replace(/\{\{unique:(\d+)\}\}/g, (_, n: string) => {
    const h = createHash('sha256').update(`${seed}/${i++}`).digest();
    return Array.from(h.subarray(0, Number(n)), (b) => 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'[b % 33]).join('');
  });
}

async function demand(t: EcContext, data: string, service = t.profile.spontaneous!.services[0]!): Promise<Answer> {
  const r = await t.nodo.callStation('paDemandPaymentNotice', {
    idPA: t.station.idPA,
    idBrokerPA: t.station.idBrokerPA,
    idStation: t.station.idStation,
    idServizio: service.idServizio,
    idSoggettoServizio: service.idSoggettoServizio,
    datiSpecificiServizioRequest: data,
  });
  return answerOfCall(t, r);
}

export const spontaneousScenarios: S[] = [
  {
    id: 'EC-SPONT-01',
    title: 'Spontaneous payment: paDemandPaymentNotice creates a position, the PSP pays the notice returned',
    titleIt: 'Pagamento spontaneo: paDemandPaymentNotice crea la posizione, il PSP paga l’avviso restituito',
    seat: 'ec',
    feature: 'spontaneous',
    // F40–F46: the answer's fields (schema check); F72: the EC-side element is datiSpecificiServizioRequest
    requirements: ['NM-SPONT-PAY-02', 'NM-SPONT-PAY-03', 'IF-paDemandPaymentNotice-F70', 'IF-paDemandPaymentNotice-F40', 'IF-paDemandPaymentNotice-F41', 'IF-paDemandPaymentNotice-F42', 'IF-paDemandPaymentNotice-F43', 'IF-paDemandPaymentNotice-F44', 'IF-paDemandPaymentNotice-F45', 'IF-paDemandPaymentNotice-F46', 'IF-paDemandPaymentNotice-F72', 'IF-X-21'],
    async run(t) {
      const svc = t.profile.spontaneous?.services[0];
      if (!svc) return t.inconclusive('the profile declares features.spontaneous but lists no spontaneous.services');
      const xml = fillUnique(svc.datiSpecificiServizio, `${t.scenarioId}/${t.clock.now()}/${Math.random()}`);
      const a = await demand(t, Buffer.from(xml, 'utf8').toString('base64'));
      checkSchema(t, a, 'paDemandPaymentNotice', 'IF-paDemandPaymentNotice-F41');
      if (!checkOk(t, a, { id: 'demand-ok', title: 'valid service data are answered OK', requirement: 'NM-SPONT-PAY-02' })) return;
      const qr = child(a.body, 'qrCode');
      const fiscalCode = textOf(qr, 'fiscalCode');
      const noticeNumber = textOf(qr, 'noticeNumber');
      const amount = textOf(child(child(a.body, 'paymentList'), 'paymentOptionDescription'), 'amount');
      t.check({
        id: 'demand-notice',
        title: 'the answer carries the notice (qrCode) to pay and its amount',
        requirement: 'IF-paDemandPaymentNotice-F70',
        level: 'MUST',
        held: !!fiscalCode && !!noticeNumber && !!amount,
        message: `qrCode ${fiscalCode}/${noticeNumber}, amount ${amount}`,
        entries: [a.response],
      });
      if (!fiscalCode || !noticeNumber) return;
      const n = { fiscalCode, noticeNumber, state: 'payable' as const };
      const pay = await t.psp.payNotice({ fiscalCode, noticeNumber }, { skipVerify: true, amountCents: parseAmount(amount) ?? 1000 });
      const g = lastExchange(t, t.station.version === 2 ? 'paGetPaymentV2' : 'paGetPayment', noticeNumber);
      checkOk(t, g, { id: 'demanded-notice-payable', title: 'the demanded notice is activated OK with the qrCode returned', requirement: 'IF-paDemandPaymentNotice-F70' });
      if (!pay.paymentToken) return;
      const d = await t.nodo.waitDelivery(pay.paymentToken, fiscalCode);
      t.check({ id: 'receipt', title: 'the receipt of the spontaneous payment is accepted', requirement: 'NM-SPONT-PAY-02', level: 'MUST', held: d.state === 'delivered', message: `delivery ${d.state}${d.reason ? `: ${d.reason}` : ''}` });
      const v = await verifyAtEc(t, n);
      checkKo(t, v, { id: 'closed', title: 'the spontaneous position is closed by the receipt', requirement: 'NM-SPONT-PAY-02', accept: ['PAA_PAGAMENTO_DUPLICATO'] });
    },
  },
  {
    id: 'EC-SPONT-02',
    title: 'Spontaneous payment with invalid service data: refused with PAA_SINTASSI_XSD',
    titleIt: 'Pagamento spontaneo con dati del servizio non validi: rifiutato con PAA_SINTASSI_XSD',
    seat: 'ec',
    feature: 'spontaneous',
    requirements: ['NM-SPONT-VAL-01', 'NM-SPONT-ERR-01', 'IF-paDemandPaymentNotice-F71'],
    async run(t) {
      if (!t.profile.spontaneous?.services[0]) return t.inconclusive('the profile declares features.spontaneous but lists no spontaneous.services');
      for (const [id, data] of [
        ['not-xml', Buffer.from('targa=AB123CD', 'utf8').toString('base64')],
        ['wrong-document', Buffer.from('<collaudo xmlns="urn:collaudo:not-a-service"><x>1</x></collaudo>', 'utf8').toString('base64')],
      ] as const) {
        const a = await demand(t, data);
        checkKo(t, a, {
          id: `invalid-data-${id}`,
          title: `service data that is ${id.replace('-', ' ')} is refused (PAA_SINTASSI_XSD)`,
          requirement: 'IF-paDemandPaymentNotice-F71',
          accept: ['PAA_SINTASSI_XSD'],
          warn: ['PAA_SINTASSI_EXTRAXSD', 'PAA_SEMANTICA'],
          otherKo: 'WARNING',
        });
        if (a.outcome === 'OK') t.check({ id: `no-position-${id}`, title: 'no position is created from invalid data', requirement: 'NM-SPONT-VAL-01', level: 'MUST', held: false, message: describeAnswer(a), entries: [a.response] });
      }
    },
  },
];
