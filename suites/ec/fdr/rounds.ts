// One reconciliation round as the harness sees it on the wire, and its judgement: the EC's SOAP reads
// at the scenario's Nodo (SoapFlows.reads) or its FdR 3 reads (the journal), list first, each listed
// flow read at most once, nothing already reconciled read again, an unknown flow asked for once.
// A real EC's round ends when it has done what the scenario asked (askReconcile's RoundEnd) or at the
// trigger's deadline: "at most once", "not again" and "asked once" judge what it did up to that end.
import type { EcContext } from '../../../seats/ec.js';
import type { JournalEntry } from '../../../src/core/journal.js';
import type { FlowRead } from '../../../actors/nodo/fdr/soap-flows.js';
import { describeReads, restReads, soapMark, soapReads } from './lib.js';

const SOAP_READS = ['nodoChiediElencoFlussiRendicontazione', 'nodoChiediFlussoRendicontazione'];

/** A SOAP round: the reads the Nodo recorded, and their exchanges in the journal (the evidence). */
export interface SoapRound {
  reads: FlowRead[];
  entries: JournalEntry[];
}

export async function soapRound(t: EcContext, ask: () => Promise<number>): Promise<SoapRound> {
  const mark = soapMark(t.nodo.fdr, t.station.idStation);
  const seq = t.journal.entries.at(-1)?.seq ?? -1;
  await ask();
  return { reads: soapReads(t.nodo.fdr, t.station.idStation, mark), entries: t.journal.entries.filter((e) => e.seq > seq && SOAP_READS.includes(e.primitive ?? '')) };
}

export async function restRound(t: EcContext, ask: () => Promise<number>): Promise<ReturnType<typeof restReads>> {
  return restReads(t, await ask());
}

interface RoundJudgement {
  /** check: list first, each flow read at most once, and the flows in `expect` read */
  sequence?: string;
  expect?: string[];
  /** check: none of `known` read again */
  reread?: string;
  known?: string[];
  /** check: `unknownId` asked for at most once */
  unknown?: string;
  unknownId?: string;
}

export function judgeSoapRound(t: EcContext, round: SoapRound, j: RoundJudgement): void {
  const { reads } = round;
  const entries = round.entries.slice(0, 20);
  const downloads = reads.filter((r) => r.op === 'download');
  if (j.sequence) {
    const firstList = reads.findIndex((r) => r.op === 'list');
    const early = downloads.filter((d) => firstList < 0 || reads.indexOf(d) < firstList);
    const twice = [...new Set(downloads.map((d) => d.flowId))].filter((id) => downloads.filter((d) => d.flowId === id).length > 1);
    const unread = (j.expect ?? []).filter((id) => !downloads.some((d) => d.flowId === id && !d.faultCode));
    t.check({
      id: j.sequence,
      held: firstList >= 0 && !early.length && !twice.length && !unread.length,
      message: [describeReads(reads), firstList < 0 ? 'never listed' : '', early.length ? `downloaded before listing: ${early.map((d) => d.flowId).join(', ')}` : '', twice.length ? `downloaded more than once: ${twice.join(', ')}` : '', unread.length ? `new flow never downloaded: ${unread.join(', ')}` : ''].filter(Boolean).join('; '),
      entries,
    });
  }
  if (j.reread) {
    const again = downloads.filter((d) => (j.known ?? []).includes(d.flowId ?? ''));
    t.check({ id: j.reread, held: !again.length, message: again.length ? `downloaded again: ${again.map((d) => d.flowId).join(', ')}` : `next round: ${describeReads(reads)}`, entries });
  }
  if (j.unknown && j.unknownId) {
    const asked = downloads.filter((d) => d.flowId === j.unknownId);
    if (!asked.length) t.notExercised(j.unknown, 'the EC did not ask for the unknown flow named in the trigger');
    else t.check({ id: j.unknown, held: asked.length <= 1, message: `asked for ${j.unknownId} ${asked.length} time(s) in one round (${asked.map((a) => a.faultCode ?? 'OK').join(', ')})`, entries: round.entries.filter((e) => e.correlation.idFlusso === j.unknownId) });
  }
}

export function judgeRestRound(t: EcContext, reads: ReturnType<typeof restReads>, j: RoundJudgement): void {
  const flows = reads.filter((r) => r.op === 'getOrganizationFlow');
  const entries = reads.flatMap((r) => [r.request, r.response]).slice(0, 20);
  const named = (id: string) => flows.filter((r) => r.url.includes(`/fdrs/${encodeURIComponent(id)}/`));
  if (j.sequence) {
    const firstList = reads.findIndex((r) => r.op === 'listOrganizationFlows');
    const early = flows.filter((r) => firstList < 0 || reads.indexOf(r) < firstList);
    const twice = [...new Set(flows.map((r) => r.url))].filter((u) => flows.filter((r) => r.url === u).length > 1);
    const unread = (j.expect ?? []).filter((id) => !named(id).some((r) => r.status === 200));
    t.check({
      id: j.sequence,
      held: firstList >= 0 && !early.length && !twice.length && !unread.length,
      message: [`${reads.length} request(s): ${reads.map((r) => `${r.op} ${r.status ?? '-'}`).join(', ') || 'none'}`, firstList < 0 ? 'never listed' : '', early.length ? 'read before listing' : '', twice.length ? `read more than once: ${twice.join(', ')}` : '', unread.length ? `new flow never read: ${unread.join(', ')}` : ''].filter(Boolean).join('; '),
      entries,
    });
  }
  if (j.reread) {
    const again = (j.known ?? []).flatMap(named);
    t.check({ id: j.reread, held: !again.length, message: again.length ? `read again: ${again.map((r) => r.url.split('/fdrs/')[1]).join(', ')}` : `next round: ${reads.length} request(s), none for a flow already reconciled`, entries });
  }
  if (j.unknown && j.unknownId) {
    const asked = named(j.unknownId);
    if (!asked.length) t.notExercised(j.unknown, 'the EC did not ask for the unknown flow named in the trigger');
    else t.check({ id: j.unknown, held: asked.length <= 1, message: `asked for ${j.unknownId} ${asked.length} time(s) in one round (HTTP ${asked.map((a) => a.status ?? '-').join(', ')})`, entries: asked.flatMap((a) => [a.request, a.response]) });
  }
}
