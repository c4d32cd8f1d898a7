// A spontaneous payment at the reference PSP, old model (OLD-PSP-PAY-05, L1848-1871, A-27): the PSP
// reads the Nodo's Catalogo dei Servizi (nodoChiediCatalogoServizi, L2234-2250) and stops when the
// service is not in it, asks a notice for the service with the payer's data (nodoChiediNumeroAvviso,
// relayed by the Nodo to the EC's paaChiediNumeroAvviso) and stops on a refusal, then pays the notice
// it got as modello 3 (./payments.ts payAtPsp) with datiPagamentoPA's amount, without verifying it:
// the EC has just given it.
import { toBase64 } from '../../../domain/old/index.js';
import type { OldPspDefect } from './defects.js';
import type { NodoReply, OldNodoClient } from './nodo-client.js';
import type { OldPspPayments, PspPaymentResult } from './payments.js';

/** What the trigger asks (old-psp-spontaneous params). */
export interface SpontaneousRequest {
  idServizio: string;
  /** the EC offering the service (the Ente Erogatore) */
  idDominio: string;
  /** the service's data: an XML document, or its base64 */
  datiSpecificiServizio: string;
}

const describe = (r: NodoReply) => (!r.usable ? (r.problem ?? 'no usable answer') : r.esito === 'OK' || !r.fault ? `esito ${r.esito ?? 'OK'}` : `KO ${r.fault.faultCode}${r.fault.description ? ` "${r.fault.description}"` : ''}`);

/** The data as nodoChiediNumeroAvviso carries them: base64 of the XML (data already base64 go as they are). */
export const datiB64 = (d: string): string => (d.trimStart().startsWith('<') ? toBase64(d) : d.replace(/\s+/g, ''));

export async function paySpontaneous(client: OldNodoClient, payments: OldPspPayments, has: (d: OldPspDefect) => boolean, r: SpontaneousRequest): Promise<PspPaymentResult> {
  if (!has('old-spont-no-catalogue')) {
    const cat = await client.catalogoServizi(r.idDominio);
    if (!cat.usable || !cat.services) return { result: 'failed', message: `nodoChiediCatalogoServizi: ${cat.usable ? 'no readable xmlCatalogoServizi' : describe(cat)}` };
    if (!cat.services.some((s) => s.idServizio === r.idServizio && s.idDominioErogatoreServizio === r.idDominio)) {
      return { result: 'not-paid', message: `service ${r.idServizio} of EC ${r.idDominio} is not in the Nodo's Catalogo dei Servizi` };
    }
  }
  // the defect: the catalogue's code is read wrong, one more on its last digit
  const idServizio = has('old-spont-wrong-service') ? r.idServizio.replace(/.$/, (d) => (/\d/.test(d) ? String((Number(d) + 1) % 10) : 'X')) : r.idServizio;
  const n = await client.chiediNumeroAvviso(idServizio, r.idDominio, datiB64(r.datiSpecificiServizio));
  if (!n.usable) return { result: 'failed', message: `nodoChiediNumeroAvviso: ${describe(n)}` };
  if (n.esito !== 'OK' || !n.notice || n.importo === undefined) return { result: 'not-paid', message: `nodoChiediNumeroAvviso ${describe(n)}: no notice to pay` };
  // the defect: the amount typed at the counter, 1.00 more than datiPagamentoPA's
  const amount = has('old-spont-amount-differs') ? n.importo + 100 : n.importo;
  const paid = await payments.payAtPsp(n.notice, { verify: false, printedCents: amount });
  return { ...paid, message: `notice ${n.notice.noticeNumber}: ${paid.message}` };
}
