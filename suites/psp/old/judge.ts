// Judging what the candidate PSP produced in the old model: its RT (pushed with nodoInviaRT, or
// fetched by the Nodo from its PULL queue when the channel works in PULL, ./rt-path.ts), read by the Nodo's own checks
// (rt-intake: V-* against the RPT) and then against the payment the scenario made; and its report.
import type { TriggerReport } from '../../../src/triggers/index.js';
import type { JournalEntry } from '../../../src/core/journal.js';
import type { OldNotice, OldPspAsk, OldPspContext } from '../../../seats/psp-old.js';
import { answerSaid } from '../../../src/wire/answer.js';
import { type Bi, joinSaid } from '../../../src/core/text.js';
import { aboutIuv, pspCalls, usable } from './lib.js';
import { awaitRt, judgePullPath, pullChannel } from './rt-path.js';

/**
 * The RT of the RPT `n`/`ccp`: it reached the Nodo (push answered OK, or PULL ACTC), and the RT the
 * Nodo holds has the outcome and amount the scenario's payment had, attested by the candidate.
 */
export async function judgeRt(t: OldPspContext, id: string, n: OldNotice, ccp: string | undefined, since: number, kind: 'positive' | 'negative', cents: number): Promise<void> {
  const keys = { idDominio: n.fiscalCode, iuv: n.iuv, ccp: ccp ?? '' };
  let reached: boolean;
  let how: Bi;
  let entries: (JournalEntry | undefined)[];
  const pathProblems: Bi[] = [];
  if (pullChannel(t)) {
    // a channel configured for PULL: the Nodo polls the candidate's queue for the RT
    const p = await judgePullPath(t, n.iuv, ccp, since);
    ({ reached, how, entries } = p);
    pathProblems.push(...p.problems);
  } else {
    const mine = (e: { correlation: Record<string, string | undefined>; raw: string }) => aboutIuv(n.iuv)(e as never) && (!ccp || e.raw.includes(ccp) || e.correlation.ccp === ccp);
    await awaitRt(t, n.iuv, ccp, since);
    const pushes = pspCalls(t, 'nodoInviaRT', since, mine);
    entries = pushes.flatMap((p) => [p.request, p.response]);
    reached = pushes.some((p) => usable(p.answer) && p.answer.outcome === 'OK');
    const last = pushes.length ? answerSaid(pushes.at(-1)!.answer, 'esito') : undefined;
    how = last ? [`nodoInviaRT ×${pushes.length}, last ${last[0]}`, `nodoInviaRT ×${pushes.length}, ultima: ${last[1]}`] : ['no nodoInviaRT', 'nessuna nodoInviaRT'];
  }
  const path = pathProblems.length ? joinSaid(pathProblems) : undefined;
  if (!reached) {
    return void t.check({
      id,
      held: false,
      message: [`no RT of ${n.iuv}/${ccp ?? '?'} reached the Nodo: ${how[0]}${path ? ` — ${path[0]}` : ''}`, `nessuna RT di ${n.iuv}/${ccp ?? '?'} è giunta al Nodo: ${how[1]}${path ? ` — ${path[1]}` : ''}`],
      entries,
    });
  }
  const rec = ccp ? t.nodo.rpt(keys.idDominio, keys.iuv, keys.ccp) : t.nodo.rpts().filter((r) => r.idDominio === n.fiscalCode && r.iuv === n.iuv && r.rt).at(-1);
  const rt = rec?.rt;
  const want = kind === 'positive' ? { esito: '0', cents } : { esito: '1', cents: 0 };
  const kindIt = kind === 'positive' ? 'positiva' : 'negativa';
  const eur = (c: number) => (c / 100).toFixed(2);
  const problems: Bi[] = !rt
    ? [...pathProblems, ['the Nodo holds no RT for the RPT', 'il Nodo non ha alcuna RT per la RPT']]
    : [
        ...pathProblems,
        ...(rt.generated ? [["the RT the Nodo holds is its own, not the candidate's", 'la RT che il Nodo detiene è la propria, non quella del candidato'] as Bi] : []),
        ...(rt.codiceEsito !== want.esito ? [[`codiceEsitoPagamento ${rt.codiceEsito}, expected ${want.esito} (${kind})`, `codiceEsitoPagamento ${rt.codiceEsito}, atteso ${want.esito} (${kindIt})`] as Bi] : []),
        ...(rt.paidCents !== want.cents ? [[`importoTotalePagato ${eur(rt.paidCents)}, expected ${eur(want.cents)}`, `importoTotalePagato ${eur(rt.paidCents)}, atteso ${eur(want.cents)}`] as Bi] : []),
        ...(rt.idPSPAttestante && rt.idPSPAttestante !== t.channel.idPSP ? [[`istitutoAttestante ${rt.idPSPAttestante}, expected ${t.channel.idPSP}`, `istitutoAttestante ${rt.idPSPAttestante}, atteso ${t.channel.idPSP}`] as Bi] : []),
      ];
  const all = problems.length ? joinSaid(problems) : undefined;
  t.check({
    id,
    held: !problems.length,
    message: all
      ? [`${how[0]}: ${all[0]}`, `${how[1]}: ${all[1]}`]
      : [`${how[0]}: ${kind} RT, codiceEsitoPagamento ${rt!.codiceEsito}, ${eur(rt!.paidCents)} EUR`, `${how[1]}: RT ${kindIt}, codiceEsitoPagamento ${rt!.codiceEsito}, ${eur(rt!.paidCents)} EUR`],
    entries,
  });
}

/** The candidate's report says what it did: `paid` with the amount, or not paid. A missing report is not judged. */
export async function judgeReport(t: OldPspContext, id: string, ask: OldPspAsk, want: 'paid' | 'not-paid', cents?: number, entries: (JournalEntry | undefined)[] = []): Promise<TriggerReport | undefined> {
  const r = await t.report(ask);
  if (!r) {
    t.notExercised(id, [`the candidate sent no report of ${ask.request.action} (${ask.request.requestId}); reports are optional`, `il candidato non ha inviato alcun resoconto di ${ask.request.action} (${ask.request.requestId}); i resoconti sono facoltativi`]);
    return undefined;
  }
  const paidOk = want === 'paid' ? r.result === 'paid' && (cents === undefined || r.amountCents === undefined || r.amountCents === cents) : r.result !== 'paid';
  const amount = r.amountCents !== undefined ? ` ${(r.amountCents / 100).toFixed(2)} EUR` : '';
  // the candidate's own words; in Italian within « » (they may hold double quotes themselves)
  const note = r.message ? ` ("${r.message}")` : '';
  const noteIt = r.message ? ` («${r.message}»)` : '';
  const wanted = cents !== undefined && want === 'paid' ? ` ${(cents / 100).toFixed(2)} EUR` : '';
  // the report is not an exchange with the Nodo: the check carries what the report is compared with
  t.check({ id, held: paidOk, entries, message: [`report ${r.result}${amount}${note}; expected ${want}${wanted}`, `resoconto "${r.result}"${amount}${noteIt}; atteso "${want}"${wanted}`] });
  return r;
}
