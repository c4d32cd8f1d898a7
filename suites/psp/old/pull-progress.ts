// The PULL queue (OLD-RT-PULL-01/02, SM-RTQ, L2368-2387) and the progress query (OLD-RT-ADV-01..04,
// pspChiediAvanzamentoRPT, L2400-2413). An RT reaches the candidate's PULL queue (its push answered
// PPT_STAZIONE_INT_PA_TIMEOUT, TR-09, or a channel configured for PULL); the Nodo then lists, fetches and
// acknowledges it: ACTC for a valid RT (it must leave the list), RJCT for one the Nodo refuses (the
// ack answered esito OK, L2387; the list still answers). The progress query asks the candidate where
// an RPT stands: the state for one it holds, CANALE_RPT_SCONOSCIUTA for one it never received.
import { type ScenarioDef, spec } from '../../../src/core/scenario.js';
import type { JournalEntry } from '../../../src/core/journal.js';
import type { PullReport, RtKeys } from '../../../actors/nodo/index.js';
import type { OldPspContext } from '../../../seats/psp-old.js';
import type { AvanzamentoRpt } from '../../../actors/nodo/index.js';
import { answerSaid } from '../../../src/wire/answer.js';
import type { Bi } from '../../../src/core/text.js';
import { aboutIuv, callPsp, ccpOf, usable } from './lib.js';
import { pullChannel } from './rt-path.js';

type Def = ScenarioDef<OldPspContext>;
const MODEL = { seat: 'psp' as const, model: 'old' };

/**
 * A paid notice whose RT the candidate keeps for PULL: on a PUSH channel its only push is answered
 * PPT_STAZIONE_INT_PA_TIMEOUT (TR-09); on a channel configured for PULL it is queued from the start.
 */
async function rtInQueue(t: OldPspContext): Promise<RtKeys> {
  const mark = t.journal.entries.at(-1)?.seq ?? 0;
  if (!t.offers('pspStarted') && !t.offers('ecStarted')) return t.notApplicable(['the profile offers neither payments at the PSP nor EC-started payments: no RT to queue', "il profilo non offre né pagamenti presso il PSP né pagamenti avviati dall'EC: nessuna RT da mettere in coda"]);
  if (!t.offers('pspStarted')) return t.notApplicable([
      "this scenario pays at the PSP (modello 3) to know the RPT's keys before the RT; the profile does not offer old.features.pspStarted",
      'questo scenario paga presso il PSP (modello 3) per conoscere le chiavi della RPT prima della RT; il profilo non offre old.features.pspStarted',
    ]);
  const n = t.position({ amountCents: 5600 });
  const activation = t.journal.waitFor((e) => e.seq > mark && e.direction === 'request' && e.from === 'psp' && e.primitive === 'nodoAttivaRPT' && aboutIuv(n.iuv)(e), t.deadlineMs, 'nodoAttivaRPT');
  const ask = await t.ask('old-psp-pay', n, { verify: false, amountCents: n.amountCents });
  const ccp = ccpOf(await activation.catch(() => undefined));
  if (!ccp) return t.inconclusive([`the candidate never acted: no nodoAttivaRPT within ${t.deadlineMs} ms of the trigger`, `il candidato non ha mai agito: nessuna nodoAttivaRPT entro ${t.deadlineMs} ms dal trigger`]);
  const keys = { idDominio: n.fiscalCode, iuv: n.iuv, ccp };
  if (pullChannel(t)) {
    // a channel configured for PULL queues the RT at once (TR-09): by the time the candidate is done
    // with the payment (its report, or the trigger's deadline) — no list is asked here, the scenario's own
    await t.done(ask);
    return keys;
  }
  t.nodo.rtPushes.script(keys, [{ kind: 'fault', faultCode: 'PPT_STAZIONE_INT_PA_TIMEOUT', description: 'the EC station did not answer paaInviaRT in time' }]);
  // the RT is pushed once, answered with the station fault
  if (!(await t.settle())) await t.nodo.rtPushes.waitAttempts(keys, 1, t.deadlineMs).catch(() => undefined);
  // a real PSP queues the RT only after it has read that answer: the list is asked until it holds the RT
  await t.nodo.rtPull.waitQueued(t.channel.idChannel, (k) => same(k, keys), { idPSP: t.channel.idPSP });
  return keys;
}

const since = (t: OldPspContext, mark: number, primitive: string): JournalEntry[] => t.journal.filter((e) => e.seq > mark && e.primitive === primitive);
const same = (a: RtKeys, b: RtKeys) => a.idDominio === b.idDominio && a.iuv === b.iuv && a.ccp === b.ccp;

/** The Nodo's reading of a PULL call, in Italian (values the poll reports). */
const OUTCOME_IT: Record<string, string> = { ok: 'ok', ko: 'ko', failed: 'fallita', empty: 'vuota' };
const outcomeIt = (o: string) => OUTCOME_IT[o] ?? o;
/** A reason the Nodo recorded (technical, as it came): quoted in Italian. */
const tail = (r: string | undefined): Bi => (r ? [` ${r}`, ` "${r}"`] : ['', '']);

/** The progress query's verdict in both languages: its problems, or what it answered. */
const progressSaid = (a: AvanzamentoRpt, fine: Bi): Bi => (a.problems.length ? [a.problems.join('; '), a.problemsIt.join('; ')] : fine);

async function pullRound(t: OldPspContext): Promise<{ report: PullReport; mark: number }> {
  const mark = t.journal.entries.at(-1)?.seq ?? 0;
  return { report: await t.nodo.rtPull.pullRts(t.channel.idChannel, { idPSP: t.channel.idPSP }), mark };
}

const pull01: Def = {
  id: 'PSP-OLD-PULL-01',
  title: 'PULL retrieval of a valid RT: listed by pspChiediListaRT, given by pspChiediRT, acknowledged ACTC, then gone from the list',
  titleIt: 'Recupero PULL di una RT valida: elencata da pspChiediListaRT, restituita da pspChiediRT, confermata ACTC, poi assente dalla lista',
  ...MODEL,
  checks: [
    spec('listed', ['pspChiediListaRT lists the RT the PSP could not push (TR-09)', 'pspChiediListaRT elenca la RT che il PSP non ha potuto inviare in push (TR-09)'], 'OLD-RT-PULL-01'),
    spec('fetched', ["pspChiediRT gives the RT, which passes the Nodo's checks against its RPT (ACTC)", 'pspChiediRT restituisce la RT, che supera i controlli del Nodo rispetto alla sua RPT (ACTC)'], 'OLD-RT-PULL-01'),
    spec('ack', ['pspInviaAckRT with ACTC is answered esito OK', 'pspInviaAckRT con ACTC riceve risposta esito OK'], 'OLD-RT-PULL-01'),
    spec('kept-until-ack', ['an RT fetched with pspChiediRT but not yet acknowledged stays in the list (the Nodo may not have it)', 'una RT prelevata con pspChiediRT ma non ancora confermata resta nella lista (il Nodo potrebbe non averla)'], 'OLD-RT-PULL-01'),
    spec('gone', ['after ACTC the RT is no longer listed by pspChiediListaRT', "dopo l'ACTC la RT non è più elencata da pspChiediListaRT"], 'OLD-RT-PULL-01'),
  ],
  async run(t) {
    const keys = await rtInQueue(t);
    // the Nodo fetches the RT and its ACK is lost: the RT must still be listed
    const fetched = await callPsp(t, 'pspChiediRT', { identificativoDominio: keys.idDominio, identificativoUnivocoVersamento: keys.iuv, codiceContestoPagamento: keys.ccp }, 'PULL: fetched, the ACK never sent');
    const relisted = await callPsp(t, 'pspChiediListaRT', { identificativoRichiedente: t.channel.idPSP, identificativoIntermediarioPSP: t.channel.idBrokerPSP, identificativoCanale: t.channel.idChannel }, 'PULL: the list again before any ACK');
    const kept = usable(relisted.answer) && relisted.answer.outcome === 'OK' && relisted.response!.raw.includes(keys.iuv) && relisted.response!.raw.includes(keys.ccp);
    const [f, fIt] = answerSaid(fetched.answer, 'esito');
    const [r, rIt] = answerSaid(relisted.answer, 'esito');
    const gone = relisted.answer.outcome === 'OK';
    t.check({
      id: 'kept-until-ack',
      held: kept,
      message: kept
        ? ['fetched and not acknowledged: still listed', 'prelevata e non confermata: ancora elencata']
        : [`fetched (${f}), not acknowledged, then pspChiediListaRT: ${gone ? 'the RT is no longer listed' : r}`, `prelevata (${fIt}), non confermata, poi pspChiediListaRT: ${gone ? 'la RT non è più elencata' : rIt}`],
      entries: [fetched.request, fetched.response, relisted.request, relisted.response],
    });
    const { report, mark } = await pullRound(t);
    const listE = since(t, mark, 'pspChiediListaRT');
    const listed = report.list.items.some((k) => same(k, keys));
    const fc = report.list.faultCode ? ` ${report.list.faultCode}` : '';
    t.check({
      id: 'listed',
      held: listed,
      message: listed
        ? [`pspChiediListaRT listed ${keys.iuv}/${keys.ccp}`, `pspChiediListaRT ha elencato ${keys.iuv}/${keys.ccp}`]
        : [`pspChiediListaRT: ${report.list.outcome}${fc}, the RT ${keys.iuv}/${keys.ccp} not listed`, `pspChiediListaRT: ${outcomeIt(report.list.outcome)}${fc}, la RT ${keys.iuv}/${keys.ccp} non elencata`],
      entries: listE,
    });
    if (!listed) return;
    const got = report.rts.find((r) => same(r, keys));
    const fetchE = since(t, mark, 'pspChiediRT');
    const why = got?.fetched.faultCode ?? got?.fetched.reason ?? '';
    t.check({
      id: 'fetched',
      held: !!got && got.fetched.outcome === 'ok' && got.ack?.stato === 'ACTC',
      message: !got
        ? ['never fetched', 'mai prelevata']
        : got.fetched.outcome !== 'ok'
          ? [`pspChiediRT: ${got.fetched.outcome} ${why}`, `pspChiediRT: ${outcomeIt(got.fetched.outcome)} ${got.fetched.faultCode ?? (got.fetched.reason ? `"${got.fetched.reason}"` : '')}`]
          : [`ack ${got.ack?.stato ?? 'none'}${got.ack?.reason ? `: ${got.ack.reason}` : ''}`, `conferma ${got.ack?.stato ?? 'assente'}${got.ack?.reason ? `: "${got.ack.reason}"` : ''}`],
      entries: fetchE,
    });
    if (got?.ack?.stato !== 'ACTC') return;
    const ackE = since(t, mark, 'pspInviaAckRT');
    const af = got.ack.answerFault ? ` ${got.ack.answerFault}` : '';
    const ar = tail(got.ack.answerReason);
    t.check({ id: 'ack', held: got.ack.answer === 'ok', message: [`pspInviaAckRT ACTC: ${got.ack.answer}${af}${ar[0]}`, `pspInviaAckRT ACTC: ${outcomeIt(got.ack.answer)}${af}${ar[1]}`], entries: ackE });
    const again = await pullRound(t);
    const still = again.report.list.items.some((k) => same(k, keys));
    t.check({
      id: 'gone',
      held: !still && again.report.list.outcome !== 'failed' && again.report.list.outcome !== 'ko',
      message: still
        ? ['the RT acknowledged ACTC is listed again', 'la RT confermata ACTC è elencata di nuovo']
        : [`the next pspChiediListaRT: ${again.report.list.outcome}, the RT no longer listed`, `la successiva pspChiediListaRT: ${outcomeIt(again.report.list.outcome)}, la RT non è più elencata`],
      entries: since(t, again.mark, 'pspChiediListaRT'),
    });
  },
};

const pull02: Def = {
  id: 'PSP-OLD-PULL-02',
  title: 'PULL retrieval of an RT the Nodo refuses: pspInviaAckRT with RJCT is answered esito OK, the queue still answers',
  titleIt: 'Recupero PULL di una RT rifiutata dal Nodo: pspInviaAckRT con RJCT riceve esito OK, la coda risponde ancora',
  ...MODEL,
  checks: [
    spec('rjct-ok', ['pspInviaAckRT with statoMessaggioReferenziato RJCT is answered esito OK (L2387)', 'pspInviaAckRT con statoMessaggioReferenziato RJCT riceve risposta esito OK (L2387)'], 'OLD-RT-PULL-02'),
    spec(
      'after',
      [
        "after the RJCT the PSP's queue still answers pspChiediListaRT (the RT kept for the Tavolo Operativo or still listed, A-12)",
        'dopo il RJCT la coda del PSP risponde ancora a pspChiediListaRT (la RT conservata per il Tavolo Operativo o ancora elencata, A-12)',
      ],
      'OLD-RT-PULL-02',
    ),
  ],
  async run(t) {
    const keys = await rtInQueue(t);
    // the Nodo's configuration stops authorising the PSP on its channel for the pull: every RT fetched
    // is refused (V-04, PPT_AUTORIZZAZIONE), as an RT the Nodo cannot accept
    const round = await t.withChannel({ psps: ['COLLAUDONOPSP'] }, () => pullRound(t));
    const got = round.report.rts.find((r) => same(r, keys));
    const ackE = since(t, round.mark, 'pspInviaAckRT');
    if (!got || got.ack?.stato !== 'RJCT') {
      t.check({
        id: 'rjct-ok',
        held: false,
        message: !got
          ? [`the RT ${keys.iuv}/${keys.ccp} was not listed for PULL (${round.report.list.outcome})`, `la RT ${keys.iuv}/${keys.ccp} non è stata elencata per il PULL (${outcomeIt(round.report.list.outcome)})`]
          : [`the Nodo did not reject the RT (ack ${got.ack?.stato ?? 'none'})`, `il Nodo non ha rifiutato la RT (conferma ${got.ack?.stato ?? 'assente'})`],
        entries: since(t, round.mark, 'pspChiediListaRT'),
      });
      return;
    }
    const af = got.ack.answerFault ? ` ${got.ack.answerFault}` : '';
    const ar = tail(got.ack.answerReason);
    t.check({ id: 'rjct-ok', held: got.ack.answer === 'ok', message: [`pspInviaAckRT RJCT (${got.ack.codiceErrore}): ${got.ack.answer}${af}${ar[0]}`, `pspInviaAckRT RJCT (${got.ack.codiceErrore}): ${outcomeIt(got.ack.answer)}${af}${ar[1]}`], entries: ackE });
    const again = await pullRound(t);
    const ok = again.report.list.outcome === 'ok' || again.report.list.outcome === 'empty';
    const stillListed = again.report.list.items.some((k) => same(k, keys));
    t.check({
      id: 'after',
      held: ok,
      message: [
        `the next pspChiediListaRT: ${again.report.list.outcome}${stillListed ? ' (the rejected RT still listed)' : ' (the rejected RT no longer listed)'}`,
        `la successiva pspChiediListaRT: ${outcomeIt(again.report.list.outcome)}${stillListed ? ' (la RT rifiutata ancora elencata)' : ' (la RT rifiutata non più elencata)'}`,
      ],
      entries: since(t, again.mark, 'pspChiediListaRT'),
    });
  },
};

const adv: Def = {
  id: 'PSP-OLD-ADV-01',
  title: 'Progress query (pspChiediAvanzamentoRPT): the state of an RPT the PSP holds, of its RT, and CANALE_RPT_SCONOSCIUTA for an RPT it never received',
  titleIt: 'Richiesta di avanzamento (pspChiediAvanzamentoRPT): lo stato di una RPT presso il PSP, della sua RT, e CANALE_RPT_SCONOSCIUTA per una RPT mai ricevuta',
  ...MODEL,
  checks: [
    spec('rpt-state', ["for an RPT the PSP received and paid: esito OK with the RPT's state in value", 'per una RPT che il PSP ha ricevuto e pagato: esito OK con lo stato della RPT in <value>'], 'OLD-RT-ADV-01'),
    spec('rt-state', ["for an RPT whose RT was sent: esito OK with the state (the RT's progress)", "per una RPT la cui RT è stata inviata: esito OK con lo stato (l'avanzamento della RT)"], 'OLD-RT-ADV-03', 'SHOULD'),
    spec('unknown', ['for an RPT the PSP never received: KO CANALE_RPT_SCONOSCIUTA', 'per una RPT che il PSP non ha mai ricevuto: KO CANALE_RPT_SCONOSCIUTA'], ['OLD-RT-ADV-02', 'OLD-RT-ADV-04']),
  ],
  async run(t) {
    const keys = await rtInQueue(t);
    const entriesOf = (mark: number) => since(t, mark, 'pspChiediAvanzamentoRPT');
    let mark = t.journal.entries.at(-1)?.seq ?? 0;
    const a = await t.nodo.chiediAvanzamentoRPT(keys, { idChannel: t.channel.idChannel });
    t.check({ id: 'rpt-state', held: a.outcome === 'ok' && !a.problems.length, message: progressSaid(a, [`esito OK, value ${a.value}`, `esito OK, stato value=${a.value}`]), entries: entriesOf(mark) });
    // the RT leaves the queue (PULL, ACTC): its progress after the delivery
    await t.nodo.rtPull.pullRts(t.channel.idChannel, { idPSP: t.channel.idPSP });
    mark = t.journal.entries.at(-1)?.seq ?? 0;
    const b = await t.nodo.chiediAvanzamentoRPT(keys, { idChannel: t.channel.idChannel });
    t.check({ id: 'rt-state', held: b.outcome === 'ok' && !b.problems.length, message: progressSaid(b, [`esito OK, value ${b.value}`, `esito OK, stato value=${b.value}`]), entries: entriesOf(mark) });
    mark = t.journal.entries.at(-1)?.seq ?? 0;
    const u = await t.nodo.chiediAvanzamentoRPT({ ...keys, ccp: `NOPE${keys.ccp}`.slice(0, 35) }, { idChannel: t.channel.idChannel });
    t.check({ id: 'unknown', held: u.outcome === 'ko' && !u.problems.length, message: progressSaid(u, [`KO ${u.faultCode}`, `KO ${u.faultCode}`]), entries: entriesOf(mark) });
  },
};

export const pullProgressScenarios: Def[] = [pull01, pull02, adv];
