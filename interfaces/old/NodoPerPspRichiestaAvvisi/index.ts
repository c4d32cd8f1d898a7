// NodoPerPspRichiestaAvvisi: the Nodo's interface for PSPs that offer spontaneous payments, old
// model (catalogue §1.3 P25-P26): the service catalogue and a notice for a service. No SOAP header
// (the PSP names itself in the body, the same caller rule as NodoPerPsp); its faultBean has no
// original* fields. The catalogue travels base64 in xmlCatalogoServizi, a document of collaudo's own
// (CatalogoServizi.xsd: no schema is published for it).
import path from 'node:path';
import { defineInterface } from '../../../src/wire/contract.js';
import { deriveOldCorrelation } from '../common.js';
import { DOCUMENT_NS, OLD_MODEL_CORRELATION, OLD_PREFIX, PPT_NS, here } from '../common.js';
import { authenticateOldPsp } from '../NodoPerPsp/auth.js';

/** The namespace of collaudo's Catalogo dei Servizi document. */
export const CATALOGO_SERVIZI_NS = 'urn:collaudo:old:CatalogoServizi';

export const nodoPerPspRichiestaAvvisi = defineInterface({
  name: 'NodoPerPspRichiestaAvvisi',
  model: 'old',
  path: '/NodoPerPspRichiestaAvvisi',
  ns: PPT_NS,
  prefix: OLD_PREFIX,
  deriveCorrelation: deriveOldCorrelation,
  namespaces: { pay_i: DOCUMENT_NS.pay_i },
  dir: here(import.meta.url),
  style: 'esito',
  correlation: OLD_MODEL_CORRELATION,
  authenticate: authenticateOldPsp,
  documents: [{ element: 'xmlCatalogoServizi', name: 'CatalogoServizi', schema: path.join(here(import.meta.url), 'CatalogoServizi.xsd'), root: 'catalogoServizi' }],
  operations: [
    { name: 'nodoChiediNumeroAvviso', request: 'nodoChiediNumeroAvviso', response: 'nodoChiediNumeroAvvisoRisposta', result: 'nodoChiediNumeroAvvisoRisposta' },
    // the answer's result element carries the other operation's name, and no esito
    { name: 'nodoChiediCatalogoServizi', request: 'nodoChiediCatalogoServizi', response: 'nodoChiediCatalogoServiziRisposta', result: 'nodoChiediNumeroAvvisoRisposta', outcome: null },
  ],
});
