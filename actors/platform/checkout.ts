// The emulated pagoPA Checkout: the carts API (POST /carts → 302 to the cart's Checkout page, or
// 400 ProblemJson; cart of 1..5 notices, amounts in euro cents, return URLs; openapi/checkout-carts.json)
// and the touchpoint that then pays at the Nodo as a PSP reached through Checkout or App IO would:
// activatePaymentNoticeV2 (touchPoint CHECKOUT / IO, paymentNote = idCart), one
// sendPaymentOutcomeV2 for the cart's tokens (with the digital stamps it sold), then the user is
// sent back to the EC's return URL (a hint only: the receipts are the outcome, NM-EC-PAY-02).
import { createHash } from 'node:crypto';
import type { Clock } from '../../src/core/clock.js';
import { isoDateTime } from '../../src/core/clock.js';
import type { Journal } from '../../src/core/journal.js';
import type { ActivateCall, EmulatedPsp, OutcomeCall, QrCode, VerifyCall } from '../psp/client.js';
import type { SchemaVerdict } from '../../src/wire/rest/openapi.js';
import type { RestRequest, RestResponse } from '../../src/wire/rest/server.js';
import { type RestCall, restCall } from '../../src/wire/rest/client.js';
import { child, childrenNamed, textOf } from '../../src/wire/xml.js';

export interface CartNotice { noticeNumber: string; fiscalCode: string; amount: number; companyName: string; description: string }
export interface CartRequest {
  paymentNotices: CartNotice[];
  returnUrls: { returnOkUrl: string; returnCancelUrl: string; returnErrorUrl: string; returnWaitingUrl?: string };
  emailNotice?: string;
  idCart?: string;
  allCCP?: boolean;
}
export interface Cart { id: string; request: CartRequest; location: string; createdAt: number; state: 'created' | 'paid' | 'failed' | 'cancelled' }
/** a cart request that Checkout refused (400) */
export interface RefusedCart { body: unknown; verdict: SchemaVerdict; at: number }

export type TouchPoint = 'CHECKOUT' | 'IO';
export interface CheckoutBinding { journal: Journal; psp: EmulatedPsp }

export interface CartPayment {
  activations: ActivateCall[];
  tokens: string[];
  outcomes: OutcomeCall[];
  returnKind: 'ok' | 'cancel' | 'error' | 'waiting';
  returnUrl?: string;
  returnCall?: RestCall;
}

/** An MBDAttachment: base64 of a digital stamp document bound to the hash of the stamped document. */
export function mbdAttachment(o: { hashDocumento: string; tipoBollo: string; amount: string; idPSP: string; at: number }): string {
  const iubd = createHash('sha256').update(`${o.hashDocumento}|${o.at}`).digest('hex').slice(0, 14).toUpperCase();
  const xml =
    `<marcaDaBollo xmlns="http://www.agenziaentrate.gov.it/2014/MarcaDaBollo"><PSP><CodiceFiscale>${o.idPSP}</CodiceFiscale><Denominazione>collaudo PSP</Denominazione></PSP>` +
    `<IUBD>${iubd}</IUBD><OraAcquisto>${isoDateTime(o.at)}</OraAcquisto><Importo>${o.amount}</Importo><TipoBollo>${o.tipoBollo}</TipoBollo>` +
    `<ImprontaDocumento><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue>${o.hashDocumento}</DigestValue></ImprontaDocumento></marcaDaBollo>`;
  return Buffer.from(xml, 'utf8').toString('base64');
}

export class EmulatedCheckout {
  private readonly carts = new Map<string, Cart>();
  readonly refused: RefusedCart[] = [];
  private seq = 0;
  private binding?: CheckoutBinding;
  constructor(private readonly o: { clock: Clock; baseUrl: () => string }) {}

  bind(b: CheckoutBinding | undefined): void { this.binding = b; }
  cart(id: string): Cart | undefined { return this.carts.get(id); }
  cartByLocation(location: string): Cart | undefined { return [...this.carts.values()].find((c) => c.location === location); }
  cartsSince(at: number): Cart[] { return [...this.carts.values()].filter((c) => c.createdAt >= at); }
  refusedSince(at: number): RefusedCart[] { return this.refused.filter((c) => c.at >= at); }

  /** A cart the OpenAPI document refused (the server answered it 400). */
  refuse(r: RestRequest): void {
    this.refused.push({ body: r.json ?? r.raw, verdict: r.verdict, at: this.o.clock.now() });
  }

  /** postCarts, a request already valid against CartRequest: 302 to the cart's Checkout page. */
  handle(r: RestRequest): RestResponse {
    const id = `cart${++this.seq}${createHash('sha256').update(`${this.o.clock.now()}|${this.seq}`).digest('hex').slice(0, 8)}`;
    const location = `${this.o.baseUrl()}/checkout/c/${id}`;
    this.carts.set(id, { id, request: structuredClone(r.json) as CartRequest, location, createdAt: this.o.clock.now(), state: 'created' });
    return { status: 302, headers: { location }, json: undefined };
  }

  private bound(): CheckoutBinding {
    if (!this.binding) throw new Error('EmulatedCheckout: no scenario is bound (journal, PSP)');
    return this.binding;
  }

  /** A citizen pays one notice on Checkout / App IO (notice number + EC code, or QR scan): verify → activateV2 → outcomeV2. */
  async payNotice(qr: QrCode, touchPoint: TouchPoint, outcome: 'OK' | 'KO' = 'OK'): Promise<{ verify: VerifyCall; activate?: ActivateCall; outcome?: OutcomeCall }> {
    const { psp } = this.bound();
    const verify = await psp.verify(qr);
    if (verify.outcome !== 'OK' || verify.amountCents === undefined) return { verify };
    const activate = await psp.activate(qr, verify.amountCents, { v2: true, touchPoint, paymentMethod: touchPoint === 'IO' ? 'CP' : 'CP' });
    if (!activate.paymentToken) return { verify, activate };
    const out = await psp.outcome(activate.paymentToken, outcome, { v2: true, details: { ...this.stamps([activate]), paymentChannel: touchPoint === 'IO' ? 'app' : 'onLine' } });
    return { verify, activate, outcome: out };
  }

  /**
   * The user pays the cart: every notice is activated (touchPoint CHECKOUT, paymentNote = idCart),
   * then one sendPaymentOutcomeV2 covers all tokens (or `perNotice` outcomes, one each), then the
   * user is sent to the return URL. `beforeOutcome` runs after the activations (e.g. an early return).
   */
  async payCart(id: string, o: { outcome?: 'OK' | 'KO'; perNotice?: ('OK' | 'KO')[]; returnTo?: CartPayment['returnKind']; follow?: boolean; beforeOutcome?: (p: CartPayment) => Promise<void> } = {}): Promise<CartPayment> {
    const cart = this.carts.get(id);
    if (!cart) throw new Error(`no cart ${id}`);
    const { psp } = this.bound();
    const pay: CartPayment = { activations: [], tokens: [], outcomes: [], returnKind: 'error' };
    for (const n of cart.request.paymentNotices) {
      const a = await psp.activate({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, n.amount, { v2: true, touchPoint: 'CHECKOUT', paymentNote: cart.request.idCart?.slice(0, 140) });
      pay.activations.push(a);
      if (a.paymentToken) pay.tokens.push(a.paymentToken);
    }
    if (o.beforeOutcome) await o.beforeOutcome(pay);
    const complete = pay.tokens.length === cart.request.paymentNotices.length;
    if (o.perNotice) {
      for (const [i, a] of pay.activations.entries()) {
        if (!a.paymentToken) continue;
        pay.outcomes.push(await psp.outcome(a.paymentToken, o.perNotice[i] ?? 'OK', { v2: true, details: this.stamps([a]) }));
      }
    } else if (pay.tokens.length) {
      const outcome = complete ? (o.outcome ?? 'OK') : 'KO';
      pay.outcomes.push(await psp.outcome(pay.tokens, outcome, { v2: true, details: outcome === 'OK' ? this.stamps(pay.activations) : undefined }));
    }
    const allOk = pay.outcomes.length > 0 && pay.outcomes.every((x) => x.outcome === 'OK') && (o.perNotice ? o.perNotice.every((x) => x === 'OK') : (o.outcome ?? 'OK') === 'OK') && complete;
    pay.returnKind = o.returnTo ?? (allOk ? 'ok' : 'error');
    cart.state = allOk ? 'paid' : pay.returnKind === 'cancel' ? 'cancelled' : 'failed';
    if (o.follow !== false) pay.returnCall = await this.returnUser(cart, pay.returnKind, pay);
    return pay;
  }

  /** Checkout sends the user back to the EC front end (a GET of the return URL). */
  async returnUser(cart: Cart, kind: CartPayment['returnKind'], pay?: CartPayment): Promise<RestCall | undefined> {
    const u = cart.request.returnUrls;
    const url = kind === 'ok' ? u.returnOkUrl : kind === 'cancel' ? u.returnCancelUrl : kind === 'waiting' ? (u.returnWaitingUrl ?? u.returnErrorUrl) : u.returnErrorUrl;
    if (pay) pay.returnUrl = url;
    if (!/^https?:\/\//.test(url)) return undefined;
    return restCall({ method: 'GET', url, journal: this.bound().journal, clock: this.o.clock, from: 'user', to: 'ec-frontend', operationId: `return-${kind}` });
  }

  /** The stamps the PSP sold for the stamp transfers of these activations (sendPaymentOutcomeV2 details.marcheDaBollo). */
  private stamps(acts: ActivateCall[]): { marcheDaBollo?: { paymentToken: string; idTransfer: number; MBDAttachment: string }[] } {
    const out: { paymentToken: string; idTransfer: number; MBDAttachment: string }[] = [];
    for (const a of acts) {
      if (!a.paymentToken) continue;
      for (const t of childrenNamed(child(a.body, 'transferList'), 'transfer')) {
        const r = child(t, 'richiestaMarcaDaBollo');
        if (!r) continue;
        out.push({
          paymentToken: a.paymentToken,
          idTransfer: Number(textOf(t, 'idTransfer')),
          MBDAttachment: mbdAttachment({ hashDocumento: textOf(r, 'hashDocumento') ?? '', tipoBollo: textOf(r, 'tipoBollo') ?? '01', amount: textOf(t, 'transferAmount') ?? '16.00', idPSP: 'COLLAUDOPSP', at: this.o.clock.now() }),
        });
      }
    }
    return out.length ? { marcheDaBollo: out } : {};
  }
}
