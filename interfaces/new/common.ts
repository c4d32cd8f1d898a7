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
