// The business documents of the old model (SANP 2.2.6, catalogue §1.6) as plain data: field names are
// the XSD's (Italian, including the RT's capitalised CodiceContestoPagamento and the e-mail fields),
// amounts are integer cents, dates are strings in the XSD's form (xs:date YYYY-MM-DD, xs:dateTime
// YYYY-MM-DDThh:mm:ss). Optional fields are the XSD's minOccurs="0"; arrays are repeated elements.
import type { Cents } from '../common.js';

/** Namespaces of the documents (interfaces/old/documents/*.xsd). */
export const NS_OLD = {
  /** RPT and RT (PagInf_RPT_RT_6_2_0.xsd) */
  pagamenti: 'http://www.digitpa.gov.it/schemas/2011/Pagamenti/',
  /** RR and ER (RR_ER_1_0_0.xsd) */
  revoche: 'http://www.digitpa.gov.it/schemas/2011/Pagamenti/Revoche/',
  /** ackRT (ACK_PagamentiTelematici_6_0_1.xsd) */
  ack: 'http://www.cnipa.gov.it/schemas/2010/Pagamenti/Ack_1_0/',
  /** codiceIdRPT forms (IdRPT_*_v04.xsd) */
  qrCode: 'http://PuntoAccessoPSP.spcoop.gov.it/QrCode',
  barCode: 'http://PuntoAccessoPSP.spcoop.gov.it/BarCode_GS1_128_Modified',
  aim128: 'http://PuntoAccessoPSP.spcoop.gov.it/Code_128_AIM_USS-128_tipo_C',
} as const;

/** The schema file (in interfaces/old/documents/) and root element of each document. */
export const OLD_DOCUMENT_SCHEMAS = {
  RPT: 'PagInf_RPT_RT_6_2_0.xsd',
  RT: 'PagInf_RPT_RT_6_2_0.xsd',
  RR: 'RR_ER_1_0_0.xsd',
  ER: 'RR_ER_1_0_0.xsd',
  ACK: 'ACK_PagamentiTelematici_6_0_1.xsd',
  QrCode: 'IdRPT_QR_Code_v04.xsd',
  BarCode: 'IdRPT_GS1_128_v04.xsd',
  aim128: 'IdRPT_128_AIM_v04.xsd',
} as const;
export type OldDocumentName = keyof typeof OLD_DOCUMENT_SCHEMAS;

// ---------- enumerations ----------

export const AUTENTICAZIONE_SOGGETTO = ['CNS', 'USR', 'OTH', 'N/A'] as const;
export type AutenticazioneSoggetto = (typeof AUTENTICAZIONE_SOGGETTO)[number];
/** BBT, BP, AD, CP, PO, OBEP, OTH (seed L829-836) plus JIF, MYBK, PPAL (XSD 6.2.0), TR-41 */
export const TIPO_VERSAMENTO = ['BBT', 'BP', 'AD', 'CP', 'PO', 'OBEP', 'OTH', 'JIF', 'MYBK', 'PPAL'] as const;
export type TipoVersamento = (typeof TIPO_VERSAMENTO)[number];
/** 0 paid, 1 not paid, 2 partly paid, 3 expired (decorrenza termini), 4 partly expired (TR-43) */
export const CODICE_ESITO_PAGAMENTO = ['0', '1', '2', '3', '4'] as const;
export type CodiceEsitoPagamento = (typeof CODICE_ESITO_PAGAMENTO)[number];
/** 0 not coded, 1 annullo tecnico, 2 charge-back (TR-44) */
export const TIPO_REVOCA = ['0', '1', '2'] as const;
export type TipoRevoca = (typeof TIPO_REVOCA)[number];

// ---------- parties ----------

export interface Dominio {
  identificativoDominio: string;
  identificativoStazioneRichiedente?: string;
}

/** An identifier: F natural person / G legal person / A ABI code / B BIC, depending on the party. */
export interface IdentificativoUnivoco<T extends string = string> {
  tipoIdentificativoUnivoco: T;
  codiceIdentificativoUnivoco: string;
}

export interface SoggettoVersante {
  identificativoUnivocoVersante: IdentificativoUnivoco<'F' | 'G'>;
  anagraficaVersante: string;
  indirizzoVersante?: string;
  civicoVersante?: string;
  capVersante?: string;
  localitaVersante?: string;
  provinciaVersante?: string;
  nazioneVersante?: string;
  'e-mailVersante'?: string;
}

export interface SoggettoPagatore {
  identificativoUnivocoPagatore: IdentificativoUnivoco<'F' | 'G'>;
  anagraficaPagatore: string;
  indirizzoPagatore?: string;
  civicoPagatore?: string;
  capPagatore?: string;
  localitaPagatore?: string;
  provinciaPagatore?: string;
  nazionePagatore?: string;
  'e-mailPagatore'?: string;
}

export interface EnteBeneficiario {
  identificativoUnivocoBeneficiario: IdentificativoUnivoco<'G'>;
  denominazioneBeneficiario: string;
  codiceUnitOperBeneficiario?: string;
  denomUnitOperBeneficiario?: string;
  indirizzoBeneficiario?: string;
  civicoBeneficiario?: string;
  capBeneficiario?: string;
  localitaBeneficiario?: string;
  provinciaBeneficiario?: string;
  nazioneBeneficiario?: string;
}

/** The PSP attesting the payment in an RT. */
export interface IstitutoAttestante {
  identificativoUnivocoAttestante: IdentificativoUnivoco<'G' | 'A' | 'B'>;
  denominazioneAttestante: string;
  codiceUnitOperAttestante?: string;
  denomUnitOperAttestante?: string;
  indirizzoAttestante?: string;
  civicoAttestante?: string;
  capAttestante?: string;
  localitaAttestante?: string;
  provinciaAttestante?: string;
  nazioneAttestante?: string;
}

/** The PSP in an RR/ER: same block as the RT's attesting party, its fields end in "Mittente". */
export interface IstitutoMittente {
  identificativoUnivocoMittente: IdentificativoUnivoco<'G' | 'A' | 'B'>;
  denominazioneMittente: string;
  codiceUnitOperMittente?: string;
  denomUnitOperMittente?: string;
  indirizzoMittente?: string;
  civicoMittente?: string;
  capMittente?: string;
  localitaMittente?: string;
  provinciaMittente?: string;
  nazioneMittente?: string;
}

// ---------- RPT ----------

export interface DatiMarcaBolloDigitale {
  tipoBollo: '01';
  /** base64 of the SHA-256 digest of the stamped document (TR-36) */
  hashDocumento: string;
  provinciaResidenza: string;
}

export interface DatiSingoloVersamentoRpt {
  importoSingoloVersamento: Cents;
  commissioneCaricoPA?: Cents;
  ibanAccredito?: string;
  bicAccredito?: string;
  ibanAppoggio?: string;
  bicAppoggio?: string;
  credenzialiPagatore?: string;
  causaleVersamento: string;
  datiSpecificiRiscossione: string;
  datiMarcaBolloDigitale?: DatiMarcaBolloDigitale;
}

export interface DatiVersamentoRpt {
  dataEsecuzionePagamento: string;
  importoTotaleDaVersare: Cents;
  tipoVersamento: TipoVersamento;
  identificativoUnivocoVersamento: string;
  codiceContestoPagamento: string;
  ibanAddebito?: string;
  bicAddebito?: string;
  firmaRicevuta: '0';
  datiSingoloVersamento: DatiSingoloVersamentoRpt[];
}

export interface Rpt {
  versioneOggetto: string;
  dominio: Dominio;
  identificativoMessaggioRichiesta: string;
  dataOraMessaggioRichiesta: string;
  autenticazioneSoggetto: AutenticazioneSoggetto;
  soggettoVersante?: SoggettoVersante;
  soggettoPagatore: SoggettoPagatore;
  enteBeneficiario: EnteBeneficiario;
  datiVersamento: DatiVersamentoRpt;
}

// ---------- RT ----------

export interface AllegatoRicevuta {
  /** ES original outcome from the PSP, BD digital stamp */
  tipoAllegatoRicevuta: 'ES' | 'BD';
  testoAllegato: string;
}

export interface DatiSingoloPagamentoRt {
  singoloImportoPagato: Cents;
  esitoSingoloPagamento?: string;
  dataEsitoSingoloPagamento: string;
  /** IUR */
  identificativoUnivocoRiscossione: string;
  causaleVersamento: string;
  datiSpecificiRiscossione: string;
  commissioniApplicatePSP?: Cents;
  commissioniApplicatePA?: Cents;
  allegatoRicevuta?: AllegatoRicevuta;
}

export interface DatiPagamentoRt {
  codiceEsitoPagamento: CodiceEsitoPagamento;
  importoTotalePagato: Cents;
  identificativoUnivocoVersamento: string;
  CodiceContestoPagamento: string;
  datiSingoloPagamento?: DatiSingoloPagamentoRt[];
}

export interface Rt {
  versioneOggetto: string;
  dominio: Dominio;
  identificativoMessaggioRicevuta: string;
  dataOraMessaggioRicevuta: string;
  riferimentoMessaggioRichiesta: string;
  riferimentoDataRichiesta: string;
  istitutoAttestante: IstitutoAttestante;
  enteBeneficiario: EnteBeneficiario;
  soggettoVersante?: SoggettoVersante;
  soggettoPagatore: SoggettoPagatore;
  datiPagamento: DatiPagamentoRt;
}

// ---------- RR / ER ----------

export interface DatiSingolaRevoca {
  singoloImportoRevocato: Cents;
  identificativoUnivocoRiscossione: string;
  causaleRevoca: string;
  datiAggiuntiviRevoca: string;
}

export interface DatiRevoca {
  importoTotaleRevocato: Cents;
  identificativoUnivocoVersamento: string;
  codiceContestoPagamento: string;
  /** present in a PSP's revoca, absent in an EC's storno */
  tipoRevoca?: TipoRevoca;
  datiSingolaRevoca: DatiSingolaRevoca[];
}

export interface Rr {
  versioneOggetto: string;
  dominio: Dominio;
  identificativoMessaggioRevoca: string;
  dataOraMessaggioRevoca: string;
  istitutoAttestante: IstitutoMittente;
  soggettoVersante?: SoggettoVersante;
  soggettoPagatore: SoggettoPagatore;
  datiRevoca: DatiRevoca;
}

export interface DatiSingoloEsitoRevoca {
  /** 0 when this transfer's revocation is refused */
  singoloImportoRevocato: Cents;
  identificativoUnivocoRiscossione: string;
  causaleEsito: string;
  datiAggiuntiviEsito: string;
}

export interface DatiEsitoRevoca {
  importoTotaleRevocato: Cents;
  identificativoUnivocoVersamento: string;
  codiceContestoPagamento: string;
  datiSingolaRevoca: DatiSingoloEsitoRevoca[];
}

export interface Er {
  versioneOggetto: string;
  dominio: Dominio;
  identificativoMessaggioEsito: string;
  dataOraMessaggioEsito: string;
  riferimentoMessaggioRevoca: string;
  riferimentoDataRevoca: string;
  istitutoAttestante: IstitutoMittente;
  soggettoVersante?: SoggettoVersante;
  soggettoPagatore: SoggettoPagatore;
  datiRevoca: DatiEsitoRevoca;
}

// ---------- ackRT ----------

export interface AckRt {
  identificativoACK: string;
  dataOraACK: string;
  mittenteACK: string;
  datiMessaggioReferenziato: {
    identificativoDominio: string;
    identificativoUnivocoVersamento: string;
    codiceContestoPagamento: string;
    identificativoMessaggioReferenziato: string;
    dataOraMessaggioReferenziato: string;
    tipologiaMessaggioReferenziato: 'RPT' | 'RT';
    mittenteMessaggioReferenziato: string;
  };
  informazioniStatoMessaggioReferenziato: {
    statoMessaggioReferenziato: 'ACTC' | 'RJCT';
    motivazioneStatoErrato?: {
      codiceErrore: string;
      elementoReferenziato?: string;
      InformazioniAggiuntive?: string[];
    };
  };
}
