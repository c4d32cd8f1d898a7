// The Nodo's payment state (NM-SM-TOK): sessions by token, notice locks, in-flight activations,
// paid notices, idempotency keys and the PSPs' answers to pspNotifyPayment. Expiry is read lazily
// on the clock.
import type { Clock } from '../../src/core/clock.js';
import type { Correlation } from '../../src/core/journal.js';
import type { El, NodeObj } from '../../src/wire/xml.js';
import type { NodoDefect } from './config.js';

export type SessionState = 'ACTIVE' | 'PAID' | 'CLOSED_KO';
export type TokenState = SessionState | 'EXPIRED';

/** A payment session: one token (NM-SM-TOK) and what the Nodo keeps of it. */
export interface Session {
  paymentToken: string;
  fiscalCode: string;
  noticeNumber: string;
  idPSP: string;
  idBrokerPSP: string;
  idChannel: string;
  idStation: string;
  activatedWith: string;
  createdAt: number;
  expiresAt: number;
  state: SessionState;
  outcome?: 'OK' | 'KO';
  outcomeAt?: number;
  /** the EC's paGetPayment(V2) `data` */
  data: El;
  paymentNote?: string;
  idempotencyKey?: string;
  response: NodeObj;
  /** idTransfer of digital-stamp (MBD) transfers */
  mbdTransfers: number[];
  /** activated in Stand-In (the answer carried standin=true): its receipt carries standIn=true (NM-SI-PAY-01) */
  standIn?: boolean;
}

export interface TokenInfo {
  paymentToken: string;
  fiscalCode: string;
  noticeNumber: string;
  idPSP: string;
  idChannel: string;
  idStation: string;
  state: TokenState;
  createdAt: number;
  expiresAt: number;
  outcome?: 'OK' | 'KO';
  outcomeAt?: number;
}

export function noticeKey(fc: string, nn: string): string {
  return `${fc}|${nn}`;
}

export class Sessions {
  /** token → session */
  readonly byToken = new Map<string, Session>();
  /** notice key → token of the session holding the lock */
  readonly locks = new Map<string, string>();
  /** notice key → in-flight activation (lock taken before calling the EC) */
  readonly pending = new Map<string, { key?: string; fp: string; done: Promise<NodeObj> }>();
  /** notice key → token that paid it */
  readonly paid = new Map<string, string>();
  readonly activateKeys = new Map<string, { fp: string; op: string; token: string }>();
  readonly outcomeKeys = new Map<string, { fp: string; op: string; at: number; response: NodeObj }>();
  /** token → answer the PSP gave to pspNotifyPayment(V2) ('none': no valid answer) */
  readonly notified = new Map<string, 'OK' | 'KO' | 'none'>();

  constructor(
    private readonly clock: Clock,
    private readonly defects: ReadonlySet<NodoDefect>,
  ) {}

  get(paymentToken: string): Session | undefined {
    return this.byToken.get(paymentToken);
  }

  stateOf(s: Session): TokenState {
    if (s.state !== 'ACTIVE') return s.state;
    if (!this.defects.has('no-token-expiry') && this.clock.now() >= s.expiresAt) return 'EXPIRED';
    return 'ACTIVE';
  }

  /** Token holding the notice's lock, if still active (expired tokens free the notice). */
  lockHolder(nk: string): string | undefined {
    const t = this.locks.get(nk);
    if (!t) return undefined;
    const s = this.byToken.get(t);
    if (s && this.stateOf(s) === 'ACTIVE') return t;
    this.locks.delete(nk);
    return undefined;
  }

  /** A token's state on the clock (expiry is checked lazily). */
  token(paymentToken: string): TokenInfo | undefined {
    const s = this.byToken.get(paymentToken);
    if (!s) return undefined;
    return {
      paymentToken: s.paymentToken,
      fiscalCode: s.fiscalCode,
      noticeNumber: s.noticeNumber,
      idPSP: s.idPSP,
      idChannel: s.idChannel,
      idStation: s.idStation,
      state: this.stateOf(s),
      createdAt: s.createdAt,
      expiresAt: s.expiresAt,
      outcome: s.outcome,
      outcomeAt: s.outcomeAt,
    };
  }

  /** What the platform knows of a notice: free (payable), in-progress (open token) or paid. */
  notice(fiscalCode: string, noticeNumber: string): { state: 'free' | 'in-progress' | 'paid'; paymentToken?: string } {
    const k = noticeKey(fiscalCode, noticeNumber);
    const paidBy = this.paid.get(k);
    if (paidBy) return { state: 'paid', paymentToken: paidBy };
    const t = this.lockHolder(k);
    if (t) return { state: 'in-progress', paymentToken: t };
    return { state: 'free' };
  }

  /**
   * The token's lifetime ends now (a scenario's race, NM-PSPPAY-CONC-02: its expiry comes first). Only an
   * active session: a paid or closed one keeps its state. Returns whether the token is now expired.
   */
  expire(paymentToken: string): boolean {
    const s = this.byToken.get(paymentToken);
    if (!s || this.stateOf(s) === 'PAID' || this.stateOf(s) === 'CLOSED_KO') return false;
    s.expiresAt = Math.min(s.expiresAt, this.clock.now());
    return this.stateOf(s) === 'EXPIRED';
  }

  /** Adds notice keys to a correlation that only carries a token (journal/fault lookups). */
  enrich(c: Correlation): Correlation {
    if (c.paymentToken && (!c.noticeNumber || !c.fiscalCode)) {
      const s = this.byToken.get(c.paymentToken);
      if (s) return { noticeNumber: s.noticeNumber, fiscalCode: s.fiscalCode, ...c };
    }
    return c;
  }
}
