// paDemandPaymentNotice (IF-paDemandPaymentNotice, NM-SPONT-*): a spontaneous service quotes the
// debt its data identify; the EC opens a position for it (or returns the open one for the same
// debt) and describes it as verify does.
import { isoDate, isoDateTime } from '../../../src/core/clock.js';
import { formatAmount } from '../../../domain/common.js';
import type { OutgoingSoap } from '../../../src/wire/http.js';
import { textOf } from '../../../src/wire/xml.js';
import type { EcPosition } from '../archive.js';
import { type DemandQuote, NotAcceptableError, NothingToPayError, ServiceDataError, readServiceData } from '../services.js';
import { type Ctx, type EcStation, type ServedEc, TAXONOMY } from '../station.js';
import { noticeAnswer } from './verify.js';

export function paDemandPaymentNotice(st: EcStation, ctx: Ctx): OutgoingSoap {
  const { op, ec, body } = ctx;
  const idServizio = textOf(body, 'idServizio') ?? '';
  const idSoggettoServizio = textOf(body, 'idSoggettoServizio') ?? '';
  const service = st.services.find((s) => s.idServizio === idServizio);
  if (!service) return st.ko(op, ec, { code: 'PAA_SEMANTICA', description: `service ${idServizio} is not offered by EC ${ec.fiscalCode}` });
  if (service.idSoggettoServizio !== idSoggettoServizio) {
    return st.ko(op, ec, { code: 'PAA_SEMANTICA', description: `idSoggettoServizio ${idSoggettoServizio} is not a subject of service ${idServizio}` });
  }
  let quote: DemandQuote;
  try {
    quote = service.quote(readServiceData(service, textOf(body, 'datiSpecificiServizioRequest') ?? ''));
  } catch (e) {
    if (e instanceof ServiceDataError) {
      if (!st.has('demand-ignores-data')) return st.ko(op, ec, { code: 'PAA_SINTASSI_XSD', description: e.message });
      quote = { key: `unchecked|${st.seq}`, amount: 1000, description: service.name, transferCategory: TAXONOMY[0]!, debtor: { type: 'F', id: 'ANONIMO', fullName: 'ANONIMO' } };
    } else if (e instanceof NothingToPayError) {
      return st.ko(op, ec, { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: e.message });
    } else if (e instanceof NotAcceptableError) {
      return st.ko(op, ec, { code: 'PAA_SEMANTICA', description: e.message });
    } else throw e;
  }
  const key = `${idServizio}|${quote.key}`;
  let p = st.archive.byDemandKey(ec.fiscalCode, key);
  if (p && p.state === 'paid') return st.ko(op, ec, { code: 'PAA_PAGAMENTO_DUPLICATO', description: `${quote.description}: already paid with notice ${p.noticeNumber}` });
  if (!p || p.state !== 'payable') p = createDemanded(st, ec, key, quote);
  // the position is created open and stays open (IF-paDemandPaymentNotice-F70)
  return st.ok(op, {
    qrCode: { fiscalCode: p.fiscalCode, noticeNumber: p.noticeNumber },
    ...noticeAnswer(p, { amount: formatAmount(p.amount), allCCP: st.allCCP(p), fiscalCodePA: p.fiscalCode, companyName: p.companyName }),
  });
}

function createDemanded(st: EcStation, ec: ServedEc, key: string, q: DemandQuote): EcPosition {
  const now = st.opts.clock.now();
  const noticeNumber = st.freshNotice();
  const iuv = noticeNumber.slice(1);
  const [t] = st.split(ec, iuv, q.amount, 1, q.description);
  const p: EcPosition = {
    fiscalCode: ec.fiscalCode,
    noticeNumber,
    iuv,
    amount: q.amount,
    description: q.description.slice(0, 140),
    companyName: ec.companyName,
    officeName: ec.officeName,
    dueDate: isoDate(now + 30 * 86_400_000),
    debtor: q.debtor,
    transfers: [{ ...t!, transferCategory: q.transferCategory }],
    state: 'payable',
    origin: 'demand',
    demandKey: key,
    createdAt: isoDateTime(now),
    history: [{ at: isoDateTime(now), from: null, to: 'payable', cause: 'paDemandPaymentNotice' }],
  };
  st.archive.put(p);
  return p;
}
