// Spontaneous payments (paDemandPaymentNotice): the EC creates a position from service data and
// returns the notice the PSP then pays (catalogue §3.3, IF-paDemandPaymentNotice-F70/F71).
import { createHash } from 'node:crypto';
import { spec, type ScenarioDef } from '../../src/core/scenario.js';
import type { EcContext } from '../../seats/ec.js';
import { child, textOf } from '../../src/wire/xml.js';
import { parseAmount } from '../../domain/common.js';
import type { Bi } from '../../src/core/text.js';
import type { Delivery } from '../../actors/nodo/index.js';
import { checkKo, checkOk, checkSchema, answerOfCall, exchanges, getPrimitive, lastExchange, rtPrimitive, schemaChecks, verifyAtEc, type Answer } from './lib.js';

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

/** The end of the receipt's delivery (rejects when it does not end: the EC's answer is read from the journal anyway). */
async function delivery(t: EcContext, pay: { paymentToken: string }, fiscalCode: string): Promise<Delivery> {
  const d = await t.nodo.waitDelivery(pay.paymentToken, fiscalCode);
  return d;
}

/** The answer's field rows the XSD expresses (IF-paDemandPaymentNotice-F40…F46). */
const DEMAND_FIELDS = ['IF-paDemandPaymentNotice-F40', 'IF-paDemandPaymentNotice-F41', 'IF-paDemandPaymentNotice-F42', 'IF-paDemandPaymentNotice-F43', 'IF-paDemandPaymentNotice-F44', 'IF-paDemandPaymentNotice-F45', 'IF-paDemandPaymentNotice-F46'];
const INVALID_DATA = ['not-xml', 'wrong-document'] as const;
const INVALID_IT: Record<(typeof INVALID_DATA)[number], string> = { 'not-xml': 'non sono XML', 'wrong-document': 'sono un documento errato' };
const NO_SERVICES: Bi = ['the profile declares features.spontaneous but lists no spontaneous.services', 'il profilo dichiara features.spontaneous ma non elenca alcun spontaneous.services'];

export const spontaneousScenarios: S[] = [
  {
    id: 'EC-SPONT-01',
    title: 'Spontaneous payment: paDemandPaymentNotice creates a position, the PSP pays the notice returned',
    titleIt: 'Pagamento spontaneo: paDemandPaymentNotice crea la posizione, il PSP paga l’avviso restituito',
    seat: 'ec',
    feature: 'spontaneous',
    checks: [
      ...schemaChecks('demand', DEMAND_FIELDS),
      // the EC reads the service data from datiSpecificiServizioRequest (the PSP side's element has another name), inline base64 (no MTOM)
      spec('demand-ok', ['valid service data (inline base64 in datiSpecificiServizioRequest) are answered OK', 'dati del servizio validi (base64 in linea in datiSpecificiServizioRequest) ricevono esito OK'], ['NM-SPONT-PAY-02', 'IF-paDemandPaymentNotice-F72', 'IF-X-21']),
      spec('demand-notice', ['the answer carries the notice (qrCode) to pay and its amount', 'la risposta riporta l’avviso (qrCode) da pagare e il suo importo'], 'IF-paDemandPaymentNotice-F70'),
      spec('demanded-notice-payable', ['the demanded notice stays open: it is activated OK with the qrCode returned', 'l’avviso richiesto resta aperto: è attivato con esito OK con il qrCode restituito'], 'IF-paDemandPaymentNotice-F70'),
      spec('receipt', ['the receipt of the spontaneous payment is answered OK', 'la ricevuta del pagamento spontaneo riceve esito OK'], 'NM-SPONT-PAY-02'),
      spec('closed', ['the spontaneous position is closed by the receipt', 'la posizione spontanea è chiusa dalla ricevuta'], 'NM-SPONT-PAY-02'),
    ],
    async run(t) {
      const svc = t.profile.spontaneous?.services[0];
      if (!svc) return t.inconclusive(NO_SERVICES);
      const xml = fillUnique(svc.datiSpecificiServizio, `${t.scenarioId}/${t.clock.now()}/${Math.random()}`);
      const a = await demand(t, Buffer.from(xml, 'utf8').toString('base64'));
      checkSchema(t, a, 'paDemandPaymentNotice');
      if (!checkOk(t, a, { id: 'demand-ok' })) return;
      const qr = child(a.body, 'qrCode');
      const fiscalCode = textOf(qr, 'fiscalCode');
      const noticeNumber = textOf(qr, 'noticeNumber');
      const amount = textOf(child(child(a.body, 'paymentList'), 'paymentOptionDescription'), 'amount');
      t.check({ id: 'demand-notice', held: !!fiscalCode && !!noticeNumber && !!amount, message: [`qrCode ${fiscalCode}/${noticeNumber}, amount ${amount}`, `qrCode ${fiscalCode}/${noticeNumber}, importo ${amount}`], entries: [a.response] });
      if (!fiscalCode || !noticeNumber) return;
      const n = { fiscalCode, noticeNumber };
      const pay = await t.psp.payNotice({ fiscalCode, noticeNumber }, { skipVerify: true, amountCents: parseAmount(amount) ?? 1000 });
      const g = lastExchange(t, getPrimitive(t), noticeNumber);
      checkOk(t, g, { id: 'demanded-notice-payable' });
      if (!pay.paymentToken || pay.outcome?.outcome !== 'OK') return;
      await delivery(t, { paymentToken: pay.paymentToken }, fiscalCode).catch(() => undefined);
      const rt = exchanges(t, rtPrimitive(t), noticeNumber)[0];
      if (!rt) return t.harnessError('the harness Nodo sent no receipt for a paid spontaneous notice');
      if (checkOk(t, rt, { id: 'receipt' })) checkKo(t, await verifyAtEc(t, n), { id: 'closed', accept: ['PAA_PAGAMENTO_DUPLICATO'] });
      else t.notExercised('closed', ['the receipt was not accepted', 'la ricevuta non è stata accettata']);
    },
  },
  {
    id: 'EC-SPONT-02',
    title: 'Spontaneous payment with invalid service data: refused with PAA_SINTASSI_XSD',
    titleIt: 'Pagamento spontaneo con dati del servizio non validi: rifiutato con PAA_SINTASSI_XSD',
    seat: 'ec',
    feature: 'spontaneous',
    // an OK creates a position from invalid data (NM-SPONT-VAL-01): FAIL; another refusal code is a WARNING
    checks: INVALID_DATA.map((id) => spec(`invalid-data-${id}`, [`service data that is ${id.replace('-', ' ')} is refused (PAA_SINTASSI_XSD): no position is created`, `dati del servizio che ${INVALID_IT[id]} sono rifiutati (PAA_SINTASSI_XSD): nessuna posizione è creata`], ['IF-paDemandPaymentNotice-F71', 'NM-SPONT-VAL-01', 'NM-SPONT-ERR-01'])),
    async run(t) {
      if (!t.profile.spontaneous?.services[0]) return t.inconclusive(NO_SERVICES);
      const data: Record<(typeof INVALID_DATA)[number], string> = {
        'not-xml': Buffer.from('targa=AB123CD', 'utf8').toString('base64'),
        'wrong-document': Buffer.from('<collaudo xmlns="urn:collaudo:not-a-service"><x>1</x></collaudo>', 'utf8').toString('base64'),
      };
      for (const id of INVALID_DATA) {
        checkKo(t, await demand(t, data[id]), { id: `invalid-data-${id}`, accept: ['PAA_SINTASSI_XSD'], warn: ['PAA_SINTASSI_EXTRAXSD', 'PAA_SEMANTICA'], otherKo: 'WARNING' });
      }
    },
  },
];
