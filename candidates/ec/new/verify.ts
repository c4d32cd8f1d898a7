// paVerifyPaymentNotice (IF-paVerifyPaymentNotice): the notice's one payment option, with allCCP;
// the position stays open. The same answer body tells the notice created by paDemandPaymentNotice.
import type { OutgoingSoap } from '../../../src/wire/http.js';
import type { NodeObj } from '../../../src/wire/xml.js';
import type { EcPosition } from '../archive.js';
import type { Ctx, EcStation } from '../station.js';

/** The notice as verify and demand describe it (paymentList … officeName, in schema order). */
export function noticeAnswer(p: EcPosition, o: { amount: string; allCCP: boolean; fiscalCodePA: string; companyName: string | undefined }): NodeObj {
  return {
    paymentList: {
      paymentOptionDescription: {
        amount: o.amount,
        options: 'EQ',
        dueDate: p.dueDate,
        detailDescription: p.description.slice(0, 140),
        allCCP: o.allCCP,
      },
    },
    paymentDescription: p.description.slice(0, 140),
    fiscalCodePA: o.fiscalCodePA,
    companyName: o.companyName,
    officeName: p.officeName,
  };
}

export function paVerifyPaymentNotice(st: EcStation, ctx: Ctx): OutgoingSoap {
  const l = st.lookup(ctx);
  if ('code' in l) return st.ko(ctx.op, ctx.ec, l);
  const f = st.stateFault(l.p, l.fc, l.nn, true);
  if (f || !l.p) return st.ko(ctx.op, ctx.ec, f ?? { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: 'unknown notice' });
  const p = l.p;
  // the debt position stays open during verify (IF-paVerifyPaymentNotice-F72) — unless verify-locks
  if (st.has('verify-locks') && p.state === 'payable') st.archive.setState(p, 'in-progress', 'paVerifyPaymentNotice', st.nowIso());
  return st.ok(
    ctx.op,
    noticeAnswer(p, {
      amount: st.amount(p.amount),
      allCCP: st.allCCP(p),
      fiscalCodePA: st.has('verify-wrong-fiscalcode') ? otherFiscalCode(st, p.fiscalCode) : p.fiscalCode,
      companyName: st.has('verify-missing-company') ? undefined : p.companyName,
    }),
  );
}

/** A fiscal code of some other EC (the verify-wrong-fiscalcode defect). */
function otherFiscalCode(st: EcStation, fc: string): string {
  const sibling = [...st.ecs.keys()].find((k) => k !== fc);
  if (sibling) return sibling;
  if (/^[0-9]{11}$/.test(st.opts.idBrokerPA) && st.opts.idBrokerPA !== fc) return st.opts.idBrokerPA;
  return fc.slice(0, 10) + String((Number(fc[10]) + 1) % 10);
}
