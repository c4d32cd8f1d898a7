// paSendRT / paSendRTV2 (IF-paSendRT): the EC books the receipt once per receiptId and closes the
// position it issued (IF-paSendRT-F71), or books the transfers it benefits from (NM-MB-RT-01);
// duplicates and receipts for unknown notices are refused (IF-paSendRT-F72).
import { formatAmount, parseAmount } from '../../../domain/common.js';
import type { OutgoingSoap } from '../../../src/wire/http.js';
import { child, childrenNamed, textOf } from '../../../src/wire/xml.js';
import type { BookedReceipt, EcPosition } from '../archive.js';
import type { Ctx, EcStation } from '../station.js';

export function paSendRT(st: EcStation, ctx: Ctx, version: 1 | 2): OutgoingSoap {
  const { op, ec } = ctx;
  const r = child(ctx.body, 'receipt');
  const receiptId = textOf(r, 'receiptId');
  const fc = textOf(r, 'fiscalCode');
  const nn = textOf(r, 'noticeNumber');
  if (!r || !receiptId || !fc || !nn) return st.ko(op, ec, { code: 'PAA_SEMANTICA', description: 'receipt, receiptId, fiscalCode and noticeNumber are needed' });
  const standInText = textOf(r, 'standIn');
  const transfers = childrenNamed(child(r, 'transferList'), 'transfer').map((t) => ({
    idTransfer: Number(textOf(t, 'idTransfer')),
    fiscalCodePA: textOf(t, 'fiscalCodePA') ?? '',
    amount: parseAmount(textOf(t, 'transferAmount')),
    mbd: !!child(t, 'MBDAttachment'),
  }));
  const booking: BookedReceipt = {
    idPA: ec.fiscalCode,
    receiptId,
    fiscalCode: fc,
    noticeNumber: nn,
    creditorReferenceId: textOf(r, 'creditorReferenceId'),
    paymentAmount: parseAmount(textOf(r, 'paymentAmount')),
    standIn: standInText === 'true' || standInText === '1',
    version,
    role: 'issuer',
    transfers,
    idPSP: textOf(r, 'idPSP'),
    paymentDateTime: textOf(r, 'paymentDateTime'),
    bookedAt: st.nowIso(),
    anomalies: [],
  };

  // (4) duplicate message: the same receipt again (IF-paSendRT-F72 a)
  const same = st.archive.receiptsById(ec.fiscalCode, receiptId);
  if (same.length) return duplicate(st, ctx, booking, `receipt ${receiptId} was already acquired at ${same[0]!.bookedAt}`);

  // (5) semantics: receipts are generated only for executed payments (IF-paSendRT-F70, NM-RT-VAL-01)
  const outcome = textOf(r, 'outcome');
  if (outcome !== 'OK') {
    return st.ko(op, ec, { code: 'PAA_SEMANTICA', description: `receipt ${receiptId} has outcome ${outcome}: only executed payments are receipted` });
  }

  if (fc === ec.fiscalCode) {
    const p = st.archive.get(fc, nn);
    if (!p) return unknownReceipt(st, ctx, booking, `notice ${fc}/${nn} was never issued by EC ${fc}`);
    if (p.state === 'paid') {
      const by = st.archive.receiptsForNotice(ec.fiscalCode, fc, nn)[0];
      return duplicate(st, ctx, booking, by ? `position ${fc}/${nn} is already closed by receipt ${by.receiptId}` : `position ${fc}/${nn} is already paid`, p);
    }
    if (booking.paymentAmount !== undefined && booking.paymentAmount !== p.amount) {
      if (st.has('standin-amount-refused')) {
        return st.ko(op, ec, { code: 'PAA_SEMANTICA', description: `receipt amount ${formatAmount(booking.paymentAmount)} differs from the amount due ${formatAmount(p.amount)}` });
      }
      // accepted: a Stand-In receipt may carry the ACA amount (IF-paSendRT-F74, NM-SI-PAY-02)
      booking.anomalies.push(`${booking.standIn ? 'stand-in ' : ''}amount ${formatAmount(booking.paymentAmount)} differs from the amount due ${formatAmount(p.amount)}`);
    }
    if (p.state === 'expired' && st.has('receipt-ko-on-expired')) {
      return st.ko(op, ec, { code: 'PAA_PAGAMENTO_SCADUTO', description: `notice ${fc}/${nn} expired on ${p.dueDate}` });
    }
    // a stamp transfer's MBDAttachment must be the stamp bound to the document's hash (NM-BOLLO-PAY-01)
    const stamp = st.frontEnd.stamps.get(nn);
    if (stamp && version === 2) {
      const mbdEl = childrenNamed(child(r, 'transferList'), 'transfer').map((t) => textOf(t, 'MBDAttachment')).find((x) => x !== undefined);
      if (st.has('mbd-refused') && mbdEl !== undefined) return st.ko(op, ec, { code: 'PAA_SEMANTICA', description: 'unexpected element MBDAttachment in the transfer' });
      const decoded = mbdEl ? Buffer.from(mbdEl, 'base64').toString('utf8') : '';
      if (!decoded.includes(`<DigestValue>${stamp.hashDocumento}</DigestValue>`)) booking.anomalies.push('digital stamp missing or not bound to the document hash');
    }
    if (p.state !== 'payable') booking.anomalies.push(`paid while the position was ${p.state}`);
    if (booking.creditorReferenceId !== undefined && booking.creditorReferenceId !== p.iuv) {
      booking.anomalies.push(`creditorReferenceId ${booking.creditorReferenceId} differs from IUV ${p.iuv}`);
    }
    st.archive.book(booking);
    // the EC closes the position and considers it fully paid (IF-paSendRT-F71)
    if (!st.has('receipt-leaves-open')) st.archive.setState(p, 'paid', `${op.name} ${receiptId}`, booking.bookedAt);
    st.frontEnd.afterPaid(fc, nn);
    return st.ok(op, {});
  }

  // addressed to an EC that did not issue the notice: a beneficiary of some transfer? (NM-MB-RT-01)
  const own = transfers.filter((t) => t.fiscalCodePA === ec.fiscalCode);
  if (!own.length) return unknownReceipt(st, ctx, booking, `EC ${ec.fiscalCode} neither issued notice ${fc}/${nn} nor benefits from any of its transfers`);
  if (st.has('secondary-receipt-unknown')) {
    return st.ko(op, ec, { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: `notice ${fc}/${nn} is unknown to EC ${ec.fiscalCode}` });
  }
  const prior = st.archive.receiptsForNotice(ec.fiscalCode, fc, nn);
  if (prior.length) return duplicate(st, ctx, { ...booking, role: 'beneficiary', transfers: own }, `notice ${fc}/${nn} was already credited to EC ${ec.fiscalCode} by receipt ${prior[0]!.receiptId}`);
  st.archive.book({ ...booking, role: 'beneficiary', transfers: own });
  return st.ok(op, {});
}

/** A receipt already acquired: never booked twice (IF-paSendRT-F72 a, IF-A-28). */
function duplicate(st: EcStation, ctx: Ctx, booking: BookedReceipt, description: string, closed?: EcPosition): OutgoingSoap {
  if (st.has('duplicate-receipt-system-error')) {
    return st.ko(ctx.op, ctx.ec, { code: 'PAA_SYSTEM_ERROR', description: 'unique constraint violated while storing the receipt' });
  }
  if (st.has('duplicate-receipt-rebooked')) {
    st.archive.book({ ...booking, anomalies: [...booking.anomalies, 'booked again'] });
    if (closed) closed.history.push({ at: booking.bookedAt, from: closed.state, to: 'paid', cause: `${ctx.op.name} ${booking.receiptId} (re-booked)` });
    return st.ok(ctx.op, {});
  }
  return st.ko(ctx.op, ctx.ec, { code: 'PAA_RECEIPT_DUPLICATA', description });
}

/** A receipt for a notice the EC never issued and does not benefit from (IF-paSendRT-F72 b, IF-A-29). */
function unknownReceipt(st: EcStation, ctx: Ctx, booking: BookedReceipt, description: string): OutgoingSoap {
  if (st.has('receipt-unknown-ok')) {
    st.archive.book({ ...booking, role: 'orphan', anomalies: ['receipt for an unknown notice'] });
    return st.ok(ctx.op, {});
  }
  return st.ko(ctx.op, ctx.ec, { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description });
}
