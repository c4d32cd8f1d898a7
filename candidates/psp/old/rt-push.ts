// RT push with retries (catalogue §5 TR-08/TR-09, seed L2311-2366) on the generic retrying queue of
// src/core/delivery-queue.ts. The PSP sends the SAME RT again after 5, 10, 20, 40, 80 s while the
// Nodo gives no usable answer (A-14 reading: the first send and five further attempts, 6 sends);
// any answer ends the recovery (L2361):
// - esito OK, PPT_RT_DUPLICATA (the Nodo has it: no loop, OLD-PSP-ERR-11) or the EC's
//   PAA_RT_DUPLICATA relayed (OLD-PSP-ERR-14): delivered;
// - PPT_STAZIONE_INT_PA_TIMEOUT / _IRRAGGIUNGIBILE: into the PULL queue at once (L2342, ERR-16);
// - any other KO (PPT_SEMANTICA, the EC's PAA_SEMANTICA / PAA_RPT_SCONOSCIUTA …): refused, the
//   Tavolo Operativo takes over (ERR-12, ERR-15) — the RT stays archived.
// After the last unanswered send the RT goes to the PULL queue (L2366, OLD-RT-RETRY-03).
import type { Clock } from '../../../src/core/clock.js';
import { type AttemptRecord, DeliveryQueue, type DeliveryStatus, type Judged } from '../../../src/core/delivery-queue.js';
import { OLD_RT_RETRY_WAITS_MS } from '../../../domain/timeouts.js';
import type { PspRt } from './archive.js';
import type { OldNodoClient } from './nodo-client.js';
import { nodoCallTimeoutMs } from './nodo-client.js';

/** Total sends of one RT: the first and the five retries of TR-08 (A-14). */
export const RT_PUSH_MAX_SENDS = 1 + OLD_RT_RETRY_WAITS_MS.length;
const STATION_DOWN = ['PPT_STAZIONE_INT_PA_TIMEOUT', 'PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE'];

export interface PushAttempt extends AttemptRecord {
  result: 'ok' | 'duplicate' | 'station-down' | 'ko' | 'no-answer';
  faultCode?: string;
  originalFaultCode?: string;
  /** the RT XML this send carried */
  xml: string;
}

export interface RtPushRecord extends DeliveryStatus<PushAttempt> {
  idDominio: string;
  iuv: string;
  ccp: string;
}

export interface RtPushOptions {
  clock: Clock;
  client: OldNodoClient;
  /** on a virtual clock, the real time one send gives the Nodo */
  realCapMs: number;
  /** defect switches that bend the schedule */
  noRetry: boolean;
  fast: boolean;
  forever: boolean;
  duplicateLoop: boolean;
  /** the XML of the k-th send (the defect that rebuilds the RT on retry changes it) */
  xmlFor: (rt: PspRt, k: number) => string;
  /** the delivery is over: where the RT goes next */
  settled: (rt: PspRt, d: RtPushRecord) => void;
}

export class RtPusher {
  private readonly queue: DeliveryQueue<PspRt, RtPushRecord>;

  constructor(private readonly o: RtPushOptions) {
    const waitsMs = o.fast ? OLD_RT_RETRY_WAITS_MS.map(() => 1000) : OLD_RT_RETRY_WAITS_MS;
    this.queue = new DeliveryQueue<PspRt, RtPushRecord>({
      clock: o.clock,
      schedule: { slotMs: waitsMs[0]!, waitsMs, maxAttempts: o.forever ? 12 : RT_PUSH_MAX_SENDS, measure: 'gap', retryOnKo: false },
      attemptTimeoutMs: nodoCallTimeoutMs('nodoInviaRT'),
      realCapMs: o.realCapMs,
      attempt: (rt, _d, info) => this.send(rt, info.k),
      noRetry: o.noRetry,
      timeoutName: 'nodoInviaRT timeout',
    });
    this.queue.onFinal((d) => {
      if (!d) return;
      const rt = this.queue.payload(d);
      if (rt) o.settled(rt, d);
    });
  }

  /** Starts pushing an RT (archived beforehand); returns the live record. */
  push(rt: PspRt): RtPushRecord {
    return this.queue.enqueue({ idDominio: rt.idDominio, iuv: rt.iuv, ccp: rt.ccp }, rt);
  }

  /** Copies of the push records, in creation order. */
  records(match: (d: RtPushRecord) => boolean = () => true): RtPushRecord[] {
    return this.queue.deliveries(match);
  }

  stop(): void {
    this.queue.stop('the PSP stopped');
  }

  private async send(rt: PspRt, k: number): Promise<Judged<PushAttempt>> {
    const xml = this.o.xmlFor(rt, k);
    const r = await this.o.client.sendRt(rt, xml, rt.forzaControlloSegno);
    if (!r.usable) return { verdict: 'failed', record: { result: 'no-answer', xml }, reason: r.problem };
    if (r.esito === 'OK') return { verdict: 'delivered', record: { result: 'ok', xml } };
    const code = r.fault?.faultCode ?? '';
    const original = r.fault?.originalFaultCode;
    const record = { faultCode: code, originalFaultCode: original, xml };
    // the Nodo (or the EC) already has this RT: delivered, never resent (L2043, L2086)
    if (code === 'PPT_RT_DUPLICATA' || original === 'PAA_RT_DUPLICATA') {
      if (this.o.duplicateLoop) return { verdict: 'failed', record: { ...record, result: 'duplicate' }, reason: code };
      return { verdict: 'delivered', record: { ...record, result: 'duplicate' } };
    }
    if (STATION_DOWN.includes(code)) return { verdict: 'refused', record: { ...record, result: 'station-down' }, reason: code };
    // the Nodo's own trouble is no verdict on the RT: like no answer
    if (code === 'PPT_SYSTEM_ERROR') return { verdict: 'failed', record: { ...record, result: 'no-answer' }, reason: code };
    return { verdict: 'refused', record: { ...record, result: 'ko' }, reason: `${code}${original ? ` (${original})` : ''}` };
  }
}

/** Whether a finished push sends the RT to the PULL queue: retries exhausted, or the station down. */
export function goesToPull(d: RtPushRecord): boolean {
  if (d.state === 'parked') return true;
  return d.state === 'rejected' && d.attempts.at(-1)?.result === 'station-down';
}
