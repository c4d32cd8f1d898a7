// The new-model SOAP operations: interface, namespace, request/response element names (IF-X-02, IF-X-04).
export const NS = {
  soapenv: 'http://schemas.xmlsoap.org/soap/envelope/',
  paForNode: 'http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd',
  nodeForPsp: 'http://pagopa-api.pagopa.gov.it/node/nodeForPsp.xsd',
  pspForNode: 'http://pagopa-api.pagopa.gov.it/psp/pspForNode.xsd',
  common: 'http://pagopa-api.pagopa.gov.it/xsd/common-types/v1.0.0/',
} as const;

export type InterfaceName = 'paForNode' | 'nodeForPsp' | 'pspForNode';

export interface Operation {
  name: string;
  iface: InterfaceName;
  request: string;
  response: string;
  /** conventional prefix used when we build messages (any prefix is accepted when parsing) */
  prefix: string;
}

const op = (name: string, iface: InterfaceName, request: string, response: string): Operation => ({
  name,
  iface,
  request,
  response,
  prefix: iface === 'paForNode' ? 'pafn' : iface === 'nodeForPsp' ? 'nfp' : 'pfn',
});

export const OPERATIONS: Record<string, Operation> = Object.fromEntries(
  [
    op('paVerifyPaymentNotice', 'paForNode', 'paVerifyPaymentNoticeReq', 'paVerifyPaymentNoticeRes'),
    op('paGetPayment', 'paForNode', 'paGetPaymentReq', 'paGetPaymentRes'),
    op('paGetPaymentV2', 'paForNode', 'paGetPaymentV2Request', 'paGetPaymentV2Response'),
    op('paSendRT', 'paForNode', 'paSendRTReq', 'paSendRTRes'),
    op('paSendRTV2', 'paForNode', 'paSendRTV2Request', 'paSendRTV2Response'),
    op('paDemandPaymentNotice', 'paForNode', 'paDemandPaymentNoticeRequest', 'paDemandPaymentNoticeResponse'),
    op('verifyPaymentNotice', 'nodeForPsp', 'verifyPaymentNoticeReq', 'verifyPaymentNoticeRes'),
    op('activatePaymentNotice', 'nodeForPsp', 'activatePaymentNoticeReq', 'activatePaymentNoticeRes'),
    op('activatePaymentNoticeV2', 'nodeForPsp', 'activatePaymentNoticeV2Request', 'activatePaymentNoticeV2Response'),
    op('sendPaymentOutcome', 'nodeForPsp', 'sendPaymentOutcomeReq', 'sendPaymentOutcomeRes'),
    op('sendPaymentOutcomeV2', 'nodeForPsp', 'sendPaymentOutcomeV2Request', 'sendPaymentOutcomeV2Response'),
    op('demandPaymentNotice', 'nodeForPsp', 'demandPaymentNoticeRequest', 'demandPaymentNoticeResponse'),
    op('nodoChiediCatalogoServiziV2', 'nodeForPsp', 'nodoChiediCatalogoServiziV2Request', 'nodoChiediCatalogoServiziV2Response'),
    op('pspNotifyPayment', 'pspForNode', 'pspNotifyPaymentReq', 'pspNotifyPaymentRes'),
    op('pspNotifyPaymentV2', 'pspForNode', 'pspNotifyPaymentV2', 'pspNotifyPaymentV2Res'),
  ].map((o) => [o.name, o]),
);

/** Finds the operation whose request (or response) element is `{ns}local`. */
export function operationByElement(ns: string | null, local: string): { op: Operation; kind: 'request' | 'response' } | undefined {
  for (const o of Object.values(OPERATIONS)) {
    if (NS[o.iface] !== ns) continue;
    if (o.request === local) return { op: o, kind: 'request' };
    if (o.response === local) return { op: o, kind: 'response' };
  }
  return undefined;
}
