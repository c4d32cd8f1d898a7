// The reference PSP: a real PSP system for the PSP seat's demo and mutants. It takes requests on a
// trigger endpoint (the HTTP hook of src/triggers: POST /trigger, 202 at once, then it acts), pays
// notices at the Nodo (verify → activate(V2) → sendPaymentOutcome(V2)), pays spontaneous services
// (nodoChiediCatalogoServiziV2, demandPaymentNotice → activate with the qrCode received → outcome),
// and serves pspForNode (pspNotifyPayment(V1/V2)) for Checkout / App IO payments.
// Behaviour (catalogue §3.1-3.4, IF-activatePaymentNotice-F70..F76, IF-sendPaymentOutcome-F71):
// - idempotency keys `<idPSP>_<10 alphanumerics>`, one per logical request, reused on every retry;
// - a request without a usable answer (timeout, transport error, unreadable body) is retried with
//   the same key and body after slot·(2^k−1), at most `maxAttempts` sends; an answer is final;
// - no outcome without a token; the amount collected is the activation's totalAmount;
// - a KO to pspNotifyPayment means no outcome; an OK is followed by an OK outcome.
// `defects` switch on realistic bugs (./defects.ts); a report of each flow goes to `reportUrl`.
import { randomBytes } from 'node:crypto';
import { pspForNode } from '../../interfaces/index.js';
import type { Clock } from '../../src/core/clock.js';
import { isoDate } from '../../src/core/clock.js';
import { CallResult, RunningServer, TlsClientOptions, soapCall, startSoapServer, type IncomingSoap, type OutgoingSoap } from '../../src/wire/http.js';
import { type Rejection, serveSoap } from '../../src/wire/soap-endpoint.js';
import type { Operation } from '../../src/wire/contract.js';
import { FaultBean, encodeEnvelope, ko, readFault } from '../../src/wire/soap.js';
import { OPERATIONS } from '../../interfaces/index.js';
import { El, NodeObj, child, childrenNamed, textOf } from '../../src/wire/xml.js';
import { formatAmount, parseAmount } from '../../domain/common.js';
import { TriggerError, type TriggerReport, type TriggerRequest, validateTriggerRequest } from '../../src/triggers/index.js';
import type { PspIds } from '../../domain/registry.js';
import { type PspDefect, isPspDefect } from './defects.js';
import { decodeEnvelope, pspPerNodo } from '../../interfaces/index.js';
import { type OldPspDefect, type OldPspOptions, OldReferencePsp, isOldPspDefect } from './old/index.js';
import { FdrReporter } from './fdr/reporter.js';
import { fdrReport } from './fdr/trigger.js';

/** faultString of the KOs the PSP answers on pspForNode */
const CANALE_FAULT_STRINGS: Record<string, string> = {
  CANALE_SINTASSI_XSD: 'Errore di sintassi XSD',
  CANALE_SINTASSI_EXTRAXSD: 'Errore di sintassi extra XSD',
  CANALE_PSP_ERRATO: 'idPSP errato',
  CANALE_INTERMEDIARIO_ERRATO: 'idBrokerPSP errato',
  CANALE_CANALE_ERRATO: 'idChannel errato',
  CANALE_SEMANTICA: 'Errore semantico',
};

export interface ReferencePspOptions {
  clock: Clock;
  /** the Nodo's nodeForPsp URL */
  nodoUrl: string;
  ids: PspIds;
  /** new-model switches (./defects.ts) and old-model ones (./old/defects.ts) alike */
  defects?: (PspDefect | OldPspDefect)[];
  /** old model: the Nodo's NodoPerPsp URL and where the payer goes back after the payment page (also later: `old.useNodo`) */
  oldNodo?: { nodoPerPspUrl: string; returnUrl?: string };
  /** old model: the channel's identities (default `ids`), the storno policy, the virtual clock's real-time caps */
  old?: Partial<Omit<OldPspOptions, 'clock' | 'defects'>>;
  host?: string;
  port?: number;
  /** caller-side wait for the Nodo (NM-A-26: above the Nodo→EC 7 s). Default 10000 ms. */
  timeoutMs?: number;
  /** retry slot (NM-TR-06: wait slot·(2^k−1) before send k+1). Default 1000 ms. */
  slotMs?: number;
  /** total sends of one request, the first included (≤ 5, [QI]). Default 3. */
  maxAttempts?: number;
  /** token lifetime the Nodo applies (for the late-outcome defect). Default 30 min. */
  tokenLifetimeMs?: number;
  tls?: TlsClientOptions;
}

interface NodoAnswer {
  /** a valid response of the operation came back */
  answered: boolean;
  body?: El;
  outcome?: string;
  fault?: FaultBean;
  result?: CallResult;
}

interface NotifyExpectation {
  req: TriggerRequest;
  accept: boolean;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class ReferencePsp {
  readonly defects: ReadonlySet<PspDefect>;
  /** the old-model (SANP 2.2.6) side: PspPerNodo, the payment page, the old-psp-* actions (./old) */
  readonly old: OldReferencePsp;
  private server?: RunningServer;
  private readonly expectations: NotifyExpectation[] = [];
  private lastKey?: string;
  private broken = false;
  /** its reconciliation: the collections it made and the flows it reports (./fdr) */
  readonly fdr: FdrReporter;
  /** flows in progress (tests await them) */
  private readonly running = new Set<Promise<void>>();

  constructor(readonly o: ReferencePspOptions) {
    for (const d of o.defects ?? []) if (!isPspDefect(d) && !isOldPspDefect(d)) throw new Error(`ReferencePsp: unknown defect ${d}`);
    this.defects = new Set((o.defects ?? []).filter(isPspDefect));
    this.old = new OldReferencePsp({
      ...o.old,
      clock: o.clock,
      ids: o.old?.ids ?? o.ids,
      defects: (o.defects ?? []).filter(isOldPspDefect),
      report: o.old?.report ?? ((url, r) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r) }).then(() => undefined, () => undefined)),
    });
    if (o.oldNodo) this.old.useNodo(o.oldNodo.nodoPerPspUrl, o.oldNodo.returnUrl);
    this.fdr = new FdrReporter({ clock: o.clock, ids: { new: o.ids, old: o.old?.ids ?? o.ids }, name: o.old?.name ?? o.ids.idPSP, defects: o.defects ?? [], slotMs: o.slotMs });
    this.fdr.endpoints.nodeForPsp = o.nodoUrl;
  }

  private has(d: PspDefect): boolean {
    return this.defects.has(d);
  }

  async start(): Promise<{ triggerUrl: string; pspForNodeUrl: string; pspPerNodoUrl: string; paymentPageUrl: string }> {
    this.server ??= await startSoapServer({ interfaces: [pspForNode, pspPerNodo],
      name: 'psp',
      host: this.o.host ?? '127.0.0.1',
      port: this.o.port ?? 0,
      clock: this.o.clock,
      handle: (req) => this.handle(req),
      get: (p) => this.old.handleGet(p),
      isJson: (p) => p.startsWith('/trigger'),
    });
    this.old.mountedAt(this.server.url);
    return { triggerUrl: `${this.server.url}/trigger`, pspForNodeUrl: `${this.server.url}/pspForNode`, pspPerNodoUrl: this.old.urls.pspPerNodo, paymentPageUrl: this.old.urls.paymentPage };
  }

  async stop(): Promise<void> {
    this.old.stop();
    await Promise.allSettled([...this.running]);
    const s = this.server;
    this.server = undefined;
    await s?.close();
  }

  /** Resolves when every flow started so far has ended. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
    await this.old.idle();
  }

  // ------------------------------------------------------------------ inbound

  private async handle(req: IncomingSoap): Promise<OutgoingSoap> {
    if (req.path.startsWith('/trigger')) return this.onTrigger(req.raw);
    return (await this.old.handlePost(req)) ?? this.onPspForNode(req);
  }

  private onTrigger(raw: string): OutgoingSoap {
    const json = (status: number, body: unknown): OutgoingSoap => ({ status, type: 'application/json', body: JSON.stringify(body) });
    if (this.broken) return json(500, { error: 'the PSP is out of order after an unreadable answer' });
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      return json(400, { error: `not JSON: ${(e as Error).message}` });
    }
    // the old-model actions are the old side's (202 at once, or 400 naming the problem)
    const old = this.old.trigger(parsed);
    if (old) return old;
    let req: TriggerRequest;
    try {
      req = validateTriggerRequest(parsed);
    } catch (e) {
      return json(400, { error: e instanceof TriggerError ? e.message : `not JSON: ${(e as Error).message}` });
    }
    if (req.action === 'fdr-report') {
      this.track(this.flow(req, () => fdrReport(this.fdr, this.old, req)));
    } else if (req.action === 'notify-accept' || req.action === 'notify-refuse') {
      this.expectations.push({ req, accept: req.action === 'notify-accept' });
    } else {
      this.track(this.flow(req));
    }
    return json(202, { accepted: req.requestId });
  }

  private track(p: Promise<void>): void {
    const q = p.catch(() => undefined).finally(() => this.running.delete(q));
    this.running.add(q);
  }

  // ------------------------------------------------------------------ flows started by a trigger

  private async flow(req: TriggerRequest, act: () => Promise<TriggerReport> = () => this.act(req)): Promise<void> {
    let report: TriggerReport;
    try {
      report = await act();
    } catch (e) {
      report = { requestId: req.requestId, result: 'failed', message: (e as Error).message };
    }
    await this.report(req, report);
  }

  private async report(req: TriggerRequest, r: TriggerReport): Promise<void> {
    if (!req.reportUrl) return;
    await fetch(req.reportUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r) }).catch(() => undefined);
  }

  private async act(req: TriggerRequest): Promise<TriggerReport> {
    const done = (result: TriggerReport['result'], extra: Partial<TriggerReport> = {}): TriggerReport => ({ requestId: req.requestId, result, ...extra });
    if (req.action === 'service-catalogue') {
      const a = await this.call('nodoChiediCatalogoServiziV2', {
        identificativoPSP: this.o.ids.idPSP,
        identificativoIntermediarioPSP: this.o.ids.idBrokerPSP,
        identificativoCanale: this.o.ids.idChannel,
        password: this.password(),
        identificativoDominio: req.fiscalCode,
      });
      return done('not-paid', { message: a.answered ? `catalogue ${a.outcome}` : 'no catalogue' });
    }
    let qr = { fiscalCode: req.fiscalCode, noticeNumber: req.noticeNumber };
    let amountCents = req.amountCents ?? parseAmount(req.amount) ?? 0;
    if (req.action === 'pay-spontaneous') {
      const sp = req.spontaneous;
      if (!sp) return done('failed', { message: 'pay-spontaneous without spontaneous data' });
      const d = await this.call('demandPaymentNotice', {
        ...this.caller(),
        idSoggettoServizio: sp.idSoggettoServizio,
        datiSpecificiServizio: Buffer.from(sp.datiSpecificiServizio, 'utf8').toString('base64'),
      });
      if (!d.answered || d.outcome !== 'OK') return done('not-paid', { message: `demand refused: ${d.fault?.faultCode ?? 'no answer'}` });
      const q = child(d.body, 'qrCode');
      qr = { fiscalCode: textOf(q, 'fiscalCode') ?? '', noticeNumber: textOf(q, 'noticeNumber') ?? '' };
      if (this.has('spontaneous-other-qrcode')) qr.noticeNumber = qr.noticeNumber.slice(0, 16) + String((Number(qr.noticeNumber.slice(16)) + 1) % 100).padStart(2, '0');
      amountCents = parseAmount(textOf(child(child(d.body, 'paymentList'), 'paymentOptionDescription'), 'amount')) ?? amountCents;
    } else if (req.verify !== false || req.action === 'verify-only') {
      const v = await this.call('verifyPaymentNotice', { ...this.caller(), qrCode: qr });
      if (!v.answered) return done('failed', { message: 'verify: no usable answer' });
      if (v.outcome !== 'OK') {
        if (!this.has('activate-after-ec-refusal')) return done('not-paid', { message: `verify KO ${v.fault?.faultCode}` });
      } else {
        amountCents = parseAmount(textOf(child(child(v.body, 'paymentList'), 'paymentOptionDescription'), 'amount')) ?? amountCents;
      }
      if (req.action === 'verify-only' && !this.has('verify-only-activates')) return done('not-paid', { message: 'verified only' });
    }
    const v2 = req.primitives === 'v2';
    const act = await this.activate(qr, amountCents, v2);
    if (!act.answered || act.outcome !== 'OK') {
      if (this.has('outcome-after-failed-activation')) await this.outcome(['T' + randomBytes(8).toString('hex')], 'KO', v2);
      return done(act.answered ? 'not-paid' : 'failed', { message: `activate ${act.fault?.faultCode ?? 'no usable answer'}` });
    }
    const token = textOf(act.body, 'paymentToken') ?? '';
    const total = parseAmount(textOf(act.body, 'totalAmount')) ?? amountCents;
    // IF-activatePaymentNotice-F76: the activation's totalAmount is what the user pays
    const charged = this.has('charge-printed-amount') ? (req.amountCents ?? parseAmount(req.amount) ?? amountCents) : this.has('charge-verified-amount') ? amountCents : total;
    if (this.has('reject-standin') && textOf(act.body, 'standin') === 'true') {
      await this.outcome([token], 'KO', v2);
      return done('not-paid', { message: 'stand-in activation refused', paymentTokens: [token] });
    }
    if (this.has('no-outcome')) return done('paid', { paymentTokens: [token], amountCents: charged });
    if (this.has('late-outcome')) await this.o.clock.spend((this.o.tokenLifetimeMs ?? 1_800_000) + 60_000);
    const ok = req.action !== 'abandon' || this.has('abandon-sends-ok');
    const out = await this.outcome([token], ok ? 'OK' : 'KO', v2);
    if (ok && out.answered && out.outcome === 'OK') this.fdr.collectNew(act.body, token, textOf(act.body, 'standin') === 'true');
    else if (ok && out.answered) this.fdr.refusedNew(act.body, token, out.fault?.faultCode);
    return this.settle(req, out, ok, [token], charged);
  }

  private settle(req: TriggerRequest, out: NodoAnswer, ok: boolean, tokens: string[], charged: number): TriggerReport {
    const base = { requestId: req.requestId, paymentTokens: tokens };
    if (!out.answered) return { ...base, result: 'failed', message: 'outcome: no usable answer (to be reconciled)' };
    if (out.outcome === 'OK') return ok ? { ...base, result: 'paid', amountCents: charged } : { ...base, result: 'not-paid', message: 'abandoned' };
    const code = out.fault?.faultCode;
    if (code === 'PPT_TOKEN_SCADUTO' && this.has('report-paid-on-expired-token')) return { ...base, result: 'paid', amountCents: charged };
    return { ...base, result: 'not-paid', message: `outcome refused ${code}: collection reversed` };
  }

  // ------------------------------------------------------------------ nodeForPsp calls

  private caller(): NodeObj {
    return { idPSP: this.o.ids.idPSP, idBrokerPSP: this.o.ids.idBrokerPSP, idChannel: this.o.ids.idChannel, password: this.password() };
  }
  private password(): string {
    return this.has('wrong-password') ? `${this.o.ids.password}X`.slice(0, 15).replace(/.$/, 'Z') : this.o.ids.password;
  }

  newKey(): string {
    let prefix = this.o.ids.idPSP.replace(/[^a-zA-Z0-9]/g, '').slice(0, 18);
    if (prefix.length < 2 || this.has('key-without-prefix')) prefix = 'PSPKEY';
    let tail = '';
    for (const b of randomBytes(10)) tail += ALNUM[b % ALNUM.length];
    return `${prefix}_${tail}`;
  }

  private async activate(qr: { fiscalCode: string; noticeNumber: string }, amountCents: number, v2: boolean): Promise<NodoAnswer> {
    const key = this.has('reuse-key') && this.lastKey ? this.lastKey : this.newKey();
    this.lastKey = key;
    const content = (k: string): NodeObj => ({
      ...this.caller(),
      idempotencyKey: k,
      qrCode: qr,
      expirationTime: this.has('expiration-too-long') ? 1_800_001 : 900_000,
      amount: this.has('amount-one-decimal') ? formatAmount(amountCents).replace(/(\.\d)\d$/, '$1') : formatAmount(amountCents),
      ...(v2 ? { paymentMethod: 'CP', touchPoint: 'PSP' } : {}),
    });
    const op = v2 ? 'activatePaymentNoticeV2' : 'activatePaymentNotice';
    const shortTimeout = this.has('short-timeout-new-key');
    let a = await this.call(op, content(key), { retryKey: this.has('new-key-on-retry') || shortTimeout ? () => content(this.newKey()) : undefined, timeoutMs: shortTimeout ? 5000 : undefined });
    const code = a.fault?.faultCode;
    if ((code === 'PPT_PAGAMENTO_IN_CORSO' && this.has('retry-in-progress-new-key')) || (code === 'PPT_PAGAMENTO_DUPLICATO' && this.has('activate-after-duplicate'))) {
      a = await this.call(op, content(this.newKey()));
    }
    return a;
  }

  private async outcome(tokens: string[], outcome: 'OK' | 'KO', v2: boolean): Promise<NodoAnswer> {
    const today = isoDate(this.o.clock.now());
    const details: NodeObj | undefined =
      outcome === 'OK' && this.has('no-details')
        ? undefined
        : {
            paymentMethod: 'creditCard',
            paymentChannel: 'onLine',
            fee: '1.00',
            ...(v2 ? { primaryCiIncurredFee: '0.00' } : {}),
            payer: { uniqueIdentifier: { entityUniqueIdentifierType: 'F', entityUniqueIdentifierValue: 'RSSMRA80A01H501U' }, fullName: 'Mario Rossi' },
            applicationDate: today,
            transferDate: today,
          };
    const content = (k: string): NodeObj => ({
      ...this.caller(),
      idempotencyKey: k,
      ...(v2 ? { paymentTokens: { paymentToken: tokens } } : { paymentToken: tokens[0] }),
      outcome,
      details,
    });
    const key = this.newKey();
    const op = v2 ? 'sendPaymentOutcomeV2' : 'sendPaymentOutcome';
    const a = await this.call(op, content(key), {
      noRetry: this.has('no-outcome-retry'),
      retryKey: this.has('outcome-retry-new-key') ? () => content(this.newKey()) : undefined,
    });
    if (a.answered && this.has('repeat-outcome')) await this.call(op, content(this.newKey()), { noRetry: true });
    return a;
  }

  /** One logical request: retried with the same body (same key) while no usable answer comes back. */
  private async call(opName: string, content: NodeObj, o: { noRetry?: boolean; retryKey?: () => NodeObj; timeoutMs?: number } = {}): Promise<NodoAnswer> {
    const op = OPERATIONS[opName]!;
    const max = o.noRetry ? 1 : Math.min(5, this.o.maxAttempts ?? 3);
    let body = content;
    let last: NodoAnswer = { answered: false };
    for (let k = 1; k <= max; k++) {
      const result = await soapCall({
        url: this.o.nodoUrl,
        op,
        envelope: encodeEnvelope(op, 'request', body),
        from: 'psp',
        to: 'nodo',
        timeoutMs: o.timeoutMs ?? this.o.timeoutMs ?? 10_000,
        clock: this.o.clock,
        tls: this.o.tls,
      });
      last = readAnswer(opName, result, { byPrefix: this.has('parse-by-prefix'), expandEntities: this.has('expand-entities') });
      if (last.answered) return last;
      if (this.has('crash-on-bad-answer') && result.transport === 'ok') {
        this.broken = true;
        return last;
      }
      if (k < max) {
        await this.o.clock.sleep((this.o.slotMs ?? 1000) * (2 ** k - 1));
        if (o.retryKey) body = o.retryKey();
      }
    }
    return last;
  }

  // ------------------------------------------------------------------ pspForNode (served)

  private async onPspForNode(req: IncomingSoap): Promise<OutgoingSoap> {
    return serveSoap(
      {
        interfaces: [pspForNode],
        codes: { syntax: 'CANALE_SINTASSI_EXTRAXSD' },
        fault: (_op, r) => this.notifyFault(r),
        // what cannot be read is answered as the notification the request looks like
        refuse: (u) => {
          const as = OPERATIONS[/pspNotifyPaymentV2/.test(req.raw) || req.soapAction === 'pspNotifyPaymentV2' ? 'pspNotifyPaymentV2' : 'pspNotifyPayment']!;
          if (u.kind === 'not-soap') return { as, rejection: { code: 'CANALE_SINTASSI_XSD', description: `${u.rule}: ${u.message}`.slice(0, 200) } };
          return { as, rejection: { code: 'CANALE_SINTASSI_EXTRAXSD', description: 'not a pspForNode request' } };
        },
        skip: { caller: this.has('accept-misaddressed-notify') },
        describe: { invalid: (errors) => ({ code: 'CANALE_SINTASSI_EXTRAXSD', description: errors.slice(0, 2).join('; ').slice(0, 200) }) },
        // a notification addressed to another PSP, broker or channel is refused
        check: ({ body }) => {
          if (textOf(body, 'idPSP') !== this.o.ids.idPSP) return { code: 'CANALE_PSP_ERRATO', description: `idPSP ${textOf(body, 'idPSP')}` };
          if (textOf(body, 'idBrokerPSP') !== this.o.ids.idBrokerPSP) return { code: 'CANALE_INTERMEDIARIO_ERRATO', description: `idBrokerPSP ${textOf(body, 'idBrokerPSP')}` };
          if (textOf(body, 'idChannel') !== this.o.ids.idChannel) return { code: 'CANALE_CANALE_ERRATO', description: `idChannel ${textOf(body, 'idChannel')}` };
          return undefined;
        },
        handle: ({ op, body }) => this.notified(op, body),
      },
      req,
    );
  }

  /** A KO of pspForNode: the PSP's own bean, or (defect) one that pretends to come from the Nodo. */
  private notifyFault(r: Rejection): FaultBean {
    const faultString = CANALE_FAULT_STRINGS[r.code] ?? r.code;
    return this.has('notify-fault-as-nodo')
      ? { faultCode: r.code.replace(/^CANALE_/, 'PPT_'), faultString, id: 'NodoDeiPagamentiSPC', description: r.description }
      : { faultCode: r.code, faultString, id: this.o.ids.idPSP, description: r.description };
  }

  /** A notification past the wire checks: accepted when a payment of ours is waiting for it. */
  private async notified(op: Operation, body: El): Promise<NodeObj> {
    const fault = (code: string, description: string): NodeObj => ko(this.notifyFault({ code, description }));
    if (this.has('reject-standin-notify') && textOf(body, 'standin') === 'true') return fault('CANALE_SEMANTICA', 'stand-in payments are not accepted');
    const v2 = op.name === 'pspNotifyPaymentV2';
    const payments = v2
      ? childrenNamed(child(body, 'paymentList'), 'payment').map((p) => ({ token: textOf(p, 'paymentToken') ?? '', fc: textOf(p, 'fiscalCodePA') ?? '', iuv: textOf(p, 'creditorReferenceId') ?? '' }))
      : [{ token: textOf(body, 'paymentToken') ?? '', fc: textOf(body, 'fiscalCodePA') ?? '', iuv: textOf(body, 'creditorReferenceId') ?? '' }];
    const first = payments[0]!;
    const idx = this.expectations.findIndex((e) => (e.req.notices ?? [{ fiscalCode: e.req.fiscalCode, noticeNumber: e.req.noticeNumber }]).some((n) => n.fiscalCode === first.fc && n.noticeNumber.endsWith(first.iuv)));
    if (this.has('slow-notify-answer')) await this.o.clock.spend(8000);
    if (idx < 0) return fault('CANALE_SEMANTICA', 'no payment of this PSP is waiting for this notification');
    const [exp] = this.expectations.splice(idx, 1) as [NotifyExpectation];
    const tokens = payments.map((p) => p.token);
    if (!exp.accept) {
      const refused = async (): Promise<TriggerReport['result']> => {
        if (this.has('outcome-after-refused-notify')) await this.outcome(tokens, 'OK', v2);
        return 'refused';
      };
      this.later(refused, exp.req, tokens);
      return fault('CANALE_SEMANTICA', 'payment refused by the PSP (authorisation denied)');
    }
    this.later(
      async () => {
        if (this.has('no-outcome-after-notify')) return 'paid';
        const sent = this.has('partial-cart-outcome') ? tokens.slice(0, 1) : tokens;
        const out = await this.outcome(sent, this.has('ko-after-accepted-notify') ? 'KO' : 'OK', v2);
        // paid only once the Nodo accepted the outcome (never "paid" on a refused one)
        return !out.answered ? 'failed' : out.outcome === 'OK' ? 'paid' : 'not-paid';
      },
      exp.req,
      tokens,
    );
    return { outcome: 'OK' };
  }

  /** Work after the answer has been written (the outcome follows the notify answer). */
  private later(work: () => Promise<TriggerReport['result']>, req: TriggerRequest, tokens: string[]): void {
    this.track(
      (async () => {
        await new Promise<void>((r) => setImmediate(r));
        const result = await work();
        await this.report(req, { requestId: req.requestId, result, paymentTokens: tokens });
      })(),
    );
  }
}

/** A response of `opName`, valid against the schema, is an answer; anything else is not (retry). */
export function readAnswer(opName: string, result: CallResult, defects: { byPrefix?: boolean; expandEntities?: boolean } = {}): NodoAnswer {
  let raw = result.raw ?? '';
  // defect: reads the answer by its usual prefixes instead of by namespace (IF-X-04)
  if (defects.byPrefix && !(raw.includes('<soapenv:Body>') && raw.includes('<nfp:'))) return { answered: false, result };
  // defect: expands the internal entities of a DTD instead of refusing it (NM-X-VAL-01)
  const expand = defects.expandEntities && /<!DOCTYPE/.test(raw);
  if (expand) {
    const ents = new Map([...raw.matchAll(/<!ENTITY\s+(\w+)\s+"([^"]*)"\s*>/g)].map((m) => [m[1]!, m[2]!]));
    raw = raw.replace(/<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/, '').replace(/&(\w+);/g, (m, n: string) => ents.get(n) ?? m);
  }
  const d = result.transport === 'ok' && result.status === 200 ? (expand ? decodeEnvelope(raw) : (result.decoded ?? decodeEnvelope(raw))) : undefined;
  if (!d?.ok || d.msg.op?.name !== opName || d.msg.kind !== 'response' || !d.msg.xsd.valid) return { answered: false, result };
  const body = d.msg.body;
  return { answered: true, body, outcome: textOf(body, 'outcome'), fault: readFault(body), result };
}
