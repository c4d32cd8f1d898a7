// The reporting flow document FlussoRiversamento (FlussoRiversamento.xsd, ours), shared by both models
// and both directions of the SOAP FdR primitives: nodoInviaFlussoRendicontazione (PSP → Nodo, old
// NodoPerPsp and new nodeForPsp) and nodoChiediFlussoRendicontazione's answer (Nodo → EC, NodoPerPa and
// nodeForPa). It lives in its own folder, not in old/documents, because the new model carries it too.
// The schema's path is owned by the document codec (domain/fdr/document.ts), which validates with it.
import type { DocumentRule } from '../../src/wire/contract.js';
import { FLOW_ROOT, FLOW_SCHEMA_FILE } from '../../domain/fdr/document.js';

export { FLOW_NS, FLOW_ROOT, FLOW_SCHEMA_FILE } from '../../domain/fdr/document.js';

/** The base64 flow in a SOAP body (the same element name in every FdR primitive). */
export const FLOW_DOCUMENT = { element: 'xmlRendicontazione', name: 'FdR', schema: FLOW_SCHEMA_FILE, root: FLOW_ROOT } as const satisfies DocumentRule;
