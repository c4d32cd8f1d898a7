// nodeForPa: the Nodo's interface for EC stations in the new model (catalogue N11, N12): the reporting
// flows' list and download. Legacy-named, in the old model's body namespace, with its answer shape (a
// faultBean and the result, no esito) and the same caller rule as NodoPerPa (the station, its
// intermediary and password, the domains it serves).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineInterface } from '../../../src/wire/contract.js';
import { authenticateStation } from '../../old/NodoPerPa/auth.js';
import { LEGACY_NS, NEW_MODEL_CORRELATION } from '../common.js';

export const nodeForPa = defineInterface({
  name: 'nodeForPa',
  model: 'new',
  path: '/nodeForPa',
  ns: LEGACY_NS.ns,
  prefix: LEGACY_NS.prefix,
  style: 'esito',
  dir: path.dirname(fileURLToPath(import.meta.url)),
  correlation: { ...NEW_MODEL_CORRELATION, idFlusso: ['identificativoFlusso'] },
  authenticate: authenticateStation,
  operations: [
    { name: 'nodoChiediElencoFlussiRendicontazione', request: 'nodoChiediElencoFlussiRendicontazione', response: 'nodoChiediElencoFlussiRendicontazioneRisposta', outcome: null },
    { name: 'nodoChiediFlussoRendicontazione', request: 'nodoChiediFlussoRendicontazione', response: 'nodoChiediFlussoRendicontazioneRisposta', outcome: null },
  ],
});
