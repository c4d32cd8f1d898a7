// PaPerNodoRichiestaAvvisi (P32 paaChiediNumeroAvviso): a spontaneous payment at the PSP
// (OLD-PSP-PAY-05, L1855-1861). The request names no service: datiSpecificiServizio is the data of
// one, and its root element (namespace and name, the service's published document) says which. The
// EC finds or creates the position for the debt the data identify and answers its notice and
// datiPagamentoPA; the PSP then pays it as modello 3 (nodoAttivaRPT). The catalogue names no PAA_*
// code for this primitive, so the table's general ones: data of no service the EC offers →
// PAA_SEMANTICA (description naming it); data unreadable or not matching the service's document →
// PAA_SINTASSI_XSD; nothing to pay → PAA_PAGAMENTO_SCONOSCIUTO; the debt already paid →
// PAA_PAGAMENTO_DUPLICATO, being paid → PAA_PAGAMENTO_IN_CORSO.
import type { Answer, RequestMessage } from '../../../src/wire/soap-endpoint.js';
import { type El, textOf } from '../../../src/wire/xml.js';
import type { EcPosition } from '../archive.js';
import { type DemandQuote, type DemandService, NotAcceptableError, NothingToPayError, ServiceDataError, parseServiceData } from '../services.js';
import type { Fault, OldStation } from './station.js';

export function paaChiediNumeroAvviso(st: OldStation, m: RequestMessage, services: readonly DemandService[]): Answer {
  const idDominio = textOf(m.header, 'identificativoDominio') ?? '';
  const found = quoteOf(st, idDominio, textOf(m.body, 'datiSpecificiServizio') ?? '', services);
  if ('code' in found) return st.ko(m.op, idDominio, found);
  const key = `${found.service.idServizio}|${found.quote.key}`;
  const p = positionFor(st, idDominio, key, found.quote);
  if ('code' in p) return st.ko(m.op, idDominio, p);
  // aux digit 3: the IUV is the segregation code and 15 digits (17), no application code
  return st.ok(m.op, { numeroAvviso: { auxDigit: p.noticeNumber[0], IUV: p.iuv }, datiPagamentoPA: st.datiPagamentoPA(p) });
}

/** The service the data belong to and the debt they identify, or the fault that refuses them. */
function quoteOf(st: OldStation, idDominio: string, b64: string, services: readonly DemandService[]): { service: DemandService; quote: DemandQuote } | Fault {
  let data: El;
  try {
    data = parseServiceData(b64, 'datiSpecificiServizio');
  } catch (e) {
    if (e instanceof ServiceDataError) return { code: 'PAA_SINTASSI_XSD', description: e.message };
    throw e;
  }
  const service = services.find((s) => s.namespace === data.ns && s.root === data.name);
  if (!service) {
    const what = `datiSpecificiServizio {${data.ns ?? ''}}${data.name} is the data of no service EC ${idDominio} offers (${services.map((s) => s.idServizio).join(', ')})`;
    if (!st.has('old-spont-unknown-ok')) return st.semantic(what);
    // the defect: any data opens a position of the first service, at a flat amount
    return { service: services[0]!, quote: { key: `unchecked|${b64}`, amount: 1000, description: services[0]!.name, transferCategory: '', debtor: { type: 'F', id: 'ANONIMO', fullName: 'ANONIMO' } } };
  }
  try {
    return { service, quote: service.quote(data) };
  } catch (e) {
    if (e instanceof ServiceDataError) return { code: 'PAA_SINTASSI_XSD', description: `datiSpecificiServizio of service ${service.idServizio}: ${e.message}` };
    if (e instanceof NothingToPayError) return { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: e.message };
    if (e instanceof NotAcceptableError) return st.semantic(e.message);
    throw e;
  }
}

/** The open position of the debt (L1859: the EC creates or finds it), a new one when none is open. */
function positionFor(st: OldStation, idDominio: string, key: string, q: DemandQuote): EcPosition | Fault {
  const archive = st.ec.archive;
  const held = archive.byDemandKey(idDominio, key);
  if (held && (held.state === 'paid' || held.state === 'in-progress')) return st.stateFault(held, idDominio, held.iuv)!;
  if (held?.state === 'payable') return held;
  // the defect: the counter of spontaneous notices is never moved on, every request gets the last one
  const last = st.has('old-spont-same-iuv') ? archive.all().filter((p) => p.origin === 'demand' && p.fiscalCode === idDominio).at(-1) : undefined;
  if (last) return last;
  // the defect: the due date is set a day early, so the position is born expired (the activation is refused)
  const state = st.has('old-spont-not-activatable') ? 'expired' : 'payable';
  const j = st.ec.provision({ state, amountCents: q.amount, description: q.description.slice(0, 140), fiscalCode: idDominio });
  const p = archive.get(j.fiscalCode, j.noticeNumber)!;
  Object.assign(p, { origin: 'demand', demandKey: key, debtor: q.debtor });
  return p;
}
