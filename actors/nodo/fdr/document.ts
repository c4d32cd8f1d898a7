// The flow document (FlussoRiversamento) as the Nodo's SOAP side reads and writes it: the one codec of
// the project (branch fdr-doc), adapted to what an upload and a download need.
import type { ReportingFlow } from '../../../domain/fdr/types.js';

/** What the upload gives besides the document: the SOAP parameters name the PSP and the EC, the document does not. */
export interface FlowDocumentKeys {
  idPSP: string;
  ecFiscalCode: string;
  idBrokerPSP?: string;
  idChannel?: string;
}

/** The flow of a document's text, or why it is not one. */
export function readFlowDocument(_xml: string, _keys: FlowDocumentKeys): { flow: ReportingFlow } | { error: string } {
  return { error: 'the flow document codec is not merged yet (fdr-doc)' };
}

/** The document of a flow published without one (FdR 3 REST), for a SOAP download. */
export function flowDocument(flow: ReportingFlow): string {
  throw new Error(`no document codec for flow ${flow.flowId} yet (fdr-doc)`);
}
