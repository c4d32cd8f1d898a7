// The reference EC (a station of an EC broker) of collaudo: see reference-ec.ts.
export { ReferenceEc, SOAP_PATH, LATE_ANSWER_MS, FAULT_STRINGS, isPostalIban, derivedIban } from './reference-ec.js';
export type { ReferenceEcOptions, ServedEc, PositionJson, ReceiptJson, TransferJson } from './reference-ec.js';
export { EC_DEFECTS, EC_DEFECT_IDS, isEcDefect } from './defects.js';
export type { EcDefect, EcDefectInfo } from './defects.js';
export { ProvisioningError, validateProvision, validateUpdate } from './provisioning.js';
export type { ProvisionInput, UpdateInput } from './provisioning.js';
export { defaultServices, tassaAutoData, pescaData, UNKNOWN_PLATE, EXEMPT_PLATE } from './services.js';
export type { DemandService, DemandQuote } from './services.js';
export { Archive } from './archive.js';
export type { EcPosition, BookedReceipt, StateChange } from './archive.js';
