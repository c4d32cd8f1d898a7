// The emulated PSP the harness drives in the EC seat: it calls the Nodo's nodeForPsp operations
// (verify → activate → outcome) with valid messages, journals every call from 'psp' to 'nodo', and
// hands back both the raw CallResult and the decoded answer.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../src/core/clock.js';
import { isoDate } from '../../src/core/clock.js';
import type { Correlation, Journal } from '../../src/core/journal.js';
import type { Faults } from '../../src/core/faults.js';
import { HARNESS_PSP } from '../../domain/harness-parties.js';
import type { PspIds } from '../../domain/registry.js';
import { CallResult, TlsClientOptions, soapCall } from '../../src/wire/http.js';
import { encodeEnvelope } from '../../src/wire/soap.js';
import { type Answer, answerOfCall } from '../../src/wire/answer.js';
import { OPERATIONS } from '../../interfaces/index.js';
import { InvalidRequest, assertValidRequest } from '../../src/wire/valid-request.js';
import { El, Node, NodeObj, child, childrenNamed, textOf } from '../../src/wire/xml.js';
import { formatAmount, parseAmount, type Cents } from '../../domain/common.js';
import { correlationOf, decodeEnvelope } from '../../interfaces/index.js';

export interface QrCode {
  fiscalCode: string;
  noticeNumber: string;
}

export type PspPrimitive = 'verifyPaymentNotice' | 'activatePaymentNotice' | 'activatePaymentNoticeV2' | 'sendPaymentOutcome' | 'sendPaymentOutcomeV2' | 'demandPaymentNotice';

/** A call of the emulated PSP: the Nodo's answer as read (src/wire/answer.ts), the raw result and what was sent. */
export interface PspCall extends Answer {
  result: CallResult;
  /** the request envelope as sent */
  sent: string;
}

export interface VerifyCall extends PspCall {
  /** amount of the first payment option, in cents */
  amountCents?: Cents;
}

export interface ActivateCall extends PspCall {
  paymentToken?: string;
  totalAmountCents?: Cents;
  idempotencyKey?: string;
}

export interface OutcomeCall extends PspCall {
  idempotencyKey?: string;
}

export interface ActivateOptions {
  v2?: boolean;
  idempotencyKey?: string;
  /** token lifetime asked to the Nodo (expirationTime, ms) */
  expirationTimeMs?: number;
  dueDate?: string;
  paymentNote?: string;
  /** V2 only */
  paymentMethod?: string;
  /** V2 only */
  touchPoint?: string;
}

/** sendPaymentOutcome details; amounts in cents. Fields not given get sensible values. */
export interface OutcomeDetails {
  paymentMethod?: 'cash' | 'creditCard' | 'bancomat' | 'other';
  paymentChannel?: 'frontOffice' | 'atm' | 'onLine' | 'app' | 'other';
  feeCents?: Cents;
  /** V2 only */
  primaryCiIncurredFeeCents?: Cents;
  /** V2 only */
  idBundle?: string;
  /** V2 only */
  idCiBundle?: string;
  /** ctSubject content */
  payer?: NodeObj;
  applicationDate?: string;
  transferDate?: string;
  /** V2 only: purchased digital stamps */
  marcheDaBollo?: { paymentToken: string; idTransfer: number; MBDAttachment: string }[];
}

export interface OutcomeOptions {
  v2?: boolean;
  idempotencyKey?: string;
  /** null = send no details (allowed by the schema) */
  details?: OutcomeDetails | null;
}

export interface PayNoticeOptions extends ActivateOptions {
  /** amount to activate (default: the verified amount) */
  amountCents?: Cents;
  skipVerify?: boolean;
  outcome?: 'OK' | 'KO';
  outcomeIdempotencyKey?: string;
  details?: OutcomeDetails | null;
}

export interface EmulatedPspOptions {
  nodoUrl: string;
  clock: Clock;
  /** a journal, or a lookup per correlation; absent = no journaling */
  journal?: Journal | ((corr: Correlation) => Journal | undefined);
  faults?: Faults | ((corr: Correlation) => Faults | undefined);
  ids?: PspIds;
  /** caller-side timeout (NM-A-26: at least the Nodo→EC timeout plus a margin). Default 10000 ms. */
  timeoutMs?: number;
  tls?: TlsClientOptions;
  headers?: Record<string, string>;
  /** called before an OK outcome leaves, with the primitive it will cause (paSendRT) and the notice (the EC seat's guard of notices only read); throws to stop it */
  guard?: (primitive: string, corr: Correlation) => void;
  /**
   * Validate verify/activate/outcome requests against nodeForPsp.xsd before they leave; an invalid one
   * is not sent and throws InvalidRequest (the scenario ends INCONCLUSIVE). Hand-made `send` is never
   * validated (negative cases). Default false.
   */
  validateRequests?: boolean;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class EmulatedPsp {
  readonly ids: PspIds;
  /** the notice each token this PSP got was activated for */
  private readonly noticeOfToken = new Map<string, { fiscalCode: string; noticeNumber: string }>();
  constructor(private readonly o: EmulatedPspOptions) {
    this.ids = o.ids ?? { idPSP: HARNESS_PSP.idPSP, idBrokerPSP: HARNESS_PSP.idBrokerPSP, idChannel: HARNESS_PSP.idChannel, password: HARNESS_PSP.password };
  }

  /** The same PSP with other identities (e.g. a wrong password or another channel). */
  withIds(ids: Partial<PspIds>): EmulatedPsp {
    return new EmulatedPsp({ ...this.o, ids: { ...this.ids, ...ids } });
  }

  /**
   * A fresh idempotency key `<idPSP>_<10 alphanumerics>` (NM-A-07). An idPSP that does not fit the
   * schema's prefix `[a-zA-Z0-9]{2,18}` is reduced to its first 18 alphanumerics.
   */
  newIdempotencyKey(): string {
    let prefix = this.ids.idPSP.replace(/[^a-zA-Z0-9]/g, '').slice(0, 18);
    if (prefix.length < 2) prefix = 'PSP';
    const b = randomBytes(10);
    let tail = '';
    for (const x of b) tail += ALNUM[x % ALNUM.length];
    return `${prefix}_${tail}`;
  }

  private caller(): NodeObj {
    return { idPSP: this.ids.idPSP, idBrokerPSP: this.ids.idBrokerPSP, idChannel: this.ids.idChannel, password: this.ids.password };
  }

  // ---------------------------------------------------------------- primitives

  async verify(qr: QrCode): Promise<VerifyCall> {
    const c = await this.call('verifyPaymentNotice', { ...this.caller(), qrCode: { fiscalCode: qr.fiscalCode, noticeNumber: qr.noticeNumber } }, {}, true);
    const opt = child(child(c.body, 'paymentList'), 'paymentOptionDescription');
    return { ...c, amountCents: c.outcome === 'OK' ? parseAmount(textOf(opt, 'amount')) : undefined };
  }

  async activate(qr: QrCode, amountCents: Cents, opts: ActivateOptions = {}): Promise<ActivateCall> {
    const op = opts.v2 ? 'activatePaymentNoticeV2' : 'activatePaymentNotice';
    const idempotencyKey = opts.idempotencyKey ?? this.newIdempotencyKey();
    const content: NodeObj = {
      ...this.caller(),
      idempotencyKey,
      qrCode: { fiscalCode: qr.fiscalCode, noticeNumber: qr.noticeNumber },
      expirationTime: opts.expirationTimeMs,
      amount: wireAmount(op, amountCents),
      dueDate: opts.dueDate,
      paymentNote: opts.paymentNote,
      ...(opts.v2 ? { paymentMethod: opts.paymentMethod, touchPoint: opts.touchPoint } : {}),
    };
    const c = await this.call(op, content, {}, true);
    const token = c.outcome === 'OK' ? textOf(c.body, 'paymentToken') : undefined;
    if (token) this.noticeOfToken.set(token, { fiscalCode: qr.fiscalCode, noticeNumber: qr.noticeNumber });
    return {
      ...c,
      idempotencyKey,
      paymentToken: token,
      totalAmountCents: c.outcome === 'OK' ? parseAmount(textOf(c.body, 'totalAmount')) : undefined,
    };
  }

  async outcome(tokens: string | string[], outcome: 'OK' | 'KO', opts: OutcomeOptions = {}): Promise<OutcomeCall> {
    const list = Array.isArray(tokens) ? tokens : [tokens];
    const v2 = opts.v2 ?? list.length > 1;
    if (!v2 && list.length !== 1) throw new Error('sendPaymentOutcome (V1) carries exactly one token; use v2 for a cart');
    const idempotencyKey = opts.idempotencyKey ?? this.newIdempotencyKey();
    const details = opts.details === null ? undefined : this.details(opts.details ?? {}, v2, outcome);
    const content: NodeObj = {
      ...this.caller(),
      idempotencyKey,
      ...(v2 ? { paymentTokens: { paymentToken: list } } : { paymentToken: list[0] }),
      outcome,
      details,
    };
    // an OK outcome makes the Nodo send the receipt that changes the position: the guard of notices
    // only read stops it here, before anything leaves
    if (outcome === 'OK') for (const tok of list) { const n = this.noticeOfToken.get(tok); if (n) this.o.guard?.('paSendRT', n); }
    const c = await this.call(v2 ? 'sendPaymentOutcomeV2' : 'sendPaymentOutcome', content, {}, true);
    return { ...c, idempotencyKey };
  }

  /** verify → activate → outcome (OK by default), stopping at the first KO. */
  async payNotice(qr: QrCode, opts: PayNoticeOptions = {}): Promise<{ verify?: VerifyCall; activate?: ActivateCall; outcome?: OutcomeCall; paymentToken?: string }> {
    let verify: VerifyCall | undefined;
    let amount = opts.amountCents;
    if (!opts.skipVerify) {
      verify = await this.verify(qr);
      if (verify.outcome !== 'OK') return { verify };
      amount ??= verify.amountCents;
    }
    if (amount === undefined) {
      if (verify) throw new InvalidRequest('activatePaymentNotice', [`no amount could be read from the verify answer (${textOf(child(child(verify.body, 'paymentList'), 'paymentOptionDescription'), 'amount') ?? 'absent'})`]);
      throw new Error('payNotice: amountCents is required when the verify is skipped');
    }
    const activate = await this.activate(qr, amount, opts);
    if (activate.outcome !== 'OK' || !activate.paymentToken) return { verify, activate };
    const outcome = await this.outcome(activate.paymentToken, opts.outcome ?? 'OK', {
      v2: opts.v2,
      idempotencyKey: opts.outcomeIdempotencyKey,
      details: opts.details,
    });
    return { verify, activate, outcome, paymentToken: activate.paymentToken };
  }

  /**
   * Any nodeForPsp request, hand-made: an ordered content object (the caller's ids are NOT added)
   * or a raw envelope. For negative cases (bad syntax, wrong SOAPAction, …).
   */
  async send(primitive: PspPrimitive, content: NodeObj | { rawEnvelope: string }, opts: { soapAction?: string; note?: string } = {}): Promise<PspCall> {
    return this.call(primitive, content, opts);
  }

  /** The caller part of a request (idPSP, idBrokerPSP, idChannel, password), for hand-made requests. */
  callerFields(): NodeObj {
    return this.caller();
  }

  // ---------------------------------------------------------------- internals

  private details(d: OutcomeDetails, v2: boolean, outcome: 'OK' | 'KO'): NodeObj {
    const today = isoDate(this.o.clock.now());
    const base: NodeObj = {
      paymentMethod: d.paymentMethod ?? 'creditCard',
      paymentChannel: d.paymentChannel ?? 'onLine',
      fee: formatAmount(d.feeCents ?? (outcome === 'OK' ? 100 : 0)),
    };
    const v2part: NodeObj = v2
      ? {
          primaryCiIncurredFee: d.primaryCiIncurredFeeCents === undefined ? undefined : formatAmount(d.primaryCiIncurredFeeCents),
          idBundle: d.idBundle,
          idCiBundle: d.idCiBundle,
        }
      : {};
    const tail: NodeObj = {
      payer: d.payer as Node,
      applicationDate: d.applicationDate ?? today,
      transferDate: d.transferDate ?? today,
      ...(v2 && d.marcheDaBollo?.length ? { marcheDaBollo: { marcaDaBollo: d.marcheDaBollo.map((m) => ({ ...m })) } } : {}),
    };
    return { ...base, ...v2part, ...tail };
  }

  private async call(primitive: PspPrimitive, content: NodeObj | { rawEnvelope: string }, opts: { soapAction?: string; note?: string } = {}, valid = false): Promise<PspCall> {
    const op = OPERATIONS[primitive];
    if (!op) throw new Error(`unknown nodeForPsp primitive ${primitive}`);
    const raw = typeof (content as { rawEnvelope?: unknown }).rawEnvelope === 'string' ? (content as { rawEnvelope: string }).rawEnvelope : undefined;
    const envelope = raw ?? encodeEnvelope(op, 'request', content as NodeObj);
    if (valid && this.o.validateRequests) assertValidRequest(op, envelope);
    const dec = decodeEnvelope(envelope, { validate: false });
    const corr = dec.ok ? correlationOf(dec.msg.body) : {};
    const journal = typeof this.o.journal === 'function' ? this.o.journal(corr) : this.o.journal;
    const faults = typeof this.o.faults === 'function' ? this.o.faults(corr) : this.o.faults;
    const result = await soapCall({
      url: this.o.nodoUrl,
      op,
      envelope,
      soapAction: opts.soapAction ?? primitive,
      from: 'psp',
      to: 'nodo',
      timeoutMs: this.o.timeoutMs ?? 10_000,
      clock: this.o.clock,
      journal,
      faults,
      headers: { 'x-collaudo-from': 'psp', ...(this.o.headers ?? {}) },
      tls: this.o.tls,
      note: opts.note,
    });
    return { ...answerOfCall(result), result, sent: envelope };
  }
}

/** The wire form of an amount; an amount that has none (negative, not whole cents) cannot make a valid request. */
function wireAmount(primitive: string, c: Cents): string {
  if (!Number.isInteger(c) || c < 0) throw new InvalidRequest(primitive, [`amount ${c} cents has no wire form`]);
  return formatAmount(c);
}

/** Transfers of an activate answer, amounts in cents. */
export function transfersOf(body: El | undefined): { idTransfer: number; amountCents: Cents; fiscalCodePA: string; iban?: string }[] {
  return childrenNamed(child(body, 'transferList'), 'transfer').map((t) => ({
    idTransfer: Number(textOf(t, 'idTransfer')),
    amountCents: parseAmount(textOf(t, 'transferAmount')) ?? 0,
    fiscalCodePA: textOf(t, 'fiscalCodePA') ?? '',
    iban: textOf(t, 'IBAN'),
  }));
}
