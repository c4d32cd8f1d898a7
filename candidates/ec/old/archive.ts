// The old model's APA (Archivio Pagamenti in Attesa, catalogue §2.1 SM-DEBT) of the reference EC.
// Positions are the EC's one archive of debt positions (../archive.ts), looked up here by
// identificativoDominio + IUV: a notice number is aux digit 3 + IUV (segregation code + 15 digits),
// so the IUV a codiceIdRPT carries finds the notice the provisioning adapter created, whatever the
// model that pays it. What is old-model only lives here: the payment attempts (IUV + CCP) with their
// RPT and RT, the carts with their WISP session, and the revoca / storno exchanges.
import type { Cents, PositionState } from '../../../domain/common.js';
import type { Archive, EcPosition } from '../archive.js';
import type { Er, Rpt, Rr, Rt } from '../../../domain/old/index.js';

/** SM-DEBT state names (§2.1, A-22 spelling), from the shared position state. */
export type ApaState = 'Aperta' | 'In pagamento' | 'Chiusa' | 'annullata' | 'scaduta';
const APA: Record<PositionState, ApaState> = { payable: 'Aperta', 'in-progress': 'In pagamento', paid: 'Chiusa', cancelled: 'annullata', expired: 'scaduta' };
export const apaState = (s: PositionState): ApaState => APA[s];

/** How the attempt started: PSP activation (paaAttivaRPT), an EC cart, a single RPT (model 0). */
export type AttemptOrigin = 'activation' | 'cart' | 'rpt';

/** What the EC knows of one attempt, from its side of the wire. */
export type AttemptState =
  /** activated by paaAttivaRPT, RPT not yet accepted by the Nodo */
  | 'activated'
  /** RPT accepted by the Nodo, waiting for the RT */
  | 'rpt-sent'
  /** the Nodo refused the RPT (or the cart) */
  | 'rpt-refused'
  /** positive RT booked */
  | 'paid'
  /** negative RT booked */
  | 'not-paid'
  /** revoked (annullo tecnico or charge-back accepted) or storno confirmed */
  | 'revoked';

export interface StoredDoc<T> {
  doc: T;
  /** the XML as sent or received */
  xml: string;
  at: string;
}

export interface Revoca {
  /** the RR received (paaInviaRichiestaRevoca) or sent (storno) */
  rr: StoredDoc<Rr>;
  identificativoMessaggioRevoca: string;
  kind: 'revoca' | 'storno';
  /** tipoRevoca of a PSP revoca: 1 annullo tecnico, 2 charge-back, 0 not coded */
  tipoRevoca?: string;
  /** the ER sent (revoca) or received (storno) */
  er?: StoredDoc<Er>;
  /** whether the ER accepts (amount revoked > 0) */
  accepted?: boolean;
  /** what the Nodo answered to the ER / RR we sent */
  nodoEsito?: string;
}

export interface Attempt {
  idDominio: string;
  iuv: string;
  ccp: string;
  origin: AttemptOrigin;
  state: AttemptState;
  createdAt: string;
  /** PSP of the activation or of the RPT */
  identificativoPSP?: string;
  identificativoIntermediarioPSP?: string;
  identificativoCanale?: string;
  /** amount the activation carried (the PSP's datiPagamentoPSP.importoSingoloVersamento) */
  activatedAmount?: Cents;
  rpt?: StoredDoc<Rpt>;
  /** when the RPT left, and what the Nodo said */
  rptSentAt?: string;
  rptEsito?: string;
  rptFault?: string;
  rt?: StoredDoc<Rt>;
  /** every RT delivery received, booked or refused */
  rtDeliveries: { at: string; outcome: 'booked' | 'duplicate' | 'refused'; note?: string }[];
  idCarrello?: string;
  revoche: Revoca[];
}

export interface Cart {
  idCarrello: string;
  /** the attempts, in cart order */
  keys: { idDominio: string; iuv: string; ccp: string }[];
  createdAt: string;
  esito?: string;
  url?: string;
  idSession?: string;
  fault?: string;
  /** esito of each return to the portal (OK / ERROR / DIFFERITO) */
  returns: string[];
}

const akey = (d: string, iuv: string, ccp: string) => `${d}|${iuv}|${ccp}`;

export class OldArchive {
  private readonly attempts = new Map<string, Attempt>();
  private readonly carts = new Map<string, Cart>();
  private readonly sessions = new Map<string, string>();

  constructor(readonly positions: Archive) {}

  /** The position of IUV at the EC identificativoDominio (notice number = aux digit 3 + IUV). */
  position(idDominio: string, iuv: string): EcPosition | undefined {
    return this.positions.get(idDominio, `3${iuv}`);
  }

  /** Payable positions of the station's ECs (what the portal offers). */
  payable(): EcPosition[] {
    return this.positions.all().filter((p) => p.state === 'payable');
  }

  attempt(idDominio: string, iuv: string, ccp: string): Attempt | undefined {
    return this.attempts.get(akey(idDominio, iuv, ccp));
  }

  /** Every attempt of IUV, oldest first. */
  attemptsOf(idDominio: string, iuv: string): Attempt[] {
    return [...this.attempts.values()].filter((a) => a.idDominio === idDominio && a.iuv === iuv);
  }

  allAttempts(): Attempt[] {
    return [...this.attempts.values()];
  }

  addAttempt(a: Omit<Attempt, 'rtDeliveries' | 'revoche'>): Attempt {
    const full: Attempt = { ...a, rtDeliveries: [], revoche: [] };
    this.attempts.set(akey(a.idDominio, a.iuv, a.ccp), full);
    return full;
  }

  cart(idCarrello: string): Cart | undefined {
    return this.carts.get(idCarrello);
  }

  cartTaken(idCarrello: string): boolean {
    return this.carts.has(idCarrello);
  }

  addCart(c: Omit<Cart, 'returns'>): Cart {
    const full: Cart = { ...c, returns: [] };
    this.carts.set(c.idCarrello, full);
    return full;
  }

  /** The WISP session the Nodo gave a cart (the idSession of its url). */
  bindSession(idSession: string, idCarrello: string): void {
    this.sessions.set(idSession, idCarrello);
  }

  cartOfSession(idSession: string): Cart | undefined {
    const id = this.sessions.get(idSession);
    return id === undefined ? undefined : this.carts.get(id);
  }

  clear(): void {
    this.attempts.clear();
    this.carts.clear();
    this.sessions.clear();
  }
}
