// The RT push and its recovery (OLD-RT-RETRY-01..03, OLD-PSP-ERR-11, -13..16; TR-08, TR-09, A-14): a
// payment whose RT the candidate pushes with nodoInviaRT, while the Nodo is scripted to give no answer,
// a station fault (PPT_STAZIONE_INT_PA_TIMEOUT / _IRRAGGIUNGIBILE), PPT_RT_DUPLICATA or the EC's
// refusal relayed. The pushes as the Nodo saw them are judged by domain/old/rt-push.ts (judgeRtPush:
// schedule, count, stop on an answer, same RT, PULL fall-back — the Nodo's pspChiediListaRT after the
// pushes is the PULL observation). A rule the run could not exercise is not a PASS. On a channel
// configured for PULL they are NOT_APPLICABLE: nothing is pushed.
import { type ScenarioDef, spec } from '../../../src/core/scenario.js';
import { both } from '../../../src/core/text.js';
import { LATE_TOLERANCE_MS, LATE_TOLERANCE_SHARE, PUSH_RULES, type PushRule, readingIt } from '../../../domain/old/rt-push.js';
import { OLD_RT_RETRY_WAITS_MS } from '../../../domain/timeouts.js';
import { OLD_PSP_RT_WAIT_MS } from '../../../domain/old/rt-push.js';
import type { PushAnswer, RtKeys } from '../../../actors/nodo/index.js';
import type { OldPspAsk, OldPspContext } from '../../../seats/psp-old.js';
import { aboutIuv, ccpOf } from './lib.js';
import { pullChannel } from './rt-path.js';

type Def = ScenarioDef<OldPspContext>;
/** How a push went unanswered, in Italian (the kinds of PushAttempt's answer). */
const ANSWER_IT: Record<string, string> = { none: 'nessuna risposta', unusable: 'risposta inutilizzabile' };
const MODEL = { seat: 'psp' as const, model: 'old' };
const silent: PushAnswer = { kind: 'no-answer' };
const fault = (faultCode: string, description?: string): PushAnswer => ({ kind: 'fault', faultCode, description });
/** the longest the candidate may take over its pushes: every TR-08 wait plus its own wait per send */
const PUSHES_MS = OLD_RT_RETRY_WAITS_MS.reduce((a, b) => a + b, 0) + 6 * 20_000;

/**
 * A payment whose RT the candidate will push, the Nodo's answers to it scripted before it comes: at
 * the PSP (modello 3) when the profile offers it — the CCP is known at the candidate's nodoAttivaRPT —
 * else a cart of one RPT the EC sends naming the candidate, paid in the browser.
 */
export async function paymentWithScript(t: OldPspContext, answers: PushAnswer[]): Promise<{ keys: RtKeys; mark: number; ask?: OldPspAsk }> {
  const mark = t.journal.entries.at(-1)?.seq ?? 0;
  if (t.offers('pspStarted')) {
    const n = t.position({ amountCents: 6400 });
    const activation = t.journal.waitFor((e) => e.seq > mark && e.direction === 'request' && e.from === 'psp' && e.primitive === 'nodoAttivaRPT' && aboutIuv(n.iuv)(e), t.deadlineMs, 'nodoAttivaRPT');
    const ask = await t.ask('old-psp-pay', n, { verify: false, amountCents: n.amountCents });
    const e = await activation.catch(() => undefined);
    const ccp = ccpOf(e);
    if (!ccp) return t.inconclusive([`the candidate never acted: no nodoAttivaRPT within ${t.deadlineMs} ms of the trigger`, `il candidato non ha mai agito: nessuna nodoAttivaRPT entro ${t.deadlineMs} ms dal trigger`]);
    const keys = { idDominio: n.fiscalCode, iuv: n.iuv, ccp };
    t.nodo.rtPushes.script(keys, answers);
    return { keys, mark, ask };
  }
  const payer = t.browser();
  const [p] = t.ec.old.payments.positionsFor({ amountsCents: [6400] });
  const cart = await t.ec.old.payments.cart([p!], { identificativoPSP: t.channel.idPSP, identificativoIntermediarioPSP: t.channel.idBrokerPSP, identificativoCanale: t.channel.idChannel });
  if (!cart.url) return t.inconclusive([`the cart naming the candidate was refused: ${cart.problem ?? 'no URL'}`, `il carrello che indica il candidato è stato rifiutato: ${cart.problem ? `"${cart.problem}"` : 'nessun URL'}`]);
  const rec = t.nodo.rpts().find((r) => r.idCarrello === cart.idCarrello)!;
  const keys = { idDominio: rec.idDominio, iuv: rec.iuv, ccp: rec.ccp };
  t.nodo.rtPushes.script(keys, answers);
  const open = await payer.open(cart.url, 30_000);
  const paid = open.problem ? open : await payer.pay(30_000);
  if (paid.problem) return t.inconclusive([`the payer could not pay on the candidate's page: ${paid.problem}`, `il pagatore non ha potuto pagare sulla pagina del candidato: "${paid.problem}"`]);
  return { keys, mark };
}

/** The time after the last of `count` pushes a scenario listens on for one too many: the next TR-08 wait and the judge's tolerance. */
const listenAfter = (count: number): number => {
  const next = OLD_RT_RETRY_WAITS_MS[Math.min(count, OLD_RT_RETRY_WAITS_MS.length) - 1]!;
  return next * (1 + LATE_TOLERANCE_SHARE) + LATE_TOLERANCE_MS;
};

/**
 * What a scenario waits at real pace against a conformant PSP (ScenarioDef.paceMs): each push the
 * Nodo leaves unanswered held for the PSP's wait, the TR-08 waits between the `count` pushes, then
 * the listening after the last.
 */
export function pushPaceMs(answers: readonly PushAnswer[], count: number): number {
  const held = answers.slice(0, count).filter((a) => a.kind === 'no-answer').length * OLD_PSP_RT_WAIT_MS;
  return held + OLD_RT_RETRY_WAITS_MS.slice(0, count - 1).reduce((a, b) => a + b, 0) + listenAfter(count);
}

/** Waits for `count` pushes (the embedded candidate: until it is idle), then the PULL round when asked. */
async function observe(t: OldPspContext, keys: RtKeys, count: number, pull: boolean) {
  if (!(await t.settle())) {
    await t.nodo.rtPushes.waitAttempts(keys, count, PUSHES_MS).catch(() => undefined);
    // an external PSP: listen on until its next retry would be due (TR-08's wait plus the judge's
    // tolerance), so a push too many shows; the embedded one is idle when it is over
    await t.clock.sleep(listenAfter(count));
  }
  const before = t.journal.entries.at(-1)?.seq ?? 0;
  const pulled = pull ? await t.nodo.rtPull.pullRts(t.channel.idChannel, { idPSP: t.channel.idPSP }) : undefined;
  return { judgement: t.nodo.rtPushes.judge(keys, t.nodo.rtPull.observations(keys)), pulled, pullEntries: t.journal.filter((e) => e.seq > before) };
}

function pushScenario(o: { id: string; title: string; titleIt: string; answers: PushAnswer[]; count: number; rules: PushRule[]; reqs: string[]; pull: boolean }): Def {
  return {
    id: o.id,
    title: o.title,
    titleIt: o.titleIt,
    ...MODEL,
    paceMs: pushPaceMs(o.answers, o.count),
    checks: o.rules.map((r) => spec(r, [PUSH_RULES[r].what, PUSH_RULES[r].whatIt], o.reqs)),
    async run(t) {
      if (pullChannel(t)) {
        return t.notApplicable([
          "the channel is configured for PULL (old.psp.rtMode pull): the PSP never pushes its RTs, so there is no nodoInviaRT whose answers and retries (TR-08) could be judged; the PULL path is judged by PSP-OLD-PULL-01/02 and by every scenario's RT",
          'il canale è configurato in PULL (old.psp.rtMode pull): il PSP non invia mai in push le sue RT, quindi non esiste alcuna nodoInviaRT di cui giudicare risposte e nuovi tentativi (TR-08); il percorso PULL è giudicato da PSP-OLD-PULL-01/02 e dalla RT di ogni scenario',
        ]);
      }
      const { keys } = await paymentWithScript(t, o.answers);
      const { judgement, pullEntries } = await observe(t, keys, o.count, o.pull);
      const pushes = t.journal.filter((e) => e.primitive === 'nodoInviaRT' && e.from === 'psp' && aboutIuv(keys.iuv)(e));
      if (!judgement.attempts.length) {
        for (const r of o.rules) t.check({ id: r, held: false, message: [`the candidate never pushed the RT of ${keys.iuv}/${keys.ccp} (no nodoInviaRT)`, `il candidato non ha mai inviato in push la RT di ${keys.iuv}/${keys.ccp} (nessuna nodoInviaRT)`] });
        return;
      }
      const t0 = judgement.attempts[0]!.at;
      const sends = both((l) =>
        judgement.attempts
          .map((a) => `#${a.n} ${l === 'en' ? 'at' : 'a'} +${((a.at - t0) / 1000).toFixed(1)} s ${a.answer.kind === 'answered' ? `${a.answer.esito}${a.answer.faultCode ? ` ${a.answer.faultCode}` : ''}` : l === 'en' ? a.answer.kind : (ANSWER_IT[a.answer.kind] ?? a.answer.kind)}`)
          .join(', '),
      );
      const readings = judgement.readings.length ? ([` (A-14 reading: ${judgement.readings.join(' / ')})`, ` (lettura A-14: ${judgement.readings.map(readingIt).join(' / ')})`] as const) : (['', ''] as const);
      for (const r of o.rules) {
        const v = judgement.rules.find((x) => x.rule === r)!;
        const entries = r === 'pull-fallback' ? [...pushes, ...pullEntries] : pushes;
        const [why, whyIt] = [v.reasons.join('; '), v.reasonsIt.join('; ')];
        if (v.verdict === 'not-exercised') t.check({ id: r, held: false, message: [`not exercised by the candidate's pushes (${sends[0]}): ${why}`, `non esercitato dagli invii del candidato (${sends[1]}): ${whyIt}`], entries });
        else t.check({ id: r, held: v.verdict === 'pass', message: [`${why} — pushes: ${sends[0]}${readings[0]}`, `${whyIt} — invii: ${sends[1]}${readings[1]}`], entries });
      }
    },
  };
}

export const rtPushScenarios: Def[] = [
  pushScenario({
    id: 'PSP-OLD-RETRY-02',
    title: 'RT push: the Nodo does not answer twice, the PSP retries the same RT after 5 and 10 s and stops at the answer',
    titleIt: 'Invio RT: il Nodo non risponde due volte, il PSP ritenta la stessa RT dopo 5 e 10 s e si ferma alla risposta',
    answers: [silent, silent],
    count: 3,
    rules: ['retry-schedule', 'same-rt', 'stop-on-answer'],
    reqs: ['OLD-RT-RETRY-02'],
    pull: false,
  }),
  pushScenario({
    id: 'PSP-OLD-NEG-04',
    title: 'RT push answered with what no PSP can use (not XML, then HTTP 500): the PSP retries the same RT on TR-08 and stops at the answer',
    titleIt: 'Invio RT con risposte inutilizzabili (non XML, poi HTTP 500): il PSP ritenta la stessa RT secondo TR-08 e si ferma alla risposta',
    answers: [{ kind: 'transport', fault: { kind: 'non-xml' } }, { kind: 'transport', fault: { kind: 'http500', soapFault: false } }],
    count: 3,
    rules: ['retry-schedule', 'same-rt', 'stop-on-answer'],
    reqs: ['OLD-RT-RETRY-02', 'OLD-PSP-ERR-13'],
    pull: false,
  }),
  pushScenario({
    id: 'PSP-OLD-RETRY-03',
    title: 'RT push: the Nodo never answers, the PSP retries on TR-08 up to 5 or 6 sends, then keeps the RT for PULL',
    titleIt: 'Invio RT: il Nodo non risponde mai, il PSP ritenta secondo TR-08 fino a 5 o 6 invii, poi tiene la RT per il PULL',
    answers: Array.from({ length: 12 }, () => silent),
    count: 6,
    rules: ['retry-schedule', 'retry-count', 'same-rt', 'pull-fallback'],
    reqs: ['OLD-RT-RETRY-03', 'OLD-PSP-ERR-13', 'OLD-RT-RETRY-02'],
    pull: true,
  }),
  pushScenario({
    id: 'PSP-OLD-RETRY-01',
    title: 'RT push answered PPT_STAZIONE_INT_PA_TIMEOUT (EC unavailable): the RT goes to the PULL queue',
    titleIt: 'Invio RT con risposta PPT_STAZIONE_INT_PA_TIMEOUT (EC non disponibile): la RT va nella coda PULL',
    answers: [fault('PPT_STAZIONE_INT_PA_TIMEOUT', 'the EC station did not answer paaInviaRT in time')],
    count: 1,
    rules: ['pull-fallback'],
    reqs: ['OLD-RT-RETRY-01'],
    pull: true,
  }),
  pushScenario({
    id: 'PSP-OLD-ERR-16',
    title: 'RT push answered PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE (EC unreachable): the RT goes to the PULL queue',
    titleIt: 'Invio RT con risposta PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE (EC irraggiungibile): la RT va nella coda PULL',
    answers: [fault('PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE', 'the EC station cannot be reached')],
    count: 1,
    rules: ['pull-fallback'],
    reqs: ['OLD-PSP-ERR-16'],
    pull: true,
  }),
  pushScenario({
    id: 'PSP-OLD-ERR-11',
    title: 'RT push answered PPT_RT_DUPLICATA: the Nodo already has the RT, the PSP does not push it again',
    titleIt: 'Invio RT con risposta PPT_RT_DUPLICATA: il Nodo ha già la RT, il PSP non la reinvia',
    answers: [fault('PPT_RT_DUPLICATA', 'RT already received')],
    count: 1,
    rules: ['stop-on-answer'],
    reqs: ['OLD-PSP-ERR-11'],
    pull: false,
  }),
  pushScenario({
    id: 'PSP-OLD-ERR-14',
    title: 'RT push answered with the EC\'s PAA_RT_DUPLICATA relayed: the RT counts as delivered, no loop',
    titleIt: 'Invio RT con PAA_RT_DUPLICATA dell\'EC inoltrato: la RT conta come consegnata, nessun ciclo',
    answers: [fault('PPT_ERRORE_EMESSO_DA_PAA', 'PAA_RT_DUPLICATA: the EC already holds this RT')],
    count: 1,
    rules: ['stop-on-answer'],
    reqs: ['OLD-PSP-ERR-11', 'OLD-PSP-ERR-14'],
    pull: false,
  }),
  pushScenario({
    id: 'PSP-OLD-ERR-15',
    title: 'RT push answered with the EC\'s error relayed (PAA_SEMANTICA): the PSP stops pushing (Tavolo Operativo)',
    titleIt: 'Invio RT con errore dell\'EC inoltrato (PAA_SEMANTICA): il PSP smette di inviare (Tavolo Operativo)',
    answers: [fault('PPT_ERRORE_EMESSO_DA_PAA', 'PAA_SEMANTICA: the EC finds the RT wrong')],
    count: 1,
    rules: ['stop-on-answer'],
    reqs: ['OLD-PSP-ERR-11', 'OLD-PSP-ERR-15'],
    pull: false,
  }),
];
