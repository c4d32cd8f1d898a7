// What the new-model interfaces share: the common-types namespace and their correlation keys.
import type { CorrelationRule } from '../../src/wire/contract.js';

export const COMMON_TYPES_NS = 'http://pagopa-api.pagopa.gov.it/xsd/common-types/v1.0.0/';

/** A payment is followed by notice (EC fiscal code + notice number), token, IUV and idempotency key. */
export const NEW_MODEL_CORRELATION: CorrelationRule = {
  noticeNumber: ['noticeNumber'],
  fiscalCode: ['fiscalCode', 'fiscalCodePA'],
  paymentToken: ['paymentToken'],
  creditorReferenceId: ['creditorReferenceId'],
  idempotencyKey: ['idempotencyKey'],
};

/**
 * The legacy-named operations inside a new-model interface (the reporting flow's): the old model's body
 * namespace and prefix, and its answer style (an optional faultBean, then esito).
 */
export const LEGACY_NS = { ns: 'http://ws.pagamenti.telematici.gov/', prefix: 'ppt', style: 'esito' } as const;
