// Receipts of the new model (NM-SM-RCPT): the platform builds the receipt of a paid session and
// delivers it by paSendRT(V2) to each EC concerned, through the generic retrying delivery queue of
// src/core/delivery-queue.ts; crafted receipts (EC seat) take the same path. Every receipt the
// platform builds is recorded in the run's ledger when its delivery starts.
import type { Correlation } from '../../../src/core/journal.js';
import { watchInjected } from '../../../src/core/faults.js';
import { isoDateTime } from '../../../src/core/clock.js';
import { DeliveryQueue, type DeliverySchedule, type Judged } from '../../../src/core/delivery-queue.js';
import { parseAmount } from '../../../domain/common.js';
import { type StationEntry, stationPrimitive } from '../../../domain/registry.js';
import { encodeEnvelope } from '../../../src/wire/soap.js';
import { assertValidRequest } from '../../../src/wire/valid-request.js';
import type { El, NodeObj } from '../../../src/wire/xml.js';
import { OPERATIONS } from '../../../interfaces/index.js';
import { type NodoTimeouts, type ReceiptRetry, type SendReceiptOptions, VIRTUAL_SEND_REAL_MS } from '../config.js';
import type { NodoState } from '../context.js';
import { judgeEcAnswer } from '../judge.js';
import { type Delivery, type DeliveryAttempt, type ReceiptData, type ReceiptTransfer, buildReceipt } from '../receipts.js';
import type { Session } from '../sessions.js';
import { child, childrenNamed, optNode, textOf } from '../tree.js';

/** What a delivery carries: the receipt, where it goes and the request built once for every send. */
interface ReceiptPayload {
  receipt: ReceiptData;
  station: StationEntry;
  version: 1 | 2;
  note?: string;
  envelope: string;
  corr: Correlation;
}

export class ReceiptDeliveries {
  private readonly queue: DeliveryQueue<ReceiptPayload, Delivery>;

  constructor(
    private readonly n: NodoState,
    retry: Required<ReceiptRetry>,
    private readonly timeouts: Readonly<NodoTimeouts>,
  ) {
    this.queue = new DeliveryQueue<ReceiptPayload, Delivery>({
      clock: n.clock,
      schedule: retry,
      attemptTimeoutMs: timeouts.paSendRT,
      realCapMs: VIRTUAL_SEND_REAL_MS,
      attempt: (p, d, info) => this.send(p, d, info.k),
      // the EC seat judges what the candidate did with the receipt: the rest of the schedule is the Nodo's business
      settle: n.cfg.receiptWait === 'candidate' ? 'first-failure' : 'final',
      noRetry: n.defects.has('no-receipt-retry'),
      timeoutName: 'paSendRT timeout',
    });
  }

  /** The delivery schedule in force: slot, paSendRT timeout, and what one send costs in real time on this clock. */
  schedule(): DeliverySchedule {
    return this.queue.schedule();
  }

  stop(): void {
    this.queue.stop('the reference Nodo was stopped');
  }

  fromSession(s: Session, details: El | undefined, stamps: Map<string, string>, outcome: 'OK' | 'KO'): ReceiptData {
    const d = s.data;
    const psp = this.n.reg.psps.find((p) => p.idPSP === s.idPSP);
    const channel = this.n.reg.channels.find((c) => c.idChannel === s.idChannel);
    const ec = this.n.reg.ecs.find((e) => e.fiscalCode === s.fiscalCode);
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
      paymentDateTime: isoDateTime(s.outcomeAt ?? this.n.clock.now()),
      applicationDate: textOf(details, 'applicationDate'),
      transferDate: textOf(details, 'transferDate'),
      metadata: optNode(child(d, 'metadata')),
      standIn: s.standIn === true,
    };
  }

  /** One delivery per EC concerned: the issuing EC and each secondary beneficiary with a known station. */
  deliver(s: Session, receipt: ReceiptData): void {
    if (this.queue.stopped) return;
    this.record(receipt);
    const primary = this.n.reg.stations.find((x) => x.idStation === s.idStation);
    if (primary) this.enqueue(receipt, s.fiscalCode, primary, primary.version, 'primary');
    const secondaries = [...new Set(receipt.transfers.map((t) => t.fiscalCodePA))].filter((fc) => fc !== s.fiscalCode);
    for (const fc of secondaries) {
      const st = this.n.stations.stationForEc(fc);
      if (st) this.enqueue(receipt, fc, st, st.version, 'secondary');
    }
  }

  /** The run's ledger gets the receipt once, as the platform built it (crafted receipts are not the platform's). */
  private record(r: ReceiptData): void {
    this.n.cfg.ledger?.recordReceipt({
      model: 'new',
      receiptId: r.receiptId,
      ecFiscalCode: r.fiscalCode,
      noticeNumber: r.noticeNumber,
      iuv: r.creditorReferenceId,
      idPSP: r.idPSP,
      idChannel: r.idChannel,
      outcome: r.outcome,
      amountCents: r.paymentAmount,
      transfers: r.transfers.map((t) => ({ index: t.idTransfer, ecFiscalCode: t.fiscalCodePA, amountCents: t.amount, iban: t.iban })),
      paidAt: r.paymentDateTime ?? isoDateTime(this.n.clock.now()),
      at: this.n.clock.now(),
      ...(r.standIn ? { standIn: true } : {}),
    });
  }

  /** Deliveries, per (receipt, EC), in creation order. */
  deliveries(paymentToken?: string): Delivery[] {
    return this.queue.deliveries((d) => paymentToken === undefined || d.receiptId === paymentToken);
  }

  /** See ReferenceNodo.waitDelivery. */
  wait(paymentToken: string, fiscalCode: string, deadlineMs?: number): Promise<Delivery> {
    const match = (d: Delivery) => d.receiptId === paymentToken && d.fiscalCode === fiscalCode;
    const label = `waitDelivery(${paymentToken}, ${fiscalCode})`;
    // nothing will ever come: no delivery yet, and the token was not paid (KO, expired, unknown);
    // crafted receipts create their delivery at once, paid tokens right after the outcome
    const session = this.n.sessions.get(paymentToken);
    if (!this.queue.latest(match) && session?.state !== 'PAID') {
      return Promise.reject(new Error(`${label}: no receipt delivery exists and none will (token ${session ? session.state : 'unknown'})`));
    }
    return this.queue.wait(match, label, deadlineMs);
  }

  /** The receipt the platform built for a paid token. */
  receiptFor(paymentToken: string): ReceiptData | undefined {
    const d = this.queue.first((x) => x.receiptId === paymentToken && x.role === 'primary');
    const p = d ? this.queue.payload(d) : undefined;
    return p ? structuredClone(p.receipt) : undefined;
  }

  /** A (possibly crafted) receipt through the same machinery; validated before it leaves. */
  sendCrafted(receipt: ReceiptData, opts: SendReceiptOptions): Delivery {
    const fc = opts.fiscalCode ?? receipt.fiscalCode;
    const station = this.n.stations.stationForEc(fc, opts.idStation, fc === receipt.fiscalCode ? receipt.noticeNumber : undefined);
    if (!station) throw new Error(`sendReceipt: no station known for EC ${fc}${opts.idStation ? ` / ${opts.idStation}` : ''}`);
    const version = opts.version ?? station.version;
    const primitive = stationPrimitive('sendRT', version);
    this.n.cfg.guard?.(primitive, { fiscalCode: receipt.fiscalCode, noticeNumber: receipt.noticeNumber });
    // a crafted receipt is sent as valid: checked before it leaves (InvalidRequest: nothing is sent)
    assertValidRequest(OPERATIONS[primitive]!, encodeEnvelope(OPERATIONS[primitive]!, 'request', receiptRequest(receipt, fc, station, version)));
    return this.enqueue(receipt, fc, station, version, 'crafted', opts.maxAttempts, opts.note);
  }

  /** Manual restart of a parked/rejected delivery: the attempt counter starts again (NM-SM-RCPT). */
  restart(paymentToken: string, fiscalCode: string): Delivery | undefined {
    return this.queue.restart((x) => x.receiptId === paymentToken && x.fiscalCode === fiscalCode);
  }

  private enqueue(receipt: ReceiptData, fc: string, station: StationEntry, version: 1 | 2, role: Delivery['role'], maxAttempts?: number, note?: string): Delivery {
    const primitive = stationPrimitive('sendRT', version);
    const copy = structuredClone(receipt);
    const payload: ReceiptPayload = {
      receipt: copy,
      station,
      version,
      note,
      envelope: encodeEnvelope(OPERATIONS[primitive]!, 'request', receiptRequest(copy, fc, station, version)),
      corr: { noticeNumber: receipt.noticeNumber, fiscalCode: receipt.fiscalCode, paymentToken: receipt.receiptId },
    };
    const keys = { paymentToken: receipt.receiptId, receiptId: receipt.receiptId, noticeNumber: receipt.noticeNumber, fiscalCode: fc, idStation: station.idStation, primitive, role };
    return this.queue.enqueue(keys, payload, maxAttempts);
  }

  /** One paSendRT(V2) send, judged (IF-A-28: OK or PAA_RECEIPT_DUPLICATA is delivered). */
  private async send(p: ReceiptPayload, d: Readonly<Delivery>, k: number): Promise<Judged<DeliveryAttempt>> {
    const timeoutMs = this.timeouts.paSendRT;
    // a send distorted by a fault the scenario injected is not the station's failure
    const watched = watchInjected(this.n.cfg.faults?.(p.corr));
    const r = await this.n.stations.toStation(
      p.station,
      {
        op: OPERATIONS[d.primitive]!,
        envelope: p.envelope,
        corr: p.corr,
        timeoutMs,
        realCapMs: VIRTUAL_SEND_REAL_MS,
        note: [`receipt delivery to ${d.fiscalCode} (station ${p.station.idStation}), attempt ${k}/${d.maxAttempts}`, p.note].filter(Boolean).join('; '),
      },
      watched.faults,
    );
    const v = judgeEcAnswer(d.primitive, r, timeoutMs);
    const result: DeliveryAttempt['result'] = v.kind === 'ok' ? 'ok' : v.kind === 'ko' ? (v.fault.faultCode === 'PAA_RECEIPT_DUPLICATA' ? 'duplicate' : 'ko') : v.kind === 'iban' ? 'invalid' : v.kind;
    const faultCode = v.kind === 'ko' ? v.fault.faultCode : undefined;
    const description = v.kind === 'ko' ? v.fault.description : 'reason' in v ? v.reason : undefined;
    return {
      verdict: result === 'ok' || result === 'duplicate' ? 'delivered' : result === 'ko' ? 'refused' : 'failed',
      record: { result, transport: r.transport, httpStatus: r.status, faultCode, description, latencyMs: r.latencyMs },
      reason: faultCode ? `${faultCode}${description ? `: ${description}` : ''}` : description,
      injected: watched.injected(),
    };
  }
}

/** The content of paSendRT(V2) addressed to EC `fc` through `station`. */
export function receiptRequest(receipt: ReceiptData, fc: string, station: StationEntry, version: 1 | 2): NodeObj {
  return { idPA: fc, idBrokerPA: station.idBrokerPA, idStation: station.idStation, receipt: buildReceipt(receipt, version) };
}
