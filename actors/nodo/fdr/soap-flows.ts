// The reference Nodo's SOAP side of reconciliation, the same for both models (old: NodoPerPsp /
// NodoPerPa; new: nodeForPsp's and nodeForPa's legacy-named primitives): a PSP uploads a flow
// (nodoInviaFlussoRendicontazione, P18 / N09) and asks for its processing state
// (nodoChiediStatoFlussoRendicontazione, P45); an EC station lists the flows of its ECs
// (nodoChiediElencoFlussiRendicontazione, P10 / N11) and downloads one (nodoChiediFlussoRendicontazione,
// P11 / N12). Accepted flows go into the run's FlowStore, their document kept for a verbatim download.
// The caller's identity (PSP, broker, channel, password; station, intermediary, domains) is checked
// before these handlers by the interface's caller rule; the checks here are the flows' own (V-30, V-31):
//  - upload: identificativoDominio known and enabled (PPT_DOMINIO_*); the document is base64 XML valid
//    against FlussoRiversamento (old model PPT_SEMANTICA, OLD-FDR-ERR-06; new model PPT_SINTASSI_XSD,
//    the flows catalogue's fault table); its identificativoFlusso is the parameter's
//    (PPT_FLUSSO_SCONOSCIUTO, OLD-FDR-ERR-06); dataOraFlusso is the parameter's, the codec's MUST rules
//    hold (totals, unique lines: flowProblems), the receiver (when a fiscal code) is
//    identificativoDominio (PPT_SEMANTICA); not the same flow again (FLUSSO_DUPLICATO, OLD-FDR-ERR-08).
//  - state: identificativoFlusso a flow identifier (else PPT_SEMANTICA, OLD-REC-PSP-09).
//  - list / download: identificativoPSP, when given, registered (PPT_PSP_SCONOSCIUTO, OLD-FDR-ERR-09);
//    the flow stored, processed, for an EC the station serves, within the retention (else
//    PPT_ID_FLUSSO_SCONOSCIUTO, OLD-FDR-ERR-10).
import type { Clock } from '../../../src/core/clock.js';
import type { Registry } from '../../../domain/registry.js';
import type { FlowTransport, ReportingFlow } from '../../../domain/fdr/types.js';
import type { Operation } from '../../../src/wire/contract.js';
import { type FaultBean, koFor } from '../../../src/wire/soap.js';
import { type El, type NodeObj, readXml, textOf } from '../../../src/wire/xml.js';
import { type FlowStore, type FlowSummary, isProcessed } from './store.js';
import { type FlowProblem, flowXml, readFlow } from '../../../domain/fdr/document.js';

/** The processing states of an uploaded flow (SM-FDR, catalogue §2.7). */
export type FlowProcessingState = 'FLUSSO_IN_ELABORAZIONE' | 'FLUSSO_ELABORATO' | 'FLUSSO_SCONOSCIUTO' | 'FLUSSO_DUPLICATO';

/** TR-04: the Nodo keeps a flow available to the EC for 10 days. */
export const FLOW_RETENTION_MS = 10 * 24 * 3600 * 1000;

/**
 * The request body a Nodo serving the flow upload takes (src/wire's default is 1 MiB): a flow of
 * 100,000 payments (issue 12, Deliver 5) is some 40 MB of base64 in its envelope.
 */
export const FLOW_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** identificativoFlusso's form (FlussoRiversamento stIdentificativoFlusso, NM-V-12, TR-33) */
const FLOW_ID = /^[a-zA-Z0-9\-_]{1,35}$/;

/** One nodoInviaFlussoRendicontazione the Nodo processed (not those a script kept from it). */
export interface FlowSubmission {
  idPSP: string;
  flowId: string;
  /** dataOraFlusso of the request */
  flowDate: string;
  ecFiscalCode: string;
  at: number;
  /** accepted (published, with its revision), duplicate, or refused with a fault */
  outcome: 'accepted' | 'duplicate' | 'refused';
  revision?: number;
  faultCode?: string;
}

/** One list or download an EC station made (the EC seat judges its download sequence on these, NM-FDR-PAY-02). */
export interface FlowRead {
  op: 'list' | 'download';
  at: number;
  idStation: string;
  idDominio?: string;
  idPSP?: string;
  /** download: the identifier asked for */
  flowId?: string;
  /** the fault's code, when refused */
  faultCode?: string;
  /** list: the flows named; download: the flow sent (identifier and revision) */
  flows: { flowId: string; idPSP: string; revision: number }[];
}

export interface SoapFlowsDeps {
  clock: Clock;
  reg: Registry;
  store: FlowStore;
  /** how flows uploaded here reached the platform */
  transport: Extract<FlowTransport, 'soap-old' | 'soap-new'>;
  /** the answering part's faultBean (its faultString table, its id) */
  fault(code: string, description?: string): FaultBean;
  /**
   * the code of an upload whose document is not XML valid against FlussoRiversamento: PPT_SEMANTICA in
   * the old model (OLD-FDR-ERR-06, Tabella 19), PPT_SINTASSI_XSD in the new one (its fault table: "PPT_SINTASSI_XSD on SOAP FdR")
   */
  invalidDocument: 'PPT_SEMANTICA' | 'PPT_SINTASSI_XSD';
  /** how long an accepted flow stays FLUSSO_IN_ELABORAZIONE (default 0: processed before the answer, OLD-FDR-01) */
  processingMs?: number;
  /** how long a flow stays available to the EC (default FLOW_RETENTION_MS, TR-04) */
  retentionMs?: number;
}

export class SoapFlows {
  /** how long an accepted flow stays FLUSSO_IN_ELABORAZIONE; a script may set it per flow (processingFor) */
  processingMs: number;
  retentionMs: number;
  private readonly log: FlowSubmission[] = [];
  private readonly readLog: FlowRead[] = [];
  private readonly processingOverride = new Map<string, number>();

  constructor(private readonly d: SoapFlowsDeps) {
    this.processingMs = d.processingMs ?? 0;
    this.retentionMs = d.retentionMs ?? FLOW_RETENTION_MS;
  }

  /** The next upload of (idPSP, flowId) stays FLUSSO_IN_ELABORAZIONE for `ms` after it is taken (upload scripts). */
  processingFor(idPSP: string, flowId: string, ms: number): void {
    this.processingOverride.set(key(idPSP, flowId), ms);
  }

  /** The uploads processed, in arrival order (of one PSP's flow when given). Copies. */
  submissions(idPSP?: string, flowId?: string): FlowSubmission[] {
    return this.log.filter((s) => (idPSP === undefined || s.idPSP === idPSP) && (flowId === undefined || s.flowId === flowId)).map((s) => ({ ...s }));
  }

  /**
   * The processing state of a PSP's flow now: DUPLICATO when its latest upload repeated one already
   * taken, SCONOSCIUTO when the platform holds no such flow of this PSP, else IN_ELABORAZIONE until its
   * processing ends on the clock, then ELABORATO. A flow published through FdR 3 is ELABORATO.
   */
  state(idPSP: string, flowId: string): FlowProcessingState {
    const last = this.log.filter((s) => s.idPSP === idPSP && s.flowId === flowId && s.outcome !== 'refused').at(-1);
    if (last?.outcome === 'duplicate') return 'FLUSSO_DUPLICATO';
    const stored = this.d.store.get(idPSP, flowId);
    if (!stored) return 'FLUSSO_SCONOSCIUTO';
    return isProcessed(stored, this.d.clock.now()) ? 'FLUSSO_ELABORATO' : 'FLUSSO_IN_ELABORAZIONE';
  }

  // ================================================================ PSP side

  /** nodoInviaFlussoRendicontazione (P18 / N09). */
  upload(op: Operation, body: El): NodeObj {
    const p = {
      idPSP: textOf(body, 'identificativoPSP') ?? '',
      idBrokerPSP: textOf(body, 'identificativoIntermediarioPSP'),
      idChannel: textOf(body, 'identificativoCanale'),
      ecFiscalCode: textOf(body, 'identificativoDominio') ?? '',
      flowId: textOf(body, 'identificativoFlusso') ?? '',
      flowDate: textOf(body, 'dataOraFlusso') ?? '',
    };
    const at = this.d.clock.now();
    const processing = this.processingOverride.get(key(p.idPSP, p.flowId)) ?? this.processingMs;
    this.processingOverride.delete(key(p.idPSP, p.flowId));
    const refuse = (code: string, description: string, outcome: FlowSubmission['outcome'] = 'refused'): NodeObj => {
      this.log.push({ idPSP: p.idPSP, flowId: p.flowId, flowDate: p.flowDate, ecFiscalCode: p.ecFiscalCode, at, outcome, faultCode: code });
      return koFor(op, this.d.fault(code, description));
    };
    const ec = this.d.reg.ecs.find((e) => e.fiscalCode === p.ecFiscalCode);
    if (!ec) return refuse('PPT_DOMINIO_SCONOSCIUTO', `identificativoDominio ${p.ecFiscalCode} is not registered`);
    if (!ec.enabled) return refuse('PPT_DOMINIO_DISABILITATO', `identificativoDominio ${p.ecFiscalCode} is disabled`);
    const xml = documentText(textOf(body, 'xmlRendicontazione') ?? '');
    if ('error' in xml) return refuse('PPT_SEMANTICA', `xmlRendicontazione: ${xml.error} (V-30)`);
    const read = readFlow(xml.text, { idPSP: p.idPSP, ecFiscalCode: p.ecFiscalCode, idBrokerPSP: p.idBrokerPSP, idChannel: p.idChannel });
    if (!read.ok) return refuse(this.d.invalidDocument, `xmlRendicontazione is not a valid FlussoRiversamento: ${describe(read.problems)} (V-01, V-30)`);
    const flow = read.flow;
    if (flow.flowId !== p.flowId) return refuse('PPT_FLUSSO_SCONOSCIUTO', `identificativoFlusso ${clip(p.flowId)} differs from the document's ${flow.flowId} (V-30, OLD-FDR-ERR-06)`);
    const problem = semanticProblem(flow, p) ?? describe(read.problems.filter((x) => x.level === 'MUST'));
    if (problem) return refuse('PPT_SEMANTICA', `${problem} (V-30, OLD-FDR-ERR-06)`);
    // the same flow again: same PSP, identifier and dataOraFlusso; a later dataOraFlusso replaces it (NM-TR-16, NM-A-22)
    const held = this.d.store.revisions(p.idPSP, p.flowId);
    if (held.some((s) => sameInstant(s.flow.flowDate, flow.flowDate))) return refuse('PPT_SEMANTICA', `flow ${clip(p.flowId)} of PSP ${p.idPSP} with dataOraFlusso ${p.flowDate} was already submitted: FLUSSO_DUPLICATO (OLD-FDR-ERR-08, A-24)`, 'duplicate');
    const latest = held.at(-1);
    if (latest && instant(latest.flow.flowDate) > instant(flow.flowDate)) return refuse('PPT_SEMANTICA', `flow ${clip(p.flowId)} of PSP ${p.idPSP} is held with a later dataOraFlusso ${latest.flow.flowDate}: a replacement must be newer (NM-TR-16)`);
    const published = this.d.store.publish({ ...flow, idPSP: p.idPSP, ecFiscalCode: p.ecFiscalCode, idBrokerPSP: p.idBrokerPSP ?? flow.idBrokerPSP, idChannel: p.idChannel ?? flow.idChannel }, this.d.transport, xml.text, { processedAt: at + processing });
    this.log.push({ idPSP: p.idPSP, flowId: p.flowId, flowDate: p.flowDate, ecFiscalCode: p.ecFiscalCode, at, outcome: 'accepted', revision: published.revision });
    return ok(op);
  }

  /** nodoChiediStatoFlussoRendicontazione (P45): the flow's processing state. */
  status(op: Operation, body: El): NodeObj {
    const flowId = textOf(body, 'identificativoFlusso') ?? '';
    if (!FLOW_ID.test(flowId)) return koFor(op, this.d.fault('PPT_SEMANTICA', `identificativoFlusso "${clip(flowId)}" is not a flow identifier [a-zA-Z0-9-_]{1,35} (OLD-REC-PSP-09)`));
    return ok(op, { stato: this.state(textOf(body, 'identificativoPSP') ?? '', flowId) });
  }

  // ================================================================ EC side

  /** The lists and downloads EC stations made, in arrival order (of one station when given). Copies. */
  reads(idStation?: string): FlowRead[] {
    return this.readLog.filter((r) => idStation === undefined || r.idStation === idStation).map((r) => structuredClone(r));
  }

  /** nodoChiediElencoFlussiRendicontazione (P10 / N11): every flow available to the ECs asked for. */
  list(op: Operation, body: El): NodeObj {
    const v = this.visible(body);
    if ('fault' in v) return this.read('list', body, op, v.fault);
    this.read('list', body, op, undefined, v.flows);
    return ok(op, { elencoFlussiRendicontazione: { totRestituiti: v.flows.length, idRendicontazione: v.flows.map((s) => ({ identificativoFlusso: s.flow.flowId, dataOraFlusso: s.flow.flowDate })) } });
  }

  /** nodoChiediFlussoRendicontazione (P11 / N12): one flow's document, as the PSP sent it. */
  download(op: Operation, body: El): NodeObj {
    const flowId = textOf(body, 'identificativoFlusso') ?? '';
    if (!FLOW_ID.test(flowId)) return this.read('download', body, op, this.d.fault('PPT_SEMANTICA', `identificativoFlusso "${clip(flowId)}" is not a flow identifier [a-zA-Z0-9-_]{1,35} (A-35)`));
    const v = this.visible(body);
    if ('fault' in v) return this.read('download', body, op, v.fault);
    const found = v.flows.filter((x) => x.flow.flowId === flowId).at(-1);
    const s = found && this.d.store.get(found.flow.idPSP, flowId, found.revision);
    if (!found || !s) return this.read('download', body, op, this.d.fault('PPT_ID_FLUSSO_SCONOSCIUTO', `no flow ${flowId} is available to station ${textOf(body, 'identificativoStazioneIntermediarioPA') ?? ''}${v.scope} (V-31, OLD-FDR-ERR-10)`));
    // a flow published through FdR 3 keeps its JSON as document: SOAP readers get it as FlussoRiversamento (NM-A-21)
    const xml = s.transport !== 'rest' && s.document !== undefined ? s.document : flowXml(s.flow);
    const answer = ok(op, { xmlRendicontazione: Buffer.from(xml, 'utf8').toString('base64') });
    this.read('download', body, op, undefined, [found]);
    return answer;
  }

  /** Records an EC's read; with a fault, answers it. */
  private read(kind: FlowRead['op'], body: El, op: Operation, fault?: FaultBean, flows: FlowSummary[] = []): NodeObj {
    const opt = (n: string) => textOf(body, n);
    this.readLog.push({
      op: kind, at: this.d.clock.now(), idStation: opt('identificativoStazioneIntermediarioPA') ?? '',
      ...(opt('identificativoDominio') !== undefined ? { idDominio: opt('identificativoDominio') } : {}),
      ...(opt('identificativoPSP') !== undefined ? { idPSP: opt('identificativoPSP') } : {}),
      ...(kind === 'download' ? { flowId: opt('identificativoFlusso') ?? '' } : {}),
      ...(fault ? { faultCode: fault.faultCode } : {}),
      flows: flows.map((s) => ({ flowId: s.flow.flowId, idPSP: s.flow.idPSP, revision: s.revision })),
    });
    return fault ? koFor(op, fault) : {};
  }

  /** The flows a station may read now: of the ECs it serves (or the one asked), of the PSP asked, processed, retained. */
  private visible(body: El): { flows: FlowSummary[]; scope: string } | { fault: FaultBean } {
    const idStation = textOf(body, 'identificativoStazioneIntermediarioPA') ?? '';
    const idDominio = textOf(body, 'identificativoDominio');
    const idPSP = textOf(body, 'identificativoPSP');
    if (idPSP !== undefined && !this.d.reg.psps.some((x) => x.idPSP === idPSP)) return { fault: this.d.fault('PPT_PSP_SCONOSCIUTO', `identificativoPSP ${idPSP} is not registered (V-31, OLD-FDR-ERR-09)`) };
    // the caller rule made sure the station serves identificativoDominio when it is given
    const ecs = new Set(idDominio !== undefined ? [idDominio] : this.d.reg.ecs.filter((e) => e.stations.some((l) => l.idStation === idStation)).map((e) => e.fiscalCode));
    const now = this.d.clock.now();
    const flows = this.d.store.summaries(idPSP === undefined ? {} : { idPSP }).filter((s) => ecs.has(s.flow.ecFiscalCode) && isProcessed(s, now) && s.publishedAt >= now - this.retentionMs);
    return { flows, scope: `${idDominio !== undefined ? ` for EC ${idDominio}` : ''}${idPSP !== undefined ? ` from PSP ${idPSP}` : ''}` };
  }
}

const key = (idPSP: string, flowId: string) => `${idPSP}\u0000${flowId}`;
/** a request's unbounded text as a fault description quotes it */
const clip = (t: string): string => (t.length > 60 ? `${t.slice(0, 60)}… (${t.length} characters)` : t);

/** OK content of a flow operation: esito OK when the answer has one, then its fields. */
function ok(op: Operation, more: NodeObj = {}): NodeObj {
  return { ...(op.outcome ? { [op.outcome]: 'OK' } : {}), ...more };
}

/** The document a base64 parameter carries, as text (its BOM and declared encoding honoured). */
function documentText(base64: string): { text: string } | { error: string } {
  const b64 = base64.replace(/\s+/g, '');
  if (!b64 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return { error: 'not base64' };
  try {
    return { text: readXml(Buffer.from(b64, 'base64')).text };
  } catch (e) {
    return { error: `does not hold XML: ${(e as Error).message}` };
  }
}

const instant = (t: string): number => Date.parse(t);
const sameInstant = (a: string, b: string): boolean => (Number.isNaN(instant(a)) || Number.isNaN(instant(b)) ? a === b : instant(a) === instant(b));

/** The document against the request (V-30); its own rules are the codec's (flowProblems). */
function semanticProblem(flow: ReportingFlow, p: { ecFiscalCode: string; flowDate: string }): string | undefined {
  if (!sameInstant(flow.flowDate, p.flowDate)) return `dataOraFlusso ${p.flowDate} differs from the document's ${flow.flowDate}`;
  // a receiver given by fiscal code (G: persona giuridica) is the EC the flow is sent to
  if (flow.receiver.idType === 'G' && flow.receiver.id !== p.ecFiscalCode) return `istitutoRicevente ${flow.receiver.id} is not identificativoDominio ${p.ecFiscalCode}`;
  return undefined;
}

/** The first problems of a reading, each naming its field (undefined when none). */
function describe(problems: readonly FlowProblem[]): string | undefined {
  if (!problems.length) return undefined;
  return problems.slice(0, 3).map((x) => `${x.field ? `${x.field}: ` : ''}${x.message}`).join('; ') + (problems.length > 3 ? ` (and ${problems.length - 3} more)` : '');
}
