// The state the reference Nodo's handlers share: configuration, clock, registry, payment sessions,
// the station client and the receipt deliveries. ReferenceNodo builds one; new/*.ts take it.
import type { Clock } from '../../src/core/clock.js';
import type { Registry } from '../../domain/registry.js';
import type { NodoDefect, ReferenceNodoConfig } from './config.js';
import type { StationClient } from './station-client.js';
import type { Session, Sessions } from './sessions.js';
import type { ReceiptData } from './receipts.js';
import type { El } from '../../src/wire/xml.js';
import type { SoapFlows } from './fdr/soap-flows.js';

/** What the flows need of the receipt deliveries (new/receipts.ts implements it; the Nodo owns the rest). */
export interface ReceiptStarter {
  /** the receipt of a closed session, as the platform builds it */
  fromSession(s: Session, details: El | undefined, stamps: Map<string, string>, outcome: 'OK' | 'KO'): ReceiptData;
  /** starts its delivery to the EC's station(s) */
  deliver(s: Session, receipt: ReceiptData): void;
}

/** The shared state before the receipt deliveries exist (they are built on it). */
export type NodoState = Omit<NodoContext, 'receipts'>;

export interface NodoContext {
  readonly cfg: ReferenceNodoConfig;
  readonly clock: Clock;
  readonly reg: Registry;
  /** the token lifetime in force (NM-TR-01) */
  readonly lifetime: number;
  readonly defects: ReadonlySet<NodoDefect>;
  readonly sessions: Sessions;
  readonly stations: StationClient;
  readonly receipts: ReceiptStarter;
  /** the reporting flows' SOAP side (upload, state, list, download), on the run's flow store */
  readonly fdr: SoapFlows;
}
