// The reference Nodo dei Pagamenti (new model) and its building blocks.
export * from './nodo.js';
export * from './receipts.js';
export { DEFAULT_TIMEOUTS, DEFAULT_TOKEN_LIFETIME_MS, type StationPrimitive, type NodoTimeouts, type NodoDefect, type ReceiptRetry, type ReferenceNodoConfig, type NodoService, type SendReceiptOptions } from './config.js';
export type { TokenState, TokenInfo } from './sessions.js';
export { NODO_ID, NODO_FAULT_STRINGS, nodoFault, relayEcFault } from './faults.js';
export { judgeEcAnswer, checkPaymentData, type EcVerdict } from './judge.js';
// The reference Nodo, old model (SANP 2.2.6): actors/nodo/old
export { OldNodo, type OldNodoUrls, type OldNodoConfig, type OldNodoDefect, type RptRecord, type Cart as OldCart, type Activation as OldActivation, type RtDelivery as OldRtDelivery } from './old/index.js';
export { WISP_PATH, WISP_RETURN_PATH } from './old/wisp.js';
// … as a PSP's counterpart (issue 11): scripted answers to its RT pushes, the PULL queue, the progress query
export { RtPushes, type PushAnswer, type RtPushAttempt, type RtKeys } from './old/push-script.js';
export { RtPull, type PullReport, type PulledRt, type PullOptions, type PollOptions, type PollResult } from './old/pull.js';
export type { AvanzamentoRpt, AvanzamentoExpected } from './old/psp-queries.js';
