// How the candidate's RTs reach the harness's Nodo, by its channel's RT mode (profile old.psp.rtMode,
// the Nodo's ChannelEntry.rtMode): pushed with nodoInviaRT, or — on a channel configured for PULL —
// taken by the Nodo from the candidate's PULL queue (pspChiediListaRT, pspChiediRT, pspInviaAckRT;
// OLD-RT-PULL-01/02) on its poll schedule (domain/timeouts.ts OLD_PULL_POLL_WAITS_MS: at once, then
// TR-08's waits). The replacing RT of an annullo tecnico is pushed on either channel: forzaControlloSegno
// is a parameter of nodoInviaRT only (L2520). One place for the scenarios that wait for an RT, count the
// RTs a payment got, or judge the PULL path.
import type { JournalEntry } from '../../../src/core/journal.js';
import { fromBase64, readRt } from '../../../domain/old/index.js';
import type { PollResult, PullReport, RtKeys } from '../../../actors/nodo/index.js';
import type { OldPspContext } from '../../../seats/psp-old.js';
import { type Bi, both } from '../../../src/core/text.js';
import { aboutIuv, nodoToPsp, pspCalls } from './lib.js';

/** An RT the candidate gave: pushed (the RT in nodoInviaRT's request) or fetched from its PULL queue (in pspChiediRT's answer). */
export interface GivenRt {
  how: 'push' | 'pull';
  request: JournalEntry;
  response?: JournalEntry;
  /** codiceEsitoPagamento, when the RT could be read */
  esito?: string;
  /** the RT as carried (base64) */
  b64?: string;
  /** pushed with forzaControlloSegno 1 (a replacing RT) */
  forced: boolean;
  ccp?: string;
}

const rtB64 = (raw: string | undefined) => /<(?:[\w-]+:)?rt>([^<]+)</.exec(raw ?? '')?.[1];

function esitoOf(b64: string | undefined): string | undefined {
  try {
    return b64 ? readRt(fromBase64(b64.replace(/\s+/g, ''), 'RT')).datiPagamento.codiceEsitoPagamento : undefined;
  } catch {
    return undefined;
  }
}

const ccpIn = (raw: string | undefined) => /<(?:[\w-]+:)?codiceContestoPagamento>([^<]+)</.exec(raw ?? '')?.[1];

/** Every RT the candidate gave for `iuv` after `since`, in journal order: its pushes and what the Nodo fetched from its queue. */
export function rtsGiven(t: OldPspContext, iuv: string, since: number): GivenRt[] {
  const pushed = pspCalls(t, 'nodoInviaRT', since, aboutIuv(iuv)).map((x): GivenRt => ({ how: 'push', request: x.request, response: x.response, esito: esitoOf(rtB64(x.request.raw)), b64: rtB64(x.request.raw), forced: /forzaControlloSegno>1</.test(x.request.raw), ccp: ccpIn(x.request.raw) }));
  const pulled = nodoToPsp(t, 'pspChiediRT', since, aboutIuv(iuv))
    .filter((x) => !!rtB64(x.response?.raw))
    .map((x): GivenRt => ({ how: 'pull', request: x.request, response: x.response, esito: esitoOf(rtB64(x.response?.raw)), b64: rtB64(x.response?.raw), forced: false, ccp: ccpIn(x.request.raw) }));
  return [...pushed, ...pulled].sort((a, b) => a.request.seq - b.request.seq);
}

/** The candidate's channel is configured for PULL. */
export const pullChannel = (t: OldPspContext): boolean => t.channel.rtMode === 'pull';

/**
 * Before counting what a payment got: on a PULL channel one round of the Nodo's poll, so an RT the
 * candidate queued (TR-09: at once, by the time it reported the flow over) is seen. Nothing on PUSH.
 */
export async function drainQueue(t: OldPspContext): Promise<void> {
  if (pullChannel(t)) await t.nodo.rtPull.pullRts(t.channel.idChannel, { idPSP: t.channel.idPSP });
}

const wants = (iuv: string, ccp?: string) => (k: RtKeys) => k.iuv === iuv && (!ccp || k.ccp === ccp);

/**
 * Waits for the candidate's RT of `iuv` (and `ccp`) given after `since`: on PUSH its nodoInviaRT
 * answered (the embedded PSP: until it is idle); on PULL the Nodo's poll until it took the RT (or its
 * schedule ran out). The poll's result on PULL.
 */
export async function awaitRt(t: OldPspContext, iuv: string, ccp: string | undefined, since: number): Promise<PollResult | undefined> {
  if (pullChannel(t)) {
    await t.settle();
    const poll = await t.nodo.rtPull.pollFor(t.channel.idChannel, wants(iuv, ccp), { idPSP: t.channel.idPSP });
    // taken (ACTC): the Nodo delivers it to the EC (paaInviaRT), as it does a pushed RT before it answers
    const got = poll.rt;
    if (got?.taken) await t.nodo.waitDelivery(got.idDominio, got.iuv, got.ccp, t.nodo.deliveryDeadlineMs()).catch(() => undefined);
    return poll;
  }
  await t.waitEntry((e) => e.direction === 'response' && e.to === 'psp' && e.primitive === 'nodoInviaRT' && aboutIuv(iuv)(e) && (!ccp || e.raw.includes(ccp) || e.correlation.ccp === ccp || (t.journal.entries.find((x) => x.exchange === e.exchange && x.direction === 'request')?.raw ?? '').includes(ccp)), since, 'nodoInviaRT');
  return undefined;
}

/** What the PULL path of one RT came to: taken (ACTC) or not, how, and what breaks the path (both languages). */
export interface PullPath {
  reached: boolean;
  how: Bi;
  problems: Bi[];
  entries: (JournalEntry | undefined)[];
}

/** The Nodo's reading of a PULL call, in Italian (values the poll reports). */
const OUTCOME_IT: Record<string, string> = { ok: 'ok', ko: 'ko', failed: 'fallita', empty: 'vuota' };
const outcomeIn = (o: string, l: 'en' | 'it') => (l === 'en' ? o : (OUTCOME_IT[o] ?? o));

const secs = (ms: number) => `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;

/**
 * The RT of `iuv`/`ccp` on a PULL channel: the Nodo polls for it (awaitRt), then judges the path —
 * never pushed (but a replacing RT), listed, given by pspChiediRT, valid (ACTC, not RJCT), the ACK
 * answered OK, not listed twice nor again after its ACTC (one more list follows the ACTC: no
 * duplicate), found within the schedule (no RT lost).
 */
export async function judgePullPath(t: OldPspContext, iuv: string, ccp: string | undefined, since: number): Promise<PullPath> {
  const want = wants(iuv, ccp);
  const mark = t.journal.entries.at(-1)?.seq ?? 0;
  const poll = (await awaitRt(t, iuv, ccp, since))!;
  const pushed = rtsGiven(t, iuv, since).filter((g) => g.how === 'push' && !g.forced && (!ccp || g.ccp === ccp));
  const problems: Bi[] = [];
  if (pushed.length) problems.push([`the RT was pushed (nodoInviaRT ×${pushed.length}) although the channel is configured for PULL`, `la RT è stata inviata in push (nodoInviaRT ×${pushed.length}) benché il canale sia configurato in PULL`]);
  const rounds = poll.rounds;
  const t0 = rounds[0]?.at ?? 0;
  const seenIn = (r: PullReport) => r.list.items.some(want);
  const firstSeen = rounds.findIndex(seenIn);
  const got = poll.rt;
  const lists = both((l) => rounds.map((r, i) => `#${i + 1} +${secs(r.at - t0)} ${outcomeIn(r.list.outcome, l)}${r.list.faultCode ? ` ${r.list.faultCode}` : ''}${seenIn(r) ? (l === 'en' ? ' (listed)' : ' (elencata)') : ''}`).join(', '));
  const quoted = (r: string | undefined, l: 'en' | 'it') => (r ? (l === 'en' ? ` (${r})` : ` ("${r}")`) : '');
  let how: Bi;
  if (!got) {
    const span = secs(rounds.at(-1) ? rounds.at(-1)!.at - t0 : 0);
    how = [`PULL: not in the queue — ${rounds.length} round(s) of pspChiediListaRT over ${span} (${lists[0]})`, `PULL: non in coda — ${rounds.length} giro/i di pspChiediListaRT in ${span} (${lists[1]})`];
    problems.push(["the RT never appeared in the PULL queue within the Nodo's poll schedule (lost)", 'la RT non è mai comparsa nella coda PULL entro il calendario di interrogazione del Nodo (persa)']);
  } else if (got.fetched.outcome !== 'ok') {
    const f = got.fetched;
    how = both((l) => `PULL: ${l === 'en' ? 'listed' : 'elencata'}, pspChiediRT ${outcomeIn(f.outcome, l)}${f.faultCode ? ` ${f.faultCode}` : ''}${quoted(f.reason, l)} ${l === 'en' ? 'in every round' : 'in ogni giro'} (${lists[l === 'en' ? 0 : 1]})`);
    problems.push(['the RT listed by pspChiediListaRT was not given by pspChiediRT', 'la RT elencata da pspChiediListaRT non è stata fornita da pspChiediRT']);
  } else if (got.ack?.stato !== 'ACTC') {
    const ack = got.ack;
    how = both((l) =>
      l === 'en'
        ? `PULL: listed and fetched, the Nodo's checks refused it: ${ack ? `RJCT ${ack.codiceErrore ?? ''}${quoted(ack.reason, l)}` : 'never acknowledged'}`
        : `PULL: elencata e prelevata, rifiutata dai controlli del Nodo: ${ack ? `RJCT ${ack.codiceErrore ?? ''}${quoted(ack.reason, l)}` : 'mai confermata'}`,
    );
    problems.push(['the RT fetched from the PULL queue is not valid', 'la RT prelevata dalla coda PULL non è valida']);
  } else {
    const ack = got.ack;
    how = poll.earlier
      ? ["PULL: taken (ACTC) in an earlier round of the Nodo's poll", "PULL: presa (ACTC) in un giro precedente dell'interrogazione del Nodo"]
      : [`PULL: listed in round ${firstSeen + 1} of ${rounds.length} (+${secs(rounds[firstSeen]!.at - t0)}), pspChiediRT OK, ACTC`, `PULL: elencata al giro ${firstSeen + 1} di ${rounds.length} (+${secs(rounds[firstSeen]!.at - t0)}), pspChiediRT OK, ACTC`];
    // one more list after the ACTC: the RT must be gone (L2381), or the Nodo would take it twice
    if (!poll.earlier) {
      const after = await t.nodo.rtPull.pullRts(t.channel.idChannel, { idPSP: t.channel.idPSP });
      if (!seenIn(after)) how = [`${how[0]}, then gone from the list`, `${how[1]}, poi sparita dalla lista`];
    }
    if (ack.answer !== 'ok') {
      problems.push(
        both((l) =>
          l === 'en'
            ? `pspInviaAckRT ACTC answered ${ack.answer}${ack.answerFault ? ` ${ack.answerFault}` : ''}${quoted(ack.answerReason, l)}, not esito OK (L2382)`
            : `pspInviaAckRT ACTC con risposta ${outcomeIn(ack.answer, l)}${ack.answerFault ? ` ${ack.answerFault}` : ''}${quoted(ack.answerReason, l)}, non esito OK (L2382)`,
        ),
      );
    }
  }
  const all = t.nodo.rtPull.reports();
  if (all.some((r) => r.list.items.filter(want).length > 1)) problems.push(['pspChiediListaRT named the RT twice in one list (duplicate)', 'pspChiediListaRT ha indicato la RT due volte nella stessa lista (duplicato)']);
  // rounds in the order they were made (on a virtual clock two rounds may share an instant)
  const acked = all.findIndex((r) => r.rts.some((x) => want(x) && x.ack?.stato === 'ACTC' && x.ack.answer === 'ok'));
  if (acked >= 0 && all.slice(acked + 1).some(seenIn)) problems.push(['the RT is listed again after its ACTC (L2381: the PSP removes it)', 'la RT è elencata di nuovo dopo il suo ACTC (L2381: il PSP la rimuove)']);
  const entries = [
    ...pushed.flatMap((g) => [g.request, g.response]),
    ...t.journal.filter((e) => e.seq > mark && e.primitive === 'pspChiediListaRT'),
    ...t.journal.filter((e) => e.seq > since && (e.primitive === 'pspChiediRT' || e.primitive === 'pspInviaAckRT') && aboutIuv(iuv)(e)),
  ];
  return { reached: !!got && got.ack?.stato === 'ACTC', how, problems, entries };
}
