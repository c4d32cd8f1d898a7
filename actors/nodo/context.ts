// The state the reference Nodo's handlers share: configuration, clock, registry, payment sessions,
// the station client and the receipt deliveries. ReferenceNodo builds one; new/*.ts take it.
import type { Clock } from '../../src/core/clock.js';
import type { Registry } from '../../domain/registry.js';
import type { NodoDefect, ReferenceNodoConfig } from './config.js';
import type { Sessions } from './sessions.js';
import type { StationClient } from './station-client.js';
import type { ReceiptDeliveries } from './new/receipts.js';

export interface NodoContext {
  readonly cfg: ReferenceNodoConfig;
  readonly clock: Clock;
  readonly reg: Registry;
  /** the token lifetime in force (NM-TR-01) */
  readonly lifetime: number;
  readonly defects: ReadonlySet<NodoDefect>;
  readonly sessions: Sessions;
  readonly stations: StationClient;
  readonly receipts: ReceiptDeliveries;
}
