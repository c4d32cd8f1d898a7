// paGetPayment / paGetPaymentV2 (IF-paGetPayment): the EC's current data of the notice, transfers
// with their IBANs (postal ones for Poste) or, in V2 only, a digital-stamp request; the position
// stays open.
import type { Subject } from '../../../domain/common.js';
import type { OutgoingSoap } from '../../../src/wire/http.js';
import { type NodeObj, textOf } from '../../../src/wire/xml.js';
import { type Ctx, type EcStation, LATE_ANSWER_MS } from '../station.js';

export async function paGetPayment(st: EcStation, ctx: Ctx, v2: boolean): Promise<OutgoingSoap> {
  if (st.has('late-answer')) await st.opts.clock.spend(LATE_ANSWER_MS);
  const l = st.lookup(ctx);
  if ('code' in l) return st.ko(ctx.op, ctx.ec, l);
  const f = st.stateFault(l.p, l.fc, l.nn, false);
  if (f || !l.p) return st.ko(ctx.op, ctx.ec, f ?? { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: 'unknown notice' });
  const p = l.p;
  // The amount the PSP declared (F05) does not bind the EC: its current data prevail (IF-A-16).
  const postal = textOf(ctx.body, 'transferType') === 'POSTAL';
  // a digital-stamp transfer (richiestaMarcaDaBollo instead of IBAN) travels only in V2 (NM-BOLLO-VAL-01)
  const stamp = st.frontEnd.stamps.get(p.noticeNumber);
  if (stamp && !v2) return st.ko(ctx.op, ctx.ec, { code: 'PAA_SEMANTICA', description: `notice ${p.noticeNumber} carries a digital stamp: it is payable only through paGetPaymentV2` });
  const transfers = p.transfers.map((t) => ({
    idTransfer: t.idTransfer,
    transferAmount: st.amount(t.amount),
    fiscalCodePA: t.fiscalCodePA,
    ...(v2 ? { companyName: t.companyName } : {}),
    ...(stamp && stamp.idTransfer === t.idTransfer
      ? { richiestaMarcaDaBollo: { hashDocumento: stamp.hashDocumento, tipoBollo: stamp.tipoBollo, provinciaResidenza: stamp.provinciaResidenza } }
      : { IBAN: st.wireIban(t.fiscalCodePA, t.iban, postal) }),
    remittanceInformation: t.remittanceInformation,
    transferCategory: t.transferCategory,
  }));
  const total = p.amount + (st.has('amount-not-sum') ? 100 : 0);
  const data: NodeObj = {
    creditorReferenceId: p.iuv,
    paymentAmount: st.amount(total),
    dueDate: st.has('drop-due-date') ? undefined : p.dueDate,
    description: p.description.slice(0, 140),
    companyName: v2 && st.has('v2-missing-company') ? undefined : p.companyName,
    officeName: p.officeName,
    debtor: subjectNode(p.debtor),
    transferList: { transfer: transfers },
    metadata: p.metadata ? { mapEntry: Object.entries(p.metadata).map(([key, value]) => ({ key, value })) } : undefined,
  };
  // the position stays open during activation (IF-paGetPayment-F74) — unless getpayment-locks
  if (st.has('getpayment-locks') && p.state === 'payable') st.archive.setState(p, 'in-progress', ctx.op.name, st.nowIso());
  return st.ok(ctx.op, { data });
}

function subjectNode(s: Subject): NodeObj {
  return {
    uniqueIdentifier: { entityUniqueIdentifierType: s.type, entityUniqueIdentifierValue: s.id },
    fullName: s.fullName,
    'e-mail': s.email,
  };
}
