// RT delivery to the EC (paaInviaRT) on the generic retrying queue of src/core/delivery-queue.ts. The
// first send answers the PSP's nodoInviaRT (the Nodo relays the EC's answer, L1512); when the station
// fails (timeout, unreachable, invalid answer) the Nodo keeps the RT (RT repository, OLD-X-REPO-01)
// and sends it again on the TR-08 table (5, 10, 20, 40, 80 s; A-14: 1 + 5 sends). PAA_RT_DUPLICATA
// ends the delivery (the EC has the RT, OLD-PSP-ERR-14); any other KO (PAA_RPT_SCONOSCIUTA,
// PAA_SEMANTICA, OLD-PSP-ERR-15) is final: the Tavolo Operativo takes over, no automatic retry.
import type { Correlation } from '../../../src/core/journal.js';
import { type Faults, watchInjected } from '../../../src/core/faults.js';
import { DeliveryQueue, type AttemptRecord, type DeliverySchedule, type DeliveryStatus, type Judged } from '../../../src/core/delivery-queue.js';
import type { StationEntry } from '../../../domain/registry.js';
import type { NodeObj } from '../../../src/wire/xml.js';
import type { OldCalls, OldVerdict } from './calls.js';
import { VIRTUAL_SEND_REAL_MS } from './config.js';
import { toBase64 } from './docs.js';
import type { RptRecord } from './store.js';

export interface RtAttempt extends AttemptRecord {
  result: 'ok' | 'duplicate' | 'ko' | 'timeout' | 'unreachable' | 'invalid';
  transport?: string;
  httpStatus?: number;
  faultCode?: string;
  description?: string;
  latencyMs?: number;
}

export interface RtDelivery extends DeliveryStatus<RtAttempt> {
  idDominio: string;
  iuv: string;
  ccp: string;
  idStation: string;
  /** 'nodo': an RT the Nodo accepted (from a PSP, or generated); 'crafted': a scenario's RT */
  role: 'nodo' | 'crafted';
}

interface RtPayload {
  station: StationEntry;
  header: NodeObj;
  content: NodeObj;
  corr: Correlation;
  note?: string;
  /** the first send's verdict (the PSP's nodoInviaRT waits for it) */
  first: (v: OldVerdict) => void;
}

export interface RtDeliveryOptions {
  calls: OldCalls;
  faults: (corr: Correlation) => Faults | undefined;
  clock: import('../../../src/core/clock.js').Clock;
  timeoutMs: number;
  waitsMs: readonly number[];
  maxAttempts: number;
  noRetry: boolean;
  /** 'candidate': waits also settle at the first send the station itself failed (EC seat) */
  settle: 'final' | 'first-failure';
}

export class RtDeliveries {
  private readonly queue: DeliveryQueue<RtPayload, RtDelivery>;

  constructor(private readonly o: RtDeliveryOptions) {
    this.queue = new DeliveryQueue<RtPayload, RtDelivery>({
      clock: o.clock,
      schedule: { slotMs: o.waitsMs[0] ?? 5000, waitsMs: o.waitsMs, maxAttempts: o.maxAttempts, measure: 'gap', retryOnKo: false },
      attemptTimeoutMs: o.timeoutMs,
      realCapMs: VIRTUAL_SEND_REAL_MS,
      attempt: (p, d, info) => this.send(p, d, info.k),
      settle: o.settle,
      noRetry: o.noRetry,
      timeoutName: 'paaInviaRT timeout',
    });
  }

  /**
   * Starts the delivery of `rtXml` for `rec` to its station; resolves with the first send's verdict
   * (what the PSP is answered) while the queue keeps the rest of the schedule.
   */
  start(rec: RptRecord, station: StationEntry, rtXml: string, o: { role?: RtDelivery['role']; maxAttempts?: number; note?: string } = {}): { delivery: RtDelivery; first: Promise<OldVerdict> } {
    let first!: (v: OldVerdict) => void;
    const firstP = new Promise<OldVerdict>((r) => (first = r));
    const payload: RtPayload = {
      station,
      header: {
        identificativoIntermediarioPA: station.idBrokerPA,
        identificativoStazioneIntermediarioPA: station.idStation,
        identificativoDominio: rec.idDominio,
        identificativoUnivocoVersamento: rec.iuv,
        codiceContestoPagamento: rec.ccp,
      },
      // TR-37: no signature, tipoFirma "0"
      content: { tipoFirma: '0', rt: toBase64(rtXml) },
      corr: { idDominio: rec.idDominio, iuv: rec.iuv, ccp: rec.ccp, ...(rec.idCarrello ? { idCarrello: rec.idCarrello } : {}) },
      note: o.note,
      first,
    };
    const keys = { idDominio: rec.idDominio, iuv: rec.iuv, ccp: rec.ccp, idStation: station.idStation, role: o.role ?? 'nodo' };
    const delivery = this.queue.enqueue(keys, payload, o.maxAttempts);
    return { delivery, first: firstP };
  }

  deliveries(match: (d: RtDelivery) => boolean = () => true): RtDelivery[] {
    return this.queue.deliveries(match);
  }

  latest(idDominio: string, iuv: string, ccp: string): RtDelivery | undefined {
    return this.queue.latest((d) => d.idDominio === idDominio && d.iuv === iuv && d.ccp === ccp);
  }

  /** Resolves when the latest delivery of the RPT's RT is final (or settled); deadline from the TR-08 table. */
  wait(idDominio: string, iuv: string, ccp: string, deadlineMs?: number): Promise<RtDelivery> {
    const match = (d: RtDelivery) => d.idDominio === idDominio && d.iuv === iuv && d.ccp === ccp;
    return this.queue.wait(match, `waitDelivery(${idDominio}, ${iuv}, ${ccp})`, deadlineMs);
  }

  schedule(): DeliverySchedule {
    return this.queue.schedule();
  }

  deadlineMs(): number {
    return this.queue.deadlineMs();
  }

  /** Listens to final states (and settling attempts under 'first-failure'); undefined when the queue stops. */
  onFinal(l: (d: RtDelivery | undefined) => void): () => void {
    return this.queue.onFinal(l);
  }

  restart(idDominio: string, iuv: string, ccp: string): RtDelivery | undefined {
    return this.queue.restart((d) => d.idDominio === idDominio && d.iuv === iuv && d.ccp === ccp);
  }

  stop(): void {
    this.queue.stop('the reference Nodo was stopped');
  }

  private async send(p: RtPayload, d: Readonly<RtDelivery>, k: number): Promise<Judged<RtAttempt>> {
    // a send distorted by a fault the scenario injected is not the station's failure
    const watched = watchInjected(this.o.faults(p.corr));
    const { result: r, verdict: v } = await this.o.calls.station('paaInviaRT', p.station, p.content, {
      header: p.header,
      corr: p.corr,
      timeoutMs: this.o.timeoutMs,
      note: [`RT delivery to ${d.idDominio} (station ${p.station.idStation}), attempt ${k}/${d.maxAttempts}`, p.note].filter(Boolean).join('; '),
    }, watched.faults);
    if (d.attempts.length === 0) p.first(v);
    const result: RtAttempt['result'] = v.kind === 'ok' ? 'ok' : v.kind === 'ko' ? (v.fault.faultCode === 'PAA_RT_DUPLICATA' ? 'duplicate' : 'ko') : v.kind;
    const faultCode = v.kind === 'ko' ? v.fault.faultCode : undefined;
    const description = v.kind === 'ko' ? v.fault.description : 'reason' in v ? v.reason : undefined;
    return {
      verdict: result === 'ok' || result === 'duplicate' ? 'delivered' : result === 'ko' ? 'refused' : 'failed',
      record: { result, transport: r?.transport, httpStatus: r?.status, faultCode, description, latencyMs: r?.latencyMs },
      reason: faultCode ? `${faultCode}${description ? `: ${description}` : ''}` : description,
      injected: watched.injected(),
    };
  }
}
