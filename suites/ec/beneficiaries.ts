// Multi-beneficiary notices and receipts to every EC concerned (catalogue §3.7), SEND notification
// fees carried as metadata (§3.12 NM-X-META-02).
import type { ScenarioDef } from '../../src/scenario.js';
import type { EcContext } from '../../src/seats/ec.js';
import { isoDate, isoDateTime } from '../../src/clock.js';
import { makeIban, noticeAux3 } from '../../src/domain.js';
import { HARNESS_PSP, harnessPspEntries } from '../../src/registry.js';
import { ReferenceNodo, type ReceiptData } from '../../mocks/nodo/index.js';
import { checkOk, child, describeAnswer, exchanges, getPaymentAtEc, textOf, transfersOf } from './lib.js';
import { childrenNamed } from '../../src/protocol/xml.js';
import { provisionExt } from './platform-lib.js';

type S = ScenarioDef<EcContext>;
const rtPrim = (t: EcContext) => (t.station.version === 2 ? 'paSendRTV2' : 'paSendRT');
/** a foreign EC (not served by the candidate) whose station is unreachable */
const FOREIGN_EC = '00000000018';

export const beneficiaryScenarios: S[] = [
  {
    id: 'EC-MB-01',
    title: 'Multi-beneficiary notice: 2..5 transfers to distinct ECs, one receipt delivered to each EC concerned',
    titleIt: 'Avviso multibeneficiario: 2..5 trasferimenti a EC distinti, una ricevuta consegnata a ciascun EC interessato',
    seat: 'ec',
    feature: 'multiBeneficiary',
    requirements: ['NM-MB-PAY-01'],
    async run(t) {
      const secondary = t.profile.ec.secondaryEcs?.[0];
      if (!secondary) return t.inconclusive('multi-beneficiary notices need a secondary EC served by the station: add ec.secondaryEcs to the profile');
      const n = await provisionExt(t, { state: 'payable', transfers: 2, secondaryFiscalCode: secondary, amountCents: 3000 });
      const notice = { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, state: 'payable' as const };
      const g = await getPaymentAtEc(t, notice);
      const tr = transfersOf(child(g.body, 'data'));
      const fcs = tr.map((x) => textOf(x, 'fiscalCodePA'));
      t.check({ id: 'mb-transfers', title: 'paGetPayment carries 2..5 transfers crediting distinct ECs, the secondary one included', requirement: 'NM-MB-PAY-01', level: 'MUST', held: tr.length >= 2 && tr.length <= 5 && new Set(fcs).size >= 2 && fcs.includes(secondary), message: `transfers to ${fcs.join(', ')}`, entries: [g.response] });
      const r = await t.psp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, { skipVerify: true, amountCents: n.amountCents });
      if (!r.paymentToken) return t.check({ id: 'mb-paid', title: 'the multi-beneficiary notice is paid', requirement: 'NM-MB-PAY-01', level: 'MUST', held: false, message: describeAnswer(r.activate ?? {}) }) as never;
      for (const fc of [n.fiscalCode, secondary]) {
        const d = await t.nodo.waitDelivery(r.paymentToken, fc).catch((e: Error) => ({ state: 'missing', reason: e.message }));
        const a = exchanges(t, rtPrim(t), n.noticeNumber).find((x) => x.request?.raw.includes(`<idPA>${fc}</idPA>`)) ?? { problem: `no receipt sent to ${fc}` };
        checkOk(t, a, { id: `receipt-${fc}`, title: `the receipt addressed to EC ${fc} is answered OK`, requirement: 'NM-MB-PAY-01' });
        t.check({ id: `delivered-${fc}`, title: `one receipt delivered to EC ${fc}`, requirement: 'NM-MB-PAY-01', level: 'MUST', held: d.state === 'delivered', message: `${d.state}${'reason' in d && d.reason ? `: ${d.reason}` : ''}` });
      }
    },
  },
  {
    id: 'EC-MB-02',
    title: 'One beneficiary unreachable: the candidate gets its receipt once and accepts it while the other EC is retried',
    titleIt: 'Un beneficiario irraggiungibile: il candidato riceve la sua ricevuta una volta e la accetta mentre l’altro EC è ritentato',
    seat: 'ec',
    requirements: ['NM-MB-ERR-01'],
    async run(t) {
      const now = t.clock.now();
      const notice = noticeAux3('98', String(now).slice(-13).padStart(13, '0'));
      const receipt: ReceiptData = {
        receiptId: `MBU${notice}`, noticeNumber: notice, fiscalCode: FOREIGN_EC, outcome: 'OK', creditorReferenceId: notice.slice(1), paymentAmount: 2500, description: 'collaudo multi-beneficiary', companyName: 'Ente emittente',
        debtor: { uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'RSSMRA80A01H501U' }, fullName: 'Mario Rossi' },
        transfers: [
          { idTransfer: 1, amount: 1500, fiscalCodePA: FOREIGN_EC, iban: makeIban('IT', 'X0200802435000104428964'), remittanceInformation: 'quota emittente', transferCategory: '0101101IM' },
          { idTransfer: 2, amount: 1000, fiscalCodePA: t.station.idPA, iban: t.profile.ec.ibans?.[0] ?? makeIban('IT', 'X0306909606100000012345'), remittanceInformation: 'quota beneficiario', transferCategory: '0201102TS' },
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
        const mine = await t.nodo.waitDelivery(receipt.receiptId, t.station.idPA);
        const sent = exchanges(t, rtPrim(t)).filter((x) => x.request?.raw.includes(`<idPA>${t.station.idPA}</idPA>`) && x.request.raw.includes(receipt.receiptId));
        checkOk(t, sent[0] ?? { problem: 'no receipt sent to the candidate' }, { id: 'reachable-accepted', title: 'the receipt to the reachable beneficiary (the candidate) is answered OK while the other EC is unreachable', requirement: 'NM-MB-ERR-01' });
        t.check({ id: 'delivered-once', title: 'the candidate’s delivery completes at the first send (no duplicate, no retry caused by the other EC)', requirement: 'NM-MB-ERR-01', level: 'MUST', held: mine.state === 'delivered' && sent.length === 1, message: `${mine.state}, ${sent.length} send(s) to the candidate; the other EC's delivery: ${other.state}, ${other.attempts.length} attempt(s)` });
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
    requirements: ['NM-X-META-02', 'IF-paGetPayment-F77'],
    async run(t) {
      const fee = 250;
      const n = await provisionExt(t, { state: 'payable', amountCents: 1000, notificationFeeCents: fee });
      const notice = { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, state: 'payable' as const };
      const g = await getPaymentAtEc(t, notice);
      const entries = childrenNamed(child(child(g.body, 'data'), 'metadata'), 'mapEntry');
      const value = entries.find((e) => textOf(e, 'key') === 'NOTIFICATION_FEE') ? textOf(entries.find((e) => textOf(e, 'key') === 'NOTIFICATION_FEE'), 'value') : undefined;
      t.check({ id: 'fee-metadata', title: 'paGetPayment metadata carries NOTIFICATION_FEE in euro cents (an integer), the fee SEND communicated', requirement: 'NM-X-META-02', level: 'MUST', held: value === String(fee), message: `NOTIFICATION_FEE = ${value ?? '(absent)'}; expected ${fee}`, entries: [g.response] });
      const r = await t.psp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, { skipVerify: true, amountCents: n.amountCents });
      if (!r.paymentToken) return t.inconclusive(`the payment failed: ${describeAnswer(r.activate ?? {})}`);
      await t.nodo.waitDelivery(r.paymentToken, n.fiscalCode).catch(() => undefined);
      const rt = exchanges(t, rtPrim(t), n.noticeNumber).at(-1) ?? { problem: 'no receipt' };
      t.check({ id: 'fee-in-receipt', title: 'the receipt delivered to the EC carries NOTIFICATION_FEE unchanged', requirement: 'NM-X-META-02', level: 'MUST', held: !!value && !!rt.request?.raw.match(new RegExp(`NOTIFICATION_FEE</key>\\s*<value>${value.replace('.', '\\.')}</value>`)), message: rt.request ? 'receipt sent' : 'no receipt', entries: [rt.request] });
      checkOk(t, rt, { id: 'fee-receipt-accepted', title: 'the EC accepts the receipt carrying the fee metadata', requirement: 'NM-X-META-02' });
    },
  },
];
