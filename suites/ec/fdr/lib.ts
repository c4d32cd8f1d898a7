// Reconciliation at the EC seat, both models: the harness builds flows (the emulated PSP's) from the
// run's receipts and from payments it collected without a receipt, publishes them on the run's
// FlowStore by SOAP (as nodoInviaFlussoRendicontazione would) or FdR 3 (drafts → publish), asks the
// candidate to reconcile (trigger fdr-reconcile) and reads what it did: its reads at the Nodo
// (SoapFlows.reads, the FdR 3 journal) and, when the profile declares one, its read-back.
import { randomUUID } from 'node:crypto';
import type { BaseContext } from '../../../src/core/scenario.js';
import type { JournalEntry } from '../../../src/core/journal.js';
import type { LedgerReceipt } from '../../../src/core/ledger.js';
import { isoDate, isoDateTime } from '../../../src/core/clock.js';
import { TRIGGER_CONTRACT, type EcTriggerRequest } from '../../../src/triggers/index.js';
import { EMBEDDED_EC, fdrSettings } from '../../../src/profile/index.js';
import { restCall } from '../../../src/wire/rest/client.js';
import { HARNESS_PSP } from '../../../domain/harness-parties.js';
import { flowXml } from '../../../domain/fdr/document.js';
import { newFlowId } from '../../../domain/fdr/ids.js';
import { flowToRest } from '../../../domain/fdr/rest.js';
import type { FlowLine, FlowOutcomeCode, ReportingFlow } from '../../../domain/fdr/types.js';
import type { FlowRead, SoapFlows } from '../../../actors/nodo/fdr/soap-flows.js';
import type { EcFdr } from '../../../seats/ec-fdr.js';
import type { EcTrigger } from '../../../seats/ec.js';
import type { Bi } from '../../../src/core/text.js';
import { fireEcTrigger } from '../trigger.js';

/** What the scenarios of both models need of their context. */
export type FdrContext = BaseContext & { fdr?: EcFdr; trigger?: EcTrigger };

export const FDR_READ_OPS = ['listOrganizationFlows', 'getOrganizationFlow', 'getOrganizationFlowPayments'] as const;

/** The run's reconciliation parts, or NOT_APPLICABLE. */
export function fdrOf(t: FdrContext): EcFdr {
  return t.fdr ?? t.notApplicable(['the seat runs without the reconciliation parts (FlowStore, FdR 3 server)', 'la postazione gira senza le parti di riconciliazione (FlowStore, server FdR 3)']);
}

/** How the profile says the candidate reads flows (fdr.transports, both by default). */
export const readsSoap = (t: BaseContext): boolean => fdrSettings(t.profile).transports.includes('soap');
export const readsRest = (t: BaseContext): boolean => fdrSettings(t.profile).transports.includes('rest');

/** The lines of one receipt for `ec`: one per transfer credited to it (NM-FDR-VAL-02, NM-MB-FDR-01). */
export function receiptLines(r: LedgerReceipt, ec: string, code: FlowOutcomeCode = r.standIn ? '4' : '0', day = r.paidAt.slice(0, 10)): FlowLine[] {
  return r.transfers
    .filter((x) => x.ecFiscalCode === ec && x.iban !== undefined)
    .map((x) => ({ iuv: r.iuv ?? '', iur: x.iur ?? r.receiptId, idTransfer: x.index, amountCents: x.amountCents, outcomeCode: code, date: day }));
}

/** A line for a collection the platform holds no receipt for (code 9, or 8 in Stand-In). */
export function collectedLine(t: FdrContext, iuv: string, amountCents: number, code: '8' | '9' = '9'): FlowLine {
  return { iuv, iur: `IUR${randomUUID().replace(/-/g, '').slice(0, 20)}`, idTransfer: 1, amountCents, outcomeCode: code, date: t.fdr?.dayOf() ?? isoDate(t.clock.now()) };
}

/** The emulated PSP's flow for `ec` with `lines` (totals consistent, a fresh identifier). */
export function harnessFlow(t: FdrContext, ec: string, lines: FlowLine[], flowId?: string): ReportingFlow {
  const now = t.clock.now();
  // the run's calendar: compressed days (fdr.dayMs) at real pace, the clock's own otherwise
  const day = t.fdr?.dayOf(now) ?? isoDate(now);
  const id = flowId ?? newFlowId(HARNESS_PSP.idPSP, day, randomUUID().replace(/-/g, '').slice(0, 10));
  return {
    flowId: id, flowDate: `${day}${isoDateTime(now).slice(10, 19)}`, idPSP: HARNESS_PSP.idPSP, idBrokerPSP: HARNESS_PSP.idBrokerPSP, idChannel: HARNESS_PSP.idChannel,
    sender: { idType: 'B', id: 'CLLDITMMXXX', name: HARNESS_PSP.companyName }, ecFiscalCode: ec, receiver: { idType: 'G', id: ec, name: 'Ente' },
    regulationId: `SCT${randomUUID().replace(/-/g, '').slice(0, 20)}`, regulationDate: day, bicCodePouringBank: 'CLLDITMMXXX',
    totalCount: lines.length, totalCents: lines.reduce((s, l) => s + l.amountCents, 0), lines: lines.map((l, i) => ({ ...l, index: i + 1 })),
  };
}

/** Publishes by SOAP, as an accepted nodoInviaFlussoRendicontazione would (document kept for the download). */
export function publishSoap(fdr: EcFdr, flow: ReportingFlow, model: 'new' | 'old'): void {
  fdr.flows.publish(flow, model === 'old' ? 'soap-old' : 'soap-new', flowXml(flow));
}

/** Publishes through FdR 3 (create → add → publish): a flow already published gets the next revision. */
export function publishRest(t: BaseContext, fdr: EcFdr, flow: ReportingFlow): number {
  const { request, payments } = flowToRest(flow);
  const d = fdr.rest.drafts;
  const steps = [() => d.create(flow.idPSP, request), () => d.add(flow.idPSP, flow.flowId, payments), () => d.publish(flow.idPSP, flow.flowId)];
  let revision = 0;
  for (const s of steps) {
    const r = s();
    if (!r.ok) return t.harnessError(`FdR 3 publication of ${flow.flowId} refused: ${r.code} ${r.detail}`);
    if ('revision' in r.value && typeof r.value.revision === 'number') revision = r.value.revision;
  }
  return revision;
}

/** A flow the round must see read (its latest revision at the time of reading). */
export type FlowKey = Pick<ReportingFlow, 'flowId' | 'idPSP'>;

/**
 * What ends a reconciliation round before the trigger's deadline, which stays the cap: on every
 * transport the round offers (SOAP when the ask names a SOAP endpoint and the profile reads SOAP; FdR 3
 * for the new model when the profile reads it) the EC has listed (answered, even refused), has read each
 * flow of `read` in its latest revision (SOAP: downloaded; FdR 3: its header and the last page of its
 * payments), and has had the Nodo's answer for each flow the trigger names. `read: []` says the scenario
 * expects the EC to read nothing new: the list and those answers end the round.
 */
export interface RoundEnd {
  read: readonly FlowKey[];
}

export interface ReconcileAsk {
  model: 'new' | 'old';
  fiscalCode: string;
  /** the SOAP endpoint the EC lists and downloads at, and where that Nodo records its station's reads */
  soap?: { url: string; reads: SoapFlows; idStation: string };
  password?: string;
  flows?: { flowId: string; idPSP?: string; revision?: number }[];
  until: RoundEnd;
}

/**
 * Asks the candidate for one reconciliation round and waits until it is over; returns the journal mark.
 * The embedded EC says when its round is over; a real EC's round is over when it has done what `until`
 * names, or at the trigger's deadline. What a real EC does after that point belongs to no round: checks
 * judge what it did up to the round's end.
 */
export async function askReconcile(t: FdrContext, fdr: EcFdr, a: ReconcileAsk): Promise<number> {
  const tr = t.trigger;
  if (!tr) return t.inconclusive(['the candidate must be asked to reconcile (fdr-reconcile) and the profile names no trigger for EC-initiated flows', 'al candidato va chiesto di riconciliare (fdr-reconcile) e il profilo non indica alcun trigger per i flussi avviati dall’EC']);
  const soap = readsSoap(t) ? a.soap : undefined;
  const rest = readsRest(t) && a.model === 'new';
  const params: Record<string, unknown> = { model: a.model };
  if (soap) params.soapUrl = soap.url;
  if (rest) params.restUrl = fdr.organizationUrl;
  if (a.password) params.password = a.password;
  if (a.flows) params.flows = a.flows;
  const request: EcTriggerRequest = {
    contract: TRIGGER_CONTRACT, requestId: randomUUID(), scenarioId: t.scenarioId, seat: 'ec', action: 'fdr-reconcile', fiscalCode: a.fiscalCode,
    deadline: new Date(Date.now() + tr.deadlineMs).toISOString(), deadlineMs: tr.deadlineMs, params,
  };
  const from = soap ? soapMark(soap.reads, soap.idStation) : 0;
  const mark = await fireEcTrigger(t, tr, request, { fiscalCode: a.fiscalCode });
  if (fdr.settle) await fdr.settle();
  else {
    const over = () => (!soap || soapRoundOver(t, fdr, a, soapReads(soap.reads, soap.idStation, from), mark)) && (!rest || restRoundOver(fdr, a, restReads(t, mark)));
    await t.journal.waitFor(over, tr.deadlineMs, 'the end of the reconciliation round').catch(() => undefined);
  }
  return mark;
}

/** The SOAP half of a round is over (RoundEnd): listed, each flow downloaded in its latest revision, each named flow answered. */
function soapRoundOver(t: BaseContext, fdr: EcFdr, a: ReconcileAsk, reads: FlowRead[], mark: number): boolean {
  // a list refused before the Nodo's handler (an injected fault) is only in the journal
  const listed = reads.some((r) => r.op === 'list') || t.journal.entries.some((e) => e.seq > mark && e.direction === 'response' && e.primitive === 'nodoChiediElencoFlussiRendicontazione');
  const downloads = reads.filter((r) => r.op === 'download');
  const read = a.until.read.every((f) => {
    const latest = fdr.flows.get(f.idPSP, f.flowId)?.revision;
    return downloads.some((r) => !r.faultCode && r.flows.some((x) => x.flowId === f.flowId && x.idPSP === f.idPSP && x.revision === latest));
  });
  return listed && read && (a.flows ?? []).every((n) => downloads.some((r) => r.flowId === n.flowId));
}

/** The FdR 3 half of a round is over (RoundEnd): listed, each flow's header and last page of payments read, each named flow answered. */
function restRoundOver(fdr: EcFdr, a: ReconcileAsk, reads: ReturnType<typeof restReads>): boolean {
  const answered = reads.filter((r) => r.response);
  const at = (f: FlowKey, revision?: number) => `/fdrs/${encodeURIComponent(f.flowId)}/${revision === undefined ? '' : `revisions/${revision}/psps/${encodeURIComponent(f.idPSP)}`}`;
  const read = a.until.read.every((f) => {
    const flow = at(f, fdr.flows.get(f.idPSP, f.flowId)?.revision);
    const got = (op: string, path: string) => answered.some((r) => r.op === op && r.status === 200 && r.url.split('?')[0]!.endsWith(path) && (op !== 'getOrganizationFlowPayments' || lastPage(r.response!)));
    return got('getOrganizationFlow', flow) && got('getOrganizationFlowPayments', `${flow}/payments`);
  });
  // FdR 3 addresses a flow by its PSP: a flow named without one can only be asked for over SOAP
  const named = (a.flows ?? []).filter((n) => n.idPSP).every((n) => answered.some((r) => r.op === 'getOrganizationFlow' && r.url.includes(at({ flowId: n.flowId, idPSP: '' }))));
  return answered.some((r) => r.op === 'listOrganizationFlows') && read && named;
}

/** A page of payments that is the flow's last (metadata.pageNumber ≥ totPage). */
function lastPage(response: JournalEntry): boolean {
  try {
    const m = (JSON.parse(response.raw) as { metadata?: { pageNumber?: number; totPage?: number } }).metadata;
    return !!m && (m.pageNumber ?? 0) >= (m.totPage ?? 0);
  } catch {
    return false;
  }
}

/** The candidate's FdR 3 reads since `mark` (requests with their answers). */
export function restReads(t: BaseContext, mark: number): { request: JournalEntry; response?: JournalEntry; op: string; url: string; status?: number }[] {
  return t.journal.entries
    .filter((e) => e.seq > mark && e.direction === 'request' && (FDR_READ_OPS as readonly string[]).includes(e.primitive ?? ''))
    .map((request) => {
      const response = t.journal.entries.find((e) => e.direction === 'response' && e.exchange === request.exchange);
      return { request, response, op: request.primitive!, url: request.url ?? '', status: response?.httpStatus };
    });
}

/** The candidate's SOAP reads of this station after the first `from` (a mark taken with soapMark). */
export const soapReads = (flows: SoapFlows, idStation: string, from: number): FlowRead[] => flows.reads(idStation).slice(from);
export const soapMark = (flows: SoapFlows, idStation: string): number => flows.reads(idStation).length;

/** The reads of a round in a few words, both languages: list(n), download <flow> → fault. */
export function describeReadsSaid(reads: FlowRead[]): Bi {
  const say = (list: string, download: string) => reads.map((r) => (r.op === 'list' ? `${list}(${r.flows.length})` : `${download} ${r.flowId}${r.faultCode ? ` → ${r.faultCode}` : ''}`)).join(', ');
  return [say('list', 'download') || 'no reads', say('elenco', 'scaricamento') || 'nessuna lettura'];
}

/** A line of the read-back. */
export interface BookedLine {
  ecFiscalCode: string;
  flowId: string;
  idPSP: string;
  revision?: number;
  transport: string;
  iuv: string;
  iur: string;
  idTransfer?: number;
  outcomeCode: string;
  amountCents: number;
  status: string;
}

/** The EC's read-back (profile fdr.readBack), or undefined when it declares none. */
export async function readBack(t: FdrContext, fiscalCode: string, embeddedBase?: string): Promise<{ lines: BookedLine[]; entries: (JournalEntry | undefined)[] } | undefined> {
  const declared = fdrSettings(t.profile).readBack;
  if (!declared) return undefined;
  const base = declared === EMBEDDED_EC ? (embeddedBase ? `${embeddedBase}/collaudo/reconciliation` : undefined) : declared;
  if (!base) return undefined;
  const r = await restCall({ method: 'GET', url: `${base}?fiscalCode=${fiscalCode}`, clock: t.clock, journal: t.journal, from: 'harness', to: 'ec-readback', operationId: 'reconciliation-read-back' });
  const lines = (r.json as { lines?: BookedLine[] } | undefined)?.lines;
  if (r.status !== 200 || !Array.isArray(lines)) {
    const got = `${r.status ?? r.problem}: ${r.raw.slice(0, 200)}`;
    return t.inconclusive([`the reconciliation read-back ${base} answered ${got}`, `la rilettura della riconciliazione ${base} ha risposto "${got}"`]);
  }
  return { lines, entries: [r.request, r.response] };
}

/** Lines of `lines` booked more than once (same EC, IUV, IUR, idTransfer). */
export function bookedTwice(lines: BookedLine[]): string[] {
  const n = new Map<string, number>();
  for (const l of lines) {
    const k = `${l.ecFiscalCode}/${l.iuv}/${l.iur}/${l.idTransfer ?? '-'}`;
    n.set(k, (n.get(k) ?? 0) + 1);
  }
  return [...n].filter(([, c]) => c > 1).map(([k, c]) => `${k} ×${c}`);
}

/** Lines of `expected` the read-back does not show (by IUV, IUR, idTransfer). */
export function missingLines(lines: BookedLine[], ec: string, expected: FlowLine[]): FlowLine[] {
  return expected.filter((x) => !lines.some((l) => l.ecFiscalCode === ec && l.iuv === x.iuv && l.iur === x.iur && (l.idTransfer ?? 1) === (x.idTransfer ?? 1)));
}
