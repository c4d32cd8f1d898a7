// What the reference EC does besides paForNode (catalogue §3.4-§3.8, §3.12): its front end starts
// Checkout carts (stamps included), it feeds ACA (sync-pa) and GPD (async), it offers payment
// options (instalment plans, options with different due dates) through the payment-options REST
// service, NOTIFICATION_FEE metadata for SEND notices, and an intermediary portal API in GovPay
// style (POST /govpay/pagamenti, GET /govpay/pagamenti/{id}, return with idSession + esito).
// EC-initiated flows start from its HTTP hook of the trigger contract (src/triggers, seat ec):
// POST /collaudo/trigger is validated, answered 202 at once, and the EC acts afterwards.
import { createHash } from 'node:crypto';
import { isoDate, isoDateTime } from '../../src/core/clock.js';
import { type Cents, formatAmount } from '../../domain/common.js';
import type { PositionJson } from './position-json.js';
import type { EcPositions, PlatformEndpoints } from './options.js';

export type { PlatformEndpoints } from './options.js';
import type { EcDefect } from './defects.js';
import type { EcPosition } from './archive.js';
import { preferBank } from './ibans.js';
import { TriggerError, validateTriggerRequest, type EcTriggerRequest } from '../../src/triggers/index.js';

type Json = { status: number; type: string; body: string; headers?: Record<string, string> };
const json = (status: number, v: unknown): Json => ({ status, type: 'application/json', body: JSON.stringify(v) });

export interface StampRequest { idTransfer: number; hashDocumento: string; tipoBollo: string; provinciaResidenza: string }
interface Plan { id: string; kind: 'instalments' | 'exclusive'; instalments: string[]; total?: string; fiscalCode: string }
/** What the hook did with a trigger request (its state; a failure never crashes the server). */
export interface TriggerLogEntry { requestId: string; scenarioId: string; action: string; receivedAt: number; done?: boolean; result?: Record<string, unknown>; error?: string }
interface Session { id: string; idSession: string; notices: { fiscalCode: string; noticeNumber: string }[]; urlRitorno: string; esito?: 'OK' | 'ERROR' | 'DIFFERITO' | 'KO'; location?: string }

export class EcFrontEnd {
  readonly stamps = new Map<string, StampRequest>();
  private readonly plans = new Map<string, Plan>();
  private readonly planOf = new Map<string, string>();
  private readonly sessions = new Map<string, Session>();
  private seq = 0;
  private readonly acaFed = new Set<string>();
  /** trigger requests received and what came of them, newest last */
  readonly triggered: TriggerLogEntry[] = [];
  private readonly acting = new Set<Promise<void>>();
  constructor(private readonly ec: EcPositions, private readonly platform: PlatformEndpoints, private readonly has: (d: EcDefect) => boolean) {}

  private base(): string { return this.ec.baseUrl; }
  private now(): number { return this.ec.opts.clock.now(); }

  // ------------------------------------------------------------------ outbound calls to the platform
  private async post(url: string, body: unknown, method = 'POST'): Promise<{ status: number; json?: unknown; location?: string }> {
    const res = await fetch(url, { method, headers: { 'content-type': 'application/json', 'x-collaudo-from': 'ec' }, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
    const text = await res.text();
    let j: unknown;
    try { j = text ? JSON.parse(text) : undefined; } catch { j = undefined; }
    return { status: res.status, json: j, location: res.headers.get('location') ?? undefined };
  }

  /** ACA feeding of a synchronous EC (NM-SI-ACA-01): create, update (same idempotent call), invalidate (amount 0). */
  async feedAca(p: PositionJson): Promise<void> {
    if (!this.platform.acaUrl || this.has('aca-not-fed')) return;
    if (this.has('aca-stale-amount') && this.acaFed.has(p.noticeNumber) && p.state === 'payable') return;
    this.acaFed.add(p.noticeNumber);
    const payable = p.state === 'payable';
    await this.post(`${this.platform.acaUrl}/paCreatePosition`, {
      paFiscalCode: p.fiscalCode, entityType: p.debtor.type, entityFiscalCode: p.debtor.id, entityFullName: p.debtor.fullName,
      iuv: p.iuv, nav: p.noticeNumber, amount: payable ? p.amountCents : 0, description: p.description,
      expirationDate: `${p.dueDate}T23:59:59`, iban: p.transfers[0]?.iban, switchToExpired: false, payStandIn: true,
    }).catch(() => undefined);
  }

  // ------------------------------------------------------------------ provisioning extensions
  /** plan (payment options), notificationFeeCents (SEND) and stamp are handled here; the rest by provision(). */
  async provisionExtended(body: Record<string, unknown>): Promise<PositionJson & { options?: PositionJson[] }> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return this.provisioned(body as never);
    const { plan, notificationFeeCents, stamp, ...rest } = body;
    if (notificationFeeCents !== undefined) {
      if (typeof notificationFeeCents !== 'number' || !Number.isInteger(notificationFeeCents) || notificationFeeCents < 1) throw new Error('notificationFeeCents must be a positive integer');
      const amount = ((rest.amountCents as number | undefined) ?? 12050) + notificationFeeCents;
      const fee = this.has('send-fee-euro') ? formatAmount(notificationFeeCents) : String(notificationFeeCents);
      return this.provisioned({ ...rest, amountCents: amount, metadata: { ...((rest.metadata as Record<string, string>) ?? {}), NOTIFICATION_FEE: fee } });
    }
    if (stamp !== undefined) {
      const s = stamp as { hashDocumento?: string; tipoBollo?: string; provinciaResidenza?: string };
      const p = await this.provisioned({ ...rest, amountCents: 1600 });
      this.stamps.set(p.noticeNumber, { idTransfer: 1, hashDocumento: this.hashOf(s.hashDocumento ?? 'documento'), tipoBollo: s.tipoBollo ?? '01', provinciaResidenza: s.provinciaResidenza ?? 'RM' });
      return p;
    }
    if (plan !== undefined) {
      const pl = plan as { instalments?: number; total?: boolean; options?: number };
      const day = 86_400_000;
      const fc = (rest.fiscalCode as string | undefined) ?? this.ec.fiscalCode;
      const id = `PLAN${++this.seq}`;
      const out: PositionJson[] = [];
      if (pl.options) {
        // mutually exclusive options with different due dates (e.g. reduced amount if paid early)
        for (let i = 0; i < pl.options; i++) out.push(await this.provisioned({ state: 'payable', fiscalCode: fc, amountCents: 10000 + i * 2500, dueDate: isoDate(this.now() + (15 + 30 * i) * day), description: `Opzione ${i + 1} di ${pl.options}` }));
        this.plans.set(id, { id, kind: 'exclusive', instalments: out.map((p) => p.noticeNumber), fiscalCode: fc });
      } else {
        const n = pl.instalments ?? 3;
        for (let i = 0; i < n; i++) out.push(await this.provisioned({ state: 'payable', fiscalCode: fc, amountCents: 5000, dueDate: isoDate(this.now() + (30 + 30 * i) * day), description: `Rata ${i + 1} di ${n}` }));
        let total: PositionJson | undefined;
        if (pl.total) total = await this.provisioned({ state: 'payable', fiscalCode: fc, amountCents: 5000 * n - 500, dueDate: isoDate(this.now() + 30 * day), description: 'Soluzione unica' });
        this.plans.set(id, { id, kind: 'instalments', instalments: out.map((p) => p.noticeNumber), total: total?.noticeNumber, fiscalCode: fc });
        if (total) out.push(total);
      }
      for (const p of out) this.planOf.set(p.noticeNumber, id);
      return { ...out[0]!, options: out };
    }
    return this.provisioned(rest);
  }

  private async provisioned(input: Record<string, unknown>): Promise<PositionJson> {
    const p = this.ec.provision(input as never);
    if (p.state === 'payable') await this.feedAca(p);
    return p;
  }

  private hashOf(doc: string): string {
    const d = createHash('sha256').update(doc).digest();
    return this.has('stamp-hash-hex') ? d.toString('hex') : d.toString('base64');
  }

  /** A position was closed by a receipt: the other options of its plan follow (NM-OPT-PAY-02/03). */
  afterPaid(fc: string, nn: string): void {
    const plan = this.plans.get(this.planOf.get(nn) ?? '');
    if (!plan) return;
    const at = isoDateTime(this.now());
    const close = (n: string, why: string) => {
      const p = this.ec.archive.get(fc, n);
      if (p && p.state === 'payable') this.ec.archive.setState(p, 'cancelled', why, at);
    };
    if (plan.kind === 'exclusive') for (const n of plan.instalments) if (n !== nn) close(n, `option ${nn} of the same notice was paid`);
    if (plan.kind === 'instalments') {
      if (nn === plan.total) for (const n of plan.instalments) close(n, 'the single option was paid');
      else {
        if (plan.total) close(plan.total, `instalment ${nn} was paid: the single option is no longer offered`);
        if (this.has('instalment-closes-plan')) for (const n of plan.instalments) if (n !== nn) close(n, 'plan closed');
      }
    }
  }

  // ------------------------------------------------------------------ payment-options REST service
  paymentOptions(fc: string, nn: string): Json {
    const err = (status: number, code: string, msg: string) => json(status, { httpStatusCode: status, httpStatusDescription: msg, errorMessage: msg, appErrorCode: code, timestamp: Math.floor(this.now() / 1000), dateTime: isoDateTime(this.now()) });
    const p = this.ec.archive.get(fc, nn);
    if (!p) return err(404, 'ODP-107', `notice ${fc}/${nn} unknown`);
    const plan = this.plans.get(this.planOf.get(nn) ?? '');
    const st = (x: EcPosition) => (x.state === 'paid' ? 'POI_PAID' : x.state === 'expired' ? 'POI_EXPIRED_NOT_PAYABLE' : x.state === 'cancelled' ? 'POI_INVALID' : 'POI_UNPAID');
    const inst = (x: EcPosition) => ({ nav: x.noticeNumber, iuv: x.iuv, amount: x.amount, description: x.description, dueDate: `${x.dueDate}T23:59:59`, status: st(x) });
    const option = (xs: EcPosition[], description: string) => {
      const s = xs.map(st);
      const status = s.every((v) => v === 'POI_PAID') ? 'PO_PAID' : s.some((v) => v === 'POI_PAID') ? 'PO_PARTIALLY_PAID' : s.every((v) => v === 'POI_INVALID') ? 'PO_INVALID' : s.some((v) => v === 'POI_EXPIRED_NOT_PAYABLE') ? 'PO_EXPIRED_NOT_PAYABLE' : 'PO_UNPAID';
      return { description, numberOfInstallments: xs.length, amount: xs.reduce((a, x) => a + x.amount, 0), dueDate: `${xs.map((x) => x.dueDate).sort().at(-1)}T23:59:59`, status, allCCP: false, installments: xs.map(inst) };
    };
    const get = (n: string) => this.ec.archive.get(fc, n)!;
    let options;
    if (!plan) options = [option([p], p.description)];
    else if (plan.kind === 'exclusive') options = plan.instalments.map((n) => option([get(n)], get(n).description));
    else options = [option(plan.instalments.map(get), `Piano rateale in ${plan.instalments.length} rate`), ...(plan.total ? [option([get(plan.total)], 'Soluzione unica')] : [])];
    return json(200, { organizationFiscalCode: fc, companyName: p.companyName, officeName: p.officeName, standin: false, paymentOptions: options });
  }

  // ------------------------------------------------------------------ front end → Checkout
  private async startCart(notices: { fiscalCode: string; noticeNumber: string }[], returnBase: string, idCart: string): Promise<{ status: number; location?: string; problem?: unknown }> {
    if (!this.platform.checkoutUrl) return { status: 503, problem: 'no Checkout configured' };
    const paymentNotices = notices.map((n) => {
      const p = this.ec.archive.get(n.fiscalCode, n.noticeNumber);
      const amount = p?.amount ?? 0;
      return { noticeNumber: n.noticeNumber, fiscalCode: n.fiscalCode, amount: this.has('cart-amount-euro') ? Math.max(1, Math.round(amount / 100)) : amount, companyName: (p?.companyName ?? 'Ente').slice(0, 140), description: (p?.description ?? 'Avviso').slice(0, 140) };
    });
    const sep = returnBase.includes('?') ? '&' : '?';
    const r = await this.post(`${this.platform.checkoutUrl}/carts`, {
      paymentNotices, idCart,
      returnUrls: { returnOkUrl: `${returnBase}${sep}esito=OK`, returnCancelUrl: `${returnBase}${sep}esito=KO`, returnErrorUrl: `${returnBase}${sep}esito=ERROR`, returnWaitingUrl: `${returnBase}${sep}esito=DIFFERITO` },
    });
    return { status: r.status, location: r.location, problem: r.json };
  }

  // ------------------------------------------------------------------ HTTP (POST)
  async handlePost(path: string, raw: string): Promise<Json | undefined> {
    const po0 = /^\/payment-options\/organizations\/(\d{11})\/notices\/(\d{18})$/.test(path);
    if (!po0 && path !== '/collaudo/trigger' && path !== '/govpay/pagamenti') return undefined;
    let body: Record<string, unknown> = {};
    try { body = raw.trim() ? (JSON.parse(raw) as Record<string, unknown>) : {}; } catch { return json(400, { error: 'body is not JSON' }); }
    const po = /^\/payment-options\/organizations\/(\d{11})\/notices\/(\d{18})$/.exec(path);
    if (po) return this.paymentOptions(po[1]!, po[2]!);
    if (path === '/collaudo/trigger') return this.trigger(raw.trim() ? body : undefined);
    if (path === '/govpay/pagamenti') return this.startSession(body);
    return undefined;
  }

  /** The trigger hook: a valid request of seat ec is answered 202 at once; the action runs afterwards. */
  private trigger(b: unknown): Json {
    let req: EcTriggerRequest;
    try {
      req = validateTriggerRequest(b, 'ec');
    } catch (e) {
      return json(400, { error: e instanceof TriggerError ? e.message : String(e) });
    }
    const log: TriggerLogEntry = { requestId: req.requestId, scenarioId: req.scenarioId, action: req.action, receivedAt: this.now() };
    this.triggered.push(log);
    if (this.triggered.length > 500) this.triggered.shift();
    const p: Promise<void> = Promise.resolve()
      .then(() => this.act(req))
      .then((r) => { log.result = r; }, (e: unknown) => { log.error = e instanceof Error ? e.message : String(e); })
      .finally(() => { log.done = true; this.acting.delete(p); });
    this.acting.add(p);
    return json(202, { accepted: req.requestId });
  }

  /** Resolves when every action started by the hook is over (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.acting.size) await Promise.all([...this.acting]);
  }

  private async act(req: EcTriggerRequest): Promise<Record<string, unknown>> {
    const params = req.params;
    const fc = req.fiscalCode;
    switch (req.action) {
      case 'checkout-cart': {
        const notices = (params.notices as { fiscalCode: string; noticeNumber: string }[]).map((n) => ({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }));
        const id = `FE${++this.seq}`;
        const r = await this.startCart(notices, `${this.base()}/frontend/esito?cart=${id}`, id);
        return { location: r.location, checkoutStatus: r.status };
      }
      case 'stamp-cart': {
        const p = await this.provisionExtended({ state: 'payable', stamp: { hashDocumento: String(params.document ?? 'documento'), tipoBollo: String(params.tipoBollo ?? '01'), provinciaResidenza: String(params.provinciaResidenza ?? 'RM') } });
        const id = `BOLLO${++this.seq}`;
        const r = await this.startCart([{ fiscalCode: p.fiscalCode, noticeNumber: p.noticeNumber }], `${this.base()}/frontend/esito?cart=${id}`, id);
        return { noticeNumber: p.noticeNumber, location: r.location, checkoutStatus: r.status };
      }
      case 'gpd-create': return this.gpdCreate(fc, params);
      case 'gpd-update': return this.gpdCall(fc, String(params.iupd), 'PUT', params);
      case 'gpd-cancel': return this.gpdCall(fc, String(params.iupd), 'invalidate', params);
      // the old model's actions are the old-model station's (./old/triggers.ts): never routed here
      default: throw new Error(`action ${req.action} is not a front-end action`);
    }
  }

  // ------------------------------------------------------------------ GPD (asynchronous integration)
  private readonly gpdBodies = new Map<string, Record<string, unknown>>();
  private gpdPosition(fc: string, iupd: string, iuv: string, amount: Cents, dueDays: number): Record<string, unknown> {
    const ibans = this.ec.servedEcs.find((e) => e.fiscalCode === fc)?.ibans ?? [];
    const t1 = this.has('gpd-sum-mismatch') ? amount - 100 : amount;
    return {
      iupd, type: 'F', fiscalCode: 'RSSMRA80A01H501U', fullName: 'Mario Rossi', companyName: this.ec.opts.companyName, switchToExpired: false, payStandIn: true, validityDate: null,
      paymentOption: [{ iuv, nav: `3${iuv}`, amount, description: `Posizione ${iupd}`, isPartialPayment: false, dueDate: `${isoDate(this.now() + dueDays * 86_400_000)}T23:59:59`,
        transfer: [{ idTransfer: '1', amount: t1, organizationFiscalCode: fc, remittanceInformation: `/RFB/${iuv}`, category: '9/0101101IM/', iban: ibans.length ? preferBank(ibans) : undefined }] }],
    };
  }

  private async gpdCreate(fc: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (!this.platform.gpdUrl) throw new Error('no GPD configured');
    const iupd = `COLLAUDO-${fc}-${++this.seq}-${this.now()}`;
    // a fresh IUV of the station's numbering (segregation code + 15 digits), not kept in the SOAP archive
    const iuv = `${this.ec.opts.segregationCode}${String(this.now() % 1e11).padStart(11, '0')}${String(this.seq).padStart(2, '0')}`;
    const nav = `3${iuv}${(Number(BigInt(`3${iuv}`) % 93n)).toString().padStart(2, '0')}`.slice(0, 18);
    const iuvFull = nav.slice(1);
    const body = this.gpdPosition(fc, iupd, iuvFull, Number(params.amountCents ?? 7000), Number(params.dueDays ?? 30));
    this.gpdBodies.set(iupd, body);
    const r = await this.post(`${this.platform.gpdUrl}/organizations/${fc}/debtpositions?toPublish=${this.has('gpd-unpublished') ? 'false' : 'true'}`, body);
    return { iupd, nav, gpdStatus: r.status };
  }

  private async gpdCall(fc: string, iupd: string, what: 'PUT' | 'invalidate', params: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (!this.platform.gpdUrl) throw new Error('no GPD configured');
    const url = `${this.platform.gpdUrl}/organizations/${fc}/debtpositions/${encodeURIComponent(iupd)}`;
    if (what === 'invalidate') {
      const r = await this.post(`${url}/invalidate`, undefined);
      return { gpdStatus: r.status };
    }
    const prev = this.gpdBodies.get(iupd);
    if (!prev) throw new Error(`no position ${iupd} was created by this EC`);
    const opt = (prev.paymentOption as Record<string, unknown>[])[0]!;
    const body = this.gpdPosition(fc, iupd, String(opt.iuv), Number(params.amountCents ?? opt.amount), 30);
    this.gpdBodies.set(iupd, body);
    const r = await this.post(url, body, 'PUT');
    return { gpdStatus: r.status };
  }

  // ------------------------------------------------------------------ intermediary portal (GovPay style)
  private async startSession(b: Record<string, unknown>): Promise<Json> {
    const pendenze = (b.pendenze as { idDominio?: string; numeroAvviso?: string }[] | undefined) ?? [];
    const urlRitorno = String(b.urlRitorno ?? '');
    if (!pendenze.length || pendenze.length > 5 || !urlRitorno) return json(422, { categoria: 'RICHIESTA', codice: 'SINTASSI', descrizione: 'pendenze (1..5) e urlRitorno sono obbligatori' });
    const notices = pendenze.map((p) => ({ fiscalCode: String(p.idDominio), noticeNumber: String(p.numeroAvviso) }));
    for (const n of notices) {
      const p = this.ec.archive.get(n.fiscalCode, n.noticeNumber);
      if (!p || p.state !== 'payable') return json(422, { categoria: 'OPERAZIONE', codice: 'PAA_PAGAMENTO_NON_PAGABILE', descrizione: `avviso ${n.noticeNumber} non pagabile` });
    }
    const id = `PAG${++this.seq}`;
    const idSession = createHash('sha256').update(`${id}|${this.now()}`).digest('hex').slice(0, 32);
    const s: Session = { id, idSession, notices, urlRitorno };
    this.sessions.set(id, s);
    const r = await this.startCart(notices, `${this.base()}/govpay/ritorno?idSession=${idSession}`, idSession);
    if (!r.location) return json(502, { categoria: 'PAGOPA', codice: 'CHECKOUT', descrizione: `Checkout answered ${r.status}` });
    s.location = r.location;
    return json(201, { id, location: r.location, redirect: true, idSession });
  }

  private sessionState(s: Session): { stato: string; pendenze: { numeroAvviso: string; stato: string }[] } {
    const paid = s.notices.map((n) => this.ec.archive.receiptsForNotice(n.fiscalCode, n.fiscalCode, n.noticeNumber).length > 0);
    const pendenze = s.notices.map((n, i) => ({ numeroAvviso: n.noticeNumber, stato: paid[i] ? 'ESEGUITA' : 'NON_ESEGUITA' }));
    const nPaid = paid.filter(Boolean).length;
    let stato = 'IN_CORSO';
    if (nPaid === s.notices.length) stato = 'ESEGUITO';
    else if (s.esito === 'KO') stato = nPaid ? 'ESEGUITO_PARZIALE' : 'NON_ESEGUITO';
    else if (s.esito === 'OK' && this.has('portal-esito-trusted')) stato = 'ESEGUITO';
    else if (s.esito === 'ERROR' && this.has('portal-error-not-paid')) stato = 'NON_ESEGUITO';
    return { stato, pendenze };
  }

  // ------------------------------------------------------------------ HTTP (GET)
  handleGet(path: string, query: string): Json | undefined {
    const q = new URLSearchParams(query);
    if (path === '/frontend/esito') {
      // the return from Checkout is a hint: the page is provisional, positions wait for the receipts (NM-EC-PAY-02)
      const esito = q.get('esito') ?? '';
      if (esito === 'OK' && this.has('redirect-closes')) {
        for (const p of this.ec.archive.all()) if (p.state === 'payable' && this.cartNotices(q.get('cart') ?? '').includes(p.noticeNumber)) this.ec.archive.setState(p, 'paid', 'return from Checkout', isoDateTime(this.now()));
      }
      return { status: 200, type: 'text/html; charset=UTF-8', body: `<html><body><p>Esito ${esito}: il pagamento è in attesa di conferma da pagoPA.</p></body></html>` };
    }
    if (path === '/govpay/ritorno') {
      const s = [...this.sessions.values()].find((x) => x.idSession === q.get('idSession'));
      if (!s) return { status: 404, type: 'text/plain', body: 'sessione sconosciuta\n' };
      const e = q.get('esito');
      if (e === 'OK' || e === 'ERROR' || e === 'DIFFERITO' || e === 'KO') s.esito = e;
      const back = `${s.urlRitorno}${s.urlRitorno.includes('?') ? '&' : '?'}idSession=${s.idSession}&esito=${s.esito ?? 'ERROR'}`;
      return { status: 200, type: 'text/html; charset=UTF-8', body: `<html><head><meta http-equiv="refresh" content="0;url=${back}"></head><body><a href="${back}">Torna al portale</a></body></html>` };
    }
    const g = /^\/govpay\/pagamenti\/([^/]+)$/.exec(path);
    if (g) {
      const s = this.sessions.get(decodeURIComponent(g[1]!));
      if (!s) return json(404, { categoria: 'RICHIESTA', codice: 'NOT_FOUND', descrizione: 'pagamento sconosciuto' });
      return json(200, { id: s.id, idSession: s.idSession, esitoRitorno: s.esito, ...this.sessionState(s) });
    }
    return undefined;
  }

  private readonly carts = new Map<string, string[]>();
  private cartNotices(id: string): string[] { return this.carts.get(id) ?? [...this.ec.archive.all()].map((p) => p.noticeNumber); }
}
