// What the emulated PSP of the old model keeps: the RPTs the Nodo forwarded (one by one with
// pspInviaRPT, or as a cart with pspInviaCarrelloRPT), the RTs it sent for them, the revoca/storno
// documents that came, and what a scenario scripted. Waits are event-based with the caller's deadline.
import { EventEmitter } from 'node:events';
import type { Rejection } from '../../../src/wire/soap-endpoint.js';
import type { Rpt, Rt } from '../../../domain/old/index.js';
import type { NodoCall } from './client.js';

/** One RPT as the PSP received it. */
export interface KeptRpt {
  idDominio: string;
  iuv: string;
  ccp: string;
  rpt: Rpt;
  /** the RPT document as it came (decoded from base64) */
  xml: string;
  /** the primitive that brought it */
  via: 'pspInviaRPT' | 'pspInviaCarrelloRPT';
  modelloPagamento?: number;
  /** the cart it belongs to (pspInviaCarrelloRPT) */
  cartId?: string;
  at: number;
}

/** What the payment of a cart does; by default the page's button decides (Paga → OK, Annulla → KO). */
export type PayOutcome = 'OK' | 'KO' | 'DIFFERITO' | 'NO_RT';

export interface PayScript {
  /** refuse the cart (pspInviaCarrelloRPT), the RPT (pspInviaRPT), or — scripted by IUV — the RR/ER that comes for it, with this CANALE_* fault */
  refuse?: Rejection;
  /** the outcome whatever the payer presses: DIFFERITO keeps the RTs until sendPendingRts(); NO_RT never sends one */
  outcome?: PayOutcome;
  /** changes each RT before it leaves (a wrong amount, a wrong CCP …): a document, or its XML as is */
  alter?: (rt: Rt, rpt: Rpt) => Rt | string;
}

/** An RT the PSP sent (or could not send: `answer.problem`). */
export interface SentRt {
  rpt: KeptRpt;
  /** the RT as built (absent when a script gave raw XML) */
  rt?: Rt;
  xml: string;
  call: NodoCall;
}

export interface KeptCart {
  id: string;
  rpts: KeptRpt[];
  state: 'waiting' | 'paid' | 'cancelled' | 'deferred' | 'no-rt';
  script?: PayScript;
  /** RTs waiting for sendPendingRts() (DIFFERITO) */
  pending: { rpt: KeptRpt; positive: boolean }[];
  rts: SentRt[];
  /** the one debit's identificativoUnivocoRiscossione: every credit of the cart carries it (L571) */
  iur?: string;
  /** what went wrong while paying (an RT that could not be built or sent) */
  problem?: string;
}

/** A revoca/storno document that came (pspInviaRichiestaStorno: RR; pspInviaRispostaRevoca: ER). */
export interface KeptDocument {
  primitive: 'pspInviaRichiestaStorno' | 'pspInviaRispostaRevoca';
  idDominio: string;
  iuv: string;
  ccp: string;
  xml: string;
  at: number;
}

const key = (idDominio: string | undefined, iuv: string, ccp: string) => `${idDominio ?? '*'}|${iuv}|${ccp}`;

export class PspStore {
  readonly carts = new Map<string, KeptCart>();
  readonly rpts: KeptRpt[] = [];
  readonly documents: KeptDocument[] = [];
  private readonly scripts = new Map<string, PayScript>();
  private nextScript?: PayScript;
  private readonly events = new EventEmitter();
  private seq = 0;

  constructor() {
    this.events.setMaxListeners(0);
  }

  /** Scripts the next cart or RPT that comes (`'next'`), or the one carrying this IUV. */
  script(target: 'next' | { iuv: string }, s: PayScript): void {
    if (target === 'next') this.nextScript = s;
    else this.scripts.set(target.iuv, s);
  }

  /** The script for a cart or RPT with these IUVs, else the next one's (consumed). */
  takeScript(iuvs: readonly string[]): PayScript | undefined {
    const s = this.takeScriptOf(iuvs) ?? this.nextScript;
    this.nextScript = undefined;
    return s;
  }

  /** The script set for one of these IUVs only (consumed): an RR or ER that comes later for a payment. */
  takeScriptOf(iuvs: readonly string[]): PayScript | undefined {
    for (const iuv of iuvs) {
      const s = this.scripts.get(iuv);
      if (s) {
        this.scripts.delete(iuv);
        return s;
      }
    }
    return undefined;
  }

  /** The RPT already kept with these keys (a duplicate, V-18). */
  find(idDominio: string | undefined, iuv: string, ccp: string): KeptRpt | undefined {
    return this.rpts.find((r) => key(idDominio, iuv, ccp) === key(idDominio === undefined ? undefined : r.idDominio, r.iuv, r.ccp));
  }

  newCartId(idDominio: string, now: number): string {
    // Anno(4) + idDominio(11) + a progressive; at most 35 characters
    const year = new Date(now).getUTCFullYear();
    return `${year}${idDominio}${String(now % 1e9).padStart(9, '0')}${String(++this.seq).padStart(4, '0')}`.slice(0, 35);
  }

  keepCart(c: KeptCart): void {
    this.carts.set(c.id, c);
    for (const r of c.rpts) this.keepRpt(r);
  }

  keepRpt(r: KeptRpt): void {
    this.rpts.push(r);
    this.events.emit('rpt', r);
  }

  keepDocument(d: KeptDocument): void {
    this.documents.push(d);
    this.events.emit('document', d);
  }

  /** Resolves with the RPT of these keys as soon as it is kept (already, or later); rejects after `deadlineMs`. */
  waitRpt(iuv: string, ccp: string, deadlineMs: number, idDominio?: string): Promise<KeptRpt> {
    return this.wait('rpt', () => this.find(idDominio, iuv, ccp), deadlineMs, `an RPT for IUV ${iuv}, CCP ${ccp} (pspInviaRPT)`);
  }

  /** Resolves with the revoca/storno document of these keys as soon as it came. */
  waitDocument(primitive: KeptDocument['primitive'], iuv: string, ccp: string, deadlineMs: number): Promise<KeptDocument> {
    const found = () => this.documents.find((d) => d.primitive === primitive && d.iuv === iuv && d.ccp === ccp);
    return this.wait('document', found, deadlineMs, `${primitive} for IUV ${iuv}, CCP ${ccp}`);
  }

  private wait<T>(event: string, found: () => T | undefined, deadlineMs: number, what: string): Promise<T> {
    const now = found();
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off(event, check);
        reject(new Error(`waited ${deadlineMs} ms for ${what}; it never came`));
      }, deadlineMs);
      const check = () => {
        const hit = found();
        if (!hit) return;
        clearTimeout(timer);
        this.events.off(event, check);
        resolve(hit);
      };
      this.events.on(event, check);
    });
  }
}
