// The REST contracts collaudo speaks, with the OpenAPI documents in openapi/ (written for collaudo:
// only the operations and fields it uses) and, for each, the JSON fields (and path parameters)
// that carry the journal's correlation keys. Platform side: Checkout carts, GPD + ACA. EC side:
// the payment-options service and the intermediary portal (GovPay style).
import { defineApi } from '../../src/wire/rest/openapi.js';

/** pagoPA Checkout: POST /carts. */
export const CHECKOUT_CARTS = defineApi('checkout-carts', { noticeNumber: ['noticeNumber'], fiscalCode: ['fiscalCode'] });

/** GPD debt positions and ACA paCreatePosition (the debtor's `fiscalCode` is no correlation key). */
export const GPD = defineApi('gpd', { noticeNumber: ['nav'], fiscalCode: ['organizationfiscalcode', 'paFiscalCode', 'organizationFiscalCode'] });

/** The EC's payment-options service. */
export const PAYMENT_OPTIONS = defineApi('payment-options', { noticeNumber: ['notice-number'], fiscalCode: ['organization-fiscal-code', 'organizationFiscalCode'] });

/** The intermediary portal (GovPay style): sessions of pendenze. */
export const GOVPAY_PORTAL = defineApi('govpay-portal', { noticeNumber: ['numeroAvviso'], fiscalCode: ['idDominio'] });

/** FdR 3 for PSPs: drafts, payments, publication, revisions (a flow is followed by its name, PSP and EC). */
export const FDR_PSP = defineApi('fdr-psp', { idFlusso: ['fdr'], idPSP: ['pspId'], fiscalCode: ['organizationId'] });

/** FdR 3 for organisations: the published flows an EC reads. */
export const FDR_ORGANIZATION = defineApi('fdr-organization', { idFlusso: ['fdr'], idPSP: ['pspId'], fiscalCode: ['organizationId'] });
