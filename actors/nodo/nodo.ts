// The reference Nodo dei Pagamenti (new model): serves nodeForPsp to PSPs, calls the EC stations
// (paForNode), keeps payment tokens (NM-SM-TOK), idempotency keys, paid notices and the receipt
// delivery queue with its retry schedule (NM-SM-RCPT). Stateful and spec-faithful; where the
// catalogues are ambiguous it follows the preferred reading of the IF-A / NM-A rows (see README).
// This file is the Nodo's front: lifecycle, the PSP-facing server and the public API; the state
// lives in sessions.ts, the calls in station-client.ts, the handlers of each flow in new/*.ts.
import path from 'node:path';
import type { Clock } from '../../src/core/clock.js';
import type { Correlation } from '../../src/core/journal.js';
import type { Registry } from '../../domain/registry.js';
import { MAX_RETRY_ATTEMPTS } from '../../domain/timeouts.js';
import type http from 'node:http';
import { CallResult, IncomingSoap, OutgoingSoap, RunningServer, soapRequestListener, startSoapServer } from '../../src/wire/http.js';
import { type Answer, serveSoap, verbatim } from '../../src/wire/soap-endpoint.js';
import { FaultBean, ko } from '../../src/wire/soap.js';
import { Operation } from '../../interfaces/index.js';
import { packsAt, servedSchema } from '../../src/wire/contract.js';
import { nodeForPa, nodeForPsp } from '../../interfaces/index.js';
import type { El, NodeObj } from '../../src/wire/xml.js';
import type { TlsClientOptions as CallOptionsTls } from '../../src/wire/http.js';
import { nodoFault } from './faults.js';
import { Delivery, DeliverySchedule, ReceiptData, buildReceipt } from './receipts.js';
import { correlationOf } from '../../interfaces/index.js';
import { DEFAULT_TIMEOUTS, DEFAULT_TOKEN_LIFETIME_MS, NodoDefect, NodoTimeouts, ReceiptRetry, ReferenceNodoConfig, SERVED, SendReceiptOptions, StationPrimitive } from './config.js';
import { Sessions, TokenInfo } from './sessions.js';
import { StationClient, isRaw } from './station-client.js';
import type { NodoContext } from './context.js';
import { verify } from './new/verify.js';
import { activate } from './new/activate.js';
import { outcome } from './new/outcome.js';
import { catalogue, demand } from './new/spontaneous.js';
import { buildNotify, notifyPsp } from './new/notify.js';
import { ReceiptDeliveries } from './new/receipts.js';
import { reconciliation } from './new/fdr.js';
import { FlowStore } from './fdr/store.js';
import { FLOW_MAX_BODY_BYTES, SoapFlows } from './fdr/soap-flows.js';
import { FlowUploads } from './fdr/upload-script.js';

/** What the Nodo serves on its one SOAP server: PSPs at /nodeForPsp, EC stations (reporting flows) at /nodeForPa. */
const SERVED_PACKS = [nodeForPsp, nodeForPa];

export { isPostalIban } from '../../domain/common.js';

export class ReferenceNodo {
  private readonly clock: Clock;
  private readonly reg: Registry;
  private readonly timeouts: NodoTimeouts;
  private server?: RunningServer;
  private endpoint = '';
  /** the state the handlers share (new/*.ts) */
  private readonly n: NodoContext;
  /** the receipt deliveries (the flows see only what starts one: NodoContext.receipts) */
  private readonly queue: ReceiptDeliveries;
  /** the run's reporting flows (the configuration's, or the Nodo's own) */
  readonly flows: FlowStore;
  /** the reporting flows' SOAP side: processing states, uploads processed (fdr/soap-flows.ts) */
  readonly fdr: SoapFlows;
  /** scripted answers to a PSP's nodoInviaFlussoRendicontazione and the record of its uploads (fdr/upload-script.ts) */
  readonly flowUploads: FlowUploads;

  constructor(private readonly cfg: ReferenceNodoConfig) {
    this.clock = cfg.clock;
    this.reg = cfg.registry;
    this.timeouts = { ...DEFAULT_TIMEOUTS };
    for (const [k, v] of Object.entries(cfg.timeouts ?? {})) if (typeof v === 'number') this.timeouts[k as keyof NodoTimeouts] = v;
    const retry: Required<ReceiptRetry> = {
      // NM-TR-07: slottime = the paSendRT timeout, at most 5 attempts (NM-TR-06)
      slotMs: cfg.receiptRetry?.slotMs ?? DEFAULT_TIMEOUTS.paSendRT,
      maxAttempts: cfg.receiptRetry?.maxAttempts ?? MAX_RETRY_ATTEMPTS,
      measure: cfg.receiptRetry?.measure ?? 'gap',
      retryOnKo: cfg.receiptRetry?.retryOnKo ?? true,
    };
    const defects = new Set<NodoDefect>(cfg.defects ?? []);
    this.flows = cfg.flows ?? new FlowStore(this.clock, cfg.ledger);
    this.fdr = new SoapFlows({ clock: this.clock, reg: this.reg, store: this.flows, transport: 'soap-new', fault: (c, d) => nodoFault(c, d), invalidDocument: 'PPT_SINTASSI_XSD', ...cfg.fdr });
    const base = {
      fdr: this.fdr,
      cfg,
      clock: this.clock,
      reg: this.reg,
      lifetime: cfg.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS,
      defects,
      sessions: new Sessions(this.clock, defects),
      stations: new StationClient(cfg, this.reg, this.timeouts, defects),
    };
    this.queue = new ReceiptDeliveries(base, retry, this.timeouts);
    this.flowUploads = new FlowUploads({ clock: this.clock, fault: (c, d) => nodoFault(c, d), processing: (k, ms) => this.fdr.processingFor(k.idPSP, k.flowId, ms) });
    this.n = { ...base, receipts: this.queue };
  }

  /** The Nodo → EC timeouts in force (IF-X-13): scenarios derive their waits and delays from them. */
  get stationTimeouts(): Readonly<NodoTimeouts> {
    return this.timeouts;
  }

  // ================================================================ lifecycle

  async start(): Promise<{ url: string }> {
    if (this.server) return { url: this.endpoint };
    this.server = await startSoapServer({ ...this.serverOptions(), host: this.cfg.host, port: this.cfg.port, tls: this.cfg.tls });
    this.endpoint = `${this.server.url}${nodeForPsp.path}`;
    return { url: this.endpoint };
  }

  /**
   * The Nodo's request handling for a server it shares (`collaudo serve --psp-counterpart` with the old
   * model's Nodo beside it on one port), told the server's base URL; `start` is then not called.
   */
  listener(base: string): http.RequestListener {
    this.endpoint = `${base.replace(/\/+$/, '')}${nodeForPsp.path}`;
    return soapRequestListener(this.serverOptions());
  }

  private serverOptions() {
    const journalInbound = this.cfg.journalInbound !== false;
    return {
      interfaces: SERVED_PACKS,
      maxBodyBytes: this.cfg.fdr?.maxBodyBytes ?? FLOW_MAX_BODY_BYTES,
      name: 'nodo',
      clock: this.clock,
      // nodeForPa's callers (EC stations reading flows) journal nothing themselves: always journaled here
      journal: (c: Correlation, p?: string) => (journalInbound || p?.startsWith(nodeForPa.path) ? this.cfg.journal(this.enrich(c)) : undefined),
      faults: this.cfg.faults ? (c: Correlation) => this.cfg.faults!(this.enrich(c)) : undefined,
      get: (p: string) => this.serveGet(p),
      handle: (req: IncomingSoap) => this.flowUploads.intercept(req, () => this.handle(req)),
    };
  }

  async stop(): Promise<void> {
    this.queue.stop();
    await this.server?.close();
    this.server = undefined;
  }

  /** nodeForPsp's endpoint (PSPs) */
  get url(): string {
    return this.endpoint;
  }

  /** nodeForPa's endpoint (EC stations reading the reporting flows) */
  get nodeForPaUrl(): string {
    return this.server ? `${this.server.url}${nodeForPa.path}` : '';
  }

  // ================================================================ state views

  /** A token's state on the clock (expiry is checked lazily). */
  token(paymentToken: string): TokenInfo | undefined {
    return this.n.sessions.token(paymentToken);
  }

  /**
   * Ends an active token's lifetime now (a scenario's race, NM-PSPPAY-CONC-02): from here on the Nodo
   * treats it as expired (PPT_TOKEN_SCADUTO to an outcome, the notice free for another activation).
   */
  expireToken(paymentToken: string): boolean {
    return this.n.sessions.expire(paymentToken);
  }

  /** What the platform knows of a notice: free (payable), in-progress (open token) or paid. */
  notice(fiscalCode: string, noticeNumber: string): { state: 'free' | 'in-progress' | 'paid'; paymentToken?: string } {
    return this.n.sessions.notice(fiscalCode, noticeNumber);
  }

  /** Receipt deliveries, per (receipt, EC), in creation order. */
  deliveries(paymentToken?: string): Delivery[] {
    return this.queue.deliveries(paymentToken);
  }

  /**
   * Resolves when the latest delivery of (paymentToken, EC) reaches a final state (delivered,
   * rejected, parked); event-based. The deadline follows from the retry schedule and the paSendRT
   * timeout in force on the run's clock (`deliveryDeadlineMs`); `deadlineMs` overrides it. With
   * `receiptWait: 'candidate'` it also settles at the first send the station itself failed.
   */
  waitDelivery(paymentToken: string, fiscalCode: string, deadlineMs?: number): Promise<Delivery> {
    return this.queue.wait(paymentToken, fiscalCode, deadlineMs);
  }

  /** The delivery schedule in force: slot, paSendRT timeout, and what one send costs in real time on this clock. */
  schedule(): DeliverySchedule {
    return this.queue.schedule();
  }

  /** The receipt the platform built for a paid token (for scenarios that re-send or alter it). */
  receiptFor(paymentToken: string): ReceiptData | undefined {
    return this.queue.receiptFor(paymentToken);
  }

  /** The `receipt` element of paSendRT (1) / paSendRTV2 (2) for these data. */
  buildReceipt(receipt: ReceiptData, version: 1 | 2): NodeObj {
    return buildReceipt(receipt, version);
  }

  /**
   * Delivers a (possibly crafted) receipt through the same delivery machinery: paSendRT(V2), judging
   * of the answer, retry schedule, parking. Returns the live delivery record; await `waitDelivery`.
   */
  sendReceipt(receipt: ReceiptData, opts: SendReceiptOptions = {}): Delivery {
    return this.queue.sendCrafted(receipt, opts);
  }

  /** Manual restart of a parked/rejected delivery: the attempt counter starts again (NM-SM-RCPT). */
  restartDelivery(paymentToken: string, fiscalCode: string): Delivery | undefined {
    return this.queue.restart(paymentToken, fiscalCode);
  }

  /**
   * The Nodo calls an EC station with a hand-made request (scenarios of the EC seat). Journaled like
   * every other call; the scenario's outbound faults apply.
   */
  async callStation(
    primitive: StationPrimitive,
    content: NodeObj | { rawEnvelope: string },
    opts: { idStation?: string; url?: string; soapAction?: string; timeoutMs?: number; note?: string } = {},
  ): Promise<CallResult> {
    return this.n.stations.callStation(primitive, content, opts);
  }

  // ================================================================ server side

  private serveGet(p: string): { status: number; type: string; body: string } | undefined {
    const u = new URL(p, 'http://nodo.invalid');
    const pack = packsAt(SERVED_PACKS, u.pathname)[0] ?? nodeForPsp;
    if (u.search.toLowerCase() === '?wsdl') {
      const text = servedSchema(pack, `${pack.name}.wsdl`);
      if (text === undefined) return { status: 404, type: 'text/plain', body: `${pack.name}.wsdl is not available\n` };
      const wsdl = text.replace(/(<soap:address\s+location=")[^"]*(")/, `$1${this.server?.url ?? ''}${pack.path}$2`);
      return { status: 200, type: 'text/xml; charset=UTF-8', body: wsdl };
    }
    const base = path.posix.basename(u.pathname);
    const xsd = base.endsWith('.xsd') ? SERVED_PACKS.map((k) => servedSchema(k, base)).find((x) => x !== undefined) : undefined;
    if (xsd !== undefined) return { status: 200, type: 'text/xml; charset=UTF-8', body: xsd };
    return undefined;
  }

  private async handle(req: IncomingSoap): Promise<OutgoingSoap> {
    // IF-A-04, IF-X-18 (PPT_SINTASSI_EXTRAXSD; PPT_SINTASSI_XSD for a flow document), IF-X-02 (bare
    // operation name), IF-X-16 (the caller rule of the interface mounted at the path)
    const at = packsAt(SERVED_PACKS, req.path);
    return serveSoap(
      {
        interfaces: at.length ? at : SERVED_PACKS,
        name: 'the reference Nodo',
        codes: { syntax: 'PPT_SINTASSI_EXTRAXSD', document: 'PPT_SINTASSI_XSD', soapAction: 'PPT_SOAPACTION_ERRATA', unserved: 'PPT_SYSTEM_ERROR', internal: 'PPT_SYSTEM_ERROR' },
        fault: (_op, r) => nodoFault(r.code, r.description),
        contentType: true,
        soapAction: 'required',
        attributeBySoapAction: true,
        callers: this.reg,
        serves: (op) => SERVED.has(op.name),
        describe: {
          soapAction: (given, op) => `SOAPAction ${given === undefined ? 'missing' : `"${given}"`}, expected "${op.name}"`,
          internal: (e) => `reference Nodo failure: ${e.message}`,
        },
        handle: async ({ op, body }) =>
          this.answer(this.standIn(op, this.cfg.intercept ? await this.cfg.intercept(op.name, body, this.enrich(correlationOf(body)), () => this.serve(op, body)) : await this.serve(op, body))),
      },
      req,
    );
  }

  private async serve(op: Operation, body: El): Promise<NodeObj> {
    {
      switch (op.name) {
        case 'verifyPaymentNotice':
          return await this.verify(body);
        case 'activatePaymentNotice':
        case 'activatePaymentNoticeV2':
          return await this.activate(op, body);
        case 'sendPaymentOutcome':
        case 'sendPaymentOutcomeV2':
          return this.outcome(op, body);
        case 'demandPaymentNotice':
          return await this.demand(body);
        case 'nodoChiediCatalogoServiziV2':
          return this.catalogue(body);
        default:
          return reconciliation(this.n, op, body) ?? ko(nodoFault('PPT_SYSTEM_ERROR'));
      }
    }
  }

  /**
   * An activation answered in Stand-In (standin=true: the Nodo served it from ACA — here, a scenario's
   * script says so) marks its session, so its receipt carries standIn=true (NM-SI-PAY-01, NM-A-24).
   */
  private standIn(op: Operation, content: NodeObj): NodeObj {
    if (!op.name.startsWith('activatePaymentNotice') || isRaw(content) || content.outcome !== 'OK') return content;
    if (content.standin !== true && content.standin !== 'true') return content;
    const s = this.n.sessions.get(String(content.paymentToken ?? ''));
    if (s) s.standIn = true;
    return content;
  }

  private answer(content: NodeObj): Answer {
    // a scenario-scripted answer may be a raw envelope: other prefixes, a DTD (what a PSP must cope with)
    if (isRaw(content)) return verbatim({ status: 200, body: content.rawEnvelope });
    return content;
  }

  // ================================================================ new-model flows (new/*.ts)

  private verify(body: El): Promise<NodeObj> {
    return verify(this.n, body);
  }
  private activate(op: Operation, body: El): Promise<NodeObj> {
    return activate(this.n, op, body);
  }
  private outcome(op: Operation, body: El): NodeObj {
    return outcome(this.n, op, body);
  }
  private demand(body: El): Promise<NodeObj> {
    return demand(this.n, body);
  }
  private catalogue(body: El): NodeObj {
    return catalogue(this.n, body);
  }

  /**
   * The content of pspNotifyPayment (one token, version 1) or pspNotifyPaymentV2 (1..5 tokens) for
   * open sessions, addressed to `to` (the PSP's channel). Amounts from the activations; `feeCents`
   * is the commission the touchpoint charged.
   */
  buildNotify(tokens: string[], version: 1 | 2, to: { idPSP: string; idBrokerPSP: string; idChannel: string }, o: { feeCents?: number; transactionId?: string } = {}): NodeObj {
    return buildNotify(this.n, tokens, version, to, o);
  }

  /**
   * Sends pspNotifyPayment(V2) for open sessions to the PSP's channel and records its answer, which
   * then binds the outcome (NM-EC-ERR-01..04): OK → only an OK outcome; KO → every outcome discordant;
   * no valid answer (timeout, transport, invalid) → the Nodo waits for token expiry or an outcome (NM-EC-ERR-02).
   */
  notifyPsp(
    tokens: string[],
    o: { version: 1 | 2; url: string; timeoutMs: number; content?: NodeObj; rawEnvelope?: string; headers?: Record<string, string>; tls?: CallOptionsTls; note?: string },
  ): Promise<{ result: CallResult; answer: 'OK' | 'KO' | 'none'; fault?: FaultBean }> {
    return notifyPsp(this.n, tokens, o);
  }

  /** Adds notice keys to a correlation that only carries a token (journal/fault lookups). */
  private enrich(c: Correlation): Correlation {
    return this.n.sessions.enrich(c);
  }
}
