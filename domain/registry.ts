// What the Nodo knows (its configuration): ECs, brokers, stations, PSPs, brokers of PSPs, channels.
// Built from the candidate profile plus the harness's own parties.
import type { TlsClientOptions } from '../src/wire/http.js';
import { HARNESS_PSP } from './harness-parties.js';

export interface EcEntry {
  fiscalCode: string;
  companyName: string;
  enabled: boolean;
  /** IBANs registered (censiti) for this EC: the Nodo refuses others with PPT_IBAN_NON_CENSITO */
  ibans: string[];
  /** how notice numbers map to stations (IF-A-13): aux digit 3 + segregation code, or aux 0 + application code */
  stations: { idStation: string; auxDigit: 0 | 1 | 2 | 3; code?: string }[];
}

export interface BrokerPaEntry {
  idBrokerPA: string;
  enabled: boolean;
}

export interface StationEntry {
  idStation: string;
  idBrokerPA: string;
  enabled: boolean;
  /** false: the station's application service is not active (PPT_STAZIONE_INT_PA_SERVIZIO_NONATTIVO) */
  serviceActive: boolean;
  url: string;
  /** primitive version configured for the station (IF-A-07, IF-A-40): 2 → paGetPaymentV2 / paSendRTV2 */
  version: 1 | 2;
  password?: string;
  headers?: Record<string, string>;
  tls?: TlsClientOptions;
  /** the station's old-model (SANP 2.2.6) configuration at the Nodo, when it speaks the old model */
  old?: OldStationEndpoints;
}

/**
 * Where the Nodo reaches an old-model station and where WISP sends the payer back: the URLs of its
 * PaPerNodo (paaInviaRT, revoca, storno), PaPerNodoPagamentoPsp (paaVerificaRPT / paaAttivaRPT) and
 * PaPerNodoRichiestaAvvisi services, and the EC portal's return URL (I02, L1476-1479).
 */
export interface OldStationEndpoints {
  paPerNodo: string;
  /** default: paPerNodo's origin + /PaPerNodoPagamentoPsp */
  paPerNodoPagamentoPsp?: string;
  /** default: paPerNodo's origin + /PaPerNodoRichiestaAvvisi */
  paPerNodoRichiestaAvvisi?: string;
  returnUrl: string;
  /** the services the station's ECs offer for spontaneous payments at the PSP (the Nodo's Catalogo dei Servizi, OLD-PSP-PAY-05) */
  services?: OldService[];
}

/** A service of the Catalogo dei Servizi: its id and the EC that offers it (the Ente Erogatore the PSP names). */
export interface OldService {
  idServizio: string;
  idDominio: string;
  descrizione?: string;
}

/**
 * The paForNode primitive a station of `version` is called with (IF-A-07, IF-A-40, NM-A-12):
 * version 2 → paGetPaymentV2 / paSendRTV2. The one place that answers "which version do I call".
 */
export function stationPrimitive(kind: 'getPayment', version: 1 | 2): 'paGetPayment' | 'paGetPaymentV2';
export function stationPrimitive(kind: 'sendRT', version: 1 | 2): 'paSendRT' | 'paSendRTV2';
export function stationPrimitive(kind: 'getPayment' | 'sendRT', version: 1 | 2): 'paGetPayment' | 'paGetPaymentV2' | 'paSendRT' | 'paSendRTV2' {
  const base = kind === 'getPayment' ? 'paGetPayment' : 'paSendRT';
  return version === 2 ? `${base}V2` : base;
}

export interface PspEntry {
  idPSP: string;
  enabled: boolean;
  companyName: string;
  fiscalCode: string;
}
export interface BrokerPspEntry {
  idBrokerPSP: string;
  enabled: boolean;
}
export interface ChannelEntry {
  idChannel: string;
  idBrokerPSP: string;
  password: string;
  enabled: boolean;
  description: string;
  /** PSPs authorised on this channel */
  psps: string[];
  /** old model: the PSP's PspPerNodo endpoint the Nodo calls (pspInviaRPT, pspInviaCarrelloRPT …) */
  pspPerNodoUrl?: string;
  /**
   * old model: how the PSP's RTs reach the Nodo: 'push' (nodoInviaRT, the default) or 'pull' (the Nodo
   * fetches them: pspChiediListaRT, pspChiediRT, pspInviaAckRT; catalogue §2.8, OLD-RT-PULL-01)
   */
  rtMode?: 'push' | 'pull';
  /** old model: the base of the PSP's payment page WISP redirects the payer to (+ parametriPagamentoImmediato) */
  redirectUrl?: string;
  /** old model: the PSP accepts storno requests (catalogue flag stornoPagamento, L1175, V-28) */
  storno?: boolean;
  /** old model: the PSP sells digital revenue stamps on this channel (@e.bollo, catalogue flag marcaBolloDigitale, L1176, V-12) */
  marcaBolloDigitale?: boolean;
  /**
   * old model: the payment model the channel manages (Tabella 3, L1196-1201; default 1, carts with
   * redirect): 2 = authorisation managed by the PSP, whose cart answer carries no redirect (L1502)
   */
  modelloPagamento?: 0 | 1 | 2 | 4;
}

/**
 * The Nodo's own WISP identities (old model): an EC that lets the payer choose the PSP on WISP sends
 * nodoInviaCarrelloRPT with these instead of a real PSP (AgID's pseudo-PSP and the Nodo's WISP channel).
 */
export const WISP_PSP = { idPSP: 'AGID_01', idBrokerPSP: '97735020584', idChannel: '97735020584_02' } as const;

/** The URL of an old-model station's PaPerNodoPagamentoPsp service. */
export function paymentPspUrl(o: OldStationEndpoints): string {
  return o.paPerNodoPagamentoPsp ?? new URL('/PaPerNodoPagamentoPsp', o.paPerNodo).href;
}

/** The URL of an old-model station's PaPerNodoRichiestaAvvisi service (paaChiediNumeroAvviso). */
export function richiestaAvvisiUrl(o: OldStationEndpoints): string {
  return o.paPerNodoRichiestaAvvisi ?? new URL('/PaPerNodoRichiestaAvvisi', o.paPerNodo).href;
}

/** The identities a PSP presents on every call to the Nodo: itself, its broker, the channel and its password. */
export interface PspIds {
  idPSP: string;
  idBrokerPSP: string;
  idChannel: string;
  password: string;
}

export interface Registry {
  ecs: EcEntry[];
  brokersPa: BrokerPaEntry[];
  stations: StationEntry[];
  psps: PspEntry[];
  brokersPsp: BrokerPspEntry[];
  channels: ChannelEntry[];
}


export function harnessPspEntries(): Pick<Registry, 'psps' | 'brokersPsp' | 'channels'> {
  return {
    psps: [{ idPSP: HARNESS_PSP.idPSP, enabled: true, companyName: HARNESS_PSP.companyName, fiscalCode: HARNESS_PSP.fiscalCode }],
    brokersPsp: [{ idBrokerPSP: HARNESS_PSP.idBrokerPSP, enabled: true }],
    channels: [
      {
        idChannel: HARNESS_PSP.idChannel,
        idBrokerPSP: HARNESS_PSP.idBrokerPSP,
        password: HARNESS_PSP.password,
        enabled: true,
        description: HARNESS_PSP.channelDescription,
        psps: [HARNESS_PSP.idPSP],
      },
    ],
  };
}

/** Station serving a notice of this EC (aux digit + segregation/application code), IF-A-13. */
export function stationForNotice(reg: Registry, fiscalCode: string, noticeNumber: string): StationEntry | undefined {
  const ec = reg.ecs.find((e) => e.fiscalCode === fiscalCode);
  if (!ec) return undefined;
  const aux = Number(noticeNumber[0]);
  const code = noticeNumber.slice(1, 3);
  const link = ec.stations.find((s) => s.auxDigit === aux && (s.code === undefined || s.code === code));
  return link ? reg.stations.find((s) => s.idStation === link.idStation) : undefined;
}
