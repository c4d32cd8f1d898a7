// The platform's reporting flows (FdR) as the reference Nodo keeps them: one store per run, shared by
// every way a flow arrives (nodoInviaFlussoRendicontazione on NodoPerPsp / nodeForPsp, FdR 3 REST
// publish) and every way an EC reads one (nodoChiediElencoFlussiRendicontazione /
// nodoChiediFlussoRendicontazione on NodoPerPa / nodeForPa, FdR 3 organization reads). A flow is
// keyed by (idPSP, flowId); a new revision replaces the visible one (NM-SM-FDR3), earlier revisions
// stay readable by number. Drafts of FdR 3 (CREATED / INSERTED) are not here: only what an EC may see.
import type { Clock } from '../../../src/core/clock.js';
import type { FlowTransport, ReportingFlow } from '../../../domain/fdr/types.js';
import type { Ledger } from '../../../src/core/ledger.js';

export interface StoredFlow {
  flow: ReportingFlow;
  /** 1 for the first publication, +1 per replacement */
  revision: number;
  transport: FlowTransport;
  /** clock time the platform accepted it */
  publishedAt: number;
  /** the flow document as received (SOAP: the decoded FlussoRiversamento XML), for a verbatim download */
  document?: string;
  /**
   * clock time the platform finished processing it (SOAP: FLUSSO_IN_ELABORAZIONE until then, not yet
   * offered to the EC); absent: processed on publication
   */
  processedAt?: number;
}

/** A published flow without its lines and document. */
export type FlowSummary = Omit<StoredFlow, 'flow' | 'document'> & { flow: Omit<ReportingFlow, 'lines'> };

/** Whether a published flow has been processed at `now` (SOAP readers offer only those). */
export function isProcessed(s: Pick<StoredFlow, 'processedAt' | 'publishedAt'>, now: number): boolean {
  return (s.processedAt ?? s.publishedAt) <= now;
}

export interface FlowListFilter {
  ecFiscalCode?: string;
  idPSP?: string;
  /** only flows published at or after this clock time */
  since?: number;
}

export class FlowStore {
  /** every revision, in publication order */
  private readonly all: StoredFlow[] = [];
  private readonly listeners = new Set<(f: StoredFlow) => void>();

  /** `ledger`: the run's ledger, which gets every publication (reconciliation judges flows against its receipts) */
  constructor(
    private readonly clock: Clock,
    private readonly ledger?: Ledger,
  ) {}

  /**
   * Publishes a flow: a flow already published under (idPSP, flowId) gets the next revision, which becomes
   * the visible one. `processedAt`: when the platform's processing ends (SOAP uploads), if later than now.
   */
  publish(flow: ReportingFlow, transport: FlowTransport, document?: string, o: { processedAt?: number } = {}): StoredFlow {
    const previous = this.get(flow.idPSP, flow.flowId);
    const stored: StoredFlow = { flow: structuredClone(flow), revision: (previous?.revision ?? 0) + 1, transport, publishedAt: this.clock.now(), document };
    if (o.processedAt !== undefined && o.processedAt > stored.publishedAt) stored.processedAt = o.processedAt;
    stored.flow.revision = stored.revision;
    this.all.push(stored);
    this.ledger?.recordFlow({ ...structuredClone(stored.flow), transport, at: stored.publishedAt });
    for (const l of [...this.listeners]) l(stored);
    return structuredClone(stored);
  }

  /** The visible (latest) revision, or the revision asked for. */
  get(idPSP: string, flowId: string, revision?: number): StoredFlow | undefined {
    const hits = this.all.filter((s) => s.flow.idPSP === idPSP && s.flow.flowId === flowId && (revision === undefined || s.revision === revision));
    const last = hits[hits.length - 1];
    return last && structuredClone(last);
  }

  /** A flow by its id alone (SOAP reads name no PSP): the latest revision of the latest publication. */
  byFlowId(flowId: string, ecFiscalCode?: string): StoredFlow | undefined {
    const hits = this.all.filter((s) => s.flow.flowId === flowId && (ecFiscalCode === undefined || s.flow.ecFiscalCode === ecFiscalCode));
    const last = hits[hits.length - 1];
    return last && structuredClone(last);
  }

  /** The visible revision of every flow matching the filter, in publication order. */
  list(f: FlowListFilter = {}): StoredFlow[] {
    return this.visible(f).map((s) => structuredClone(s));
  }

  /** As `list`, without the lines and the document: cheap when the flows are large (the SOAP list of an EC). */
  summaries(f: FlowListFilter = {}): FlowSummary[] {
    return this.visible(f).map(({ flow: { lines: _lines, ...header }, document: _document, ...s }) => structuredClone({ ...s, flow: header }));
  }

  private visible(f: FlowListFilter): StoredFlow[] {
    const latest = new Map<string, StoredFlow>();
    for (const s of this.all) latest.set(`${s.flow.idPSP}\u0000${s.flow.flowId}`, s);
    return [...latest.values()].filter((s) => (f.ecFiscalCode === undefined || s.flow.ecFiscalCode === f.ecFiscalCode) && (f.idPSP === undefined || s.flow.idPSP === f.idPSP) && (f.since === undefined || s.publishedAt >= f.since));
  }

  /** Every revision of one flow, oldest first. */
  revisions(idPSP: string, flowId: string): StoredFlow[] {
    return this.all.filter((s) => s.flow.idPSP === idPSP && s.flow.flowId === flowId).map((s) => structuredClone(s));
  }

  /** Called on every publication (a scenario waits for a candidate PSP's flow with a deadline, never a sleep). */
  onPublish(listener: (f: StoredFlow) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
