// The reference Nodo dei Pagamenti (new model) and its building blocks.
export * from './nodo.js';
export * from './receipts.js';
export { NODO_ID, NODO_FAULT_STRINGS, nodoFault, relayEcFault } from './faults.js';
export { judgeEcAnswer, checkPaymentData, type EcVerdict } from './judge.js';
