// One reconciliation round as the harness sees it on the wire, and its judgement: the EC's SOAP reads
// at the scenario's Nodo (SoapFlows.reads) or its FdR 3 reads (the journal), list first, each listed
// flow read at most once, nothing already reconciled read again, an unknown flow asked for once.
// A real EC's round ends when it has done what the scenario asked (askReconcile's RoundEnd) or at the
// trigger's deadline: "at most once", "not again" and "asked once" judge what it did up to that end.
import type { EcContext } from '../../../seats/ec.js';
import type { JournalEntry } from '../../../src/core/journal.js';
import type { FlowRead } from '../../../actors/nodo/fdr/soap-flows.js';
import { joinSaid, type Bi } from '../../../src/core/text.js';
import { describeReadsSaid, restReads, soapMark, soapReads } from './lib.js';

const SOAP_READS = ['nodoChiediElencoFlussiRendicontazione', 'nodoChiediFlussoRendicontazione'];
const NOT_ASKED: Bi = ['the EC did not ask for the unknown flow named in the trigger', 'l’EC non ha chiesto il flusso sconosciuto indicato nel trigger'];
const timesIt = (n: number) => `${n} ${n === 1 ? 'volta' : 'volte'}`;
const requestsIt = (n: number) => `${n} ${n === 1 ? 'richiesta' : 'richieste'}`;

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
      message: joinSaid(
        [
          describeReadsSaid(reads),
          firstList < 0 ? ['never listed', 'elenco mai chiesto'] : '',
          early.length ? [`downloaded before listing: ${early.map((d) => d.flowId).join(', ')}`, `scaricati prima dell’elenco: ${early.map((d) => d.flowId).join(', ')}`] : '',
          twice.length ? [`downloaded more than once: ${twice.join(', ')}`, `scaricati più di una volta: ${twice.join(', ')}`] : '',
          unread.length ? [`new flow never downloaded: ${unread.join(', ')}`, `flusso nuovo mai scaricato: ${unread.join(', ')}`] : '',
        ].filter((x): x is Bi => x !== ''),
      ),
      entries,
    });
  }
  if (j.reread) {
    const again = downloads.filter((d) => (j.known ?? []).includes(d.flowId ?? ''));
    const [readsEn, readsIt] = describeReadsSaid(reads);
    t.check({ id: j.reread, held: !again.length, message: again.length ? [`downloaded again: ${again.map((d) => d.flowId).join(', ')}`, `scaricati di nuovo: ${again.map((d) => d.flowId).join(', ')}`] : [`next round: ${readsEn}`, `giro successivo: ${readsIt}`], entries });
  }
  if (j.unknown && j.unknownId) {
    const asked = downloads.filter((d) => d.flowId === j.unknownId);
    const codes = asked.map((a) => a.faultCode ?? 'OK').join(', ');
    if (!asked.length) t.notExercised(j.unknown, NOT_ASKED);
    else t.check({ id: j.unknown, held: asked.length <= 1, message: [`asked for ${j.unknownId} ${asked.length} time(s) in one round (${codes})`, `chiesto ${j.unknownId} ${timesIt(asked.length)} in un giro (${codes})`], entries: round.entries.filter((e) => e.correlation.idFlusso === j.unknownId) });
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
      message: joinSaid(
        [
          [`${reads.length} request(s): ${reads.map((r) => `${r.op} ${r.status ?? '-'}`).join(', ') || 'none'}`, `${requestsIt(reads.length)}: ${reads.map((r) => `${r.op} ${r.status ?? '-'}`).join(', ') || 'nessuna'}`] as Bi,
          firstList < 0 ? (['never listed', 'elenco mai chiesto'] as Bi) : undefined,
          early.length ? (['read before listing', 'letti prima dell’elenco'] as Bi) : undefined,
          twice.length ? ([`read more than once: ${twice.join(', ')}`, `letti più di una volta: ${twice.join(', ')}`] as Bi) : undefined,
          unread.length ? ([`new flow never read: ${unread.join(', ')}`, `flusso nuovo mai letto: ${unread.join(', ')}`] as Bi) : undefined,
        ].filter((x): x is Bi => !!x),
      ),
      entries,
    });
  }
  if (j.reread) {
    const again = (j.known ?? []).flatMap(named);
    const urls = again.map((r) => r.url.split('/fdrs/')[1]).join(', ');
    t.check({ id: j.reread, held: !again.length, message: again.length ? [`read again: ${urls}`, `letti di nuovo: ${urls}`] : [`next round: ${reads.length} request(s), none for a flow already reconciled`, `giro successivo: ${requestsIt(reads.length)}, nessuna per un flusso già riconciliato`], entries });
  }
  if (j.unknown && j.unknownId) {
    const asked = named(j.unknownId);
    const statuses = asked.map((a) => a.status ?? '-').join(', ');
    if (!asked.length) t.notExercised(j.unknown, NOT_ASKED);
    else t.check({ id: j.unknown, held: asked.length <= 1, message: [`asked for ${j.unknownId} ${asked.length} time(s) in one round (HTTP ${statuses})`, `chiesto ${j.unknownId} ${timesIt(asked.length)} in un giro (HTTP ${statuses})`], entries: asked.flatMap((a) => [a.request, a.response]) });
  }
}
