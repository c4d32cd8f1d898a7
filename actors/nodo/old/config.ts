// The reference Nodo's configuration for the old model: clock, registry, where it listens, the
// timeouts and retry table of domain/timeouts.ts (catalogue §5), the run's ledger, defect switches.
import type { Clock } from '../../../src/core/clock.js';
import type { Ledger } from '../../../src/core/ledger.js';
import type { Registry } from '../../../domain/registry.js';
import type { OldNodoTimeouts } from '../../../domain/timeouts.js';
import type { TlsServerOptions } from '../../../src/wire/http.js';
import type { FlowStore } from '../fdr/store.js';

/**
 * Defect switches: each makes the reference Nodo a mutant with one realistic defect (a Nodo-seat
 * kill matrix). None is on by default.
 */
export type OldNodoDefect =
  /** an RT is delivered once: no redelivery after a failed paaInviaRT (OLD-RT-RETRY-01) */
  | 'no-rt-retry'
  /** a second nodoInviaRT for a delivered RT is accepted and delivered again (PPT_RT_DUPLICATA, OLD-PSP-ERR-11) */
  | 'accept-duplicate-rt'
  /** an EC's KO is relayed as the Nodo's own fault, without original* (OLD-X-CNT-01) */
  | 'relay-as-nodo'
  /** identificativoCarrello is not checked for uniqueness (PPT_ID_CARRELLO_DUPLICATO, V-08) */
  | 'no-cart-id-check';

export interface OldRtRetry {
  /** waits before the second, third … delivery (TR-08: 5, 10, 20, 40, 80 s) */
  waitsMs: readonly number[];
  /** total sends, the first included (A-14: 1 + 5 further attempts) */
  maxAttempts: number;
}

export interface OldNodoConfig {
  clock: Clock;
  registry: Registry;
  host?: string;
  port?: number;
  tls?: TlsServerOptions;
  /** the URL the Nodo is reached at, when it is not the listening address (a proxy, a container) */
  publicUrl?: string;
  timeouts?: Partial<OldNodoTimeouts>;
  rtRetry?: Partial<OldRtRetry>;
  /** TR-13: how long an activation waits for the EC's RPT (default OLD_RPT_AFTER_ACTIVATION_MS) */
  rptAfterActivationMs?: number;
  defects?: OldNodoDefect[];
  /**
   * What `waitDelivery` waits for: 'final' (default) the delivery's final state; 'candidate' also
   * settles at the first send the station itself failed (the EC seat judges what the candidate did,
   * the rest of the retry table is the Nodo's business). An injected failure never settles it.
   */
  rtWait?: 'final' | 'candidate';
  /** the run's ledger: every RT the Nodo accepts for delivery is recorded (reconciliation, order 9) */
  ledger?: Ledger;
  /**
   * The run's reporting flows, shared with the new-model Nodo and the FdR 3 server (one per run): flows
   * uploaded here are published in it, the ECs read from it. Absent: the Nodo makes its own (on `ledger`).
   */
  flows?: FlowStore;
  /**
   * the SOAP flows' processing (FLUSSO_IN_ELABORAZIONE for `processingMs`, default 0), retention (default
   * 10 days, TR-04) and the largest request the Nodo's server takes (default FLOW_MAX_BODY_BYTES)
   */
  fdr?: { processingMs?: number; retentionMs?: number; maxBodyBytes?: number };
}

/** on a virtual clock, the real time a send gives its peer before it counts as a timeout */
export const VIRTUAL_SEND_REAL_MS = 5000;
