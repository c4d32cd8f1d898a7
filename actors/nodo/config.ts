// The reference Nodo's configuration: the Nodo → EC timeouts and token lifetime (domain/timeouts.ts), receipt retry schedule, defect switches (mutants) and the services it routes to.
import type { Clock } from '../../src/core/clock.js';
import type { Correlation, Journal } from '../../src/core/journal.js';
import type { Faults } from '../../src/core/faults.js';
import type { Ledger } from '../../src/core/ledger.js';
import type { Registry } from '../../domain/registry.js';
import type { TlsServerOptions } from '../../src/wire/http.js';
import type { El, NodeObj } from '../../src/wire/xml.js';
import type { FlowStore } from './fdr/store.js';

export type StationPrimitive = 'paVerifyPaymentNotice' | 'paGetPayment' | 'paGetPaymentV2' | 'paSendRT' | 'paSendRTV2' | 'paDemandPaymentNotice';

import type { NodoTimeouts } from '../../domain/timeouts.js';
export { DEFAULT_TIMEOUTS, DEFAULT_TOKEN_LIFETIME_MS, type NodoTimeouts } from '../../domain/timeouts.js';
/** on a virtual clock, the real time a receipt send gives the station before it counts as a timeout */
export const VIRTUAL_SEND_REAL_MS = 5000;

/**
 * Defect switches: each turns the reference Nodo into a mutant with one realistic defect, for the
 * kill matrix of a Nodo-seat suite. None is on by default.
 */
export type NodoDefect =
  /** parks a receipt after the first failed send (NM-RT-RETRY-01, IF-paSendRT-F73 MUST) */
  | 'no-receipt-retry'
  /** a second activation of a notice with an open token succeeds (NM-PSPPAY-CONC-01) */
  | 'no-notice-lock'
  /** same idempotencyKey + same request opens a new token with a new EC call (NM-TOK-DUP-01) */
  | 'ignore-idempotency'
  /** relays an EC fault with id NodoDeiPagamentiSPC and without original* (IF-X-12) */
  | 'relay-as-nodo'
  /** tokens never expire (NM-TOK-PAY-02, NM-TR-08) */
  | 'no-token-expiry'
  /** an outcome KO also produces a receipt (NM-RT-VAL-01) */
  | 'receipt-on-ko'
  /** a notice paid through the platform is verified/activated again through the EC (NM-PSPPAY-ERR-07) */
  | 'no-paid-check';

export interface ReceiptRetry {
  /** slot time: the paSendRT timeout (NM-TR-07) */
  slotMs: number;
  /** total sends, the first included ([QI]: at most 5 attempts) */
  maxAttempts: number;
  /**
   * 'gap' (default): the wait between send k and send k+1 is slot·(2^k−1) (15 s, 45 s, 105 s, 225 s:
   * NM-TR-07 "minimum waits … before the successive re-sends"); 'offset': send k+1 happens
   * slot·(2^k−1) after the first send (0, 15, 45, 105, 225 s). 'gap' satisfies both readings.
   */
  measure?: 'gap' | 'offset';
  /** retry also after a KO other than PAA_RECEIPT_DUPLICATA (NM-SM-RCPT SHOULD; default true) */
  retryOnKo?: boolean;
}

export interface ReferenceNodoConfig {
  clock: Clock;
  registry: Registry;
  journal: (corr: Correlation) => Journal | undefined;
  faults?: (corr: Correlation) => Faults | undefined;
  timeouts?: Partial<NodoTimeouts>;
  tokenLifetimeMs?: number;
  receiptRetry?: Partial<ReceiptRetry>;
  host?: string;
  port?: number;
  tls?: TlsServerOptions;
  /**
   * Journal the exchanges PSPs make with the Nodo (server side). Set false when the caller (e.g. the
   * EmulatedPsp) journals the same exchanges into the same journal. Default true.
   */
  journalInbound?: boolean;
  /** extended faultBean with original* on relayed EC faults (IF-X-12: caller configuration). Default true. */
  extendedFaultBean?: boolean;
  /** how long an outcome's idempotencyKey is remembered (IF-A-15). Default: the token lifetime. */
  outcomeKeyWindowMs?: number;
  defects?: NodoDefect[];
  /** the run's ledger: every receipt the platform builds is recorded in it (primary delivery) */
  ledger?: Ledger;
  /**
   * PSP seat: scenario-scripted answers. Called for every authenticated PSP request with the
   * request's correlation; return `proceed()` (normal processing, possibly edited) or another answer.
   */
  intercept?: (op: string, body: El, corr: Correlation, proceed: () => Promise<NodeObj>) => Promise<NodeObj>;
  /** spontaneous services the Nodo routes demandPaymentNotice to (empty: PPT_SERVIZIO_SCONOSCIUTO, NM-A-09) */
  services?: NodoService[];
  /**
   * Called before a hand-made paGetPayment(V2) or receipt leaves for a station (callStation,
   * sendReceipt): the EC seat refuses to change a notice a scenario only reads. Throws to stop it.
   */
  guard?: (primitive: string, corr: Correlation) => void;
  /**
   * What `waitDelivery` waits for: 'final' (default) the delivery's final state; 'candidate' also
   * settles at the first send the station itself failed (a KO, an invalid answer, no answer, refused):
   * the EC seat judges what the candidate did with the receipt, and the rest of the retry schedule
   * is the harness's Nodo's own business. A send failed by an injected fault never settles it.
   */
  receiptWait?: 'final' | 'candidate';
  /**
   * The run's reporting flows, shared with the old-model Nodo and the FdR 3 server (one per run): flows
   * uploaded here are published in it, the ECs read from it. Absent: the Nodo makes its own (on `ledger`).
   */
  flows?: FlowStore;
  /**
   * the SOAP flows' processing (FLUSSO_IN_ELABORAZIONE for `processingMs`, default 0), retention (default
   * 10 days, TR-04) and the largest request the Nodo's server takes (default FLOW_MAX_BODY_BYTES)
   */
  fdr?: { processingMs?: number; retentionMs?: number; maxBodyBytes?: number };
}

/** A spontaneous service of the catalogue (nodoChiediCatalogoServiziV2, demandPaymentNotice). */
export interface NodoService {
  idServizio: string;
  idSoggettoServizio: string;
  /** EC offering the service */
  fiscalCode: string;
  idStation: string;
  description: string;
  categoria?: string;
  /** the XSD the service data follow (catalogue entry) */
  xsdRiferimento?: string;
}

export interface SendReceiptOptions {
  /** EC the receipt is addressed to (default: the issuing EC, receipt.fiscalCode) */
  fiscalCode?: string;
  /** station to call (default: the station serving the notice, or the EC's first station) */
  idStation?: string;
  /** receipt version (default: the station's version) */
  version?: 1 | 2;
  /** total sends (default: receiptRetry.maxAttempts) */
  maxAttempts?: number;
  note?: string;
}

/** The reporting flow's operations the new-model Nodo serves (new/fdr.ts): nodeForPsp's legacy-named ones, nodeForPa's. */
export const FDR_OPERATIONS = ['nodoInviaFlussoRendicontazione', 'nodoChiediStatoFlussoRendicontazione', 'nodoChiediStatoElaborazioneFlussoRendicontazione', 'nodoChiediElencoFlussiRendicontazione', 'nodoChiediFlussoRendicontazione'] as const;

/** The nodeForPsp and nodeForPa operations the reference Nodo serves; the others get PPT_SYSTEM_ERROR. */
export const SERVED = new Set([
  'verifyPaymentNotice', 'activatePaymentNotice', 'activatePaymentNoticeV2', 'sendPaymentOutcome', 'sendPaymentOutcomeV2', 'demandPaymentNotice', 'nodoChiediCatalogoServiziV2',
  ...FDR_OPERATIONS,
]);
