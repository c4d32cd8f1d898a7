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
