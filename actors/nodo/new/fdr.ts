// Reconciliation over SOAP, new model (NM-FDR-PAY-01/02): nodeForPsp's legacy-named upload and state
// query, nodeForPa's list and download. The handling is the old model's (fdr/soap-flows.ts, one place);
// this file only says which operation goes where.
import type { Operation } from '../../../src/wire/contract.js';
import type { El, NodeObj } from '../../../src/wire/xml.js';
import type { NodoContext } from '../context.js';


/** The answer of a reporting flow's operation, or undefined when `op` is none of them. */
export function reconciliation(n: NodoContext, op: Operation, body: El): NodeObj | undefined {
  switch (op.name) {
    case 'nodoInviaFlussoRendicontazione':
      return n.fdr.upload(op, body);
    case 'nodoChiediStatoFlussoRendicontazione':
    case 'nodoChiediStatoElaborazioneFlussoRendicontazione':
      return n.fdr.status(op, body);
    case 'nodoChiediElencoFlussiRendicontazione':
      return n.fdr.list(op, body);
    case 'nodoChiediFlussoRendicontazione':
      return n.fdr.download(op, body);
    default:
      return undefined;
  }
}
