// The reference PSP's old-model (SANP 2.2.6) side, mounted on the reference PSP's one HTTP server
// (ReferencePsp.old): /PspPerNodo (./endpoint.ts), the payment page (./page.ts), the old-psp-* trigger
// actions (./triggers.ts), its calls to the Nodo's NodoPerPsp (./nodo-client.ts), the RT push with
// TR-08 retries and the PULL queue (./rt-push.ts), over its archive (./archive.ts) and the defect
// switches (./defects.ts).
import type { Clock } from '../../../src/core/clock.js';
import type { PspIds } from '../../../domain/registry.js';
import type { IncomingSoap, OutgoingSoap } from '../../../src/wire/http.js';
import type { TriggerReport } from '../../../src/triggers/index.js';
import { OldPspArchive, type PspRt } from './archive.js';
import { type OldPspDefect, isOldPspDefect } from './defects.js';
import { PSP_PER_NODO_PATH, servePspPerNodo } from './endpoint.js';
import { type NodoLink, OldNodoClient, type Notice, type PaymentKeys } from './nodo-client.js';
import { CART_PARAM, PAGE_ACTION, PAGE_PATH, type Page, cartPage, noticePage, readChoice } from './page.js';
import { OldPspPayments, type PspPaymentResult } from './payments.js';
import { RtPusher, type RtPushRecord, goesToPull } from './rt-push.js';
import { OldPspTriggers } from './triggers.js';
import { type SpontaneousRequest, paySpontaneous } from './spontaneous.js';
import { readInformativa } from './informativa.js';
import { nodoPerPsp, nodoPerPspRichiestaAvvisi } from '../../../interfaces/index.js';

export { OLD_PSP_DEFECTS, OLD_PSP_DEFECT_IDS, isOldPspDefect, oldPspDefectRtMode } from './defects.js';
export type { OldPspDefect, OldPspDefectInfo } from './defects.js';
export { OLD_PSP_TRIGGER_ACTIONS, isOldPspTriggerAction } from './triggers.js';
export type { OldPspTriggerAction, OldPspTriggerLog } from './triggers.js';
export type { NodoLink, Notice, PaymentKeys } from './nodo-client.js';
export type { PspRpt, PspRt, PspCart, PspRevoca, PspStorno, RptProgress, RtState } from './archive.js';
export type { PspPaymentResult, PaidWithoutRpt } from './payments.js';
export type { SpontaneousRequest } from './spontaneous.js';
export type { RtPushRecord, PushAttempt } from './rt-push.js';
export { RT_PUSH_MAX_SENDS } from './rt-push.js';
export { PSP_PER_NODO_PATH } from './endpoint.js';
export { PAGE_PATH, PAGE_ACTION, CART_PARAM } from './page.js';

/** Where the Nodo returns the payer when nothing else is configured: WISP's return on the Nodo's host. */
export const DEFAULT_NODO_RETURN_PATH = '/wisp/rientro';

export interface OldPspOptions {
  clock: Clock;
  /** the old-model channel's identities and password (default: the reference PSP's) */
  ids: PspIds;
  /**
   * its channel of payment model 2 (authorisation managed by the PSP, L1201): carts on it are answered
   * without a page (L1502) and paid when the payer authorises (trigger old-psp-authorise), or at once
   * under a manleva (ibanAddebito in every RPT, L1529)
   */
  authChannel?: string;
  /** the name the payment page and the RT's denominazioneAttestante show */
  name?: string;
  defects?: readonly OldPspDefect[];
  /** how the PSP answers a storno (default accept: an ER revoking what the RR asks) */
  storno?: 'accept' | 'refuse' | 'unsupported';
  /**
   * how its channel hands RTs to the Nodo (the channel's configuration at the Nodo, ChannelEntry.rtMode):
   * push (default: nodoInviaRT with TR-08 retries, then the PULL queue) or pull (each RT straight into the
   * PULL queue, TR-09, for the Nodo's pspChiediListaRT / pspChiediRT / pspInviaAckRT; never pushed — but
   * the replacing RT of an annullo tecnico, whose forzaControlloSegno only nodoInviaRT carries, L2520)
   */
  rtMode?: 'push' | 'pull';
  /** on a virtual clock, the real time one send gives the Nodo before it counts as unanswered (default 5000 ms) */
  sendRealCapMs?: number;
  /** on a virtual clock, the real time the PSP waits for the EC's RPT after an activation (default 5000 ms; real clock: TR-13's) */
  rptWaitRealMs?: number;
  /** posts a trigger report (default: a plain POST, errors ignored) */
  report?: (url: string, r: TriggerReport) => Promise<void>;
}

export interface OldPspUrls {
  /** the channel's pspPerNodoUrl */
  pspPerNodo: string;
  /** the channel's redirectUrl: the Nodo sends the payer to it + '?' + parametriPagamentoImmediato */
  paymentPage: string;
}

export class OldReferencePsp {
  readonly archive = new OldPspArchive();
  readonly payments: OldPspPayments;
  readonly triggers: OldPspTriggers;
  readonly defects: ReadonlySet<OldPspDefect>;
  private readonly client: OldNodoClient;
  private readonly pusher: RtPusher;
  private readonly acting = new Set<Promise<unknown>>();
  private readonly onSettle = new Set<() => void>();
  private base?: string;
  private stopped = false;

  constructor(private readonly o: OldPspOptions) {
    for (const d of o.defects ?? []) if (!isOldPspDefect(d)) throw new Error(`OldReferencePsp: unknown defect ${d}`);
    this.defects = new Set(o.defects ?? []);
    const has = (d: OldPspDefect) => this.defects.has(d);
    this.client = new OldNodoClient({ clock: o.clock, ids: () => o.ids, realCapMs: o.sendRealCapMs });
    this.pusher = new RtPusher({
      clock: o.clock,
      client: this.client,
      realCapMs: o.sendRealCapMs ?? 5000,
      noRetry: has('old-rt-no-retry'),
      fast: has('old-rt-retry-fast'),
      forever: has('old-rt-retry-forever'),
      duplicateLoop: has('old-rt-duplicate-loop'),
      xmlFor: (rt, k) => this.payments.xmlFor(rt, k),
      settled: (rt, d) => this.settled(rt, d),
    });
    this.payments = new OldPspPayments({
      clock: o.clock, ids: o.ids, name: o.name ?? o.ids.idPSP, archive: this.archive, client: this.client, pusher: this.pusher, has,
      storno: o.storno ?? 'accept', rptWaitRealMs: o.rptWaitRealMs ?? 5000, track: (p) => this.track(p), rtMode: o.rtMode ?? 'push',
    });
    const report = o.report ?? ((url, r) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r) }).then(() => undefined, () => undefined));
    this.triggers = new OldPspTriggers(this.payments, () => o.clock.now(), (p) => this.track(p), report, (r) => paySpontaneous(this.client, this.payments, has, r), (d) => readInformativa(this.client, has, d));
  }

  /**
   * The Nodo the PSP calls (its NodoPerPsp URL) and where it sends the payer back after its page
   * (I03: configuration, no message carries it; default WISP's return, /wisp/rientro, on the Nodo's host),
   * and its NodoPerPspRichiestaAvvisi (default: beside NodoPerPsp).
   */
  useNodo(nodoPerPspUrl: string, returnUrl?: string, richiestaAvvisiUrl?: string): void {
    if (!/^https?:\/\//.test(nodoPerPspUrl)) throw new Error(`useNodo: nodoPerPspUrl must be an http(s) URL, got "${nodoPerPspUrl}"`);
    const back = returnUrl ?? new URL(DEFAULT_NODO_RETURN_PATH, nodoPerPspUrl).href;
    if (!/^https?:\/\//.test(back)) throw new Error(`useNodo: returnUrl must be an http(s) URL, got "${back}"`);
    const avvisi = richiestaAvvisiUrl ?? (nodoPerPspUrl.endsWith(nodoPerPsp.path) ? `${nodoPerPspUrl.slice(0, -nodoPerPsp.path.length)}${nodoPerPspRichiestaAvvisi.path}` : new URL(nodoPerPspRichiestaAvvisi.path, nodoPerPspUrl).href);
    if (!/^https?:\/\//.test(avvisi)) throw new Error(`useNodo: richiestaAvvisiUrl must be an http(s) URL, got "${avvisi}"`);
    this.client.link = { nodoPerPspUrl, returnUrl: back, richiestaAvvisiUrl: avvisi };
  }
  get nodoLink(): NodoLink | undefined {
    return this.client.link;
  }

  /** Told by the server it is mounted on (its base URL, no trailing slash). */
  mountedAt(base: string): void {
    this.base = base.replace(/\/+$/, '');
  }
  get urls(): OldPspUrls {
    if (!this.base) throw new Error('OldReferencePsp: the reference PSP is not started');
    return { pspPerNodo: `${this.base}${PSP_PER_NODO_PATH}`, paymentPage: `${this.base}${PAGE_PATH}` };
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch(() => undefined).finally(() => this.acting.delete(q));
    this.acting.add(q);
  }

  /** Resolves when everything started so far (RT pushes with their retries, trigger actions, ERs) is over. */
  async idle(): Promise<void> {
    for (;;) {
      while (this.acting.size) await Promise.all([...this.acting]);
      if (this.stopped || !this.pusher.records((d) => d.state === 'pending').length) return;
      await new Promise<void>((r) => this.onSettle.add(r));
    }
  }

  /** Stops the pushes in progress (no more attempts) and the waits for an RPT. */
  stop(): void {
    this.stopped = true;
    this.pusher.stop();
    this.archive.stopWaits();
    for (const l of [...this.onSettle]) l();
    this.onSettle.clear();
  }

  /** The RT pushes (one per RT, with its attempts), in creation order. */
  pushes(match?: (d: RtPushRecord) => boolean): RtPushRecord[] {
    return this.pusher.records(match);
  }

  /** POSTs it serves: /PspPerNodo and the page's form; undefined for other paths. */
  async handlePost(req: IncomingSoap): Promise<OutgoingSoap | undefined> {
    const p = req.path.split('?', 1)[0]!.replace(/\/+$/, '');
    if (p === PSP_PER_NODO_PATH) return servePspPerNodo(this.endpointContext(), req);
    if (p === PAGE_ACTION) {
      const choice = readChoice(req.raw);
      if (!choice.cartId || !choice.action) return noticePage(400, 'Richiesta non valida: identificativoCarrello o azione mancanti.');
      const link = this.client.link;
      if (!link) return noticePage(503, 'Il PSP non conosce ancora il Nodo dei Pagamenti.');
      return this.payments.choose(choice.cartId, choice.action, link.returnUrl);
    }
    return undefined;
  }

  /** GETs it serves: the payment page; undefined for other paths. */
  handleGet(path: string): Page | undefined {
    const u = new URL(path, 'http://psp.invalid');
    if (u.pathname !== PAGE_PATH) return undefined;
    const id = u.searchParams.get(CART_PARAM) ?? '';
    const cart = this.archive.carts.get(id);
    if (!cart) return noticePage(404, `Nessun carrello ${id || '(identificativoCarrello mancante)'} presso questo PSP.`);
    if (cart.state !== 'waiting') return noticePage(409, `Il carrello ${id} è già stato concluso.`);
    return cartPage(cart, this.o.name ?? this.o.ids.idPSP);
  }

  /** The hook's answer when the request is an old-psp-* action; undefined otherwise. */
  trigger(body: unknown): { status: number; type: string; body: string } | undefined {
    return this.triggers.handle(body);
  }

  // direct entry points (the seat's own flows and tests)
  choose(cartId: string, action: 'paga' | 'annulla'): Page {
    const link = this.client.link;
    if (!link) throw new Error('choose: the PSP does not know the Nodo yet (useNodo)');
    return this.payments.choose(cartId, action, link.returnUrl);
  }
  payAtPsp(notice: Notice, o: { verify?: boolean; verifyOnly?: boolean; authorise?: boolean; printedCents?: number } = {}): Promise<PspPaymentResult> {
    return this.payments.payAtPsp(notice, o);
  }
  /** The payer authorises (or refuses) the modello-2 cart `cartId` at the PSP (old-psp-authorise). */
  authorise(cartId: string, paid = true): Promise<PspPaymentResult> {
    return this.payments.authorise(cartId, paid);
  }
  /** A spontaneous payment (old-psp-spontaneous): catalogue, notice for the service, paid as modello 3. */
  paySpontaneous(r: SpontaneousRequest): Promise<PspPaymentResult> {
    return paySpontaneous(this.client, this.payments, (d) => this.defects.has(d), r);
  }
  /** The informative queries (old-psp-informativa): nodoChiediInformativaPA, nodoChiediTemplateInformativaPSP. */
  readInformativa(idDominio?: string): Promise<PspPaymentResult> {
    return readInformativa(this.client, (d) => this.defects.has(d), idDominio);
  }
  revoca(keys: PaymentKeys, tipoRevoca: '1' | '2' = '1'): ReturnType<OldPspPayments['revoca']> {
    return this.payments.revoca(keys, tipoRevoca);
  }

  /** A push is over: delivered, refused (Tavolo Operativo), or into the PULL queue (TR-09). */
  private settled(rt: PspRt, d: RtPushRecord): void {
    this.decide(rt, d);
    const waiting = [...this.onSettle];
    this.onSettle.clear();
    for (const l of waiting) l();
  }

  private decide(rt: PspRt, d: RtPushRecord): void {
    if (d.state === 'delivered') {
      rt.state = 'delivered';
      return;
    }
    rt.reason = d.reason;
    if (!goesToPull(d)) {
      rt.state = 'refused';
      return;
    }
    const stationDown = d.state === 'rejected';
    const drop = this.defects.has('old-rt-no-retry') || (stationDown ? this.defects.has('old-rt-station-down-dropped') : this.defects.has('old-rt-no-pull'));
    rt.state = drop ? 'dropped' : 'pull';
  }

  private endpointContext() {
    return {
      ids: this.o.ids,
      archive: this.archive,
      has: (d: OldPspDefect) => this.defects.has(d),
      now: () => this.o.clock.now(),
      storno: this.o.storno ?? 'accept',
      activation: (k: PaymentKeys) => this.payments.activation(k),
      later: (work: () => Promise<unknown>) => this.track(new Promise<void>((r) => setImmediate(r)).then(work)),
      negativeRt: (r: Parameters<OldPspPayments['negativeRt']>[0]) => this.payments.negativeRt(r),
      esitoStorno: (k: PaymentKeys) => this.payments.esitoStorno(k),
      afterEr: (k: PaymentKeys) => this.payments.afterEr(k),
      authChannel: this.o.authChannel,
      authorise: (cartId: string) => this.payments.authorise(cartId),
    };
  }
}
