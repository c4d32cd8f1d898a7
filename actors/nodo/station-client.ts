// The Nodo's one SOAP client: every call it makes (to an EC station, paForNode, or to a PSP channel,
// pspForNode) goes through `send`, journaled and faulted per correlation on the Nodo's clock. On top
// of it: the station routing of the registry, the station timeouts in force (IF-X-13) and the mapping
// of an EC's answer to the fault the PSP gets (IF-X-12..IF-X-14).
import type { Correlation } from '../../src/core/journal.js';
import type { Faults } from '../../src/core/faults.js';
import type { EcEntry, Registry, StationEntry } from '../../domain/registry.js';
import { stationForNotice } from '../../domain/registry.js';
import { CallResult, TlsClientOptions, soapCall } from '../../src/wire/http.js';
import { FaultBean, encodeEnvelope } from '../../src/wire/soap.js';
import type { Operation } from '../../src/wire/contract.js';
import type { NodeObj } from '../../src/wire/xml.js';
import { OPERATIONS, correlationOf, decodeEnvelope } from '../../interfaces/index.js';
import type { NodoDefect, NodoTimeouts, ReferenceNodoConfig, StationPrimitive } from './config.js';
import { NODO_ID, nodoFault, relayEcFault } from './faults.js';
import { EcVerdict, judgeEcAnswer } from './judge.js';

export interface NodoCall {
  url: string;
  op: Operation;
  envelope: string;
  to: 'ec' | 'psp';
  corr: Correlation;
  timeoutMs: number;
  soapAction?: string;
  realCapMs?: number;
  headers?: Record<string, string>;
  tls?: TlsClientOptions;
  note?: string;
}

export class StationClient {
  constructor(
    private readonly cfg: ReferenceNodoConfig,
    private readonly reg: Registry,
    readonly timeouts: Readonly<NodoTimeouts>,
    private readonly defects: ReadonlySet<NodoDefect>,
  ) {}

  /** One call from the Nodo; `faults` replaces the scenario's faults of the correlation. */
  send(o: NodoCall, faults: Faults | undefined = this.cfg.faults?.(o.corr)): Promise<CallResult> {
    return soapCall({
      url: o.url,
      op: o.op,
      envelope: o.envelope,
      soapAction: o.soapAction,
      from: 'nodo',
      to: o.to,
      timeoutMs: o.timeoutMs,
      realCapMs: o.realCapMs,
      clock: this.cfg.clock,
      journal: this.cfg.journal(o.corr),
      faults,
      headers: o.headers,
      tls: o.tls,
      note: o.note,
    });
  }

  /** A station call: the station's URL, headers and TLS. */
  toStation(station: Pick<StationEntry, 'url' | 'headers' | 'tls'>, o: Omit<NodoCall, 'url' | 'to' | 'headers' | 'tls'>, faults?: Faults): Promise<CallResult> {
    return this.send({ ...o, url: station.url, to: 'ec', headers: station.headers, tls: station.tls }, faults);
  }

  timeoutFor(primitive: string): number {
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

  /** The Nodo calls a station on a PSP's behalf and judges the answer. */
  async callEc(primitive: StationPrimitive, station: StationEntry, content: NodeObj): Promise<{ result: CallResult; verdict: EcVerdict }> {
    const op = OPERATIONS[primitive]!;
    const qr = content.qrCode as NodeObj | undefined;
    const corr: Correlation = { noticeNumber: qr?.noticeNumber as string | undefined, fiscalCode: qr?.fiscalCode as string | undefined };
    const timeoutMs = this.timeoutFor(primitive);
    const call = this.toStation(station, { op, envelope: encodeEnvelope(op, 'request', content), corr, timeoutMs, note: `station ${station.idStation}` });
    const result = await this.withinTimeout(call, timeoutMs);
    return { result, verdict: judgeEcAnswer(primitive, result, timeoutMs, this.reg) };
  }

  /**
   * The Nodo answers its caller when the station timeout in force expires (IF-X-13, 7 s by default),
   * whatever the station does later (the late answer is still journaled by the call). On the virtual
   * clock a delay is spent at once, so the call itself reports the lateness.
   */
  private async withinTimeout(call: Promise<CallResult>, timeoutMs: number): Promise<CallResult> {
    const clock = this.cfg.clock;
    if (clock.virtual) return call;
    const stop = new AbortController();
    const timer = clock.sleep(timeoutMs, stop.signal).then(
      (): CallResult => ({ transport: 'timeout', latencyMs: timeoutMs, error: `no answer within ${timeoutMs} ms` }),
      () => undefined,
    );
    try {
      return (await Promise.race([call, timer])) ?? (await call);
    } finally {
      stop.abort();
    }
  }

  /** A hand-made request to a station (scenarios of the EC seat): journaled, the scenario's outbound faults apply. */
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
    return this.send({
      url: opts.url ?? station!.url,
      op,
      envelope,
      soapAction: opts.soapAction ?? primitive,
      to: 'ec',
      corr,
      timeoutMs: opts.timeoutMs ?? this.timeoutFor(primitive),
      headers: station?.headers,
      tls: station?.tls,
      note: opts.note ?? `station ${station?.idStation ?? opts.url}`,
    });
  }

  /** Maps a non-OK EC verdict to the fault for the PSP (IF-X-12..IF-X-14, IF-paGetPayment-F72). */
  ecFailure(v: Exclude<EcVerdict, { kind: 'ok' }>, ecFiscalCode: string): FaultBean {
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

  /** IF-verifyPaymentNotice-F72 (counterpart configuration), IF-A-13. */
  route(fiscalCode: string, noticeNumber: string): { ec: EcEntry; station: StationEntry } | FaultBean {
    return routeNotice(this.reg, fiscalCode, noticeNumber);
  }

  /** The station a receipt for EC `fc` goes to: the named one, the one serving the notice, else the EC's first enabled, active one. */
  stationForEc(fc: string, idStation?: string, noticeNumber?: string): StationEntry | undefined {
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
}

/**
 * The EC and station a notice goes to, or the fault of the first configuration problem: EC unknown /
 * disabled, no station for the notice, station disabled, its broker unknown / disabled, service not
 * active. Shared by both models (the old model's codiceIdRPT routes the same way).
 */
export function routeNotice(reg: Registry, fiscalCode: string, noticeNumber: string): { ec: EcEntry; station: StationEntry } | FaultBean {
  return routeTo(reg, fiscalCode, () => stationForNotice(reg, fiscalCode, noticeNumber), `notice ${noticeNumber}`);
}

/** The EC and the station `pick` names for `what` (a notice, a service), each registered, enabled and active. */
export function routeTo(reg: Registry, fiscalCode: string, pick: () => StationEntry | undefined, what: string): { ec: EcEntry; station: StationEntry } | FaultBean {
  const ec = reg.ecs.find((e) => e.fiscalCode === fiscalCode);
  if (!ec) return nodoFault('PPT_DOMINIO_SCONOSCIUTO', `EC ${fiscalCode} is not registered`);
  if (!ec.enabled) return nodoFault('PPT_DOMINIO_DISABILITATO', `EC ${fiscalCode} is disabled`);
  const station = pick();
  if (!station) return nodoFault('PPT_STAZIONE_INT_PA_SCONOSCIUTA', `no station of EC ${fiscalCode} serves ${what}`);
  if (!station.enabled) return nodoFault('PPT_STAZIONE_INT_PA_DISABILITATA', `station ${station.idStation} is disabled`);
  const broker = reg.brokersPa.find((b) => b.idBrokerPA === station.idBrokerPA);
  if (!broker) return nodoFault('PPT_INTERMEDIARIO_PA_SCONOSCIUTO', `broker ${station.idBrokerPA} of station ${station.idStation} is not registered`);
  if (!broker.enabled) return nodoFault('PPT_INTERMEDIARIO_PA_DISABILITATO', `broker ${station.idBrokerPA} is disabled`);
  if (!station.serviceActive) return nodoFault('PPT_STAZIONE_INT_PA_SERVIZIO_NONATTIVO', `station ${station.idStation}: application service not active`);
  return { ec, station };
}

export function isFault(x: unknown): x is FaultBean {
  return typeof x === 'object' && x !== null && 'faultCode' in x;
}

/** A scenario-scripted content that is a whole raw envelope. */
export function isRaw(c: NodeObj | { rawEnvelope: string }): c is { rawEnvelope: string } {
  return typeof (c as { rawEnvelope?: unknown }).rawEnvelope === 'string' && Object.keys(c).length === 1;
}
