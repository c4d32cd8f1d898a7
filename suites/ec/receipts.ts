// Receipts seen by the EC (paSendRT / paSendRTV2): duplicates, unknown notices, a receipt sent
// again after the EC was unavailable, Stand-In receipts, expired notices, receipts as a secondary
// beneficiary (catalogue §3.9, §3.5, §3.6, §3.7).
import { spec, type ScenarioDef, type Notice } from '../../src/core/scenario.js';
import type { EcContext } from '../../seats/ec.js';
import type { Delivery, ReceiptData } from '../../actors/nodo/index.js';
import { EMULATED_EC_IBAN, HARNESS_PSP } from '../../domain/harness-parties.js';
import { restCall, type RestCall } from '../../actors/platform/index.js';
import { isoDate, isoDateTime } from '../../src/core/clock.js';
import { makeIban, noticeAux3, parseNotice } from '../../domain/common.js';
import { answerSaid } from '../../src/wire/answer.js';
import type { Bi } from '../../src/core/text.js';
import { restProblemSaid } from './platform-lib.js';
import { checkKo, checkOk, checkSchema, child, exchanges, getPaymentAtEc, rtPrimitive, schemaChecks, textOf, transfersOf, verifiedAmount, verifyAtEc, type Answer } from './lib.js';

type S = ScenarioDef<EcContext>;
/** an EC fiscal code that is not the candidate's (a foreign issuer or beneficiary) */
const OTHER_EC = '00000000018';

/** Waits for the end of the delivery of a paid token's receipt; undefined when it did not end (judged from the journal). */
async function delivered(t: EcContext, r: { paymentToken: string }, n: Notice): Promise<Delivery | undefined> {
  const d = await t.nodo.waitDelivery(r.paymentToken, n.fiscalCode);
  return d;
}

/** Why a scenario cannot go on when the payment through the Nodo did not complete. */
function notCompleted(activate: Parameters<typeof answerSaid>[0]): Bi {
  const [en, it] = answerSaid(activate);
  return [`the payment could not be completed (${en}): see EC-PAY-02`, `il pagamento non si è potuto completare (${it}): vedi EC-PAY-02`];
}

/** Pays a notice end to end through the Nodo and waits for the receipt; returns the token. */
async function payAndDeliver(t: EcContext, n: Notice): Promise<string> {
  const r = await t.psp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, { skipVerify: true, amountCents: n.amountCents ?? 1000 });
  if (!r.paymentToken || r.outcome?.outcome !== 'OK') return t.inconclusive(notCompleted(r.activate ?? {}));
  const d = await delivered(t, { paymentToken: r.paymentToken }, n).catch(() => undefined);
  if (d?.state !== 'delivered') {
    return t.inconclusive([
      `the first receipt was not accepted (${d ? (d.reason ?? d.state) : 'its delivery never ended'}): see EC-PAY-01/02`,
      `la prima ricevuta non è stata accettata (${d ? `"${d.reason ?? d.state}"` : 'la sua consegna non è mai terminata'}): vedi EC-PAY-01/02`,
    ]);
  }
  return r.paymentToken;
}

/**
 * The EC's own account and taxonomy code for crafted receipts: from the profile's IBANs, or learnt
 * from the EC's answer to paGetPayment for another payable notice (as ACA would hold them).
 */
async function ecAccount(t: EcContext, k: number): Promise<{ iban: string; transferCategory: string }> {
  const listed = t.profile.ec.ibans?.[0];
  if (listed) return { iban: listed, transferCategory: '0101101IM' };
  // a read: paGetPayment leaves the position open (IF-paGetPayment-F74)
  const other = await t.notice('payable', k);
  const a = await getPaymentAtEc(t, other);
  const tr = transfersOf(child(a.body, 'data')).find((x) => textOf(x, 'fiscalCodePA') === t.station.idPA);
  const iban = textOf(tr, 'IBAN');
  if (!iban) {
    const [en, it] = answerSaid(a);
    return t.inconclusive([
      `cannot learn the EC's IBAN (profile ec.ibans is empty and paGetPayment of ${other.noticeNumber} answered ${en})`,
      `impossibile ricavare l’IBAN dell’EC (ec.ibans del profilo è vuoto e paGetPayment di ${other.noticeNumber} ha risposto ${it})`,
    ]);
  }
  return { iban, transferCategory: textOf(tr, 'transferCategory') ?? '0101101IM' };
}

/** A platform receipt built by hand, for notices the Nodo never activated (Stand-In, foreign issuer …). */
function craftReceipt(
  t: EcContext,
  o: { fiscalCode: string; noticeNumber: string; amountCents: number; receiptId: string; beneficiary: string; standIn?: boolean; account?: { iban: string; transferCategory: string } },
): ReceiptData {
  const iuv = parseNotice(o.noticeNumber)?.iuv ?? o.noticeNumber.slice(1);
  const now = t.clock.now();
  const iban = o.account?.iban ?? t.profile.ec.ibans?.[0] ?? EMULATED_EC_IBAN;
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

/** The one send of a crafted receipt has ended (rejects when it did not: the answer is read from the journal anyway). */
async function sent(t: EcContext, receipt: ReceiptData, to: string): Promise<void> {
  await t.nodo.waitDelivery(receipt.receiptId, to);
}

/** Delivers a crafted receipt once (no retries) and returns the EC's answer. */
async function deliverOnce(t: EcContext, receipt: ReceiptData, to = receipt.fiscalCode): Promise<Answer> {
  const before = exchanges(t, rtPrimitive(t)).length;
  t.nodo.sendReceipt(receipt, { fiscalCode: to, maxAttempts: 1, note: 'crafted receipt' });
  await sent(t, receipt, to).catch(() => undefined);
  const a = exchanges(t, rtPrimitive(t))[before];
  return a ?? t.harnessError(`the harness Nodo did not send the crafted receipt ${receipt.receiptId}`);
}

/** The EC's own read-back through the provisioning contract: the receipts it booked, or why it cannot be read. */
async function bookedReceipts(t: EcContext, n: Notice): Promise<{ ids: string[]; read: RestCall } | { why: Bi; read?: RestCall }> {
  const url = t.provisioningUrl;
  if (!url) {
    return {
      why: [
        'the profile offers no provisioning read-back (GET <provisioning.url>/<fiscalCode>/<noticeNumber>): a second booking or an overwrite cannot be seen on the wire',
        'il profilo non offre la rilettura del provisioning (GET <provisioning.url>/<fiscalCode>/<noticeNumber>): una seconda registrazione o una sovrascrittura non è visibile sul canale',
      ],
    };
  }
  const read = await restCall({ method: 'GET', url: `${url}/${n.fiscalCode}/${n.noticeNumber}`, headers: t.profile.provisioning?.headers, journal: t.journal, clock: t.clock, from: 'harness', to: 'ec-provisioning', operationId: 'provision-read' });
  if (read.status !== 200) {
    const got: Bi = read.status ? [`HTTP ${read.status}`, `HTTP ${read.status}`] : restProblemSaid(read);
    return { why: [`the provisioning read-back answered ${got[0]}: the bookings cannot be read`, `la rilettura del provisioning ha risposto ${got[1]}: le registrazioni non sono leggibili`], read };
  }
  const receipts = (read.json as { receipts?: { receiptId?: string }[] } | undefined)?.receipts;
  if (!Array.isArray(receipts)) return { why: ['the provisioning read-back lists no receipts array', 'la rilettura del provisioning non riporta un array "receipts"'], read };
  return { ids: receipts.map((r) => String(r.receiptId)), read };
}

const DUPLICATE = {
  accept: ['PAA_RECEIPT_DUPLICATA'],
  warn: ['PAA_RT_DUPLICATA', 'PAA_SEMANTICA'],
  otherKo: 'WARNING' as const,
};

/** The checks of a duplicate delivery (NM-RT-DUP-01, IF-paSendRT-F72 (a), reading IF-A-28). */
const duplicateChecks = (title: Bi) => [
  spec('duplicate-answer', title, ['NM-RT-DUP-01', 'IF-paSendRT-F72']),
  spec('still-closed', ['the position is still closed (verify answers PAA_PAGAMENTO_DUPLICATO)', 'la posizione è ancora chiusa (la verifica risponde PAA_PAGAMENTO_DUPLICATO)'], ['NM-RT-DUP-01', 'IF-paSendRT-F71']),
  spec('booked-once', ['the duplicate was neither booked a second time nor overwrote the first booking (provisioning read-back)', 'il duplicato non è stato registrato una seconda volta né ha sovrascritto la prima registrazione (rilettura del provisioning)'], ['NM-RT-DUP-01', 'IF-paSendRT-F72']),
];

function judgeDuplicate(t: EcContext, a: Answer, id: string): void {
  if (a.outcome === 'OK') t.check({ id, held: true, message: ['OK (idempotent acknowledgement, accepted reading IF-A-28)', 'OK (conferma idempotente, lettura accettata IF-A-28)'], entries: [a.request, a.response] });
  else checkKo(t, a, { id, ...DUPLICATE });
}

/** Nothing changed at the EC: still closed; one booking, the first receipt's (when the EC offers a read-back). */
async function checkUnchanged(t: EcContext, n: Notice, firstReceiptId: string): Promise<void> {
  checkKo(t, await verifyAtEc(t, n, 'is the position still closed?'), { id: 'still-closed', accept: ['PAA_PAGAMENTO_DUPLICATO'] });
  const booked = await bookedReceipts(t, n);
  if ('why' in booked) return t.notExercised('booked-once', booked.why, [booked.read?.request, booked.read?.response]);
  t.check({
    id: 'booked-once',
    held: booked.ids.length === 1 && booked.ids[0] === firstReceiptId,
    message: [`booked for the notice: ${booked.ids.join(', ') || 'nothing'}; expected only ${firstReceiptId}`, `registrato per l’avviso: ${booked.ids.join(', ') || 'nulla'}; atteso solo ${firstReceiptId}`],
    entries: [booked.read.request, booked.read.response],
  });
}

export const receiptScenarios: S[] = [
  {
    id: 'EC-RT-01',
    title: 'The same receipt delivered twice (first answer lost): no second booking',
    titleIt: 'La stessa ricevuta consegnata due volte (prima risposta persa): nessuna seconda registrazione',
    seat: 'ec',
    checks: [...schemaChecks('receipt', 'IF-paSendRT-F40'), ...duplicateChecks(['a re-delivered receipt is acknowledged (KO PAA_RECEIPT_DUPLICATA or OK)', 'una ricevuta consegnata di nuovo è riscontrata (KO PAA_RECEIPT_DUPLICATA oppure OK)'])],
    writes: { payable: 1 },
    async run(t) {
      const n = await t.ownNotice('payable');
      const token = await payAndDeliver(t, n);
      const receipt = t.nodo.receiptFor(token);
      if (!receipt) return t.harnessError('the Nodo kept no receipt for the payment');
      const a = await deliverOnce(t, receipt);
      checkSchema(t, a, rtPrimitive(t));
      judgeDuplicate(t, a, 'duplicate-answer');
      await checkUnchanged(t, n, receipt.receiptId);
    },
  },
  {
    id: 'EC-RT-02',
    title: 'Another receipt for a position already closed by a receipt: no second booking, no overwrite',
    titleIt: 'Un’altra ricevuta per una posizione già chiusa da una ricevuta: nessuna seconda registrazione, nessuna sovrascrittura',
    seat: 'ec',
    checks: duplicateChecks(['a second receipt for a closed position is acknowledged (KO PAA_RECEIPT_DUPLICATA or OK)', 'una seconda ricevuta per una posizione chiusa è riscontrata (KO PAA_RECEIPT_DUPLICATA oppure OK)']),
    writes: { payable: 1 },
    async run(t) {
      const n = await t.ownNotice('payable');
      const token = await payAndDeliver(t, n);
      const first = t.nodo.receiptFor(token);
      if (!first) return t.harnessError('the Nodo kept no receipt for the payment');
      const second: ReceiptData = { ...first, receiptId: `${token.slice(0, 25)}X2`, paymentDateTime: isoDateTime(t.clock.now() + 60_000) };
      judgeDuplicate(t, await deliverOnce(t, second), 'duplicate-answer');
      await checkUnchanged(t, n, first.receiptId);
    },
  },
  {
    id: 'EC-RT-03',
    title: 'Receipt for a notice the EC never issued and does not benefit from',
    titleIt: 'Ricevuta per un avviso mai emesso dall’EC e di cui non è beneficiario',
    seat: 'ec',
    // reading IF-A-29: KO PAA_PAGAMENTO_SCONOSCIUTO or PAA_SEMANTICA PASS, any other refusal WARNING, only an OK FAIL
    checks: [spec('unknown-receipt', ['a receipt for an unknown notice is refused (KO PAA_PAGAMENTO_SCONOSCIUTO or PAA_SEMANTICA; only OK is FAIL)', 'una ricevuta per un avviso sconosciuto è rifiutata (KO PAA_PAGAMENTO_SCONOSCIUTO o PAA_SEMANTICA; solo OK è FAIL)'], ['IF-paSendRT-F72', 'NM-X-VAL-01'])],
    writes: { unknown: 1 },
    async run(t) {
      const n = await t.ownNotice('unknown');
      const r = craftReceipt(t, { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amountCents: 1500, receiptId: `collaudo${n.noticeNumber}`, beneficiary: OTHER_EC });
      checkKo(t, await deliverOnce(t, r), { id: 'unknown-receipt', accept: ['PAA_PAGAMENTO_SCONOSCIUTO', 'PAA_SEMANTICA'], onlyOkFails: true });
    },
  },
  {
    id: 'EC-RT-04',
    title: 'EC unavailable when the receipt is sent: the Nodo sends it again after the backoff and the EC accepts the late receipt',
    titleIt: 'EC non disponibile all’invio della ricevuta: il Nodo la reinvia dopo il backoff e l’EC accetta la ricevuta tardiva',
    seat: 'ec',
    checks: [
      spec('late-receipt-accepted', ['the receipt sent again after the EC was unreachable (its first reception) is answered OK', 'la ricevuta reinviata dopo che l’EC era irraggiungibile (la sua prima ricezione) riceve esito OK'], 'NM-RT-RETRY-01'),
      spec('late-receipt-closes', ['the late receipt closes the position (verify answers PAA_PAGAMENTO_DUPLICATO)', 'la ricevuta tardiva chiude la posizione (la verifica risponde PAA_PAGAMENTO_DUPLICATO)'], ['NM-RT-RETRY-01', 'IF-paSendRT-F71']),
    ],
    writes: { payable: 1 },
    async run(t) {
      const n = await t.ownNotice('payable');
      // the first send never reaches the EC (connection refused): the EC is unavailable, nothing was processed
      t.faults.add({ side: 'outbound', primitive: rtPrimitive(t), match: { noticeNumber: n.noticeNumber }, fault: { kind: 'refused' }, times: 1 });
      const r = await t.psp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, { skipVerify: true, amountCents: n.amountCents ?? 1000 });
      // the outcome's answer may come late (the Nodo answers it after the delivery's backoff on the virtual clock): the token is enough
      if (!r.paymentToken) return t.inconclusive(notCompleted(r.activate ?? {}));
      const d = await delivered(t, { paymentToken: r.paymentToken }, n).catch(() => undefined);
      const sends = exchanges(t, rtPrimitive(t), n.noticeNumber);
      // the harness's own Nodo must have retried; if it did not, nothing about the EC can be judged
      if (sends.length < 2) return t.harnessError(`the harness Nodo sent the receipt ${sends.length} time(s) after an unreachable EC (delivery ${d?.state ?? 'not ended'}): no retry`);
      if (checkOk(t, sends[1]!, { id: 'late-receipt-accepted' })) checkKo(t, await verifyAtEc(t, n, 'closed by the late receipt?'), { id: 'late-receipt-closes', accept: ['PAA_PAGAMENTO_DUPLICATO'] });
      else t.notExercised('late-receipt-closes', ['the late receipt was not accepted', 'la ricevuta tardiva non è stata accettata']);
    },
  },
  {
    id: 'EC-RT-05',
    title: 'Stand-In receipt with a stale amount, for a notice the EC never saw verified or activated',
    titleIt: 'Ricevuta Stand-In con importo non aggiornato, per un avviso mai verificato né attivato presso l’EC',
    seat: 'ec',
    checks: [
      ...schemaChecks('receipt', 'IF-paSendRT-F40'),
      spec('standin-accepted', ['a Stand-In receipt (standIn=true, amount not updated) is answered OK', 'una ricevuta Stand-In (standIn=true, importo non aggiornato) riceve esito OK'], ['NM-SI-PAY-02', 'NM-SI-PAY-03', 'IF-paSendRT-F74', 'NM-RT-ERR-01']),
      // NM-SI-PAY-04: paid, or anomalous when the amount differs: another refusal is a WARNING, still payable a FAIL
      spec('standin-closes', ['the Stand-In receipt closes the position: verify answers PAA_PAGAMENTO_DUPLICATO (the position is paid, or anomalous since the amount differs)', 'la ricevuta Stand-In chiude la posizione: la verifica risponde PAA_PAGAMENTO_DUPLICATO (la posizione è pagata, o anomala perché l’importo differisce)'], 'NM-SI-PAY-04'),
    ],
    writes: { payable: 1 },
    // the second payable notice is read (paGetPayment) only when the profile lists no IBANs
    reads: { payable: 1 },
    async run(t) {
      const n = await t.ownNotice('payable');
      const stale = (n.amountCents ?? 1000) + 150;
      const account = await ecAccount(t, 0);
      const r = craftReceipt(t, { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amountCents: stale, receiptId: `SI${n.noticeNumber}`, beneficiary: n.fiscalCode, standIn: true, account });
      const a = await deliverOnce(t, r);
      checkSchema(t, a, rtPrimitive(t));
      if (!checkOk(t, a, { id: 'standin-accepted' })) return t.notExercised('standin-closes', ['the Stand-In receipt was not accepted', 'la ricevuta Stand-In non è stata accettata']);
      checkKo(t, await verifyAtEc(t, n, 'closed by the Stand-In receipt?'), { id: 'standin-closes', accept: ['PAA_PAGAMENTO_DUPLICATO'], otherKo: 'WARNING' });
    },
  },
  {
    id: 'EC-RT-06',
    title: 'Notice past its due date: still routed to the EC, which decides (OK or PAA_PAGAMENTO_SCADUTO); a receipt for it is accepted',
    titleIt: 'Avviso oltre la scadenza: instradato comunque all’EC, che decide (OK o PAA_PAGAMENTO_SCADUTO); una ricevuta per esso è accettata',
    seat: 'ec',
    checks: [
      spec('expired-decided', ['the EC answers verify of a notice past its due date with OK (current amount) or KO PAA_PAGAMENTO_SCADUTO', 'l’EC risponde alla verifica di un avviso oltre la scadenza con OK (importo aggiornato) o KO PAA_PAGAMENTO_SCADUTO'], 'NM-OPT-VAL-03'),
      spec('expired-receipt-accepted', ['a receipt for a notice past its due date is answered OK (the EC handles the anomaly internally)', 'una ricevuta per un avviso oltre la scadenza riceve esito OK (l’EC gestisce l’anomalia al proprio interno)'], 'NM-RT-ERR-01'),
    ],
    // the receipt closes the notice: its own, never the one EC-ERR-05/06 read
    writes: { expired: 1 },
    reads: { payable: 1 },
    async run(t) {
      const n = await t.ownNotice('expired');
      const v = await verifyAtEc(t, n, 'a notice past its due date');
      if (v.outcome === 'OK') t.check({ id: 'expired-decided', held: verifiedAmount(v) !== undefined, message: [`OK with amount ${verifiedAmount(v) ?? '(none)'}`, `OK con importo ${verifiedAmount(v) ?? '(nessuno)'}`], entries: [v.request, v.response] });
      else checkKo(t, v, { id: 'expired-decided', accept: ['PAA_PAGAMENTO_SCADUTO'] });
      const account = await ecAccount(t, 0);
      const r = craftReceipt(t, { fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amountCents: n.amountCents ?? 1000, receiptId: `EX${n.noticeNumber}`, beneficiary: n.fiscalCode, account });
      checkOk(t, await deliverOnce(t, r), { id: 'expired-receipt-accepted' });
    },
  },
  {
    id: 'EC-RT-07',
    title: 'Receipt as secondary beneficiary of a notice issued by another EC',
    titleIt: 'Ricevuta come beneficiario secondario di un avviso emesso da un altro EC',
    seat: 'ec',
    checks: [spec('secondary-accepted', ['the receipt addressed to the EC as secondary beneficiary is answered OK (never PAA_PAGAMENTO_SCONOSCIUTO)', 'la ricevuta indirizzata all’EC come beneficiario secondario riceve esito OK (mai PAA_PAGAMENTO_SCONOSCIUTO)'], 'NM-MB-RT-01')],
    reads: { payable: 1 },
    async run(t) {
      const notice = noticeAux3('99', String(t.clock.now()).slice(-13).padStart(13, '0'));
      const account = await ecAccount(t, 0);
      const r = craftReceipt(t, { fiscalCode: OTHER_EC, noticeNumber: notice, amountCents: 2500, receiptId: `MB${notice}`, beneficiary: t.station.idPA, account });
      r.transfers = [
        { ...r.transfers[0]!, idTransfer: 1, amount: 1500, fiscalCodePA: OTHER_EC, iban: makeIban('IT', 'X0200802435000104428964') },
        { ...r.transfers[0]!, idTransfer: 2, amount: 1000, fiscalCodePA: t.station.idPA },
      ];
      checkOk(t, await deliverOnce(t, r, t.station.idPA), { id: 'secondary-accepted' });
    },
  },
];
