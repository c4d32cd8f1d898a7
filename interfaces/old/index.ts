// The old model's wire contracts (SANP 2.2.6, RPT/RT), one folder each; the document schemas
// (RPT/RT, RR/ER, ACK, codiceIdRPT) are in documents/.
import type { InterfacePack } from '../../src/wire/contract.js';
import { nodoPerPa } from './NodoPerPa/index.js';
import { paPerNodo } from './PaPerNodo/index.js';
import { paPerNodoPagamentoPsp } from './PaPerNodoPagamentoPsp/index.js';
import { paPerNodoRichiestaAvvisi } from './PaPerNodoRichiestaAvvisi/index.js';
import { nodoPerPsp } from './NodoPerPsp/index.js';
import { nodoPerPspRichiestaAvvisi } from './NodoPerPspRichiestaAvvisi/index.js';
import { pspPerNodo } from './PspPerNodo/index.js';

export { nodoPerPa, paPerNodo, paPerNodoPagamentoPsp, paPerNodoRichiestaAvvisi, nodoPerPsp, nodoPerPspRichiestaAvvisi, pspPerNodo };
export { CATALOGO_SERVIZI_NS } from './NodoPerPspRichiestaAvvisi/index.js';
export { DOCUMENT, DOCUMENT_NS, OLD_MODEL_CORRELATION, PPTHEAD_NS, PPT_NS } from './common.js';

export const OLD_INTERFACES: readonly InterfacePack[] = [nodoPerPa, paPerNodo, paPerNodoPagamentoPsp, paPerNodoRichiestaAvvisi, nodoPerPsp, nodoPerPspRichiestaAvvisi, pspPerNodo];
