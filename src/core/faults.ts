// Transport faults applied per scenario and keyed by correlation (notice number, token, primitive),
// so scenarios never touch each other's traffic. Application faults (PAA_/PPT_/CANALE_ codes) are
// produced by the reference parts themselves; this catalogue is about the wire.
import type { Correlation } from './journal.js';

export type TransportFault =
  | { kind: 'delay'; ms: number }
  | { kind: 'no-answer' }
  | { kind: 'refused' }
  | { kind: 'reset' }
  | { kind: 'http500'; soapFault: boolean }
  | { kind: 'non-xml' }
  | { kind: 'truncated' }
  | { kind: 'schema-invalid' }
  | { kind: 'wrong-soapaction' };

export const TRANSPORT_FAULTS: { kind: TransportFault['kind']; description: string; implemented: boolean }[] = [
  { kind: 'delay', description: 'answer after a delay (on the injected clock)', implemented: true },
  { kind: 'no-answer', description: 'request delivered, answer never comes back (the response leg is lost)', implemented: true },
  { kind: 'refused', description: 'connection refused: nothing is delivered', implemented: true },
  { kind: 'reset', description: 'connection reset after the request was read', implemented: true },
  { kind: 'http500', description: 'HTTP 500, with or without a SOAP Fault body', implemented: true },
  { kind: 'non-xml', description: 'HTTP 200 with a body that is not XML', implemented: true },
  { kind: 'truncated', description: 'HTTP 200 with the XML body cut in the middle', implemented: true },
  { kind: 'schema-invalid', description: 'HTTP 200 with a well-formed body that breaks the XSD', implemented: true },
  { kind: 'wrong-soapaction', description: 'the SOAPAction header names another operation', implemented: true },
];

export interface FaultRule {
  /** which side applies it: 'outbound' = on a call the harness part makes, 'inbound' = on an answer it gives */
  side: 'outbound' | 'inbound';
  primitive?: string;
  match: Partial<Correlation>;
  fault: TransportFault;
  /** how many times it fires; unlimited when absent */
  times?: number;
}

/**
 * A view of `faults` that remembers whether it handed out a fault: a send a scenario distorted is not
 * the peer's failure (a delivery attempt marks it `injected`).
 */
export function watchInjected(faults: Faults | undefined): { faults: Faults | undefined; injected: () => boolean } {
  let injected = false;
  const view =
    faults &&
    (Object.assign(Object.create(faults) as Faults, {
      take: (...a: Parameters<Faults['take']>) => {
        const f = faults.take(...a);
        if (f) injected = true;
        return f;
      },
    }) satisfies Faults);
  return { faults: view, injected: () => injected };
}

export class Faults {
  private rules: (FaultRule & { fired: number })[] = [];

  add(rule: FaultRule): this {
    this.rules.push({ ...rule, fired: 0 });
    return this;
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault to apply to this exchange, if any (and counts it as fired). */
  take(side: FaultRule['side'], primitive: string | undefined, corr: Correlation): TransportFault | undefined {
    for (const r of this.rules) {
      if (r.side !== side) continue;
      if (r.primitive && r.primitive !== primitive) continue;
      if (r.times !== undefined && r.fired >= r.times) continue;
      const keys = Object.entries(r.match) as [keyof Correlation, string][];
      if (keys.length === 0 || !keys.every(([k, v]) => corr[k] === v)) continue;
      r.fired++;
      return r.fault;
    }
    return undefined;
  }
}
