// The Nodo's records of the old model: one per RPT (key idDominio+IUV+CCP) with its state and history
// (catalogue §2.2-2.5; nodoChiediStatoRPT reports them), the carts and their WISP sessions, and the
// activations made by nodoAttivaRPT (§2.3) waiting for the EC's RPT. Records outlive a scenario: the
// Nodo keeps one store per seat environment. Listeners hear every change (scenarios wait on them).
import type { Clock } from '../../../src/core/clock.js';
import { isoDateTime } from '../../../src/core/clock.js';
import type { RptView, RtView, RevocaView } from './docs.js';

/**
 * The Nodo's RPT states (A-13: the seed never lists them; these are the states the NodoSPC publishes
 * for nodoChiediStatoRPT). Each maps onto a state of the catalogue's machines (PHASE).
 */
export type RptStato =
  | 'RPT_RIFIUTATA_NODO'
  | 'RPT_ACCETTATA_NODO'
  | 'RPT_ATTESA_SCELTA_WISP'
  | 'RPT_ANNULLATA_WISP'
  | 'RPT_INVIATA_A_PSP'
  | 'RPT_ACCETTATA_PSP'
  | 'RPT_RIFIUTATA_PSP'
  | 'RPT_ERRORE_INVIO_A_PSP'
  | 'RT_GENERATA_NODO'
  | 'RT_ACCETTATA_NODO'
  | 'RT_INVIATA_PA'
  | 'RT_ACCETTATA_PA'
  | 'RT_RIFIUTATA_PA'
  | 'RT_ESITO_SCONOSCIUTO_PA';

/** The catalogue's state (§2.2 SM-ECPAY, §2.3 SM-PSPPAY) a Nodo state belongs to. */
export type Phase = 'RPT Inviata' | 'RPT Rifiutata' | 'Pagamento rifiutato' | 'RT PSP' | 'RT EC';
export const PHASE: Record<RptStato, Phase> = {
  RPT_RIFIUTATA_NODO: 'RPT Rifiutata',
  RPT_ACCETTATA_NODO: 'RPT Inviata',
  RPT_ATTESA_SCELTA_WISP: 'RPT Inviata',
  RPT_ANNULLATA_WISP: 'Pagamento rifiutato',
  RPT_INVIATA_A_PSP: 'RPT Inviata',
  RPT_ACCETTATA_PSP: 'RT PSP',
  RPT_RIFIUTATA_PSP: 'Pagamento rifiutato',
  RPT_ERRORE_INVIO_A_PSP: 'RPT Inviata',
  RT_GENERATA_NODO: 'Pagamento rifiutato',
  RT_ACCETTATA_NODO: 'RT PSP',
  RT_INVIATA_PA: 'RT PSP',
  RT_ACCETTATA_PA: 'RT EC',
  RT_RIFIUTATA_PA: 'RT PSP',
  RT_ESITO_SCONOSCIUTO_PA: 'RT PSP',
};

/** Revoca (§2.4 SM-REV) and storno (§2.5 SM-STO) of a paid RPT. */
export type RevocaState = 'RR inoltrata' | 'Revoca Rifiutata' | 'Esito Revoca Rifiutata' | 'Pagamento revocato';
export type StornoState = 'Richiesta Storno Inviata' | 'Storno Rifiutato' | 'RT Stornata';

export interface HistoryEntry {
  data: string;
  stato: string;
  descrizione: string;
}

export interface PspRef {
  idPSP: string;
  idBrokerPSP: string;
  idChannel: string;
}

export interface RptRecord {
  key: string;
  idDominio: string;
  iuv: string;
  ccp: string;
  idStation: string;
  idBrokerPA: string;
  /** 0: nodoInviaRPT; 1: cart (nodoInviaCarrelloRPT); 4: RPT after nodoAttivaRPT */
  modello: 0 | 1 | 4;
  /** the PSP named in the request (WISP_PSP when the payer chooses), then the one chosen on WISP */
  psp: PspRef;
  idCarrello?: string;
  /** position in the cart, 1-based */
  position: number;
  rpt: RptView;
  stato: RptStato;
  history: HistoryEntry[];
  redirect: 0 | 1;
  url?: string;
  /** the RT the PSP sent (or the Nodo generated), once accepted */
  rt?: RtView & { generated: boolean; forced: boolean; at: number };
  revoca?: { state: RevocaState; rr: RevocaView; er?: RevocaView; history: HistoryEntry[] };
  storno?: { state: StornoState; rr: RevocaView; er?: RevocaView; history: HistoryEntry[] };
  createdAt: number;
}

export interface Cart {
  idCarrello: string;
  idSession: string;
  idDominio: string;
  idStation: string;
  keys: string[];
  totalCents: number;
  multiBeneficiario: boolean;
  codiceConvenzione?: string;
  /** where the payer is: on WISP, at the PSP, back at the EC */
  state: 'scelta' | 'psp' | 'chiuso';
  chosen?: PspRef;
  esito?: 'OK' | 'ERROR' | 'DIFFERITO';
  createdAt: number;
}

export interface Activation {
  key: string;
  idDominio: string;
  iuv: string;
  ccp: string;
  idStation: string;
  psp: PspRef;
  /** identificativoIntermediarioPSPPagamento / identificativoCanalePagamento */
  paying: { idBrokerPSP: string; idChannel: string };
  importoCents: number;
  at: number;
  /** the RPT's key once the EC sent it */
  rptKey?: string;
}

export const rptKey = (idDominio: string, iuv: string, ccp: string): string => `${idDominio}|${iuv}|${ccp}`;

export class OldStore {
  private readonly rpts = new Map<string, RptRecord>();
  private readonly carts = new Map<string, Cart>();
  private readonly sessions = new Map<string, string>();
  /** the PSP's own cart id (pspInviaCarrelloRPT's identificativoCarrello) → ours */
  private readonly pspCarts = new Map<string, string>();
  private readonly activations = new Map<string, Activation>();
  private readonly listeners = new Set<(r: RptRecord | Activation) => void>();
  private sessionSeq = 0;

  constructor(private readonly clock: Clock) {}

  rpt(key: string): RptRecord | undefined {
    return this.rpts.get(key);
  }
  find(idDominio: string, iuv: string, ccp: string): RptRecord | undefined {
    return this.rpts.get(rptKey(idDominio, iuv, ccp));
  }
  all(): RptRecord[] {
    return [...this.rpts.values()];
  }
  cart(idCarrello: string): Cart | undefined {
    return this.carts.get(idCarrello);
  }
  cartOfSession(idSession: string): Cart | undefined {
    const c = this.sessions.get(idSession);
    return c ? this.carts.get(c) : undefined;
  }
  /** A cart by the id the PSP uses on the payer's return (its own, else ours). */
  cartOfPsp(id: string): Cart | undefined {
    return this.carts.get(this.pspCarts.get(id) ?? id);
  }
  linkPspCart(cart: Cart, pspId: string): void {
    this.pspCarts.set(pspId, cart.idCarrello);
  }
  rptsOf(cart: Cart): RptRecord[] {
    return cart.keys.map((k) => this.rpts.get(k)).filter((r): r is RptRecord => !!r);
  }

  /** A new record in its first state (RPT_ACCETTATA_NODO unless told otherwise). */
  add(r: Omit<RptRecord, 'key' | 'stato' | 'history' | 'createdAt'>, stato: RptStato, descrizione: string): RptRecord {
    const rec: RptRecord = { ...r, key: rptKey(r.idDominio, r.iuv, r.ccp), stato, history: [], createdAt: this.clock.now() };
    this.rpts.set(rec.key, rec);
    this.move(rec, stato, descrizione);
    return rec;
  }

  /** A state change, kept in the record's history (nodoChiediStatoRPT's elementoStoricoRPT). */
  move(rec: RptRecord, stato: RptStato, descrizione: string): void {
    rec.stato = stato;
    rec.history.push({ data: isoDateTime(this.clock.now()), stato, descrizione: `${descrizione} (${PHASE[stato]})` });
    this.notify(rec);
  }

  revoca(rec: RptRecord, state: RevocaState, descrizione: string, rr?: RevocaView, er?: RevocaView): void {
    const entry = { data: isoDateTime(this.clock.now()), stato: state, descrizione };
    if (!rec.revoca) rec.revoca = { state, rr: rr!, history: [] };
    rec.revoca.state = state;
    if (er) rec.revoca.er = er;
    rec.revoca.history.push(entry);
    this.notify(rec);
  }

  storno(rec: RptRecord, state: StornoState, descrizione: string, rr?: RevocaView, er?: RevocaView): void {
    const entry = { data: isoDateTime(this.clock.now()), stato: state, descrizione };
    if (!rec.storno) rec.storno = { state, rr: rr!, history: [] };
    rec.storno.state = state;
    if (er) rec.storno.er = er;
    rec.storno.history.push(entry);
    this.notify(rec);
  }

  /** A cart and its WISP session (idSession unique on this Nodo). */
  addCart(c: Omit<Cart, 'idSession' | 'createdAt' | 'state'>): Cart {
    const idSession = `${this.clock.now().toString(36)}${(++this.sessionSeq).toString(36).padStart(4, '0')}${Math.random().toString(36).slice(2, 10)}`;
    const cart: Cart = { ...c, idSession, state: 'scelta', createdAt: this.clock.now() };
    this.carts.set(cart.idCarrello, cart);
    this.sessions.set(idSession, cart.idCarrello);
    return cart;
  }

  activate(a: Omit<Activation, 'key' | 'at'>): Activation {
    const act: Activation = { ...a, key: rptKey(a.idDominio, a.iuv, a.ccp), at: this.clock.now() };
    this.activations.set(act.key, act);
    this.notify(act);
    return act;
  }
  activation(key: string): Activation | undefined {
    return this.activations.get(key);
  }
  /** The activation's RPT arrived. */
  fulfil(a: Activation, rec: RptRecord): void {
    a.rptKey = rec.key;
    this.notify(a);
  }

  onChange(l: (r: RptRecord | Activation) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private notify(r: RptRecord | Activation): void {
    for (const l of [...this.listeners]) l(r);
  }
}
