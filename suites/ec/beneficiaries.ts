// Multi-beneficiary notices and receipts to every EC concerned (catalogue §3.7), SEND notification
// fees carried as metadata (§3.12 NM-X-META-02).
import { spec, type ScenarioDef } from '../../src/core/scenario.js';
import type { EcContext } from '../../seats/ec.js';
import { isoDate, isoDateTime } from '../../src/core/clock.js';
import { makeIban, noticeAux3 } from '../../domain/common.js';
import { harnessPspEntries } from '../../domain/registry.js';
import { EMULATED_EC_IBAN, HARNESS_PSP } from '../../domain/harness-parties.js';
import { ReferenceNodo, type ReceiptData } from '../../actors/nodo/index.js';
import { checkOk, child, describeAnswer, exchanges, getPaymentAtEc, getPrimitive, rtPrimitive, textOf, transfersOf } from './lib.js';
import { childrenNamed } from '../../src/wire/xml.js';
import { provisionExt } from './platform-lib.js';
import { answerSaid } from '../../src/wire/answer.js';
import { dataSaid } from '../../src/core/text.js';

type S = ScenarioDef<EcContext>;
const rtPrim = rtPrimitive;
/** a foreign EC (not served by the candidate) whose station is unreachable */
const FOREIGN_EC = '00000000018';

export const beneficiaryScenarios: S[] = [
  {
    id: 'EC-MB-01',
    title: 'Multi-beneficiary notice: 2..5 transfers to distinct ECs, one receipt delivered to each EC concerned',
    titleIt: 'Avviso multibeneficiario: 2..5 trasferimenti a EC distinti, una ricevuta consegnata a ciascun EC interessato',
    seat: 'ec',
    feature: 'multiBeneficiary',
    checks: [
      spec('mb-transfers', ['paGetPayment carries 2..5 transfers crediting distinct ECs, the secondary one included', 'paGetPayment riporta da 2 a 5 trasferimenti a favore di EC distinti, compreso quello secondario'], 'NM-MB-PAY-01'),
      spec('mb-activated', ['the multi-beneficiary notice is activated: the Nodo accepts the EC data and issues a token', 'l’avviso multibeneficiario è attivato: il Nodo accetta i dati dell’EC ed emette un token'], 'NM-MB-PAY-01'),
      spec('receipt-primary', ['the receipt addressed to the issuing EC is answered OK', 'la ricevuta indirizzata all’EC emittente riceve esito OK'], 'NM-MB-PAY-01'),
      spec('receipt-secondary', ['the receipt addressed to the secondary EC (same station) is answered OK', 'la ricevuta indirizzata all’EC secondario (stessa stazione) riceve esito OK'], 'NM-MB-PAY-01'),
    ],
    async run(t) {
      const secondary = t.profile.ec.secondaryEcs?.[0];
      if (!secondary) return t.inconclusive(['multi-beneficiary notices need a secondary EC served by the station: add ec.secondaryEcs to the profile', 'gli avvisi multibeneficiario richiedono un EC secondario servito dalla stazione: aggiungere ec.secondaryEcs al profilo']);
      const n = await provisionExt(t, { state: 'payable', transfers: 2, secondaryFiscalCode: secondary, amountCents: 3000 });
      const notice = { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, state: 'payable' as const };
      const g = await getPaymentAtEc(t, notice);
      const tr = transfersOf(child(g.body, 'data'));
      const fcs = tr.map((x) => textOf(x, 'fiscalCodePA'));
      t.check({ id: 'mb-transfers', held: tr.length >= 2 && tr.length <= 5 && new Set(fcs).size >= 2 && fcs.includes(secondary), message: [`transfers to ${fcs.join(', ')}`, `trasferimenti a ${fcs.join(', ')}`], entries: [g.response] });
      const r = await t.psp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, { skipVerify: true, amountCents: n.amountCents });
      const gets = exchanges(t, getPrimitive(t), n.noticeNumber).flatMap((a) => [a.request, a.response]);
      t.check({ id: 'mb-activated', held: !!r.paymentToken, message: r.paymentToken ? dataSaid(`token ${r.paymentToken}`) : answerSaid(r.activate ?? {}), entries: gets });
      if (!r.paymentToken) return;
      if (r.outcome?.outcome !== 'OK') return t.harnessError(`the harness Nodo refused the outcome of its own PSP: ${describeAnswer(r.outcome ?? {})}`);
      for (const [role, fc] of [['primary', n.fiscalCode], ['secondary', secondary]] as const) {
        const d = await t.nodo.waitDelivery(r.paymentToken, fc).catch((e: Error) => ({ state: 'missing', reason: e.message }));
        const a = exchanges(t, rtPrim(t), n.noticeNumber).find((x) => x.request?.raw.includes(`<idPA>${fc}</idPA>`));
        if (!a) return t.harnessError(`the harness Nodo sent no receipt to EC ${fc} (delivery ${d.state})`);
        checkOk(t, a, { id: `receipt-${role}`, title: [`the receipt addressed to EC ${fc} is answered OK`, `la ricevuta indirizzata all’EC ${fc} riceve esito OK`] });
      }
    },
  },
  {
    id: 'EC-MB-02',
    title: 'One beneficiary unreachable: the candidate gets its receipt once and accepts it while the other EC is retried',
    titleIt: 'Un beneficiario irraggiungibile: il candidato riceve la sua ricevuta una volta e la accetta mentre l’altro EC è ritentato',
    seat: 'ec',
    checks: [spec('reachable-accepted', ['the receipt to the reachable beneficiary (the candidate) is answered OK while the other EC is unreachable', 'la ricevuta al beneficiario raggiungibile (il candidato) riceve esito OK mentre l’altro EC è irraggiungibile'], 'NM-MB-ERR-01')],
    async run(t) {
      const now = t.clock.now();
      const notice = noticeAux3('98', String(now).slice(-13).padStart(13, '0'));
      const receipt: ReceiptData = {
        receiptId: `MBU${notice}`, noticeNumber: notice, fiscalCode: FOREIGN_EC, outcome: 'OK', creditorReferenceId: notice.slice(1), paymentAmount: 2500, description: 'collaudo multi-beneficiary', companyName: 'Ente emittente',
        debtor: { uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'RSSMRA80A01H501U' }, fullName: 'Mario Rossi' },
        transfers: [
          { idTransfer: 1, amount: 1500, fiscalCodePA: FOREIGN_EC, iban: makeIban('IT', 'X0200802435000104428964'), remittanceInformation: 'quota emittente', transferCategory: '0101101IM' },
          { idTransfer: 2, amount: 1000, fiscalCodePA: t.station.idPA, iban: t.profile.ec.ibans?.[0] ?? EMULATED_EC_IBAN, remittanceInformation: 'quota beneficiario', transferCategory: '0201102TS' },
        ],
        idPSP: HARNESS_PSP.idPSP, PSPCompanyName: HARNESS_PSP.companyName, idChannel: HARNESS_PSP.idChannel, channelDescription: 'collaudo', paymentMethod: 'creditCard', fee: 100,
        paymentDateTime: isoDateTime(now), applicationDate: isoDate(now), transferDate: isoDate(now), standIn: false,
      };
      // the issuing EC's station is down: its delivery is retried on its own schedule by another Nodo queue
      const down = new ReferenceNodo({
        clock: t.clock, journal: () => t.journal, faults: () => t.faults, journalInbound: false,
        registry: { ecs: [{ fiscalCode: FOREIGN_EC, companyName: 'Ente emittente', enabled: true, ibans: [], stations: [{ idStation: 'FOREIGN_01', auxDigit: 3, code: '98' }] }], brokersPa: [{ idBrokerPA: 'FOREIGN', enabled: true }], stations: [{ idStation: 'FOREIGN_01', idBrokerPA: 'FOREIGN', enabled: true, serviceActive: true, url: 'http://127.0.0.1:9/unreachable', version: 1 }], ...harnessPspEntries() },
      });
      await down.start();
      try {
        const other = down.sendReceipt(receipt, { fiscalCode: FOREIGN_EC, maxAttempts: 2, note: 'issuer station unreachable' });
        t.nodo.sendReceipt(receipt, { fiscalCode: t.station.idPA, note: 'beneficiary' });
        const mine = await t.nodo.waitDelivery(receipt.receiptId, t.station.idPA).catch(() => undefined);
        const sent = exchanges(t, rtPrim(t)).filter((x) => x.request?.raw.includes(`<idPA>${t.station.idPA}</idPA>`) && x.request.raw.includes(receipt.receiptId));
        if (!sent[0]) return t.harnessError(`the harness Nodo sent no receipt to the candidate (delivery ${mine?.state ?? 'not ended'})`);
        // judged on the first send: the other EC's failure must not change how the candidate answers its own receipt
        checkOk(t, sent[0], {
          id: 'reachable-accepted',
          title: [
            `the receipt to the reachable beneficiary (the candidate) is answered OK while the other EC is unreachable (its delivery: ${other.state}, ${other.attempts.length} attempt(s))`,
            `la ricevuta al beneficiario raggiungibile (il candidato) riceve esito OK mentre l’altro EC è irraggiungibile (la sua consegna: ${other.state}, ${other.attempts.length} tentativo/i)`,
          ],
        });
      } finally {
        await down.stop();
      }
    },
  },
  {
    id: 'EC-META-01',
    title: 'SEND notice: NOTIFICATION_FEE (euro cents) in the paGetPayment metadata, carried unchanged to the receipt',
    titleIt: 'Avviso SEND: NOTIFICATION_FEE (centesimi di euro) nei metadati di paGetPayment, riportato invariato nella ricevuta',
    seat: 'ec',
    feature: 'send',
    checks: [
      spec('fee-metadata', ['paGetPayment metadata carries NOTIFICATION_FEE in euro cents (an integer), the fee SEND communicated', 'i metadati di paGetPayment riportano NOTIFICATION_FEE in centesimi di euro (un intero), il costo di notifica comunicato da SEND'], 'NM-X-META-02'),
      spec('metadata-shape', ['the payment metadata holds at most 15 key/value pairs, each value at most 140 characters', 'i metadati del pagamento contengono al massimo 15 coppie chiave/valore, ciascun valore al massimo di 140 caratteri'], 'IF-paGetPayment-F77'),
      spec('fee-receipt-accepted', ['the EC accepts the receipt carrying the fee metadata', 'l’EC accetta la ricevuta che riporta i metadati del costo di notifica'], 'NM-X-META-02'),
    ],
    async run(t) {
      const fee = 250;
      const n = await provisionExt(t, { state: 'payable', amountCents: 1000, notificationFeeCents: fee });
      const notice = { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, state: 'payable' as const };
      const g = await getPaymentAtEc(t, notice);
      const entries = childrenNamed(child(child(g.body, 'data'), 'metadata'), 'mapEntry');
      const value = entries.find((e) => textOf(e, 'key') === 'NOTIFICATION_FEE') ? textOf(entries.find((e) => textOf(e, 'key') === 'NOTIFICATION_FEE'), 'value') : undefined;
      if (g.outcome !== 'OK') {
        const [en, it] = answerSaid(g);
        return t.inconclusive([`paGetPayment of the SEND notice answered ${en} (see EC-VAL-02)`, `paGetPayment dell’avviso SEND ha risposto ${it} (vedi EC-VAL-02)`]);
      }
      t.check({ id: 'metadata-shape', held: entries.length <= 15 && entries.every((e) => (textOf(e, 'value') ?? '').length <= 140), message: [`${entries.length} pair(s): ${entries.map((e) => `${textOf(e, 'key')}=${textOf(e, 'value')}`).join(', ')}`, `${entries.length} coppia/e: ${entries.map((e) => `${textOf(e, 'key')}=${textOf(e, 'value')}`).join(', ')}`], entries: [g.response] });
      t.check({ id: 'fee-metadata', held: value === String(fee), message: [`NOTIFICATION_FEE = ${value ?? '(absent)'}; expected ${fee}`, `NOTIFICATION_FEE = ${value ?? '(assente)'}; atteso ${fee}`], entries: [g.response] });
      const r = await t.psp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, { skipVerify: true, amountCents: n.amountCents });
      if (!r.paymentToken) {
        const [en, it] = answerSaid(r.activate ?? {});
        return t.inconclusive([`the payment failed: ${en}`, `il pagamento non è riuscito: ${it}`]);
      }
      await t.nodo.waitDelivery(r.paymentToken, n.fiscalCode).catch(() => undefined);
      const rt = exchanges(t, rtPrim(t), n.noticeNumber)[0];
      // the Nodo echoing the metadata into the receipt is the harness's part (IF-paGetPayment-F77): a precondition
      if (!rt) return t.harnessError('the harness Nodo sent no receipt for the paid SEND notice');
      if (value && !rt.request?.raw.includes('NOTIFICATION_FEE')) return t.harnessError('the harness Nodo did not echo the NOTIFICATION_FEE metadata into the receipt');
      checkOk(t, rt, { id: 'fee-receipt-accepted' });
    },
  },
];
