// The reference Nodo dei Pagamenti (new model) and its building blocks.
export * from './nodo.js';
export * from './receipts.js';
export { DEFAULT_TIMEOUTS, DEFAULT_TOKEN_LIFETIME_MS, type StationPrimitive, type NodoTimeouts, type NodoDefect, type ReceiptRetry, type ReferenceNodoConfig, type NodoService, type SendReceiptOptions } from './config.js';
export type { TokenState, TokenInfo } from './sessions.js';
export { NODO_ID, NODO_FAULT_STRINGS, nodoFault, relayEcFault } from './faults.js';
export { judgeEcAnswer, checkPaymentData, type EcVerdict } from './judge.js';
