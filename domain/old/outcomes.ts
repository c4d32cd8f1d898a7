// The documents one party builds in answer to another's: the RT for an RPT (positive, negative, the
// decorrenza-termini forms), the RR for an RT (revoca by the PSP with tipoRevoca, storno by the EC
// without, catalogue §1.6), the ER for an RR (refused transfers revoke 0.00, TR-44) and the ackRT for
// an RT. Pure functions: the time is the injected clock's, passed in as `now` (ms); what they copy
// from their input is copied deep, so changing the answer never changes the request.
import { isoDate, isoDateTime } from '../../src/core/clock.js';
import type { Cents } from '../common.js';
import { HARNESS_PSP } from '../harness-parties.js';
import type { AckRt, CodiceEsitoPagamento, DatiSingoloPagamentoRt, Er, IstitutoAttestante, IstitutoMittente, Rpt, Rr, Rt, TipoRevoca } from './types.js';

const stamp = (now: number) => new Date(now).toISOString().replace(/\D/g, '').slice(0, 14);
const sum = (xs: Cents[]) => xs.reduce((a, b) => a + b, 0);
/** The xs:date part of an xs:dateTime. */
export const datePart = (dateTime: string): string => dateTime.slice(0, 10);

/** The harness's emulated PSP as the attesting institution (identified by its BIC, TR-48). */
export const HARNESS_ATTESTANTE: IstitutoAttestante = {
  identificativoUnivocoAttestante: { tipoIdentificativoUnivoco: 'B', codiceIdentificativoUnivoco: HARNESS_PSP.idPSP },
  denominazioneAttestante: HARNESS_PSP.companyName,
};

// ---------- RT ----------

/**
 * The outcome an RT reports (TR-43): 'positive' (0, every transfer paid), 'negative' (1, nothing
 * paid), 'expired' (3, decorrenza termini: nothing paid before the deadline), or a partial outcome
 * (2, or 4 when `expired`) naming which transfers were paid.
 */
export type RtOutcome = 'positive' | 'negative' | 'expired' | { paid: boolean[]; expired?: boolean };

export interface RtOptions {
  /** the injected clock's time (ms): dataOraMessaggioRicevuta and dataEsitoSingoloPagamento */
  now: number;
  istitutoAttestante?: IstitutoAttestante;
  identificativoMessaggioRicevuta?: string;
  /** IUR of the i-th transfer (0-based); default: one IUR for the payment, as one debit (L571) */
  iur?: (i: number) => string;
  /** IUR of a transfer that was not paid (the XSD wants one); default "n/a" */
  iurNotPaid?: string;
  /** esitoSingoloPagamento of a transfer not paid (required when its amount is 0.00, TR-43) */
  esitoNotPaid?: string;
  /** esitoSingoloPagamento of a paid transfer (optional in the XSD) */
  esitoPaid?: string;
  commissioniApplicatePSP?: Cents;
  /** negative / expired RTs: one datiSingoloPagamento per transfer at 0.00 ('each', default) or none ('none') — both XSD-valid */
  singoliNotPaid?: 'each' | 'none';
}

const CODICE: Record<'positive' | 'negative' | 'expired', CodiceEsitoPagamento> = { positive: '0', negative: '1', expired: '3' };

/** The RT a PSP (or the Nodo, for negative and expiry RTs) builds for an RPT. */
export function rtFor(rpt: Rpt, outcome: RtOutcome, opts: RtOptions): Rt {
  const dv = rpt.datiVersamento;
  const n = dv.datiSingoloVersamento.length;
  let paid: boolean[];
  let codice: CodiceEsitoPagamento;
  if (typeof outcome === 'string') {
    codice = CODICE[outcome];
    paid = new Array<boolean>(n).fill(outcome === 'positive');
  } else {
    if (outcome.paid.length !== n) throw new RangeError(`partial outcome names ${outcome.paid.length} transfers, the RPT has ${n}`);
    if (!outcome.paid.some(Boolean) || outcome.paid.every(Boolean)) throw new RangeError('a partial outcome pays some transfers and not others');
    paid = outcome.paid;
    codice = outcome.expired ? '4' : '2';
  }
  const today = isoDate(opts.now);
  const iur = opts.iur ?? (() => `IUR${stamp(opts.now)}${dv.identificativoUnivocoVersamento}`.slice(0, 35));
  const expired = codice === '3' || codice === '4';
  const singoli: DatiSingoloPagamentoRt[] = dv.datiSingoloVersamento.map((s, i) => {
    const ok = paid[i]!;
    return {
      singoloImportoPagato: ok ? s.importoSingoloVersamento : 0,
      ...(ok ? (opts.esitoPaid ? { esitoSingoloPagamento: opts.esitoPaid } : {}) : { esitoSingoloPagamento: opts.esitoNotPaid ?? (expired ? 'Decorrenza termini' : 'Pagamento non eseguito') }),
      dataEsitoSingoloPagamento: today,
      identificativoUnivocoRiscossione: ok ? iur(i) : (opts.iurNotPaid ?? 'n/a'),
      causaleVersamento: s.causaleVersamento,
      datiSpecificiRiscossione: s.datiSpecificiRiscossione,
      ...(ok && opts.commissioniApplicatePSP !== undefined ? { commissioniApplicatePSP: opts.commissioniApplicatePSP } : {}),
    };
  });
  const nothingPaid = !paid.some(Boolean);
  const keep = !(nothingPaid && opts.singoliNotPaid === 'none');
  return {
    versioneOggetto: rpt.versioneOggetto,
    dominio: { ...rpt.dominio },
    identificativoMessaggioRicevuta: opts.identificativoMessaggioRicevuta ?? `RT${stamp(opts.now)}${dv.identificativoUnivocoVersamento}`.slice(0, 35),
    dataOraMessaggioRicevuta: isoDateTime(opts.now),
    riferimentoMessaggioRichiesta: rpt.identificativoMessaggioRichiesta,
    riferimentoDataRichiesta: datePart(rpt.dataOraMessaggioRichiesta),
    istitutoAttestante: structuredClone(opts.istitutoAttestante ?? HARNESS_ATTESTANTE),
    enteBeneficiario: structuredClone(rpt.enteBeneficiario),
    ...(rpt.soggettoVersante ? { soggettoVersante: structuredClone(rpt.soggettoVersante) } : {}),
    soggettoPagatore: structuredClone(rpt.soggettoPagatore),
    datiPagamento: {
      codiceEsitoPagamento: codice,
      importoTotalePagato: sum(singoli.map((s) => s.singoloImportoPagato)),
      identificativoUnivocoVersamento: dv.identificativoUnivocoVersamento,
      CodiceContestoPagamento: dv.codiceContestoPagamento,
      ...(keep ? { datiSingoloPagamento: singoli } : {}),
    },
  };
}

// ---------- RR / ER ----------

/** The RT's attesting PSP as the RR/ER sender block (same information, "Mittente" names). */
export function mittenteOf(a: IstitutoAttestante): IstitutoMittente {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(structuredClone(a))) out[k.replace(/Attestante$/, 'Mittente')] = v;
  return out as unknown as IstitutoMittente;
}

export interface RrOptions {
  now: number;
  /** present: a PSP's revoca (1 = annullo tecnico); absent: the EC's storno (catalogue §1.6, V-28) */
  tipoRevoca?: TipoRevoca;
  identificativoMessaggioRevoca?: string;
  /** default: the RT's attesting PSP */
  istitutoAttestante?: IstitutoMittente;
  /** amount revoked per datiSingoloPagamento of the RT; default what each paid */
  importi?: Cents[];
  causaleRevoca?: string;
  datiAggiuntiviRevoca?: string;
}

/** The RR for an RT: one datiSingolaRevoca per datiSingoloPagamento, same IUV, CCP and IUR. */
export function rrFor(rt: Rt, opts: RrOptions): Rr {
  const singoli = rt.datiPagamento.datiSingoloPagamento ?? [];
  if (singoli.length === 0) throw new RangeError('the RT has no datiSingoloPagamento to revoke');
  const importi = opts.importi ?? singoli.map((s) => s.singoloImportoPagato);
  if (importi.length !== singoli.length) throw new RangeError(`importi names ${importi.length} transfers, the RT has ${singoli.length}`);
  const storno = opts.tipoRevoca === undefined;
  return {
    versioneOggetto: rt.versioneOggetto,
    dominio: { ...rt.dominio },
    identificativoMessaggioRevoca: opts.identificativoMessaggioRevoca ?? `RR${stamp(opts.now)}${rt.datiPagamento.identificativoUnivocoVersamento}`.slice(0, 35),
    dataOraMessaggioRevoca: isoDateTime(opts.now),
    istitutoAttestante: opts.istitutoAttestante ?? mittenteOf(rt.istitutoAttestante),
    ...(rt.soggettoVersante ? { soggettoVersante: structuredClone(rt.soggettoVersante) } : {}),
    soggettoPagatore: structuredClone(rt.soggettoPagatore),
    datiRevoca: {
      importoTotaleRevocato: sum(importi),
      identificativoUnivocoVersamento: rt.datiPagamento.identificativoUnivocoVersamento,
      codiceContestoPagamento: rt.datiPagamento.CodiceContestoPagamento,
      ...(storno ? {} : { tipoRevoca: opts.tipoRevoca }),
      datiSingolaRevoca: singoli.map((s, i) => ({
        singoloImportoRevocato: importi[i]!,
        identificativoUnivocoRiscossione: s.identificativoUnivocoRiscossione,
        causaleRevoca: opts.causaleRevoca ?? (storno ? 'Storno del pagamento' : 'Revoca del pagamento'),
        datiAggiuntiviRevoca: opts.datiAggiuntiviRevoca ?? s.causaleVersamento,
      })),
    },
  };
}

export interface ErOptions {
  now: number;
  /** the whole RR accepted or refused, or per datiSingolaRevoca */
  outcome: 'accepted' | 'refused' | boolean[];
  identificativoMessaggioEsito?: string;
  causaleEsito?: { accepted: string; refused: string };
  datiAggiuntiviEsito?: string;
}

/** The ER for an RR: refused transfers revoke 0.00 (catalogue §1.6, TR-44); the sender block and the parties are the RR's. */
export function erFor(rr: Rr, opts: ErOptions): Er {
  const singole = rr.datiRevoca.datiSingolaRevoca;
  const accepted = Array.isArray(opts.outcome) ? opts.outcome : new Array<boolean>(singole.length).fill(opts.outcome === 'accepted');
  if (accepted.length !== singole.length) throw new RangeError(`outcome names ${accepted.length} transfers, the RR has ${singole.length}`);
  const causale = opts.causaleEsito ?? { accepted: 'Revoca accettata', refused: 'Revoca rifiutata' };
  const esiti = singole.map((s, i) => ({
    singoloImportoRevocato: accepted[i] ? s.singoloImportoRevocato : 0,
    identificativoUnivocoRiscossione: s.identificativoUnivocoRiscossione,
    causaleEsito: accepted[i] ? causale.accepted : causale.refused,
    datiAggiuntiviEsito: opts.datiAggiuntiviEsito ?? s.datiAggiuntiviRevoca,
  }));
  return {
    versioneOggetto: rr.versioneOggetto,
    dominio: { ...rr.dominio },
    identificativoMessaggioEsito: opts.identificativoMessaggioEsito ?? `ER${stamp(opts.now)}${rr.datiRevoca.identificativoUnivocoVersamento}`.slice(0, 35),
    dataOraMessaggioEsito: isoDateTime(opts.now),
    riferimentoMessaggioRevoca: rr.identificativoMessaggioRevoca,
    riferimentoDataRevoca: datePart(rr.dataOraMessaggioRevoca),
    istitutoAttestante: structuredClone(rr.istitutoAttestante),
    ...(rr.soggettoVersante ? { soggettoVersante: structuredClone(rr.soggettoVersante) } : {}),
    soggettoPagatore: structuredClone(rr.soggettoPagatore),
    datiRevoca: {
      importoTotaleRevocato: sum(esiti.map((e) => e.singoloImportoRevocato)),
      identificativoUnivocoVersamento: rr.datiRevoca.identificativoUnivocoVersamento,
      codiceContestoPagamento: rr.datiRevoca.codiceContestoPagamento,
      datiSingolaRevoca: esiti,
    },
  };
}

// ---------- ackRT ----------

export interface AckOptions {
  now: number;
  /** who acknowledges (≤ 25 characters), e.g. the Nodo's id */
  mittenteACK: string;
  /** who sent the RT (≤ 25), e.g. the PSP's id */
  mittenteMessaggioReferenziato: string;
  identificativoACK?: string;
  /** absent: ACTC; present: RJCT with this reason (V-33) */
  rejection?: { codiceErrore: string; elementoReferenziato?: string; InformazioniAggiuntive?: string[] };
}

/** The ackRT (pspInviaAckRT) for an RT fetched with pspChiediRT (TR-45, V-33). */
export function ackFor(rt: Rt, opts: AckOptions): AckRt {
  return {
    identificativoACK: opts.identificativoACK ?? `ACK${stamp(opts.now)}${rt.datiPagamento.identificativoUnivocoVersamento}`.slice(0, 35),
    dataOraACK: isoDateTime(opts.now),
    mittenteACK: opts.mittenteACK,
    datiMessaggioReferenziato: {
      identificativoDominio: rt.dominio.identificativoDominio,
      identificativoUnivocoVersamento: rt.datiPagamento.identificativoUnivocoVersamento,
      codiceContestoPagamento: rt.datiPagamento.CodiceContestoPagamento,
      identificativoMessaggioReferenziato: rt.identificativoMessaggioRicevuta,
      dataOraMessaggioReferenziato: rt.dataOraMessaggioRicevuta,
      tipologiaMessaggioReferenziato: 'RT',
      mittenteMessaggioReferenziato: opts.mittenteMessaggioReferenziato,
    },
    informazioniStatoMessaggioReferenziato: opts.rejection
      ? { statoMessaggioReferenziato: 'RJCT', motivazioneStatoErrato: opts.rejection }
      : { statoMessaggioReferenziato: 'ACTC' },
  };
}
