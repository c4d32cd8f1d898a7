// The documents the old-model station builds and reads (catalogue §1.6), on domain/old: the RPT of
// a position, the RT checked against its RPT (V-19/V-20, errors only: warnings do not refuse), the
// ER answering an RR, the RR of a storno. Amounts are integer cents.
import { isoDate, isoDateTime } from '../../../src/core/clock.js';
import type { Cents } from '../../../domain/common.js';
import { type DatiMarcaBolloDigitale, type Er, type Rpt, type Rr, type Rt, type TipoRevoca, type TipoVersamento, erFor, erXml, rrFor, rrXml, rtAgainstRpt } from '../../../domain/old/index.js';
import type { EcPosition } from '../archive.js';

export { readRt, readRr, readEr, rptXml, fromBase64, toBase64, DocumentError } from '../../../domain/old/index.js';
export type { Rpt, Rt, Rr, Er } from '../../../domain/old/index.js';

export interface RptInput {
  position: EcPosition;
  ccp: string;
  idStation: string;
  identificativoMessaggioRichiesta: string;
  now: number;
  tipoVersamento: TipoVersamento;
  /** the total to request (default: the position's amount); the difference goes on the first credit */
  amount?: Cents;
  /** the first credit is a digital revenue stamp: it carries datiMarcaBolloDigitale and no ibanAccredito (L1523) */
  stamp?: DatiMarcaBolloDigitale;
  /** the payer's account the PSP debits under a manleva (authorisation managed by the PSP, L1529) */
  ibanAddebito?: string;
}

/** The RPT of a position: one datiSingoloVersamento per transfer (1..5), Σ = total (TR-23, TR-24). */
export function rptOf(i: RptInput): Rpt {
  const p = i.position;
  const total = i.amount ?? p.amount;
  const extra = total - p.amount;
  return {
    versioneOggetto: '6.2.0',
    dominio: { identificativoDominio: p.fiscalCode, identificativoStazioneRichiedente: i.idStation },
    identificativoMessaggioRichiesta: i.identificativoMessaggioRichiesta,
    dataOraMessaggioRichiesta: isoDateTime(i.now),
    autenticazioneSoggetto: 'N/A',
    soggettoPagatore: {
      identificativoUnivocoPagatore: { tipoIdentificativoUnivoco: p.debtor.type, codiceIdentificativoUnivoco: p.debtor.id },
      anagraficaPagatore: p.debtor.fullName.slice(0, 70),
      ...(p.debtor.email ? { 'e-mailPagatore': p.debtor.email } : {}),
    },
    enteBeneficiario: {
      identificativoUnivocoBeneficiario: { tipoIdentificativoUnivoco: 'G', codiceIdentificativoUnivoco: p.fiscalCode },
      denominazioneBeneficiario: p.companyName.slice(0, 70),
    },
    datiVersamento: {
      dataEsecuzionePagamento: isoDate(i.now),
      importoTotaleDaVersare: total,
      tipoVersamento: i.tipoVersamento,
      identificativoUnivocoVersamento: p.iuv,
      codiceContestoPagamento: i.ccp,
      ...(i.ibanAddebito ? { ibanAddebito: i.ibanAddebito } : {}),
      firmaRicevuta: '0',
      datiSingoloVersamento: p.transfers.slice(0, 5).map((t, k) => {
        const stamp = k === 0 ? i.stamp : undefined;
        return {
          importoSingoloVersamento: t.amount + (k === 0 ? extra : 0),
          ...(stamp ? {} : { ibanAccredito: t.iban }),
          causaleVersamento: t.remittanceInformation.slice(0, 140),
          // TR-39: tipo contabilità 9 + the transfer's taxonomy code
          datiSpecificiRiscossione: `9/${t.transferCategory ?? '0101101IM'}`,
          ...(stamp ? { datiMarcaBolloDigitale: { ...stamp } } : {}),
        };
      }),
    },
  };
}

/** codiceEsitoPagamento 0 (eseguito) or 2 (parzialmente eseguito) pays (TR-43). */
export const rtPays = (rt: Rt): boolean => rt.datiPagamento.codiceEsitoPagamento === '0' || rt.datiPagamento.codiceEsitoPagamento === '2';

/** RT ↔ RPT problems that refuse the RT (V-19, V-20), each naming its rule and field. */
export function rtProblems(rpt: Rpt, rt: Rt): { rule: string; check: string; text: string }[] {
  return rtAgainstRpt(rpt, rt)
    .filter((p) => p.severity === 'error')
    .map((p) => ({ rule: p.rule, check: p.check, text: `${p.rule} ${p.field}: ${p.message}` }));
}

/** Σ singoloImportoRevocato = importoTotaleRevocato (TR-24). */
export function revocaSumProblem(d: { importoTotaleRevocato: Cents; datiSingolaRevoca: { singoloImportoRevocato: Cents }[] }): string | undefined {
  const sum = d.datiSingolaRevoca.reduce((a, s) => a + s.singoloImportoRevocato, 0);
  return sum === d.importoTotaleRevocato ? undefined : `TR-24 importoTotaleRevocato ${(d.importoTotaleRevocato / 100).toFixed(2)} is not the sum of singoloImportoRevocato ${(sum / 100).toFixed(2)}`;
}

/** The ER answering an RR: accepted (each amount revoked) or refused (0.00, TR-44). */
export function erOf(rr: Rr, o: { accepted: boolean; identificativoMessaggioEsito: string; now: number; causale: string }): { doc: Er; xml: string } {
  const doc = erFor(rr, { now: o.now, outcome: o.accepted ? 'accepted' : 'refused', identificativoMessaggioEsito: o.identificativoMessaggioEsito, causaleEsito: { accepted: o.causale, refused: o.causale } });
  return { doc, xml: erXml(doc) };
}

/** The RR of a storno for a paid RT (no tipoRevoca, V-28, unless a defect sets one). */
export function stornoRrOf(rt: Rt, o: { identificativoMessaggioRevoca: string; now: number; tipoRevoca?: TipoRevoca }): { doc: Rr; xml: string } {
  const doc = rrFor(rt, { now: o.now, identificativoMessaggioRevoca: o.identificativoMessaggioRevoca, causaleRevoca: 'Storno del pagamento richiesto dal cittadino' });
  // the codec writes fields in schema order whatever the object's
  if (o.tipoRevoca !== undefined) doc.datiRevoca.tipoRevoca = o.tipoRevoca;
  return { doc, xml: rrXml(doc) };
}
