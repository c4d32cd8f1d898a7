// Receipts seen by the EC (paSendRT / paSendRTV2): duplicates, unknown notices, retries after a
// lost answer, Stand-In receipts, receipts as a secondary beneficiary (catalogue §3.9, §3.5, §3.7).
import type { ScenarioDef, Notice } from '../../src/scenario.js';
import type { EcContext } from '../../src/seats/ec.js';
import type { ReceiptData } from '../../mocks/nodo/index.js';
import { HARNESS_PSP } from '../../src/registry.js';
import { isoDate, isoDateTime } from '../../src/clock.js';
import { makeIban, noticeAux3, parseNotice } from '../../src/domain.js';
import { checkKo, checkOk, checkSchema, child, describeAnswer, exchanges, getPaymentAtEc, textOf, transfersOf, verifyAtEc, type Answer } from './lib.js';

type S = ScenarioDef<EcContext>;
const rtPrimitive = (t: EcContext) => (t.station.version === 2 ? 'paSendRTV2' : 'paSendRT');
/** an EC fiscal code that is not the candidate's (a foreign issuer or beneficiary) */
const OTHER_EC = '00000000018';

/** Pays a notice end to end through the Nodo and waits for the receipt; returns the token. */
async function payAndDeliver(t: EcContext, n: Notice): Promise<string> {
  const r = await t.psp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, { skipVerify: true, amountCents: n.amountCents ?? 1000 });
  if (!r.paymentToken || r.outcome?.outcome !== 'OK') return t.inconclusive(`the payment could not be completed (${describeAnswer(r.activate ?? {})}): see EC-PAY-02`);
  const d = await t.nodo.waitDelivery(r.paymentToken, n.fiscalCode);
  if (d.state !== 'delivered') return t.inconclusive(`the first receipt was not accepted (${d.reason ?? d.state}): see EC-PAY-02`);
  return r.paymentToken;
}

/**
 * The EC's own account and taxonomy code for crafted receipts: from the profile's IBANs, or learnt
 * from the EC's answer to paGetPayment for another payable notice (as ACA would hold them).
 */
async function ecAccount(t: EcContext, k: number): Promise<{ iban: string; transferCategory: string }> {
  const listed = t.profile.ec.ibans?.[0];
  if (listed) return { iban: listed, transferCategory: '0101101IM' };
  const other = await t.notice('payable', k);
  const a = await getPaymentAtEc(t, other);
  const tr = transfersOf(child(a.body, 'data')).find((x) => textOf(x, 'fiscalCodePA') === t.station.idPA);
  const iban = textOf(tr, 'IBAN');
  if (!iban) return t.inconclusive(`cannot learn the EC's IBAN (profile ec.ibans is empty and paGetPayment of ${other.noticeNumber} answered ${describeAnswer(a)})`);
  return { iban, transferCategory: textOf(tr, 'transferCategory') ?? '0101101IM' };
}

/** A platform receipt built by hand, for notices the Nodo never activated (Stand-In, foreign issuer …). */
function craftReceipt(
  t: EcContext,
  o: { fiscalCode: string; noticeNumber: string; amountCents: number; receiptId: string; beneficiary: string; standIn?: boolean; account?: { iban: string; transferCategory: string } },
): ReceiptData {
  const iuv = parseNotice(o.noticeNumber)?.iuv ?? o.noticeNumber.slice(1);
  const now = t.clock.now();
  const iban = o.account?.iban ?? t.profile.ec.ibans?.[0] ?? makeIban('IT', 'X0306909606100000012345');
  return {
    receiptId: o.receiptId,
    noticeNumber: o.noticeNumber,
    fiscalCode: o.fiscalCode,
    outcome: 'OK',
    creditorReferenceId: iuv,
    paymentAmount: o.amountCents,
    description: 'collaudo crafted receipt',
    companyName: 'Ente di collaudo',
    debtor: { uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'RSSMRA80A01H501U' }, fullName: 'Mario Rossi' },
    transfers: [{ idTransfer: 1, amount: o.amountCents, fiscalCodePA: o.beneficiary, iban, remittanceInformation: 'collaudo', transferCategory: o.account?.transferCategory ?? '0101101IM' }],
    idPSP: HARNESS_PSP.idPSP,
    PSPCompanyName: HARNESS_PSP.companyName,
    idChannel: HARNESS_PSP.idChannel,
    channelDescription: 'collaudo',
    paymentMethod: 'creditCard',
    fee: 100,
    paymentDateTime: isoDateTime(now),
    applicationDate: isoDate(now),
    transferDate: isoDate(now),
    standIn: o.standIn ?? false,
  };
}

/** Delivers a crafted receipt once (no retries) and returns the EC's answer. */
async function deliverOnce(t: EcContext, receipt: ReceiptData, to = receipt.fiscalCode): Promise<Answer> {
  const before = exchanges(t, rtPrimitive(t)).length;
  t.nodo.sendReceipt(receipt, { fiscalCode: to, maxAttempts: 1, note: 'crafted receipt' });
  await t.nodo.waitDelivery(receipt.receiptId, to);
  return exchanges(t, rtPrimitive(t))[before] ?? { problem: 'the receipt was not sent' };
}

/** The EC's own read-back through the provisioning contract, when offered: how many receipts it booked. */
async function bookedReceipts(t: EcContext, n: Notice): Promise<number | undefined> {
  const url = t.provisioningUrl;
  if (!url) return undefined;
  const res = await fetch(`${url}/${n.fiscalCode}/${n.noticeNumber}`).catch(() => undefined);
  if (!res || res.status !== 200) return undefined;
  const j = (await res.json()) as { receipts?: unknown[] };
  return Array.isArray(j.receipts) ? j.receipts.length : undefined;
}

const DUPLICATE = {
  accept: ['PAA_RECEIPT_DUPLICATA'],
  warn: ['PAA_RT_DUPLICATA', 'PAA_SEMANTICA'],
  otherKo: 'WARNING' as const,
};

function judgeDuplicate(t: EcContext, a: Answer, id: string, title: string): void {
  if (a.outcome === 'OK') {
    t.check({ id, title, requirement: 'NM-RT-DUP-01', level: 'MUST', held: true, message: 'OK (idempotent acknowledgement, accepted reading IF-A-28)', entries: [a.request, a.response] });
  } else {
    checkKo(t, a, { id, title, requirement: 'NM-RT-DUP-01', ...DUPLICATE });
  }
}

async function checkStillClosed(t: EcContext, n: Notice, expectedBookings: number): Promise<void> {
  const v = await verifyAtEc(t, n);
  checkKo(t, v, { id: 'still-closed', title: 'the position is still closed (verify answers PAA_PAGAMENTO_DUPLICATO)', requirement: 'IF-paSendRT-F71', accept: ['PAA_PAGAMENTO_DUPLICATO'] });
  const booked = await bookedReceipts(t, n);
  if (booked !== undefined) {
    t.check({
      id: 'no-second-booking',
      title: 'the duplicate was not booked a second time (provisioning read-back)',
      requirement: 'IF-paSendRT-F72',
      level: 'MUST',
      held: booked === expectedBookings,
      message: `${booked} receipt(s) booked for the notice, expected ${expectedBookings}`,
    });
  }
}

export const receiptScenarios: S[] = [
  {
    id: 'EC-RT-01',
    title: 'The same receipt delivered twice (first answer lost): no second booking',
    titleIt: 'La stessa ricevuta consegnata due volte (prima risposta persa): nessuna seconda registrazione',
    seat: 'ec',
    requirements: ['NM-RT-DUP-01', 'IF-paSendRT-F72', 'IF-paSendRT-F71'],
    notices: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const token = await payAndDeliver(t, n);
      const receipt = t.nodo.receiptFor(token);
      if (!receipt) return t.inconclusive('the Nodo kept no receipt for the payment');
      const a = await deliverOnce(t, receipt);
      checkSchema(t, a, rtPrimitive(t), 'IF-paSendRT-F40');
      judgeDuplicate(t, a, 'duplicate-answer', 'a re-delivered receipt is acknowledged (KO PAA_RECEIPT_DUPLICATA or OK)');
      await checkStillClosed(t, n, 1);
    },
  },
  {
    id: 'EC-RT-02',
    title: 'Another receipt for a position already closed by a receipt',
    titleIt: 'Un’altra ricevuta per una posizione già chiusa da una ricevuta',
    seat: 'ec',
    requirements: ['NM-RT-DUP-01', 'IF-paSendRT-F72'],
    notices: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      const token = await payAndDeliver(t, n);
      const first = t.nodo.receiptFor(token);
      if (!first) return t.inconclusive('the Nodo kept no receipt for the payment');
      const second: ReceiptData = { ...first, receiptId: `${token.slice(0, 25)}X2`, paymentDateTime: isoDateTime(t.clock.now() + 60_000) };
      const a = await deliverOnce(t, second);
      judgeDuplicate(t, a, 'duplicate-answer', 'a second receipt for a closed position is acknowledged (KO PAA_RECEIPT_DUPLICATA or OK)');
      await checkStillClosed(t, n, 1);
    },
  },
  {
    id: 'EC-RT-03',
    title: 'Receipt for a notice the EC never issued and does not benefit from',
    titleIt: 'Ricevuta per un avviso mai emesso dall’EC e di cui non è beneficiario',
    seat: 'ec',
    requirements: ['IF-paSendRT-F72', 'NM-X-VAL-01'],
    notices: { unknown: 1 },
    async run(t) {
      const n = await t.notice('unknown');
      const r = craftReceipt(t, { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amountCents: 1500, receiptId: `collaudo${n.noticeNumber}`, beneficiary: OTHER_EC });
      const a = await deliverOnce(t, r);
      checkKo(t, a, {
        id: 'unknown-receipt',
        title: 'a receipt for an unknown notice is refused (KO PAA_PAGAMENTO_SCONOSCIUTO or PAA_SEMANTICA; only OK is FAIL)',
        requirement: 'IF-paSendRT-F72',
        accept: ['PAA_PAGAMENTO_SCONOSCIUTO', 'PAA_SEMANTICA'],
        otherKo: 'WARNING',
      });
    },
  },
  {
    id: 'EC-RT-04',
    title: 'EC answer to the receipt lost: the Nodo retries after the backoff and the EC accepts the repeated receipt',
    titleIt: 'Risposta dell’EC alla ricevuta persa: il Nodo ritenta dopo il backoff e l’EC accetta la ricevuta ripetuta',
    seat: 'ec',
    requirements: ['NM-RT-RETRY-01', 'NM-RT-DUP-01'],
    notices: { payable: 1 },
    async run(t) {
      const n = await t.notice('payable');
      t.faults.add({ side: 'outbound', primitive: rtPrimitive(t), match: { noticeNumber: n.noticeNumber }, fault: { kind: 'no-answer' }, times: 1 });
      const r = await t.psp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, { skipVerify: true, amountCents: n.amountCents ?? 1000 });
      if (!r.paymentToken) return t.inconclusive(`the payment could not be completed (${describeAnswer(r.activate ?? {})})`);
      const d = await t.nodo.waitDelivery(r.paymentToken, n.fiscalCode);
      const sends = exchanges(t, rtPrimitive(t), n.noticeNumber);
      const retry = sends[1] ?? { problem: `the Nodo sent the receipt ${sends.length} time(s)` };
      // the harness's own Nodo must have retried; if it did not, nothing about the EC can be judged
      if (sends.length < 2) return t.inconclusive(`the harness Nodo sent the receipt ${sends.length} time(s) (delivery ${d.state}): no retry to judge`);
      judgeDuplicate(t, retry, 'retry-accepted', 'the repeated receipt is accepted (OK or KO PAA_RECEIPT_DUPLICATA)');
      await checkStillClosed(t, n, 1);
    },
  },
  {
    id: 'EC-RT-05',
    title: 'Stand-In receipt with a stale amount, for a notice the EC never saw verified or activated',
    titleIt: 'Ricevuta Stand-In con importo non aggiornato, per un avviso mai verificato né attivato presso l’EC',
    seat: 'ec',
    requirements: ['NM-SI-PAY-02', 'NM-SI-PAY-03', 'NM-SI-PAY-04', 'IF-paSendRT-F74', 'IF-X-23', 'NM-RT-ERR-01'],
    // the second payable notice is read (paGetPayment) only when the profile lists no IBANs
    notices: { payable: 2 },
    async run(t) {
      const n = await t.notice('payable');
      const stale = (n.amountCents ?? 1000) + 150;
      const account = await ecAccount(t, 1);
      const r = craftReceipt(t, { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amountCents: stale, receiptId: `SI${n.noticeNumber}`, beneficiary: n.fiscalCode, standIn: true, account });
      const a = await deliverOnce(t, r);
      checkSchema(t, a, rtPrimitive(t), 'NM-SI-PAY-03');
      checkOk(t, a, { id: 'standin-accepted', title: 'a Stand-In receipt (standIn=true, amount not updated) is answered OK', requirement: 'NM-SI-PAY-02' });
      const v = await verifyAtEc(t, n);
      checkKo(t, v, { id: 'standin-closes', title: 'the Stand-In receipt closes the position (verify answers PAA_PAGAMENTO_DUPLICATO)', requirement: 'NM-SI-PAY-04', accept: ['PAA_PAGAMENTO_DUPLICATO'] });
    },
  },
  {
    id: 'EC-RT-06',
    title: 'Receipt for a notice that expired after the payment started: the EC accepts it',
    titleIt: 'Ricevuta per un avviso scaduto dopo l’avvio del pagamento: l’EC la accetta',
    seat: 'ec',
    requirements: ['NM-RT-ERR-01', 'NM-OPT-VAL-03'],
    notices: { expired: 1, payable: 1 },
    async run(t) {
      const n = await t.notice('expired');
      const account = await ecAccount(t, 0);
      const r = craftReceipt(t, { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amountCents: n.amountCents ?? 1000, receiptId: `EX${n.noticeNumber}`, beneficiary: n.fiscalCode, account });
      const a = await deliverOnce(t, r);
      checkOk(t, a, { id: 'expired-receipt-accepted', title: 'a receipt for a notice past its due date is answered OK (the EC handles the anomaly internally)', requirement: 'NM-RT-ERR-01' });
    },
  },
  {
    id: 'EC-RT-07',
    title: 'Receipt as secondary beneficiary of a notice issued by another EC',
    titleIt: 'Ricevuta come beneficiario secondario di un avviso emesso da un altro EC',
    seat: 'ec',
    requirements: ['NM-MB-RT-01', 'IF-paSendRT-F72'],
    notices: { payable: 1 },
    async run(t) {
      const notice = noticeAux3('99', String(t.clock.now()).slice(-13).padStart(13, '0'));
      const account = await ecAccount(t, 0);
      const r = craftReceipt(t, { fiscalCode: OTHER_EC, noticeNumber: notice, amountCents: 2500, receiptId: `MB${notice}`, beneficiary: t.station.idPA, account });
      r.transfers = [
        { ...r.transfers[0]!, idTransfer: 1, amount: 1500, fiscalCodePA: OTHER_EC, iban: makeIban('IT', 'X0200802435000104428964') },
        { ...r.transfers[0]!, idTransfer: 2, amount: 1000, fiscalCodePA: t.station.idPA },
      ];
      const a = await deliverOnce(t, r, t.station.idPA);
      checkOk(t, a, { id: 'secondary-accepted', title: 'the receipt addressed to the EC as secondary beneficiary is answered OK (never PAA_PAGAMENTO_SCONOSCIUTO)', requirement: 'NM-MB-RT-01' });
    },
  },
];
