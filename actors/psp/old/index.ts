// The harness's emulated PSP for the old model (SANP 2.2.6), EC seat: one HTTP server with its
// PspPerNodo endpoint (the Nodo forwards carts and RPTs) and its payment page (the payer pays or
// cancels; the PSP sends one RT per RPT with nodoInviaRT, then sends the payer back to the Nodo),
// plus the calls of a payment started at the PSP (modello 3: nodoVerificaRPT, nodoAttivaRPT, then
// the EC's RPT awaited, then the RT). One per seat environment; a scenario binds its journal and
// faults; an exchange with nothing bound is kept in `unattributed`.
import type http from 'node:http';
import type { Clock } from '../../../src/core/clock.js';
import { Journal } from '../../../src/core/journal.js';
import type { Faults } from '../../../src/core/faults.js';
import type { PspIds } from '../../../domain/registry.js';
import { HARNESS_PSP } from '../../../domain/harness-parties.js';
import { type Cents, formatAmount } from '../../../domain/common.js';
import { type Er, HARNESS_ATTESTANTE, type Rpt, type Rr, type Rt, newCcp, rtFor, rtXml } from '../../../domain/old/index.js';
import { pspPerNodo } from '../../../interfaces/index.js';
import { mbdAttachment } from '../../platform/checkout.js';
import { servedSchema } from '../../../src/wire/contract.js';
import { DEFAULT_MAX_BODY, type RunningServer, collectBody, listen } from '../../../src/wire/http-common.js';
import { soapRequestListener } from '../../../src/wire/http.js';
import { serveSoap } from '../../../src/wire/soap-endpoint.js';
import { type AttivaOptions, type InviaRtOptions, NodoClient, type NodoCall, type Notice, type PaymentKeys } from './client.js';
import { pspPolicy } from './endpoint.js';
import { CART_PARAM, PAGE_ACTION, PAGE_PATH, cartPage, noticePage, readChoice } from './page.js';
import { type KeptCart, type KeptDocument, type KeptRpt, type PayScript, PspStore, type SentRt } from './store.js';

export type { CatalogueService, DatiPagamentoPA, NodoCall, Notice, AttivaOptions, InviaRtOptions, PaymentKeys } from './client.js';
export { nodoCallTimeoutMs, readCatalogue, readNodoAnswer } from './client.js';
export { SERVED } from './endpoint.js';
export { CANALE_FAULTS } from '../../../domain/old/index.js';
export { CART_PARAM, PAGE_ACTION, PAGE_PATH } from './page.js';
export type { KeptCart, KeptDocument, KeptRpt, PayOutcome, PayScript, SentRt } from './store.js';

export interface OldPspOptions {
  clock: Clock;
  /** the Nodo's NodoPerPsp endpoint (nodoVerificaRPT, nodoAttivaRPT, nodoInviaRT) */
  nodoUrl: string;
  /** where the payer goes back to the Nodo after the payment page (e.g. `${nodo}/wisp/rientro`) */
  returnUrl: string;
  /** default: the harness's PSP (domain/harness-parties.ts) */
  ids?: PspIds;
  /** further channels of this PSP it answers on (same endpoint and page), e.g. one selling no digital stamps */
  channels?: readonly string[];
  /** the name the payment page shows */
  name?: string;
  host?: string;
  port?: number;
  /** journal the requests the PSP receives (default true; false when the Nodo journals the same exchange) */
  journalInbound?: boolean;
  /** journal the calls the PSP makes to the Nodo (default true; false when the Nodo journals the same exchange) */
  journalCalls?: boolean;
  /** a second channel of this PSP, of payment model 2 (authorisation managed by the PSP, L1201): carts on it get no payment page */
  authChannel?: string;
}

export interface OldPspUrls {
  /** the PspPerNodo endpoint the Nodo calls (the channel's pspPerNodoUrl) */
  pspPerNodoUrl: string;
  /** the payment page the Nodo sends the payer to, + '?' + parametriPagamentoImmediato (the channel's redirectUrl) */
  paymentPageUrl: string;
}

/** What the PSP tells the Nodo on the way back (query `esito`). */
export type ReturnEsito = 'OK' | 'KO' | 'DIFFERITO';

export class OldPsp {
  readonly ids: PspIds;
  readonly store = new PspStore();
  /** exchanges made while no scenario was bound */
  readonly unattributed: Journal;
  private readonly client: NodoClient;
  private server?: RunningServer;
  private bound?: { journal: Journal; faults?: Faults };
  private ccpSeq = 0;

  constructor(private readonly o: OldPspOptions) {
    this.ids = o.ids ?? { idPSP: HARNESS_PSP.idPSP, idBrokerPSP: HARNESS_PSP.idBrokerPSP, idChannel: HARNESS_PSP.idChannel, password: HARNESS_PSP.password };
    this.unattributed = new Journal(o.clock);
    this.client = new NodoClient({ clock: o.clock, nodoUrl: o.nodoUrl, ids: this.ids, journal: () => (o.journalCalls === false ? undefined : this.journal), faults: () => this.bound?.faults });
  }

  /** The running scenario's journal and transport faults (undefined = none). */
  bind(b: { journal: Journal; faults?: Faults } | undefined): void {
    this.bound = b;
  }

  get journal(): Journal {
    return this.bound?.journal ?? this.unattributed;
  }

  async start(): Promise<OldPspUrls> {
    if (!this.server) {
      const soap = soapRequestListener({
        name: 'psp', clock: this.o.clock, interfaces: [pspPerNodo],
        journal: () => (this.o.journalInbound === false ? undefined : this.journal),
        faults: () => this.bound?.faults,
        get: (p) => this.schemaFile(p),
        handle: (req) => serveSoap(pspPolicy({ ids: this.ids, channels: this.o.channels, authChannel: this.o.authChannel, store: this.store, now: () => this.o.clock.now() }), req),
      });
      this.server = await listen({ host: this.o.host, port: this.o.port }, (req, res) => {
        const path = (req.url ?? '/').split('?', 1)[0]!;
        if (path === PAGE_PATH || path === PAGE_ACTION) return this.page(req, res);
        return soap(req, res);
      });
    }
    return this.urls;
  }

  get urls(): OldPspUrls {
    if (!this.server) throw new Error('OldPsp is not started');
    return { pspPerNodoUrl: `${this.server.url}${pspPerNodo.path}`, paymentPageUrl: `${this.server.url}${PAGE_PATH}` };
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  /** Scripts the next cart/RPT (`'next'`) or the one with this IUV: a CANALE_* refusal, the payment's outcome, an RT alteration. */
  script(target: 'next' | { iuv: string }, s: PayScript): void {
    this.store.script(target, s);
  }

  cart(id: string): KeptCart | undefined {
    return this.store.carts.get(id);
  }

  // ---------------------------------------------------------------- paying a cart

  /**
   * The payer's choice on the payment page: 'paga' or 'annulla' (the script may decide otherwise).
   * Sends the RTs (unless DIFFERITO or NO_RT) and returns where the payer goes next.
   */
  async pay(cartId: string, action: 'paga' | 'annulla'): Promise<{ cart: KeptCart; esito: ReturnEsito; location: string }> {
    const cart = this.store.carts.get(cartId);
    if (!cart) throw new Error(`no cart ${cartId}`);
    if (cart.state !== 'waiting') throw new Error(`cart ${cartId} is already ${cart.state}`);
    const outcome = cart.script?.outcome ?? (action === 'paga' ? 'OK' : 'KO');
    const positive = outcome === 'OK' || ((outcome === 'DIFFERITO' || outcome === 'NO_RT') && action === 'paga');
    cart.state = outcome === 'OK' ? 'paid' : outcome === 'KO' ? 'cancelled' : outcome === 'DIFFERITO' ? 'deferred' : 'no-rt';
    if (outcome === 'OK' || outcome === 'KO') for (const r of cart.rpts) await this.sendCartRt(cart, r, positive);
    if (outcome === 'DIFFERITO') cart.pending.push(...cart.rpts.map((rpt) => ({ rpt, positive })));
    const esito: ReturnEsito = outcome === 'DIFFERITO' ? 'DIFFERITO' : positive ? 'OK' : 'KO';
    const back = new URL(this.o.returnUrl);
    back.searchParams.set(CART_PARAM, cart.id);
    back.searchParams.set('esito', esito);
    return { cart, esito, location: back.href };
  }

  /**
   * Sends the RTs a DIFFERITO payment kept back (of one cart, or of every cart): also the payer's
   * authorisation with the PSP outside pagoPA of a model-2 cart (L1502, L1525-1529).
   */
  async sendPendingRts(cartId?: string): Promise<SentRt[]> {
    const sent: SentRt[] = [];
    for (const cart of this.store.carts.values()) {
      if (cartId !== undefined && cart.id !== cartId) continue;
      for (const p of cart.pending.splice(0)) {
        const s = await this.sendCartRt(cart, p.rpt, p.positive);
        if (s) sent.push(s);
      }
      if (cart.state === 'deferred') cart.state = cart.rts.some((r) => r.rt?.datiPagamento.codiceEsitoPagamento === '0') ? 'paid' : 'cancelled';
    }
    return sent;
  }

  private async sendCartRt(cart: KeptCart, r: KeptRpt, positive: boolean): Promise<SentRt | undefined> {
    try {
      const built = this.rtFor(r.rpt, positive, this.iurOf(cart));
      const altered = cart.script?.alter ? cart.script.alter(built, r.rpt) : built;
      const xml = typeof altered === 'string' ? altered : rtXml(altered);
      const call = await this.client.sendRt(r, xml);
      const s: SentRt = { rpt: r, rt: typeof altered === 'string' ? undefined : altered, xml, call };
      cart.rts.push(s);
      return s;
    } catch (e) {
      cart.problem = `${cart.problem ? `${cart.problem}; ` : ''}RT for IUV ${r.iuv}: ${(e as Error).message}`;
      return undefined;
    }
  }

  /** The RT the spec prescribes for an RPT (domain/old rtFor), attested by this PSP; `iur`: the debit's, when one debit pays several RPTs. */
  rtFor(rpt: Rpt, positive: boolean, iur?: string): Rt {
    const istitutoAttestante = this.o.ids
      ? { identificativoUnivocoAttestante: { tipoIdentificativoUnivoco: 'B' as const, codiceIdentificativoUnivoco: this.ids.idPSP }, denominazioneAttestante: this.o.name ?? this.ids.idPSP }
      : HARNESS_ATTESTANTE;
    const rt = rtFor(rpt, positive ? 'positive' : 'negative', { now: this.o.clock.now(), istitutoAttestante, ...(iur ? { iur: () => iur } : {}) });
    // a digital stamp sold: the stamp itself travels in the RT as its transfer's BD attachment (XSD allegatoRicevuta)
    rpt.datiVersamento.datiSingoloVersamento.forEach((v, i) => {
      const paid = rt.datiPagamento.datiSingoloPagamento?.[i];
      const bollo = v.datiMarcaBolloDigitale;
      if (!bollo || !paid || paid.singoloImportoPagato === 0) return;
      const testoAllegato = mbdAttachment({ hashDocumento: bollo.hashDocumento, tipoBollo: bollo.tipoBollo, amount: formatAmount(paid.singoloImportoPagato), idPSP: this.ids.idPSP, at: this.o.clock.now() });
      paid.allegatoRicevuta = { tipoAllegatoRicevuta: 'BD', testoAllegato };
    });
    return rt;
  }

  /**
   * A cart is paid with ONE debit to the payer: every credit of every RPT carries the same
   * identificativoUnivocoRiscossione (L569-571, modelloPagamento 1), fixed when the first RT is built.
   */
  private iurOf(cart: KeptCart): string {
    cart.iur ??= `IUR${new Date(this.o.clock.now()).toISOString().replace(/\D/g, '').slice(0, 14)}${String(++this.iurSeq).padStart(6, '0')}`;
    return cart.iur;
  }
  private iurSeq = 0;

  // ---------------------------------------------------------------- modello 3: payment at the PSP

  /** A new CCP for a payment this PSP starts (the party that starts the payment generates it, L785-795). */
  newCcp(): string {
    return newCcp(this.o.clock.now(), ++this.ccpSeq);
  }

  /** nodoVerificaRPT (OLD-PSP-PAY-02/03). */
  verify(notice: Notice, ccp: string = this.newCcp()): Promise<NodoCall & { ccp: string }> {
    return this.client.verify(notice, ccp).then((c) => ({ ...c, ccp }));
  }

  /** nodoAttivaRPT (OLD-PSP-PAY-01, OLD-PSP-ERR-02..07). */
  activate(notice: Notice, amountCents: Cents, ccp: string, opts?: AttivaOptions): Promise<NodoCall> {
    return this.client.activate(notice, amountCents, ccp, opts);
  }

  /** nodoChiediCatalogoServizi: the Catalogo dei Servizi (OLD-PSP-PAY-05, L2234-2250). */
  catalogoServizi(idDominio?: string): ReturnType<NodoClient['catalogoServizi']> {
    return this.client.catalogoServizi(idDominio);
  }

  /** nodoChiediNumeroAvviso: a notice for a spontaneous payment (OLD-PSP-PAY-05), then paid as modello 3. */
  chiediNumeroAvviso(idServizio: string, idDominioErogatoreServizio: string, datiXml: string): ReturnType<NodoClient['chiediNumeroAvviso']> {
    return this.client.chiediNumeroAvviso(idServizio, idDominioErogatoreServizio, datiXml);
  }

  /** Resolves when the Nodo's pspInviaRPT for these keys has come (already, or later); rejects after `deadlineMs` (the caller's, from the spec). */
  waitRpt(iuv: string, ccp: string, deadlineMs: number): Promise<KeptRpt> {
    return this.store.waitRpt(iuv, ccp, deadlineMs);
  }

  /** Resolves when an RR (pspInviaRichiestaStorno) or ER (pspInviaRispostaRevoca) for these keys has come. */
  waitDocument(primitive: KeptDocument['primitive'], iuv: string, ccp: string, deadlineMs: number): Promise<KeptDocument> {
    return this.store.waitDocument(primitive, iuv, ccp, deadlineMs);
  }

  /** nodoInviaRT of a given RT for a payment's keys (e.g. the replacing RT after an annullo tecnico, forzaControlloSegno 1). */
  sendRtFor(keys: PaymentKeys, rt: Rt | string, opts?: InviaRtOptions): Promise<NodoCall> {
    return this.client.sendRt(keys, rt, opts);
  }

  /** nodoInviaRT for a kept RPT: the prescribed positive/negative RT, or a given RT (a document or raw XML). */
  async sendRt(r: KeptRpt, outcome: 'OK' | 'KO' | Rt | string, opts?: InviaRtOptions): Promise<NodoCall> {
    const rt = outcome === 'OK' || outcome === 'KO' ? this.rtFor(r.rpt, outcome === 'OK') : outcome;
    return this.client.sendRt(r, rt, opts);
  }

  // ---------------------------------------------------------------- revoca and storno

  /** nodoInviaRichiestaRevoca for a payment: the RR (e.g. domain/old rrFor(rt, { tipoRevoca: '1' }) for an annullo tecnico). */
  requestRevoca(keys: PaymentKeys, rr: Rr | string): Promise<NodoCall> {
    return this.client.requestRevoca(keys, rr);
  }

  /** nodoInviaEsitoStorno: the ER answering a storno that came (waitDocument('pspInviaRichiestaStorno', …)). */
  sendEsitoStorno(keys: PaymentKeys, er: Er | string): Promise<NodoCall> {
    return this.client.sendEsitoStorno(keys, er);
  }

  // ---------------------------------------------------------------- the payment page

  /** `?wsdl` (with this server's address) and the XSDs it names, for a Nodo or a tool that reads them. */
  private schemaFile(p: string): { status: number; type: string; body: string } | undefined {
    const u = new URL(p, 'http://psp.invalid');
    const xml = 'text/xml; charset=UTF-8';
    if (u.search.toLowerCase() === '?wsdl') {
      const text = servedSchema(pspPerNodo, `${pspPerNodo.name}.wsdl`);
      if (text === undefined) return { status: 404, type: 'text/plain', body: `${pspPerNodo.name}.wsdl is not available\n` };
      return { status: 200, type: xml, body: text.replace(/(<soap:address\s+location=")[^"]*(")/, `$1${this.urls.pspPerNodoUrl}$2`) };
    }
    const base = u.pathname.split('/').pop() ?? '';
    const xsd = base.endsWith('.xsd') ? servedSchema(pspPerNodo, base) : undefined;
    return xsd === undefined ? undefined : { status: 200, type: xml, body: xsd };
  }

  private page(req: http.IncomingMessage, res: http.ServerResponse): void {
    const send = (p: { status: number; body: string }, headers: Record<string, string> = {}) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(p.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
      res.end(p.body);
    };
    const url = new URL(req.url ?? '/', 'http://psp.invalid');
    if (req.method === 'GET' && url.pathname === PAGE_PATH) {
      const id = url.searchParams.get(CART_PARAM) ?? '';
      const cart = this.store.carts.get(id);
      if (!cart) return send(noticePage(404, `Nessun carrello ${id || '(identificativoCarrello mancante)'} presso questo PSP.`));
      if (cart.state !== 'waiting') return send(noticePage(409, `Il carrello ${id} è già stato concluso.`));
      return send({ status: 200, body: cartPage(cart, this.o.name ?? HARNESS_PSP.companyName) });
    }
    if (req.method === 'POST' && url.pathname === PAGE_ACTION) {
      return collectBody(req, DEFAULT_MAX_BODY, (bytes) => {
        const choice = readChoice(bytes?.toString('utf8') ?? '');
        const cart = choice.cartId ? this.store.carts.get(choice.cartId) : undefined;
        if (!cart || !choice.action) return send(noticePage(400, 'Richiesta non valida: identificativoCarrello o azione mancanti.'));
        if (cart.state !== 'waiting') return send(noticePage(409, `Il carrello ${cart.id} è già stato concluso.`));
        this.pay(cart.id, choice.action).then(
          (r) => send({ status: 303, body: '' }, { location: r.location }),
          (e: Error) => send(noticePage(500, `Errore interno: ${e.message}`)),
        );
      });
    }
    res.writeHead(405, { allow: url.pathname === PAGE_PATH ? 'GET' : 'POST', 'content-type': 'text/plain; charset=utf-8' });
    res.end('collaudo: method not allowed\n');
  }
}
