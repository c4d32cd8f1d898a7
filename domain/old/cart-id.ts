// identificativoCarrello of a multi-beneficiary cart (nodoInviaCarrelloRPT with multiBeneficiario
// true). NodoPerPa.wsdl's stIdentificativoCarrello annotation: it "must necessarily" be
// idDominio(11) numeroAvviso(18) "-" Progressivo(5) (35 characters); the classic syntax
// Anno(4) idDominio(11) codiceSorgente(2) Progressivo(18) is for carts of several positions that are
// not multi-beneficiary (TR-32, A-02). Reading (A-36: the rule names no payment): the domain and
// the notice are those of one RPT of the cart, so the id names a payment the cart holds.
import { iuvOfNotice } from './ids.js';
import type { Bi } from '../../src/core/text.js';

const MB_CART_ID = /^(\d{11})(\d{18})-(\d{5})$/;

/** The multi-beneficiary cart id for a payment of the cart (its EC's domain and notice number). */
export function multiBeneficiaryCartId(idDominio: string, noticeNumber: string, progressivo: number): string {
  if (!/^\d{11}$/.test(idDominio)) throw new RangeError(`idDominio ${idDominio} is not 11 digits`);
  if (!/^\d{18}$/.test(noticeNumber)) throw new RangeError(`numeroAvviso ${noticeNumber} is not 18 digits`);
  return `${idDominio}${noticeNumber}-${String(progressivo % 100_000).padStart(5, '0')}`;
}

/** Why `id` is not the identificativoCarrello of a multi-beneficiary cart of these RPTs (undefined: it is). */
export function multiBeneficiaryCartIdProblem(id: string, rpts: readonly { idDominio: string; iuv: string }[]): string | undefined {
  return multiBeneficiaryCartIdProblemSaid(id, rpts)?.[0];
}

/** multiBeneficiaryCartIdProblem in English and Italian. */
export function multiBeneficiaryCartIdProblemSaid(id: string, rpts: readonly { idDominio: string; iuv: string }[]): Bi | undefined {
  const m = MB_CART_ID.exec(id);
  if (!m) {
    return [
      `identificativoCarrello ${id} of a multi-beneficiary cart (multiBeneficiario true) is not idDominio(11) numeroAvviso(18) "-" Progressivo(5) (NodoPerPa.wsdl stIdentificativoCarrello, TR-32)`,
      `identificativoCarrello ${id} di un carrello multi-beneficiario (multiBeneficiario=true) non ha la forma idDominio(11) numeroAvviso(18) "-" Progressivo(5) (NodoPerPa.wsdl stIdentificativoCarrello, TR-32)`,
    ];
  }
  const [, idDominio, numeroAvviso] = m as unknown as [string, string, string];
  const iuv = iuvOfNotice(numeroAvviso);
  if (!rpts.some((r) => r.idDominio === idDominio)) {
    const domains = [...new Set(rpts.map((r) => r.idDominio))].join(', ');
    return [
      `identificativoCarrello ${id}: idDominio ${idDominio} is not the domain of any RPT of the cart (${domains})`,
      `identificativoCarrello ${id}: idDominio ${idDominio} non è il dominio di alcuna RPT del carrello (${domains})`,
    ];
  }
  if (!rpts.some((r) => r.idDominio === idDominio && r.iuv === iuv)) {
    return [
      `identificativoCarrello ${id}: numeroAvviso ${numeroAvviso} is not the notice of an RPT of ${idDominio} in the cart (IUV ${iuv ?? '(none)'})`,
      `identificativoCarrello ${id}: numeroAvviso ${numeroAvviso} non è l'avviso di una RPT di ${idDominio} nel carrello (IUV ${iuv ?? '(nessuno)'})`,
    ];
  }
  return undefined;
}
