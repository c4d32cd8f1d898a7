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
// the old-model (SANP 2.2.6) station of the same reference EC (./old/)
export { OldEc, OLD_EC_DEFECTS, OLD_EC_DEFECT_IDS, isOldEcDefect, OLD_TRIGGER_ACTIONS, isOldTriggerAction, OldArchive, apaState, PA_PER_NODO_PATH, PA_PER_NODO_PAGAMENTO_PSP_PATH, PORTAL_PATH, PAY_PATH, RETURN_PATH, STATUS_PATH, RT_COPY_PATH, LATE_RPT_MS, WISP_IDS } from './old/index.js';
export type { OldEcDefect, OldEcDefectInfo, OldTriggerAction, OldTriggerLog, NodoLink, Attempt, Cart, Revoca, ApaState, PspIds, CartResult } from './old/index.js';
