// The platform's timeouts and retry discipline, in one place: how long the Nodo waits for each
// counterpart, how long a payment token lives, how many times a caller retries. The reference Nodo's
// configuration, the seats' schedules and the suites' waits all derive from these.

export interface NodoTimeouts {
  paVerifyPaymentNotice: number;
  paGetPayment: number;
  paSendRT: number;
  paDemandPaymentNotice: number;
}
/** Nodo → EC (IF-X-13 / NM-TR-05): 7 s, 7 s, 15 s, 7 s; V2 primitives share the V1 values (NM-A-10). */
export const DEFAULT_TIMEOUTS: Readonly<NodoTimeouts> = Object.freeze({ paVerifyPaymentNotice: 7000, paGetPayment: 7000, paSendRT: 15000, paDemandPaymentNotice: 7000 });
/** Nodo → PSP: the wait for pspNotifyPayment(V2) (NM-TR-04, IF-X-13; a profile parameter). */
export const NODO_TO_PSP_MS = 7000;
/** NM-TR-01: the platform's default token lifetime, never above 30 min. */
export const DEFAULT_TOKEN_LIFETIME_MS = 1_800_000;
/** NM-TR-06: a caller retries at most 5 times, waiting slottime·(2^k − 1). */
export const MAX_RETRY_ATTEMPTS = 5;

// ---------------- old model (SANP 2.2.6, catalogue §5) ----------------

/** Nodo → EC and Nodo → PSP timeouts of the old model: TR-10 leaves them to external SLAs, so the new
 *  model's values stand (IF-X-13: 7 s for a query/activation, 15 s for an RT delivery). */
export interface OldNodoTimeouts {
  paaVerificaRPT: number;
  paaAttivaRPT: number;
  paaInviaRT: number;
  /** paaInviaRichiestaRevoca, paaInviaEsitoStorno */
  paaRevocaStorno: number;
  /** every PspPerNodo call (pspInviaRPT, pspInviaCarrelloRPT, revoca/storno relays) */
  psp: number;
}
export const OLD_DEFAULT_TIMEOUTS: Readonly<OldNodoTimeouts> = Object.freeze({
  paaVerificaRPT: DEFAULT_TIMEOUTS.paVerifyPaymentNotice,
  paaAttivaRPT: DEFAULT_TIMEOUTS.paGetPayment,
  paaInviaRT: DEFAULT_TIMEOUTS.paSendRT,
  paaRevocaStorno: DEFAULT_TIMEOUTS.paSendRT,
  psp: NODO_TO_PSP_MS,
});

/**
 * TR-08 (L2349-2355): after a push without answer, up to five further attempts waiting 5, 10, 20, 40,
 * 80 s before each. A-14 reading: "five further attempts" after the first = 6 sends in all. The same
 * schedule times the Nodo's redelivery of an RT to a station that failed (OLD-RT-RETRY-01).
 */
export const OLD_RT_RETRY_WAITS_MS: readonly number[] = Object.freeze([5000, 10000, 20000, 40000, 80000]);

/**
 * TR-13: the time the EC has to send the RPT after a successful paaAttivaRPT is "not quantified"
 * (L1980, L1997); the Nodo waits as long as a payment token lives (NM-TR-01), a profile may shorten it.
 */
export const OLD_RPT_AFTER_ACTIVATION_MS = DEFAULT_TOKEN_LIFETIME_MS;

/**
 * When the Nodo polls a channel configured for PULL is not stated (the index's note on OLD-RT-PULL-01).
 * Derived from the spec's own table for recovering an RT: TR-09 puts the RT in the PULL queue at once,
 * so the Nodo asks at once (pspChiediListaRT); while the RT is not there, or could not be taken, it asks
 * again after TR-08's waits (5, 10, 20, 40, 80 s): a PULL channel's RT is looked for over the same 155 s
 * within which a PUSH channel's RT reaches the Nodo or its PULL queue. 1 + 5 rounds.
 */
export const OLD_PULL_POLL_WAITS_MS: readonly number[] = OLD_RT_RETRY_WAITS_MS;
