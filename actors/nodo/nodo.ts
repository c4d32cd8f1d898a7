// The reference Nodo dei Pagamenti (new model): serves nodeForPsp to PSPs, calls the EC stations
// (paForNode), keeps payment tokens (NM-SM-TOK), idempotency keys, paid notices and the receipt
// delivery queue with its retry schedule (NM-SM-RCPT). Stateful and spec-faithful; where the
// catalogues are ambiguous it follows the preferred reading of the IF-A / NM-A rows (see README).
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../src/core/clock.js';
import { isoDateTime } from '../../src/core/clock.js';
import type { Correlation, Journal } from '../../src/core/journal.js';
import type { Faults } from '../../src/core/faults.js';
import type { EcEntry, Registry, StationEntry } from '../../domain/registry.js';
import { stationForNotice } from '../../domain/registry.js';
import { CallResult, IncomingSoap, OutgoingSoap, RunningServer, TlsServerOptions, soapCall, startSoapServer, xmlContentTypeProblem } from '../../src/wire/http.js';
import { FaultBean, encodeEnvelope, encodeSoapFault, ko, readFault } from '../../src/wire/soap.js';
import { OPERATIONS, Operation } from '../../interfaces/index.js';
import { servedSchema } from '../../src/wire/contract.js';
import { nodeForPsp } from '../../interfaces/index.js';
import { assertValidRequest } from '../../src/wire/valid-request.js';
import type { El, NodeObj } from '../../src/wire/xml.js';
import type { TlsClientOptions as CallOptionsTls } from '../../src/wire/http.js';
import { formatAmount, parseAmount } from '../../domain/common.js';
import { NODO_ID, nodoFault, relayEcFault } from './faults.js';
import { EcVerdict, judgeEcAnswer } from './judge.js';
import { Delivery, DeliveryAttempt, DeliverySchedule, ReceiptData, ReceiptTransfer, buildReceipt, deliveryDeadlineMs } from './receipts.js';
import { child, childrenNamed, clip, elToNode, fingerprint, optNode, textOf } from './tree.js';
import { correlationOf, decodeEnvelope } from '../../interfaces/index.js';

export type StationPrimitive = 'paVerifyPaymentNotice' | 'paGetPayment' | 'paGetPaymentV2' | 'paSendRT' | 'paSendRTV2' | 'paDemandPaymentNotice';

export interface NodoTimeouts {
  paVerifyPaymentNotice: number;
  paGetPayment: number;
  paSendRT: number;
  paDemandPaymentNotice: number;
}
/** IF-X-13 / NM-TR-05; V2 primitives share the V1 values (NM-A-10) */
export const DEFAULT_TIMEOUTS: NodoTimeouts = { paVerifyPaymentNotice: 7000, paGetPayment: 7000, paSendRT: 15000, paDemandPaymentNotice: 7000 };
/** on a virtual clock, the real time a receipt send gives the station before it counts as a timeout */
const VIRTUAL_SEND_REAL_MS = 5000;
/** NM-TR-01: platform default token lifetime, never above 30 min */
export const DEFAULT_TOKEN_LIFETIME_MS = 1_800_000;

/**
 * Defect switches: each turns the reference Nodo into a mutant with one realistic defect, for the
 * kill matrix of a Nodo-seat suite. None is on by default.
 */
export type NodoDefect =
  /** parks a receipt after the first failed send (NM-RT-RETRY-01, IF-paSendRT-F73 MUST) */
  | 'no-receipt-retry'
  /** a second activation of a notice with an open token succeeds (NM-PSPPAY-CONC-01) */
  | 'no-notice-lock'
  /** same idempotencyKey + same request opens a new token with a new EC call (NM-TOK-DUP-01) */
  | 'ignore-idempotency'
  /** relays an EC fault with id NodoDeiPagamentiSPC and without original* (IF-X-12) */
  | 'relay-as-nodo'
  /** tokens never expire (NM-TOK-PAY-02, NM-TR-08) */
  | 'no-token-expiry'
  /** an outcome KO also produces a receipt (NM-RT-VAL-01) */
  | 'receipt-on-ko'
  /** a notice paid through the platform is verified/activated again through the EC (NM-PSPPAY-ERR-07) */
  | 'no-paid-check';

export interface ReceiptRetry {
  /** slot time: the paSendRT timeout (NM-TR-07) */
  slotMs: number;
  /** total sends, the first included ([QI]: at most 5 attempts) */
  maxAttempts: number;
  /**
   * 'gap' (default): the wait between send k and send k+1 is slot·(2^k−1) (15 s, 45 s, 105 s, 225 s:
   * NM-TR-07 "minimum waits … before the successive re-sends"); 'offset': send k+1 happens
   * slot·(2^k−1) after the first send (0, 15, 45, 105, 225 s). 'gap' satisfies both readings.
   */
  measure?: 'gap' | 'offset';
  /** retry also after a KO other than PAA_RECEIPT_DUPLICATA (NM-SM-RCPT SHOULD; default true) */
  retryOnKo?: boolean;
}

export interface ReferenceNodoConfig {
  clock: Clock;
  registry: Registry;
  journal: (corr: Correlation) => Journal | undefined;
  faults?: (corr: Correlation) => Faults | undefined;
  timeouts?: Partial<NodoTimeouts>;
  tokenLifetimeMs?: number;
  receiptRetry?: Partial<ReceiptRetry>;
  host?: string;
  port?: number;
  tls?: TlsServerOptions;
  /**
   * Journal the exchanges PSPs make with the Nodo (server side). Set false when the caller (e.g. the
   * EmulatedPsp) journals the same exchanges into the same journal. Default true.
   */
  journalInbound?: boolean;
  /** extended faultBean with original* on relayed EC faults (IF-X-12: caller configuration). Default true. */
  extendedFaultBean?: boolean;
  /** how long an outcome's idempotencyKey is remembered (IF-A-15). Default: the token lifetime. */
  outcomeKeyWindowMs?: number;
  defects?: NodoDefect[];
  /**
   * PSP seat: scenario-scripted answers. Called for every authenticated PSP request with the
   * request's correlation; return `proceed()` (normal processing, possibly edited) or another answer.
   */
  intercept?: (op: string, body: El, corr: Correlation, proceed: () => Promise<NodeObj>) => Promise<NodeObj>;
  /** spontaneous services the Nodo routes demandPaymentNotice to (empty: PPT_SERVIZIO_SCONOSCIUTO, NM-A-09) */
  services?: NodoService[];
  /**
   * Called before a hand-made paGetPayment(V2) or receipt leaves for a station (callStation,
   * sendReceipt): the EC seat refuses to change a notice a scenario only reads. Throws to stop it.
   */
  guard?: (primitive: string, corr: Correlation) => void;
  /**
   * What `waitDelivery` waits for: 'final' (default) the delivery's final state; 'candidate' also
   * settles at the first send the station itself failed (a KO, an invalid answer, no answer, refused):
   * the EC seat judges what the candidate did with the receipt, and the rest of the retry schedule
   * is the harness's Nodo's own business. A send failed by an injected fault never settles it.
   */
  receiptWait?: 'final' | 'candidate';
  ledger?: import('../../src/core/ledger.js').Ledger;
}

/** A spontaneous service of the catalogue (nodoChiediCatalogoServiziV2, demandPaymentNotice). */
export interface NodoService {
  idServizio: string;
  idSoggettoServizio: string;
  /** EC offering the service */
  fiscalCode: string;
  idStation: string;
  description: string;
  categoria?: string;
  /** the XSD the service data follow (catalogue entry) */
  xsdRiferimento?: string;
}

type SessionState = 'ACTIVE' | 'PAID' | 'CLOSED_KO';
export type TokenState = SessionState | 'EXPIRED';

interface Session {
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

export interface SendReceiptOptions {
  /** EC the receipt is addressed to (default: the issuing EC, receipt.fiscalCode) */
  fiscalCode?: string;
  /** station to call (default: the station serving the notice, or the EC's first station) */
  idStation?: string;
  /** receipt version (default: the station's version) */
  version?: 1 | 2;
  /** total sends (default: receiptRetry.maxAttempts) */
  maxAttempts?: number;
  note?: string;
}

const SERVED = new Set(['verifyPaymentNotice', 'activatePaymentNotice', 'activatePaymentNoticeV2', 'sendPaymentOutcome', 'sendPaymentOutcomeV2', 'demandPaymentNotice', 'nodoChiediCatalogoServiziV2']);

interface DeliveryCtx {
  receipt: ReceiptData;
  station: StationEntry;
  version: 1 | 2;
  note?: string;
  /** attempts index where the retry counter restarts (manual restart) */
  counterStart: number;
}

export class ReferenceNodo {
  private readonly clock: Clock;
  private readonly reg: Registry;
  private readonly timeouts: NodoTimeouts;
  private readonly lifetime: number;
  private readonly retry: Required<ReceiptRetry>;
  private readonly defects: Set<NodoDefect>;
  private server?: RunningServer;
  private endpoint = '';
  private stopped = false;
  private readonly abort = new AbortController();

  private readonly sessions = new Map<string, Session>();
  /** notice key → token of the session holding the lock */
  private readonly locks = new Map<string, string>();
  /** notice key → in-flight activation (lock taken before calling the EC) */
  private readonly pending = new Map<string, { key?: string; fp: string; done: Promise<NodeObj> }>();
  /** notice key → token that paid it */
  private readonly paid = new Map<string, string>();
  private readonly activateKeys = new Map<string, { fp: string; op: string; token: string }>();
  private readonly outcomeKeys = new Map<string, { fp: string; op: string; at: number; response: NodeObj }>();
  private readonly deliveryList: Delivery[] = [];
  private readonly deliveryCtx = new Map<Delivery, DeliveryCtx>();
  private readonly finalListeners = new Set<(d: Delivery | undefined) => void>();
  /** token → answer the PSP gave to pspNotifyPayment(V2) ('none': no valid answer) */
  private readonly notified = new Map<string, 'OK' | 'KO' | 'none'>();

  constructor(private readonly cfg: ReferenceNodoConfig) {
    this.clock = cfg.clock;
    this.reg = cfg.registry;
    this.timeouts = { ...DEFAULT_TIMEOUTS };
    for (const [k, v] of Object.entries(cfg.timeouts ?? {})) if (typeof v === 'number') this.timeouts[k as keyof NodoTimeouts] = v;
    this.lifetime = cfg.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS;
    this.retry = {
      slotMs: cfg.receiptRetry?.slotMs ?? 15_000,
      maxAttempts: cfg.receiptRetry?.maxAttempts ?? 5,
      measure: cfg.receiptRetry?.measure ?? 'gap',
      retryOnKo: cfg.receiptRetry?.retryOnKo ?? true,
    };
    this.defects = new Set(cfg.defects ?? []);
  }

  /** The Nodo → EC timeouts in force (IF-X-13): scenarios derive their waits and delays from them. */
  get stationTimeouts(): Readonly<NodoTimeouts> {
    return this.timeouts;
  }

  // ================================================================ lifecycle

  async start(): Promise<{ url: string }> {
    if (this.server) return { url: this.endpoint };
    const journalInbound = this.cfg.journalInbound !== false;
    this.server = await startSoapServer({ interfaces: [nodeForPsp],
      name: 'nodo',
      host: this.cfg.host,
      port: this.cfg.port,
      tls: this.cfg.tls,
      clock: this.clock,
      journal: journalInbound ? (c) => this.cfg.journal(this.enrich(c)) : undefined,
      faults: this.cfg.faults ? (c) => this.cfg.faults!(this.enrich(c)) : undefined,
      get: (p) => this.serveGet(p),
      handle: (req) => this.handle(req),
    });
    this.endpoint = `${this.server.url}/nodeForPsp`;
    return { url: this.endpoint };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort(new Error('reference Nodo stopped'));
    for (const l of [...this.finalListeners]) l(undefined);
    await this.server?.close();
    this.server = undefined;
  }

  get url(): string {
    return this.endpoint;
  }

  // ================================================================ state views

  /** A token's state on the clock (expiry is checked lazily). */
  token(paymentToken: string): TokenInfo | undefined {
    const s = this.sessions.get(paymentToken);
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

  /** Receipt deliveries, per (receipt, EC), in creation order. */
  deliveries(paymentToken?: string): Delivery[] {
    return this.deliveryList.filter((d) => paymentToken === undefined || d.receiptId === paymentToken).map(copyDelivery);
  }

  /**
   * Resolves when the latest delivery of (paymentToken, EC) reaches a final state (delivered,
   * rejected, parked); event-based. The deadline follows from the retry schedule and the paSendRT
   * timeout in force on the run's clock (`deliveryDeadlineMs`); `deadlineMs` overrides it.
   */
  waitDelivery(paymentToken: string, fiscalCode: string, deadlineMs?: number): Promise<Delivery> {
    const latest = () => [...this.deliveryList].reverse().find((d) => d.receiptId === paymentToken && d.fiscalCode === fiscalCode);
    const now = latest();
    if (now && (now.state !== 'pending' || this.settled(now))) return Promise.resolve(copyDelivery(now));
    // nothing will ever come: no delivery yet, and the token was not paid (KO, expired, unknown);
    // crafted receipts create their delivery at once, paid tokens right after the outcome
    const session = this.sessions.get(paymentToken);
    if (!now && session?.state !== 'PAID') {
      return Promise.reject(new Error(`waitDelivery(${paymentToken}, ${fiscalCode}): no receipt delivery exists and none will (token ${session ? session.state : 'unknown'})`));
    }
    const ctx = now ? this.deliveryCtx.get(now) : undefined;
    const done0 = now && ctx ? now.attempts.length - ctx.counterStart : 0;
    const limit = deadlineMs ?? deliveryDeadlineMs(this.schedule(), done0 + 1, now?.maxAttempts ?? this.retry.maxAttempts);
    return new Promise<Delivery>((resolve, reject) => {
      const l = (d: Delivery | undefined) => {
        if (d === undefined) {
          done();
          reject(new Error(`waitDelivery(${paymentToken}, ${fiscalCode}): the reference Nodo was stopped`));
          return;
        }
        if (d.receiptId !== paymentToken || d.fiscalCode !== fiscalCode || d !== latest()) return;
        if (d.state === 'pending' && !this.settled(d)) return;
        done();
        resolve(copyDelivery(d));
      };
      const timer = setTimeout(() => {
        done();
        const cur = latest();
        reject(
          new Error(
            `waitDelivery(${paymentToken}, ${fiscalCode}): no final state within ${limit} ms (retry schedule and paSendRT timeout in force)` +
              (cur ? ` (state ${cur.state}, ${cur.attempts.length} attempt(s))` : ' (no delivery was ever created)'),
          ),
        );
      }, limit);
      const done = () => {
        clearTimeout(timer);
        this.finalListeners.delete(l);
      };
      this.finalListeners.add(l);
    });
  }

  /** receiptWait 'candidate': the station itself failed a send (not an injected fault). */
  private settled(d: Delivery): boolean {
    const last = d.attempts.at(-1);
    return this.cfg.receiptWait === 'candidate' && !!last && last.result !== 'ok' && last.result !== 'duplicate' && !last.injected;
  }

  /** The delivery schedule in force: slot, paSendRT timeout, and what one send costs in real time on this clock. */
  schedule(): DeliverySchedule {
    return { slotMs: this.retry.slotMs, timeoutMs: this.timeouts.paSendRT, virtual: this.clock.virtual, realCapMs: VIRTUAL_SEND_REAL_MS };
  }

  /** The receipt the platform built for a paid token (for scenarios that re-send or alter it). */
  receiptFor(paymentToken: string): ReceiptData | undefined {
    const d = this.deliveryList.find((x) => x.receiptId === paymentToken && x.role === 'primary');
    const ctx = d ? this.deliveryCtx.get(d) : undefined;
    return ctx ? structuredClone(ctx.receipt) : undefined;
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
    const fc = opts.fiscalCode ?? receipt.fiscalCode;
    const station = this.stationForEc(fc, opts.idStation, fc === receipt.fiscalCode ? receipt.noticeNumber : undefined);
    if (!station) throw new Error(`sendReceipt: no station known for EC ${fc}${opts.idStation ? ` / ${opts.idStation}` : ''}`);
    const version = opts.version ?? station.version;
    const primitive = version === 2 ? 'paSendRTV2' : 'paSendRT';
    this.cfg.guard?.(primitive, { fiscalCode: receipt.fiscalCode, noticeNumber: receipt.noticeNumber });
    // a crafted receipt is sent as valid: checked before it leaves (InvalidRequest: nothing is sent)
    assertValidRequest(OPERATIONS[primitive]!, encodeEnvelope(OPERATIONS[primitive]!, 'request', this.receiptRequest(receipt, fc, station, version)));
    return this.enqueueDelivery(receipt, fc, station, opts.version ?? station.version, 'crafted', opts.maxAttempts, opts.note);
  }

  /** Manual restart of a parked/rejected delivery: the attempt counter starts again (NM-SM-RCPT). */
  restartDelivery(paymentToken: string, fiscalCode: string): Delivery | undefined {
    const d = [...this.deliveryList].reverse().find((x) => x.receiptId === paymentToken && x.fiscalCode === fiscalCode);
    const ctx = d ? this.deliveryCtx.get(d) : undefined;
    if (!d || !ctx || d.state === 'pending' || d.state === 'delivered') return d ? copyDelivery(d) : undefined;
    ctx.counterStart = d.attempts.length;
    d.state = 'pending';
    d.finalAt = undefined;
    d.reason = undefined;
    void this.runDelivery(d);
    return copyDelivery(d);
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
    const op = OPERATIONS[primitive];
    if (!op) throw new Error(`unknown primitive ${primitive}`);
    const raw = isRaw(content) ? content.rawEnvelope : undefined;
    const idStation = opts.idStation ?? (raw === undefined && typeof (content as NodeObj).idStation === 'string' ? ((content as NodeObj).idStation as string) : undefined);
    const station = idStation ? this.reg.stations.find((s) => s.idStation === idStation) : this.reg.stations[0];
    if (!station && !opts.url) throw new Error(`callStation: station ${idStation ?? '(none)'} is not in the registry and no url was given`);
    const envelope = raw ?? encodeEnvelope(op, 'request', content as NodeObj);
    const dec = decodeEnvelope(envelope, { validate: false });
    const corr = dec.ok ? correlationOf(dec.msg.body) : {};
    if (primitive !== 'paVerifyPaymentNotice' && primitive !== 'paDemandPaymentNotice') this.cfg.guard?.(primitive, corr);
    return soapCall({
      url: opts.url ?? station!.url,
      op,
      envelope,
      soapAction: opts.soapAction ?? primitive,
      from: 'nodo',
      to: 'ec',
      timeoutMs: opts.timeoutMs ?? this.timeoutFor(primitive),
      clock: this.clock,
      journal: this.cfg.journal(corr),
      faults: this.cfg.faults?.(corr),
      headers: station?.headers,
      tls: station?.tls,
      note: opts.note ?? `station ${station?.idStation ?? opts.url}`,
    });
  }

  // ================================================================ server side

  private serveGet(p: string): { status: number; type: string; body: string } | undefined {
    const u = new URL(p, 'http://nodo.invalid');
    if (u.search.toLowerCase() === '?wsdl') {
      const text = servedSchema(nodeForPsp, 'nodeForPsp.wsdl');
      if (text === undefined) return { status: 404, type: 'text/plain', body: 'nodeForPsp.wsdl is not available\n' };
      const wsdl = text.replace(/(<soap:address\s+location=")[^"]*(")/, `$1${this.endpoint}$2`);
      return { status: 200, type: 'text/xml; charset=UTF-8', body: wsdl };
    }
    const base = path.posix.basename(u.pathname);
    const xsd = base.endsWith('.xsd') ? servedSchema(nodeForPsp, base) : undefined;
    if (xsd !== undefined) return { status: 200, type: 'text/xml; charset=UTF-8', body: xsd };
    return undefined;
  }

  private async handle(req: IncomingSoap): Promise<OutgoingSoap> {
    const badType = xmlContentTypeProblem(req.headers);
    if (badType) return { status: 415, body: encodeSoapFault('soapenv:Client', badType) };
    const d = req.decoded;
    const byAction = req.soapAction && OPERATIONS[req.soapAction]?.iface === 'nodeForPsp' ? OPERATIONS[req.soapAction] : undefined;
    if (!d.ok) {
      // IF-A-04: a KO when the error can be attributed to an operation, else an envelope-level Fault
      if (d.rule === 'body-count' && byAction) return this.answer(byAction, ko(nodoFault('PPT_SINTASSI_EXTRAXSD', d.message)));
      return { status: 500, body: encodeSoapFault('soapenv:Client', `${d.rule}: ${d.message}`) };
    }
    if (d.msg.soapFault) return { status: 500, body: encodeSoapFault('soapenv:Client', 'a SOAP Fault is not a request') };
    const op = d.msg.op;
    if (!op || op.iface !== 'nodeForPsp' || d.msg.kind !== 'request') {
      const what = `{${d.msg.body.ns ?? ''}}${d.msg.body.name} is not a nodeForPsp request`;
      if (byAction) return this.answer(byAction, ko(nodoFault('PPT_SINTASSI_EXTRAXSD', what)));
      return { status: 500, body: encodeSoapFault('soapenv:Client', what) };
    }
    const body = d.msg.body;
    // (1) syntax: XSD (IF-X-18, IF-A-04: PPT_SINTASSI_EXTRAXSD for every schema violation)
    if (!d.msg.xsd.valid) return this.answer(op, ko(nodoFault('PPT_SINTASSI_EXTRAXSD', d.msg.xsd.errors.slice(0, 3).join('; '))));
    // SOAPAction = bare operation name (IF-X-02, IF-X-03, IF-A-05)
    if (req.soapAction !== op.name) {
      return this.answer(op, ko(nodoFault('PPT_SOAPACTION_ERRATA', `SOAPAction ${req.soapAction === undefined ? 'missing' : `"${req.soapAction}"`}, expected "${op.name}"`)));
    }
    if (!SERVED.has(op.name)) return this.answer(op, ko(nodoFault('PPT_SYSTEM_ERROR', `${op.name} is not served by the reference Nodo`)));
    // (2) caller configuration (IF-X-16)
    const authFault = this.authenticate(body);
    if (authFault) return this.answer(op, ko(authFault));
    try {
      if (this.cfg.intercept) return this.answer(op, await this.cfg.intercept(op.name, body, this.enrich(correlationOf(body)), () => this.serve(op, body)));
      return this.answer(op, await this.serve(op, body));
    } catch (e) {
      return this.answer(op, ko(nodoFault('PPT_SYSTEM_ERROR', `reference Nodo failure: ${(e as Error).message}`)));
    }
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
          return ko(nodoFault('PPT_SYSTEM_ERROR'));
      }
    }
  }

  private answer(op: Operation, content: NodeObj): OutgoingSoap {
    // a scenario-scripted answer may be a raw envelope: other prefixes, a DTD (what a PSP must cope with)
    if (isRaw(content)) return { status: 200, body: content.rawEnvelope };
    return { status: 200, body: encodeEnvelope(op, 'response', content) };
  }

  /** IF-X-16 in the documented order. */
  private authenticate(body: El): FaultBean | undefined {
    // nodoChiediCatalogoServiziV2 keeps the legacy field names (IF-nodoChiediCatalogoServiziV2-F01..F04)
    const idPSP = textOf(body, 'idPSP') ?? textOf(body, 'identificativoPSP') ?? '';
    const idBroker = textOf(body, 'idBrokerPSP') ?? textOf(body, 'identificativoIntermediarioPSP') ?? '';
    const idChannel = textOf(body, 'idChannel') ?? textOf(body, 'identificativoCanale') ?? '';
    const password = textOf(body, 'password') ?? '';
    const psp = this.reg.psps.find((p) => p.idPSP === idPSP);
    if (!psp) return nodoFault('PPT_PSP_SCONOSCIUTO', `idPSP ${idPSP} is not registered`);
    if (!psp.enabled) return nodoFault('PPT_PSP_DISABILITATO', `idPSP ${idPSP} is disabled`);
    const broker = this.reg.brokersPsp.find((b) => b.idBrokerPSP === idBroker);
    if (!broker) return nodoFault('PPT_INTERMEDIARIO_PSP_SCONOSCIUTO', `idBrokerPSP ${idBroker} is not registered`);
    if (!broker.enabled) return nodoFault('PPT_INTERMEDIARIO_PSP_DISABILITATO', `idBrokerPSP ${idBroker} is disabled`);
    const channel = this.reg.channels.find((c) => c.idChannel === idChannel);
    if (!channel) return nodoFault('PPT_CANALE_SCONOSCIUTO', `idChannel ${idChannel} is not registered`);
    if (!channel.enabled) return nodoFault('PPT_CANALE_DISABILITATO', `idChannel ${idChannel} is disabled`);
    if (channel.idBrokerPSP !== idBroker) return nodoFault('PPT_AUTORIZZAZIONE', `channel ${idChannel} does not belong to broker ${idBroker}`);
    if (!channel.psps.includes(idPSP)) return nodoFault('PPT_AUTORIZZAZIONE', `PSP ${idPSP} is not authorised on channel ${idChannel}`);
    if (channel.password !== password) return nodoFault('PPT_AUTENTICAZIONE', 'wrong password');
    return undefined;
  }

  /** IF-verifyPaymentNotice-F72 (counterpart configuration), IF-A-13. */
  private route(fiscalCode: string, noticeNumber: string): { ec: EcEntry; station: StationEntry } | FaultBean {
    const ec = this.reg.ecs.find((e) => e.fiscalCode === fiscalCode);
    if (!ec) return nodoFault('PPT_DOMINIO_SCONOSCIUTO', `EC ${fiscalCode} is not registered`);
    if (!ec.enabled) return nodoFault('PPT_DOMINIO_DISABILITATO', `EC ${fiscalCode} is disabled`);
    const station = stationForNotice(this.reg, fiscalCode, noticeNumber);
    if (!station) return nodoFault('PPT_STAZIONE_INT_PA_SCONOSCIUTA', `no station of EC ${fiscalCode} serves notice ${noticeNumber}`);
    if (!station.enabled) return nodoFault('PPT_STAZIONE_INT_PA_DISABILITATA', `station ${station.idStation} is disabled`);
    const broker = this.reg.brokersPa.find((b) => b.idBrokerPA === station.idBrokerPA);
    if (!broker) return nodoFault('PPT_INTERMEDIARIO_PA_SCONOSCIUTO', `broker ${station.idBrokerPA} of station ${station.idStation} is not registered`);
    if (!broker.enabled) return nodoFault('PPT_INTERMEDIARIO_PA_DISABILITATO', `broker ${station.idBrokerPA} is disabled`);
    if (!station.serviceActive) return nodoFault('PPT_STAZIONE_INT_PA_SERVIZIO_NONATTIVO', `station ${station.idStation}: application service not active`);
    return { ec, station };
  }

  // ---------------------------------------------------------------- verifyPaymentNotice

  private async verify(body: El): Promise<NodeObj> {
    const qr = child(body, 'qrCode');
    const fc = textOf(qr, 'fiscalCode') ?? '';
    const nn = textOf(qr, 'noticeNumber') ?? '';
    const r = this.route(fc, nn);
    if (isFault(r)) return ko(r);
    // IF-verifyPaymentNotice-F71: the Nodo answers alone for a notice paid through the platform
    if (this.paid.has(noticeKey(fc, nn)) && !this.defects.has('no-paid-check')) {
      return ko(nodoFault('PPT_PAGAMENTO_DUPLICATO', `notice ${nn} already paid (token ${this.paid.get(noticeKey(fc, nn))})`));
    }
    const { verdict } = await this.callEc('paVerifyPaymentNotice', r.station, {
      idPA: fc,
      idBrokerPA: r.station.idBrokerPA,
      idStation: r.station.idStation,
      qrCode: { fiscalCode: fc, noticeNumber: nn },
    });
    if (verdict.kind !== 'ok') return ko(this.ecFailure(verdict, fc));
    const b = verdict.body;
    const opt = child(child(b, 'paymentList'), 'paymentOptionDescription');
    return {
      outcome: 'OK',
      paymentList: {
        paymentOptionDescription: { amount: textOf(opt, 'amount'), options: textOf(opt, 'options'), dueDate: textOf(opt, 'dueDate') },
      },
      paymentDescription: textOf(b, 'paymentDescription'),
      fiscalCodePA: textOf(b, 'fiscalCodePA'),
      companyName: textOf(b, 'companyName'),
      officeName: textOf(b, 'officeName'),
    };
  }

  // ---------------------------------------------------------------- activatePaymentNotice(V2)

  private async activate(op: Operation, body: El): Promise<NodeObj> {
    const v2 = op.name === 'activatePaymentNoticeV2';
    const idPSP = textOf(body, 'idPSP')!;
    const qr = child(body, 'qrCode');
    const fc = textOf(qr, 'fiscalCode') ?? '';
    const nn = textOf(qr, 'noticeNumber') ?? '';
    const idemKey = textOf(body, 'idempotencyKey');
    const fp = fingerprint(body);
    const nk = noticeKey(fc, nn);

    const r = this.route(fc, nn);
    if (isFault(r)) return ko(r);

    // (4) duplicate message: idempotency (IF-activatePaymentNotice-F72, NM-TOK-DUP-01, NM-TOK-ERR-01)
    const kk = idemKey ? `${idPSP}|${idemKey}` : undefined;
    if (kk && !this.defects.has('ignore-idempotency')) {
      const prev = this.activateKeys.get(kk);
      const s = prev ? this.sessions.get(prev.token) : undefined;
      if (prev && s && this.stateOf(s) === 'ACTIVE') {
        if (prev.fp === fp && prev.op === op.name) return s.response; // replay: same token, no EC call
        return ko(nodoFault('PPT_ERRORE_IDEMPOTENZA', `idempotencyKey ${idemKey} was used for another request (token ${prev.token})`));
      }
      // key window over (token expired or closed): processed as a new request (IF-A-15)
      const pend = this.pending.get(nk);
      if (pend && pend.key === kk) {
        if (pend.fp !== fp) return ko(nodoFault('PPT_ERRORE_IDEMPOTENZA', `idempotencyKey ${idemKey} is in use for another request`));
        return pend.done; // technical retry while the first activation is still running: same answer
      }
    }
    // notice paid through the platform (NM-PSPPAY-ERR-07) / session open (NM-PSPPAY-CONC-01)
    if (this.paid.has(nk) && !this.defects.has('no-paid-check')) {
      return ko(nodoFault('PPT_PAGAMENTO_DUPLICATO', `notice ${nn} already paid (token ${this.paid.get(nk)})`));
    }
    if (!this.defects.has('no-notice-lock')) {
      const holder = this.lockHolder(nk);
      if (holder || this.pending.has(nk)) return ko(nodoFault('PPT_PAGAMENTO_IN_CORSO', `a payment session is open on notice ${nn}`));
    }
    const expStr = textOf(body, 'expirationTime');
    const expirationTime = expStr === undefined ? undefined : Number(expStr);
    if (expirationTime !== undefined && !(expirationTime > 0)) {
      return ko(nodoFault('PPT_SEMANTICA', `expirationTime ${expStr} must be a positive number of milliseconds`));
    }

    const run = this.activateWithEc(v2, body, fc, nn, r.ec, r.station, expirationTime, idemKey, fp, op.name);
    this.pending.set(nk, { key: kk, fp, done: run });
    try {
      return await run;
    } finally {
      if (this.pending.get(nk)?.done === run) this.pending.delete(nk);
    }
  }

  private async activateWithEc(
    v2: boolean,
    body: El,
    fc: string,
    nn: string,
    ec: EcEntry,
    station: StationEntry,
    expirationTime: number | undefined,
    idemKey: string | undefined,
    fp: string,
    opName: string,
  ): Promise<NodeObj> {
    const primitive = station.version === 2 ? 'paGetPaymentV2' : 'paGetPayment';
    const paymentNote = textOf(body, 'paymentNote');
    const { verdict } = await this.callEc(primitive, station, {
      idPA: fc,
      idBrokerPA: station.idBrokerPA,
      idStation: station.idStation,
      qrCode: { fiscalCode: fc, noticeNumber: nn },
      amount: textOf(body, 'amount'),
      paymentNote,
      dueDate: textOf(body, 'dueDate'),
    });
    if (verdict.kind !== 'ok') return ko(this.ecFailure(verdict, fc));
    const data = child(verdict.body, 'data')!;
    const transfers = childrenNamed(child(data, 'transferList'), 'transfer');
    const mbd = transfers.filter((t) => child(t, 'richiestaMarcaDaBollo')).map((t) => Number(textOf(t, 'idTransfer')));
    if (!v2 && mbd.length) {
      // IF-activatePaymentNotice-F79: a digital-stamp transfer cannot travel in a V1 activate response
      return ko(nodoFault('PPT_SEMANTICA', 'the notice has digital-stamp transfers: pay it with activatePaymentNoticeV2 (IF-activatePaymentNotice-F79)'));
    }
    const now = this.clock.now();
    const paymentToken = randomUUID().replace(/-/g, '');
    const life = Math.min(expirationTime ?? this.lifetime, this.lifetime);
    const companyName = textOf(data, 'companyName') ?? ec.companyName;
    const psTransfers = transfers.map((t) => {
      const o: NodeObj = {
        idTransfer: textOf(t, 'idTransfer'),
        transferAmount: textOf(t, 'transferAmount'),
        fiscalCodePA: textOf(t, 'fiscalCodePA'),
      };
      if (v2) {
        o.companyName = textOf(t, 'companyName');
        if (child(t, 'IBAN')) o.IBAN = textOf(t, 'IBAN');
        else o.richiestaMarcaDaBollo = optNode(child(t, 'richiestaMarcaDaBollo'));
        o.remittanceInformation = textOf(t, 'remittanceInformation');
        o.transferCategory = textOf(t, 'transferCategory');
      } else {
        o.IBAN = textOf(t, 'IBAN');
        o.remittanceInformation = textOf(t, 'remittanceInformation');
      }
      o.metadata = optNode(child(t, 'metadata'));
      return o;
    });
    const ibans = transfers.map((t) => textOf(t, 'IBAN')).filter((x): x is string => x !== undefined);
    const response: NodeObj = {
      outcome: 'OK',
      totalAmount: textOf(data, 'paymentAmount'),
      paymentDescription: textOf(data, 'description'),
      fiscalCodePA: fc,
      companyName: clip(companyName, 140),
      officeName: textOf(data, 'officeName'),
      paymentToken,
      transferList: { transfer: psTransfers },
      ...(v2 ? { metadata: optNode(child(data, 'metadata')) } : {}),
      creditorReferenceId: textOf(data, 'creditorReferenceId'),
      // IF-activatePaymentNoticeV2-F52: all transfers credit postal accounts (ABI 07601)
      ...(v2 ? { allCCP: ibans.length > 0 && ibans.every(isPostalIban) } : {}),
    };
    const s: Session = {
      paymentToken,
      fiscalCode: fc,
      noticeNumber: nn,
      idPSP: textOf(body, 'idPSP')!,
      idBrokerPSP: textOf(body, 'idBrokerPSP')!,
      idChannel: textOf(body, 'idChannel')!,
      idStation: station.idStation,
      activatedWith: opName,
      createdAt: now,
      expiresAt: now + life,
      state: 'ACTIVE',
      data,
      paymentNote,
      idempotencyKey: idemKey,
      response,
      mbdTransfers: mbd,
    };
    this.sessions.set(paymentToken, s);
    this.locks.set(noticeKey(fc, nn), paymentToken);
    if (idemKey) this.activateKeys.set(`${s.idPSP}|${idemKey}`, { fp, op: opName, token: paymentToken });
    return response;
  }

  // ---------------------------------------------------------------- sendPaymentOutcome(V2)

  private outcome(op: Operation, body: El): NodeObj {
    const v2 = op.name === 'sendPaymentOutcomeV2';
    const idPSP = textOf(body, 'idPSP')!;
    const idemKey = textOf(body, 'idempotencyKey');
    const fp = fingerprint(body);
    const outcome = textOf(body, 'outcome') as 'OK' | 'KO';
    const tokens = v2 ? childrenNamed(child(body, 'paymentTokens'), 'paymentToken').map((t) => t.text.trim()) : [textOf(body, 'paymentToken') ?? ''];
    const now = this.clock.now();

    // idempotency (IF-sendPaymentOutcome-F71/F73): same key + same body → the first answer
    const kk = idemKey ? `${idPSP}|${idemKey}` : undefined;
    const window = this.cfg.outcomeKeyWindowMs ?? this.lifetime;
    if (kk) {
      const prev = this.outcomeKeys.get(kk);
      // a replay (same key, same body) gets the stored answer whenever it comes (IF-sendPaymentOutcome-F71:
      // a PSP recovers a lost answer only this way); the window bounds only the key's reuse (IF-A-15)
      if (prev && prev.fp === fp && prev.op === op.name) return prev.response;
      if (prev && now - prev.at <= window) return ko(nodoFault('PPT_ERRORE_IDEMPOTENZA', `idempotencyKey ${idemKey} was used for another outcome`));
    }
    const remember = (response: NodeObj): NodeObj => {
      if (kk) this.outcomeKeys.set(kk, { fp, op: op.name, at: now, response });
      return response;
    };
    const serial = (i: number) => (v2 ? i + 1 : undefined);

    // all-or-nothing over the tokens (IF-A-20), serial = position of the first failing one
    const sessions: Session[] = [];
    for (const [i, t] of tokens.entries()) {
      if (tokens.indexOf(t) !== i) return remember(ko(nodoFault('PPT_SEMANTICA', `paymentToken ${t} is listed twice`, serial(i))));
      const s = this.sessions.get(t);
      // NM-A-08 / IF-A-34: a token of another PSP is unknown to the caller
      if (!s || s.idPSP !== idPSP) return remember(ko(nodoFault('PPT_TOKEN_SCONOSCIUTO', `paymentToken ${t} unknown`, serial(i))));
      const st = this.stateOf(s);
      if (st === 'PAID' || st === 'CLOSED_KO') {
        const agree = (st === 'PAID') === (outcome === 'OK');
        return remember(ko(nodoFault('PPT_ESITO_GIA_ACQUISITO', agree ? 'Esito concorde' : 'Esito discorde', serial(i))));
      }
      if (st === 'EXPIRED') {
        // IF-A-19 / NM-A-03 preferred reading: outcome not accepted, no receipt, notice payable again
        const code = outcome === 'OK' ? 'PPT_TOKEN_SCADUTO' : 'PPT_TOKEN_SCADUTO_KO';
        return remember(ko(nodoFault(code, `paymentToken ${t} expired at ${isoDateTime(s.expiresAt)}`, serial(i))));
      }
      // touchpoint flows (IF-pspNotifyPayment-F70/F71, NM-EC-ERR-03/04): after a KO to pspNotifyPayment
      // every outcome is discordant; after an OK only an OK outcome is accepted
      const n = this.notified.get(t);
      if (n === 'KO' || (n === 'OK' && outcome === 'KO')) {
        return remember(ko(nodoFault('PPT_SEMANTICA', `Esito discorde: the PSP answered ${n} to pspNotifyPayment for token ${t}`, serial(i))));
      }
      sessions.push(s);
    }
    const details = child(body, 'details');
    // digital stamps (IF-sendPaymentOutcomeV2-F77, NM-A-18)
    const stamps = new Map<string, string>();
    for (const m of childrenNamed(child(details, 'marcheDaBollo'), 'marcaDaBollo')) {
      const t = textOf(m, 'paymentToken') ?? '';
      const id = Number(textOf(m, 'idTransfer'));
      const s = sessions.find((x) => x.paymentToken === t);
      if (!s || !s.mbdTransfers.includes(id)) {
        return remember(ko(nodoFault('PPT_SEMANTICA', `marcaDaBollo (${t}, ${id}) does not match a digital-stamp transfer of the outcome's tokens`)));
      }
      stamps.set(`${t}|${id}`, textOf(m, 'MBDAttachment') ?? '');
    }
    if (outcome === 'OK') {
      for (const [i, s] of sessions.entries()) {
        const missing = s.mbdTransfers.filter((id) => !stamps.has(`${s.paymentToken}|${id}`));
        if (missing.length) {
          return remember(ko(nodoFault('PPT_SEMANTICA', `no marcaDaBollo for transfer(s) ${missing.join(', ')} of token ${s.paymentToken}`, serial(i))));
        }
      }
    }
    for (const s of sessions) {
      s.state = outcome === 'OK' ? 'PAID' : 'CLOSED_KO';
      s.outcome = outcome;
      s.outcomeAt = now;
      const nk = noticeKey(s.fiscalCode, s.noticeNumber);
      if (this.locks.get(nk) === s.paymentToken) this.locks.delete(nk);
      if (outcome === 'OK') this.paid.set(nk, s.paymentToken);
      // NM-RT-VAL-01: a receipt only for an executed payment
      if (outcome === 'OK' || this.defects.has('receipt-on-ko')) {
        const receipt = this.receiptFromSession(s, details, stamps, outcome);
        // asynchronous w.r.t. the PSP's answer: start once the answer has been written
        setImmediate(() => this.deliverReceipt(s, receipt));
      }
    }
    return remember({ outcome: 'OK' });
  }

  // ---------------------------------------------------------------- spontaneous payments

  /** IF-demandPaymentNotice-F70: routed by idSoggettoServizio to the EC offering the service. */
  private async demand(body: El): Promise<NodeObj> {
    const subject = textOf(body, 'idSoggettoServizio') ?? '';
    const svc = (this.cfg.services ?? []).find((x) => x.idSoggettoServizio === subject);
    // NM-A-09: unknown service → PPT_SERVIZIO_SCONOSCIUTO, no EC call
    if (!svc) return ko(nodoFault('PPT_SERVIZIO_SCONOSCIUTO', `service ${subject} is not in the catalogue`));
    const station = this.reg.stations.find((x) => x.idStation === svc.idStation);
    const ec = this.reg.ecs.find((e) => e.fiscalCode === svc.fiscalCode);
    if (!ec) return ko(nodoFault('PPT_DOMINIO_SCONOSCIUTO', `EC ${svc.fiscalCode} of service ${subject} is not registered`));
    if (!station) return ko(nodoFault('PPT_STAZIONE_INT_PA_SCONOSCIUTA', `station ${svc.idStation} is not registered`));
    if (!station.enabled) return ko(nodoFault('PPT_STAZIONE_INT_PA_DISABILITATA', `station ${station.idStation} is disabled`));
    if (!station.serviceActive) return ko(nodoFault('PPT_STAZIONE_INT_PA_SERVIZIO_NONATTIVO', `station ${station.idStation}: application service not active`));
    const { verdict } = await this.callEc('paDemandPaymentNotice', station, {
      idPA: svc.fiscalCode,
      idBrokerPA: station.idBrokerPA,
      idStation: station.idStation,
      idServizio: svc.idServizio,
      idSoggettoServizio: svc.idSoggettoServizio,
      datiSpecificiServizioRequest: textOf(body, 'datiSpecificiServizio'),
    });
    if (verdict.kind !== 'ok') return ko(this.ecFailure(verdict, svc.fiscalCode));
    const b = verdict.body;
    const qr = child(b, 'qrCode');
    const opt = child(child(b, 'paymentList'), 'paymentOptionDescription');
    return {
      outcome: 'OK',
      qrCode: { fiscalCode: textOf(qr, 'fiscalCode'), noticeNumber: textOf(qr, 'noticeNumber') },
      paymentList: { paymentOptionDescription: { amount: textOf(opt, 'amount'), options: textOf(opt, 'options'), dueDate: textOf(opt, 'dueDate') } },
      paymentDescription: textOf(b, 'paymentDescription'),
      fiscalCodePA: textOf(b, 'fiscalCodePA'),
      companyName: textOf(b, 'companyName'),
      officeName: textOf(b, 'officeName'),
    };
  }

  /**
   * IF-nodoChiediCatalogoServiziV2: the configured services as a base64 XML catalogue, filtered by
   * identificativoDominio / categoria. (The reference renders the CatalogoServizi document with the
   * fields the catalogue names: service ids, EC, description, category, the XSD of the service data.)
   */
  private catalogue(body: El): NodeObj {
    const dominio = textOf(body, 'identificativoDominio');
    const categoria = textOf(body, 'categoria');
    const list = (this.cfg.services ?? []).filter((x) => (!dominio || x.fiscalCode === dominio) && (!categoria || x.categoria === categoria));
    const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><listaCatalogoServizi xmlns="http://www.pagopa.gov.it/CatalogoServizi">' +
      list
        .map(
          (x) =>
            `<catalogoServizi><identificativoServizio>${esc(x.idServizio)}</identificativoServizio><idSoggettoServizio>${esc(x.idSoggettoServizio)}</idSoggettoServizio>` +
            `<identificativoDominio>${esc(x.fiscalCode)}</identificativoDominio><descrizioneServizio>${esc(x.description)}</descrizioneServizio>` +
            `<categoria>${esc(x.categoria ?? 'Tributi')}</categoria><xsdRiferimento>${esc(x.xsdRiferimento ?? '')}</xsdRiferimento></catalogoServizi>`,
        )
        .join('') +
      '</listaCatalogoServizi>';
    return { outcome: 'OK', xmlCatalogoServizi: Buffer.from(xml, 'utf8').toString('base64') };
  }

  // ---------------------------------------------------------------- pspNotifyPayment(V2) (touchpoint flows)

  /**
   * The content of pspNotifyPayment (one token, version 1) or pspNotifyPaymentV2 (1..5 tokens) for
   * open sessions, addressed to `to` (the PSP's channel). Amounts from the activations; `feeCents`
   * is the commission the touchpoint charged.
   */
  buildNotify(tokens: string[], version: 1 | 2, to: { idPSP: string; idBrokerPSP: string; idChannel: string }, o: { feeCents?: number; transactionId?: string } = {}): NodeObj {
    const sessions = tokens.map((t) => {
      const s = this.sessions.get(t);
      if (!s) throw new Error(`buildNotify: unknown token ${t}`);
      return s;
    });
    const fee = o.feeCents ?? 100;
    const amountOf = (s: Session) => parseAmount(s.response.totalAmount as string) ?? 0;
    const fmt = formatAmount;
    const transfersOf = (s: Session, v2: boolean) =>
      ((s.response.transferList as NodeObj).transfer as NodeObj[]).map((t) =>
        v2
          ? { idTransfer: t.idTransfer, transferAmount: t.transferAmount, fiscalCodePA: t.fiscalCodePA, companyName: t.companyName, IBAN: t.IBAN, richiestaMarcaDaBollo: t.richiestaMarcaDaBollo, remittanceInformation: t.remittanceInformation, metadata: t.metadata }
          : { idTransfer: t.idTransfer, transferAmount: t.transferAmount, fiscalCodePA: t.fiscalCodePA, IBAN: t.IBAN, remittanceInformation: t.remittanceInformation, metadata: t.metadata },
      );
    const total = sessions.reduce((a, s) => a + amountOf(s), 0) + fee;
    to = { idPSP: to.idPSP, idBrokerPSP: to.idBrokerPSP, idChannel: to.idChannel };
    // one notice of the cart, in the pspForNode field order (V1 body = V2 paymentList item)
    const paymentOf = (s: Session, v2: boolean): NodeObj => ({
      paymentToken: s.paymentToken,
      paymentDescription: clip(s.response.paymentDescription as string | undefined, 140) ?? 'pagamento',
      fiscalCodePA: s.fiscalCode,
      companyName: s.response.companyName ?? s.fiscalCode,
      officeName: s.response.officeName,
      creditorReferenceId: s.response.creditorReferenceId,
      debtAmount: s.response.totalAmount,
      transferList: { transfer: transfersOf(s, v2) },
    });
    if (version === 1) {
      const s = sessions[0]!;
      return {
        ...to,
        ...paymentOf(s, false),
        creditCardPayment: {
          rrn: String(100000000000 + (this.clock.now() % 899999999999)),
          outcomePaymentGateway: '00',
          totalAmount: fmt(total),
          fee: fmt(fee),
          timestampOperation: isoDateTime(this.clock.now()),
          authorizationCode: 'A1B2C3',
          paymentGateway: 'collaudo-checkout',
        },
      };
    }
    return {
      ...to,
      transactionId: o.transactionId ?? randomUUID().replace(/-/g, ''),
      totalAmount: fmt(total),
      fee: fmt(fee),
      timestampOperation: isoDateTime(this.clock.now()),
      paymentList: {
        payment: sessions.map((s) => paymentOf(s, true)),
      },
      additionalPaymentInformations: { metadata: { mapEntry: [{ key: 'paymentMethod', value: 'CP' }, { key: 'touchpoint', value: 'CHECKOUT' }] } },
    };
  }

  /**
   * Sends pspNotifyPayment(V2) for open sessions to the PSP's channel and records its answer, which
   * then binds the outcome (NM-EC-ERR-01..04): OK → only an OK outcome; KO → every outcome discordant;
   * no valid answer (timeout, transport, invalid) → the Nodo waits for token expiry or an outcome (NM-EC-ERR-02).
   */
  async notifyPsp(
    tokens: string[],
    o: { version: 1 | 2; url: string; timeoutMs: number; content?: NodeObj; rawEnvelope?: string; headers?: Record<string, string>; tls?: CallOptionsTls; note?: string },
  ): Promise<{ result: CallResult; answer: 'OK' | 'KO' | 'none'; fault?: FaultBean }> {
    const op = OPERATIONS[o.version === 2 ? 'pspNotifyPaymentV2' : 'pspNotifyPayment']!;
    const first = this.sessions.get(tokens[0] ?? '');
    const corr: Correlation = { paymentToken: tokens[0], noticeNumber: first?.noticeNumber, fiscalCode: first?.fiscalCode };
    const envelope = o.rawEnvelope ?? encodeEnvelope(op, 'request', o.content ?? {});
    const result = await soapCall({
      url: o.url,
      op,
      envelope,
      from: 'nodo',
      to: 'psp',
      timeoutMs: o.timeoutMs,
      clock: this.clock,
      journal: this.cfg.journal(corr),
      faults: this.cfg.faults?.(corr),
      headers: o.headers,
      tls: o.tls,
      note: o.note ?? 'touchpoint payment: the Nodo notifies the PSP',
    });
    let answer: 'OK' | 'KO' | 'none' = 'none';
    let fault: FaultBean | undefined;
    const d = result.decoded;
    if (result.transport === 'ok' && result.status === 200 && d?.ok && d.msg.op?.name === op.name && d.msg.kind === 'response' && d.msg.xsd.valid) {
      const out = textOf(d.msg.body, 'outcome');
      fault = readFault(d.msg.body);
      if (out === 'OK' && !fault) answer = 'OK';
      else if (out === 'KO' && fault) answer = 'KO';
    }
    for (const t of tokens) this.notified.set(t, answer);
    return { result, answer, fault };
  }

  // ================================================================ receipts

  private receiptFromSession(s: Session, details: El | undefined, stamps: Map<string, string>, outcome: 'OK' | 'KO'): ReceiptData {
    const d = s.data;
    const psp = this.reg.psps.find((p) => p.idPSP === s.idPSP);
    const channel = this.reg.channels.find((c) => c.idChannel === s.idChannel);
    const ec = this.reg.ecs.find((e) => e.fiscalCode === s.fiscalCode);
    const transfers: ReceiptTransfer[] = childrenNamed(child(d, 'transferList'), 'transfer').map((t) => {
      const id = Number(textOf(t, 'idTransfer'));
      return {
        idTransfer: id,
        amount: parseAmount(textOf(t, 'transferAmount')) ?? 0,
        fiscalCodePA: textOf(t, 'fiscalCodePA') ?? '',
        companyName: textOf(t, 'companyName'),
        iban: textOf(t, 'IBAN'),
        mbdAttachment: child(t, 'IBAN') ? undefined : stamps.get(`${s.paymentToken}|${id}`),
        remittanceInformation: textOf(t, 'remittanceInformation') ?? '',
        transferCategory: textOf(t, 'transferCategory') ?? '',
        metadata: optNode(child(t, 'metadata')),
      };
    });
    const cents = (n: string) => {
      const v = textOf(details, n);
      return v === undefined ? undefined : parseAmount(v);
    };
    return {
      receiptId: s.paymentToken,
      noticeNumber: s.noticeNumber,
      fiscalCode: s.fiscalCode,
      outcome,
      creditorReferenceId: textOf(d, 'creditorReferenceId') ?? '',
      paymentAmount: parseAmount(textOf(d, 'paymentAmount')) ?? 0,
      description: textOf(d, 'description') ?? '',
      companyName: textOf(d, 'companyName') ?? ec?.companyName ?? s.fiscalCode,
      officeName: textOf(d, 'officeName'),
      debtor: optNode(child(d, 'debtor')),
      transfers,
      idPSP: s.idPSP,
      pspFiscalCode: psp?.fiscalCode,
      PSPCompanyName: psp?.companyName ?? s.idPSP,
      idChannel: s.idChannel,
      channelDescription: channel?.description || s.idChannel,
      payer: optNode(child(details, 'payer')),
      paymentMethod: textOf(details, 'paymentMethod'),
      paymentNote: s.paymentNote,
      fee: cents('fee'),
      primaryCiIncurredFee: cents('primaryCiIncurredFee'),
      idBundle: textOf(details, 'idBundle'),
      idCiBundle: textOf(details, 'idCiBundle'),
      paymentDateTime: isoDateTime(s.outcomeAt ?? this.clock.now()),
      applicationDate: textOf(details, 'applicationDate'),
      transferDate: textOf(details, 'transferDate'),
      metadata: optNode(child(d, 'metadata')),
      standIn: false,
    };
  }

  /** One delivery per EC concerned: the issuing EC and each secondary beneficiary with a known station. */
  private deliverReceipt(s: Session, receipt: ReceiptData): void {
    if (this.stopped) return;
    const primary = this.reg.stations.find((x) => x.idStation === s.idStation);
    if (primary) this.enqueueDelivery(receipt, s.fiscalCode, primary, primary.version, 'primary');
    const secondaries = [...new Set(receipt.transfers.map((t) => t.fiscalCodePA))].filter((fc) => fc !== s.fiscalCode);
    for (const fc of secondaries) {
      const st = this.stationForEc(fc);
      if (st) this.enqueueDelivery(receipt, fc, st, st.version, 'secondary');
    }
  }

  private stationForEc(fc: string, idStation?: string, noticeNumber?: string): StationEntry | undefined {
    if (idStation) return this.reg.stations.find((s) => s.idStation === idStation);
    if (noticeNumber) {
      const s = stationForNotice(this.reg, fc, noticeNumber);
      if (s) return s;
    }
    const ec = this.reg.ecs.find((e) => e.fiscalCode === fc);
    if (!ec) return undefined;
    const linked = ec.stations.map((l) => this.reg.stations.find((s) => s.idStation === l.idStation)).filter((s): s is StationEntry => !!s);
    return linked.find((s) => s.enabled && s.serviceActive) ?? linked[0];
  }

  private enqueueDelivery(
    receipt: ReceiptData,
    fc: string,
    station: StationEntry,
    version: 1 | 2,
    role: Delivery['role'],
    maxAttempts?: number,
    note?: string,
  ): Delivery {
    const d: Delivery = {
      paymentToken: receipt.receiptId,
      receiptId: receipt.receiptId,
      noticeNumber: receipt.noticeNumber,
      fiscalCode: fc,
      idStation: station.idStation,
      primitive: version === 2 ? 'paSendRTV2' : 'paSendRT',
      role,
      state: 'pending',
      attempts: [],
      maxAttempts: Math.max(1, maxAttempts ?? this.retry.maxAttempts),
      createdAt: this.clock.now(),
    };
    this.deliveryList.push(d);
    this.deliveryCtx.set(d, { receipt: structuredClone(receipt), station, version, note, counterStart: 0 });
    void this.runDelivery(d);
    return d;
  }

  private async runDelivery(d: Delivery): Promise<void> {
    const ctx = this.deliveryCtx.get(d)!;
    const op = OPERATIONS[d.primitive]!;
    const envelope = encodeEnvelope(op, 'request', this.receiptRequest(ctx.receipt, d.fiscalCode, ctx.station, ctx.version));
    const corr: Correlation = { noticeNumber: d.noticeNumber, fiscalCode: ctx.receipt.fiscalCode, paymentToken: d.receiptId };
    const timeoutMs = this.timeouts.paSendRT;
    for (;;) {
      if (this.stopped) return;
      const k = d.attempts.length - ctx.counterStart + 1; // attempt number in the current counter
      const at = this.clock.now();
      const firstAt = d.attempts[ctx.counterStart]?.at ?? at;
      // a send distorted by a fault the scenario injected is not the station's failure
      const faults = this.cfg.faults?.(corr);
      let injected = false;
      const spy = faults && (Object.assign(Object.create(faults) as Faults, {
        take: (...a: Parameters<Faults['take']>) => {
          const f = faults.take(...a);
          if (f) injected = true;
          return f;
        },
      }) satisfies Faults);
      const r = await soapCall({
        url: ctx.station.url,
        op,
        envelope,
        from: 'nodo',
        to: 'ec',
        timeoutMs,
        realCapMs: VIRTUAL_SEND_REAL_MS,
        clock: this.clock,
        journal: this.cfg.journal(corr),
        faults: spy,
        headers: ctx.station.headers,
        tls: ctx.station.tls,
        note: [`receipt delivery to ${d.fiscalCode} (station ${ctx.station.idStation}), attempt ${k}/${d.maxAttempts}`, ctx.note].filter(Boolean).join('; '),
      });
      const v = judgeEcAnswer(d.primitive, r, timeoutMs);
      const attempt: DeliveryAttempt = {
        n: d.attempts.length + 1,
        at,
        offsetMs: at - firstAt,
        result: v.kind === 'ok' ? 'ok' : v.kind === 'ko' ? (v.fault.faultCode === 'PAA_RECEIPT_DUPLICATA' ? 'duplicate' : 'ko') : v.kind === 'iban' ? 'invalid' : v.kind,
        transport: r.transport,
        httpStatus: r.status,
        faultCode: v.kind === 'ko' ? v.fault.faultCode : undefined,
        description: v.kind === 'ko' ? v.fault.description : 'reason' in v ? v.reason : undefined,
        latencyMs: r.latencyMs,
      };
      if (injected) attempt.injected = true;
      d.attempts.push(attempt);
      // OK or PAA_RECEIPT_DUPLICATA: delivered (IF-A-28: the Nodo stops retrying)
      if (attempt.result === 'ok' || attempt.result === 'duplicate') return this.finalize(d, 'delivered');
      d.reason = attempt.faultCode ? `${attempt.faultCode}${attempt.description ? `: ${attempt.description}` : ''}` : attempt.description;
      if (this.settled(d)) for (const l of [...this.finalListeners]) l(d);
      const retryable = attempt.result !== 'ko' || this.retry.retryOnKo;
      const finalState = attempt.result === 'ko' ? 'rejected' : 'parked';
      if (!retryable || this.defects.has('no-receipt-retry') || k >= d.maxAttempts) return this.finalize(d, finalState, d.reason);
      // NM-TR-07: wait = slot·(2^k − 1), k = attempt number
      const target = this.retry.slotMs * (2 ** k - 1);
      const wait = this.retry.measure === 'gap' ? target : Math.max(0, firstAt + target - this.clock.now());
      try {
        await this.clock.sleep(wait, this.abort.signal);
      } catch {
        return;
      }
    }
  }

  /** The content of paSendRT(V2) addressed to EC `fc` through `station`. */
  private receiptRequest(receipt: ReceiptData, fc: string, station: StationEntry, version: 1 | 2): NodeObj {
    return { idPA: fc, idBrokerPA: station.idBrokerPA, idStation: station.idStation, receipt: buildReceipt(receipt, version) };
  }

  private finalize(d: Delivery, state: Delivery['state'], reason?: string): void {
    d.state = state;
    d.finalAt = this.clock.now();
    if (state === 'delivered') d.reason = undefined;
    else if (reason) d.reason = reason;
    for (const l of [...this.finalListeners]) l(d);
  }

  // ================================================================ EC calls

  private timeoutFor(primitive: string): number {
    switch (primitive) {
      case 'paVerifyPaymentNotice':
        return this.timeouts.paVerifyPaymentNotice;
      case 'paGetPayment':
      case 'paGetPaymentV2':
        return this.timeouts.paGetPayment;
      case 'paSendRT':
      case 'paSendRTV2':
        return this.timeouts.paSendRT;
      default:
        return this.timeouts.paDemandPaymentNotice;
    }
  }

  private async callEc(primitive: StationPrimitive, station: StationEntry, content: NodeObj): Promise<{ result: CallResult; verdict: EcVerdict }> {
    const op = OPERATIONS[primitive]!;
    const qr = content.qrCode as NodeObj | undefined;
    const corr: Correlation = { noticeNumber: qr?.noticeNumber as string | undefined, fiscalCode: qr?.fiscalCode as string | undefined };
    const timeoutMs = this.timeoutFor(primitive);
    const call = soapCall({
      url: station.url,
      op,
      envelope: encodeEnvelope(op, 'request', content),
      from: 'nodo',
      to: 'ec',
      timeoutMs,
      clock: this.clock,
      journal: this.cfg.journal(corr),
      faults: this.cfg.faults?.(corr),
      headers: station.headers,
      tls: station.tls,
      note: `station ${station.idStation}`,
    });
    const result = await this.withinTimeout(call, timeoutMs);
    return { result, verdict: judgeEcAnswer(primitive, result, timeoutMs, this.reg) };
  }

  /**
   * The Nodo answers its caller when the station timeout in force expires (IF-X-13, 7 s by default),
   * whatever the station does later (the late answer is still journaled by the call). On the virtual
   * clock a delay is spent at once, so the call itself reports the lateness.
   */
  private async withinTimeout(call: Promise<CallResult>, timeoutMs: number): Promise<CallResult> {
    if (this.clock.virtual) return call;
    const stop = new AbortController();
    const timer = this.clock.sleep(timeoutMs, stop.signal).then(
      (): CallResult => ({ transport: 'timeout', latencyMs: timeoutMs, error: `no answer within ${timeoutMs} ms` }),
      () => undefined,
    );
    try {
      return (await Promise.race([call, timer])) ?? (await call);
    } finally {
      stop.abort();
    }
  }

  /** Maps a non-OK EC verdict to the fault for the PSP (IF-X-12..IF-X-14, IF-paGetPayment-F72). */
  private ecFailure(v: Exclude<EcVerdict, { kind: 'ok' }>, ecFiscalCode: string): FaultBean {
    switch (v.kind) {
      case 'ko':
        if (this.defects.has('relay-as-nodo')) return { ...nodoFault('PPT_ERRORE_EMESSO_DA_PAA', v.fault.description), id: NODO_ID };
        return relayEcFault(ecFiscalCode, v.fault, this.cfg.extendedFaultBean !== false);
      case 'timeout':
        return nodoFault('PPT_STAZIONE_INT_PA_TIMEOUT', v.reason);
      case 'unreachable':
        return nodoFault('PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE', v.reason);
      case 'iban':
        return nodoFault('PPT_IBAN_NON_CENSITO', v.reason);
      case 'invalid':
        return nodoFault('PPT_STAZIONE_INT_PA_ERRORE_RESPONSE', v.reason);
    }
  }

  // ================================================================ helpers

  private stateOf(s: Session): TokenState {
    if (s.state !== 'ACTIVE') return s.state;
    if (!this.defects.has('no-token-expiry') && this.clock.now() >= s.expiresAt) return 'EXPIRED';
    return 'ACTIVE';
  }

  /** Token holding the notice's lock, if still active (expired tokens free the notice). */
  private lockHolder(nk: string): string | undefined {
    const t = this.locks.get(nk);
    if (!t) return undefined;
    const s = this.sessions.get(t);
    if (s && this.stateOf(s) === 'ACTIVE') return t;
    this.locks.delete(nk);
    return undefined;
  }

  /** Adds notice keys to a correlation that only carries a token (journal/fault lookups). */
  private enrich(c: Correlation): Correlation {
    if (c.paymentToken && (!c.noticeNumber || !c.fiscalCode)) {
      const s = this.sessions.get(c.paymentToken);
      if (s) return { noticeNumber: s.noticeNumber, fiscalCode: s.fiscalCode, ...c };
    }
    return c;
  }
}

function noticeKey(fc: string, nn: string): string {
  return `${fc}|${nn}`;
}

function isFault(x: unknown): x is FaultBean {
  return typeof x === 'object' && x !== null && 'faultCode' in x;
}

function isRaw(c: NodeObj | { rawEnvelope: string }): c is { rawEnvelope: string } {
  return typeof (c as { rawEnvelope?: unknown }).rawEnvelope === 'string' && Object.keys(c).length === 1;
}

/** Italian postal account IBAN: ABI 07601 (IT kk C AAAAA …). */
export function isPostalIban(iban: string): boolean {
  return /^IT\d{2}[A-Z]07601/.test(iban);
}

function copyDelivery(d: Delivery): Delivery {
  return { ...d, attempts: d.attempts.map((a) => ({ ...a })) };
}

