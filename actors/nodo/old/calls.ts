// The old-model Nodo's one SOAP client: calls to EC stations (PaPerNodo, PaPerNodoPagamentoPsp) and
// PSP channels (PspPerNodo), journaled and faulted per correlation on the Nodo's clock, and the
// judgement of their answers: a valid OK, a valid KO (its faultBean), or no usable answer.
import type { Clock } from '../../../src/core/clock.js';
import type { Correlation, Journal } from '../../../src/core/journal.js';
import type { Faults } from '../../../src/core/faults.js';
import { type ChannelEntry, type StationEntry, paymentPspUrl, richiestaAvvisiUrl } from '../../../domain/registry.js';
import { type CallResult, type TlsClientOptions, soapCall } from '../../../src/wire/http.js';
import type { Operation } from '../../../src/wire/contract.js';
import { type FaultBean, encodeEnvelope } from '../../../src/wire/soap.js';
import type { El, NodeObj } from '../../../src/wire/xml.js';
import { OPERATIONS } from '../../../interfaces/index.js';
import { readOldAnswer } from './faults.js';
import { usableAnswer } from '../judge.js';
import { VIRTUAL_SEND_REAL_MS } from './config.js';

/** An old-model operation by name (the interface packs of interfaces/old). */
export function oldOp(name: string): Operation {
  const op = OPERATIONS[name];
  if (!op) throw new Error(`operation ${name} is not among the interfaces (interfaces/old)`);
  return op;
}

export type OldVerdict =
  | { kind: 'ok'; body: El }
  | { kind: 'ko'; body: El; fault: FaultBean }
  | { kind: 'timeout'; reason: string }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'invalid'; reason: string };

/** Judges transport, envelope, schema and the esito/fault pattern of an old-model answer. */
export function judgeOld(op: Operation, r: CallResult, timeoutMs: number): OldVerdict {
  const u = usableAnswer(r, timeoutMs, op.name);
  if (!('body' in u)) return u;
  const { esito, fault, result } = readOldAnswer(op, u.body);
  if (esito === 'KO') return fault ? { kind: 'ko', body: result, fault } : { kind: 'invalid', reason: 'esito KO without fault' };
  if (esito !== 'OK') return { kind: 'invalid', reason: `esito ${esito ?? '(missing)'} is neither OK nor KO` };
  if (fault) return { kind: 'invalid', reason: 'esito OK with a fault' };
  return { kind: 'ok', body: result };
}

export interface OldCallsDeps {
  clock: Clock;
  journal: (corr: Correlation) => Journal | undefined;
  faults: (corr: Correlation) => Faults | undefined;
}

export interface SendOptions {
  url: string;
  op: Operation;
  envelope: string;
  to: 'ec' | 'psp';
  corr: Correlation;
  timeoutMs: number;
  soapAction?: string;
  headers?: Record<string, string>;
  tls?: TlsClientOptions;
  note?: string;
}

export class OldCalls {
  constructor(private readonly d: OldCallsDeps) {}

  /** One call from the Nodo; `faults` replaces the scenario's faults of the correlation (spies). */
  send(o: SendOptions, faults: Faults | undefined = this.d.faults(o.corr)): Promise<CallResult> {
    return soapCall({
      url: o.url, op: o.op, envelope: o.envelope, soapAction: o.soapAction, from: 'nodo', to: o.to, timeoutMs: o.timeoutMs,
      realCapMs: VIRTUAL_SEND_REAL_MS, clock: this.d.clock, journal: this.d.journal(o.corr), faults, headers: o.headers, tls: o.tls, note: o.note,
    });
  }

  /** The URL of a station's old-model service for `op` (PaPerNodo, PaPerNodoPagamentoPsp or PaPerNodoRichiestaAvvisi). */
  stationUrl(station: StationEntry, op: Operation): string | undefined {
    if (!station.old) return undefined;
    if (op.iface === 'PaPerNodoRichiestaAvvisi') return richiestaAvvisiUrl(station.old);
    return op.iface === 'PaPerNodoPagamentoPsp' ? paymentPspUrl(station.old) : station.old.paPerNodo;
  }

  /** A call to a station, judged. No old-model endpoint configured: unreachable. */
  async station(name: string, station: StationEntry, content: NodeObj, o: { header?: NodeObj; corr: Correlation; timeoutMs: number; note?: string }, faults?: Faults): Promise<{ result?: CallResult; verdict: OldVerdict }> {
    const op = oldOp(name);
    const url = this.stationUrl(station, op);
    if (!url) return { verdict: { kind: 'unreachable', reason: `station ${station.idStation} has no old-model endpoint configured` } };
    const result = await this.send({ url, op, envelope: encodeEnvelope(op, 'request', content, o.header), to: 'ec', corr: o.corr, timeoutMs: o.timeoutMs, headers: station.headers, tls: station.tls, note: o.note ?? `station ${station.idStation}` }, faults);
    return { result, verdict: judgeOld(op, result, o.timeoutMs) };
  }

  /** A call to a PSP's channel (PspPerNodo), judged. No PspPerNodo URL configured: unreachable. */
  async psp(name: string, channel: ChannelEntry, content: NodeObj, o: { corr: Correlation; timeoutMs: number; note?: string }): Promise<{ result?: CallResult; verdict: OldVerdict }> {
    const op = oldOp(name);
    if (!channel.pspPerNodoUrl) return { verdict: { kind: 'unreachable', reason: `channel ${channel.idChannel} has no PspPerNodo URL configured` } };
    const result = await this.send({ url: channel.pspPerNodoUrl, op, envelope: encodeEnvelope(op, 'request', content), to: 'psp', corr: o.corr, timeoutMs: o.timeoutMs, note: o.note ?? `channel ${channel.idChannel}` });
    return { result, verdict: judgeOld(op, result, o.timeoutMs) };
  }
}
