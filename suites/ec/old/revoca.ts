// Revoca (PSP-initiated, catalogue §3.6 SM-REV) and storno (EC-initiated, §3.7 SM-STO) at the EC:
// the annullo tecnico every EC must handle (RR tipoRevoca 1 in, its ER out, then the replacing RT
// with forzaControlloSegno 1), a duplicate RR refused, the charge-back (features chargeBack), the
// storno the EC asks (old-storno: RR without tipoRevoca out, the PSP's ER in) and the ERs it refuses.
import { spec, type ScenarioDef } from '../../../src/core/scenario.js';
import { type Er, type Rr, erAgainstRr, erFor, erXml, readEr, readRr, rrAgainstRt, rrFor, rrXml, rtFor, rtXml, toBase64 } from '../../../domain/old/index.js';
import type { OldEcContext } from '../../../seats/ec-old.js';
import type { Bi } from '../../../src/core/text.js';
import { type Answer, type PaidPayment, askOldEc, ecCalls, esitoOf, noAnswer, paidPayment, problemsSaid, said, settled, stationExchanges, verifyAtPsp } from './lib.js';
import { checkCredentials, checkKo, checkOk } from './judge.js';

type Def = ScenarioDef<OldEcContext>;

/** How long the EC has to act on its own after a request (an ER after an RR): the window the profile gives it to act. */
const actWindowMs = (t: OldEcContext): number => t.trigger?.deadlineMs ?? t.timeouts.paaRevocaStorno;

/** The PSP's RR for a paid payment, the Nodo's paaInviaRichiestaRevoca and the candidate's answer to it. */
async function revoca(t: OldEcContext, p: PaidPayment, tipoRevoca: '1' | '2', rr?: Rr): Promise<{ rr: Rr; answer: Answer; mark: number }> {
  const doc = rr ?? rrFor(p.rt, { now: t.clock.now(), tipoRevoca });
  const mark = t.journal.entries.length;
  const nodo = await t.psp.requestRevoca(p, doc);
  const answer =
    stationExchanges(t, 'paaInviaRichiestaRevoca', (e) => e.correlation.iuv === p.iuv, mark).at(-1) ??
    noAnswer('none', `the Nodo never called paaInviaRichiestaRevoca (it answered the PSP ${said(nodo)[0]})`, `il Nodo non ha mai chiamato paaInviaRichiestaRevoca (al PSP ha risposto ${said(nodo)[1]})`);
  return { rr: doc, answer, mark };
}

/** The ER the candidate sends after accepting an RR (nodoInviaRispostaRevoca), as the PSP received it. */
async function erAfter(t: OldEcContext, p: PaidPayment, since: number): Promise<{ er?: Er; call?: ReturnType<typeof ecCalls>[number]; problem?: Bi }> {
  const doc = await t.psp.waitDocument('pspInviaRispostaRevoca', p.iuv, p.ccp, (await settled(t)) ? 0 : actWindowMs(t)).catch((e: Error) => e);
  const call = ecCalls(t, 'nodoInviaRispostaRevoca', since).at(-1);
  if (doc instanceof Error) {
    const problem: Bi = call
      ? [`the Nodo did not forward the ER: ${said(call.answer)[0]}`, `il Nodo non ha inoltrato l'ER: ${said(call.answer)[1]}`]
      : [`no ER (nodoInviaRispostaRevoca) within ${actWindowMs(t)} ms`, `nessun ER (nodoInviaRispostaRevoca) entro ${actWindowMs(t)} ms`];
    return { call, problem };
  }
  return { er: readEr(doc.xml), call };
}

const NO_ER: Bi = ['no ER', 'nessun ER'];
const NOTHING_RECORDED: Answer = noAnswer('none', 'no exchange recorded', 'nessuno scambio registrato');

function annullo(id: string, first: 'positive' | 'negative', req: string): Def {
  const after = first === 'positive' ? 'negative' : 'positive';
  const afterIt = after === 'positive' ? 'positiva' : 'negativa';
  return {
    id,
    title: `Annullo tecnico of a ${first} RT: RR tipoRevoca 1 accepted, ER accepting it, the replacing ${after} RT taken`,
    titleIt: `Annullo tecnico di una RT ${first === 'positive' ? 'positiva' : 'negativa'}: RR tipoRevoca 1 accettata, ER di accoglimento, RT sostitutiva ${afterIt} ricevuta`,
    seat: 'ec',
    model: 'old',
    checks: [
      spec('rr-ok', ['paaInviaRichiestaRevoca of an annullo tecnico (tipoRevoca 1) is answered esito OK', 'paaInviaRichiestaRevoca di un annullo tecnico (tipoRevoca 1) riceve esito OK'], req),
      spec('er-sent', ['the EC then sends the ER with nodoInviaRispostaRevoca (L2513-2514)', "l'EC invia poi l'ER con nodoInviaRispostaRevoca (L2513-2514)"], req),
      spec('er-content', [
        'the ER answers the RR (V-26: keys, riferimentoMessaggioRevoca, one esito per revoked payment) and accepts it: an annullo tecnico is mandatory for the EC (L2465)',
        "l'ER risponde alla RR (V-26: chiavi, riferimentoMessaggioRevoca, un esito per ogni pagamento revocato) e la accoglie: l'annullo tecnico è obbligatorio per l'EC (L2465)",
      ], req),
      spec('er-credentials', ["the EC's nodoInviaRispostaRevoca passes the Nodo's caller checks", "la nodoInviaRispostaRevoca dell'EC supera i controlli del Nodo sul chiamante"], 'OLD-X-AUTH-01'),
      spec('replacing-rt-ok', [`the replacing ${after} RT (forzaControlloSegno 1, L2520) is answered esito OK`, `la RT sostitutiva ${afterIt} (forzaControlloSegno 1, L2520) riceve esito OK`], req),
    ],
    writes: { payable: 1 },
    async run(t) {
      const n = await t.ownNotice('payable');
      let p = await paidPayment(t, n);
      if (first === 'negative') {
        // the payment to correct is one whose RT said "not paid": the Nodo delivers a negative RT in place of the first
        const neg = rtFor(readRptOf(t, p), 'negative', { now: t.clock.now() });
        p = { ...p, rt: neg };
        t.nodo.sendRt(p.idDominio, p.iuv, p.ccp, { rtXml: rtXml(neg), maxAttempts: 1, note: 'the RT to be corrected by the annullo tecnico: negative' });
        await t.nodo.waitDelivery(p.idDominio, p.iuv, p.ccp).catch(() => undefined);
      }
      const r = await revoca(t, p, '1');
      checkOk(t, 'rr-ok', r.answer, ['paaInviaRichiestaRevoca (tipoRevoca 1)', 'paaInviaRichiestaRevoca (tipoRevoca 1)']);
      if (esitoOf(r.answer) !== 'OK') return;
      const e = await erAfter(t, p, r.mark);
      t.check({
        id: 'er-sent',
        held: !!e.er,
        message: e.er ? [`ER ${e.er.identificativoMessaggioEsito} for RR ${e.er.riferimentoMessaggioRevoca}`, `ER ${e.er.identificativoMessaggioEsito} per la RR ${e.er.riferimentoMessaggioRevoca}`] : (e.problem ?? NO_ER),
        entries: [e.call?.request, e.call?.response],
      });
      if (e.call) checkCredentials(t, 'er-credentials', e.call.answer, 'nodoInviaRispostaRevoca');
      else t.notExercised('er-credentials', ['the EC sent no ER', "l'EC non ha inviato alcun ER"]);
      if (!e.er) return t.notExercised('replacing-rt-ok', ['no ER: the annullo tecnico did not complete', "nessun ER: l'annullo tecnico non si è completato"]);
      const problems = erAgainstRr(r.rr, e.er).filter((x) => x.severity === 'error');
      const refused = refusedLines(r.rr, e.er) > 0;
      t.check({
        id: 'er-content',
        held: problems.length === 0 && !refused,
        message: problems.length
          ? problemsSaid(problems)
          : refused
            ? ['the ER refuses the annullo tecnico (singoloImportoRevocato 0.00)', "l'ER rifiuta l'annullo tecnico (singoloImportoRevocato 0.00)"]
            : ['the ER accepts every revoked payment of the RR', "l'ER accoglie ogni pagamento revocato della RR"],
        entries: [e.call?.request],
      });
      // the PSP's replacing RT overwrites the revoked one
      const replacing = rtFor(readRptOf(t, p), after, { now: t.clock.now() });
      const mark = t.journal.entries.length;
      await t.psp.sendRtFor(p, replacing, { forzaControlloSegno: 1 });
      await t.nodo.waitDelivery(p.idDominio, p.iuv, p.ccp).catch(() => undefined);
      const a = stationExchanges(t, 'paaInviaRT', (x) => x.correlation.iuv === p.iuv && x.correlation.ccp === p.ccp, mark).at(-1) ?? noAnswer('none', 'the replacing RT never reached the EC', "la RT sostitutiva non ha mai raggiunto l'EC");
      checkOk(t, 'replacing-rt-ok', a, [`paaInviaRT of the replacing ${after} RT`, `paaInviaRT della RT sostitutiva ${afterIt}`]);
    },
  };
}

/** How many of the RR's revoked payments the ER does not revoke in full (a refusal revokes 0.00, §1.6). */
function refusedLines(rr: Rr, er: Er): number {
  return rr.datiRevoca.datiSingolaRevoca.filter((line, i) => (er.datiRevoca.datiSingolaRevoca[i]?.singoloImportoRevocato ?? 0) < line.singoloImportoRevocato).length;
}

/** The RPT of a paid payment as the Nodo keeps it. */
function readRptOf(t: OldEcContext, p: PaidPayment) {
  const rec = t.nodo.rpt(p.idDominio, p.iuv, p.ccp);
  if (!rec) return t.harnessError(`the Nodo has no RPT ${p.idDominio}/${p.iuv}/${p.ccp}`);
  return rec.rpt.doc;
}

const duplicateRr: Def = {
  id: 'EC-OLD-REV-03',
  title: 'An RR the EC already handled is refused with PAA_RR_DUPLICATA',
  titleIt: "Una RR già gestita dall'EC è rifiutata con PAA_RR_DUPLICATA",
  seat: 'ec',
  model: 'old',
  checks: [spec('rr-duplicate', ['the same RR delivered again is answered KO PAA_RR_DUPLICATA (V-25)', 'la stessa RR consegnata di nuovo riceve KO PAA_RR_DUPLICATA (V-25)'], 'OLD-REV-ERR-02')],
  writes: { payable: 1 },
  async run(t) {
    const p = await paidPayment(t, await t.ownNotice('payable'));
    const first = await revoca(t, p, '1');
    if (esitoOf(first.answer) !== 'OK') return t.inconclusive([`the first RR was not accepted (${said(first.answer)[0]}): no RR to repeat`, `la prima RR non è stata accettata (${said(first.answer)[1]}): nessuna RR da ripetere`]);
    await erAfter(t, p, first.mark);
    // the same RR again, straight from the Nodo (the Nodo would refuse a second RR from the PSP itself, PPT_RR_DUPLICATA)
    const mark = t.journal.entries.length;
    await t.nodo.callStation('paaInviaRichiestaRevoca', { identificativoDominio: p.idDominio, identificativoUnivocoVersamento: p.iuv, codiceContestoPagamento: p.ccp, rr: toBase64(rrXml(first.rr)) }, { note: 'the same RR again' });
    const a = stationExchanges(t, 'paaInviaRichiestaRevoca', () => true, mark).at(-1) ?? NOTHING_RECORDED;
    checkKo(t, 'rr-duplicate', a, ['PAA_RR_DUPLICATA'], ['paaInviaRichiestaRevoca of an RR already handled', 'paaInviaRichiestaRevoca di una RR già gestita']);
  },
};

const chargeBack: Def = {
  id: 'EC-OLD-REV-04',
  title: 'Charge-back revoca (tipoRevoca 2): the RR accepted and answered by an ER that accepts or refuses it',
  titleIt: "Revoca per charge-back (tipoRevoca 2): RR accettata e ER che la accoglie o la rifiuta",
  seat: 'ec',
  model: 'old',
  feature: 'chargeBack',
  checks: [
    spec('rr-ok', ['paaInviaRichiestaRevoca of a charge-back is answered esito OK', 'paaInviaRichiestaRevoca di un charge-back riceve esito OK'], 'OLD-REV-CB-01'),
    spec('er-accepts', ['the ER accepts the charge-back, consistent with the RR (V-26)', "l'ER accoglie il charge-back, coerente con la RR (V-26)"], 'OLD-REV-CB-01'),
    spec('er-refuses', ['or the ER refuses it on the merits (singoloImportoRevocato 0.00), consistent with the RR (V-26)', "oppure l'ER lo rifiuta nel merito (singoloImportoRevocato 0.00), coerente con la RR (V-26)"], 'OLD-REV-CB-02'),
  ],
  writes: { payable: 1 },
  async run(t) {
    const p = await paidPayment(t, await t.ownNotice('payable'));
    const r = await revoca(t, p, '2');
    checkOk(t, 'rr-ok', r.answer, ['paaInviaRichiestaRevoca (tipoRevoca 2)', 'paaInviaRichiestaRevoca (tipoRevoca 2)']);
    if (esitoOf(r.answer) !== 'OK') return;
    const e = await erAfter(t, p, r.mark);
    if (!e.er) {
      t.check({ id: 'er-accepts', held: false, message: e.problem ?? NO_ER, entries: [e.call?.request] });
      return t.notExercised('er-refuses', NO_ER);
    }
    const problems = erAgainstRr(r.rr, e.er).filter((x) => x.severity === 'error');
    const refused = refusedLines(r.rr, e.er) === r.rr.datiRevoca.datiSingolaRevoca.length;
    const id = refused ? 'er-refuses' : 'er-accepts';
    t.check({
      id,
      held: problems.length === 0,
      message: problems.length ? problemsSaid(problems) : [`the ER ${refused ? 'refuses' : 'accepts'} the charge-back`, `l'ER ${refused ? 'rifiuta' : 'accoglie'} il charge-back`],
      entries: [e.call?.request],
    });
    t.notExercised(refused ? 'er-accepts' : 'er-refuses', [`the EC ${refused ? 'refused' : 'accepted'} the charge-back`, `l'EC ha ${refused ? 'rifiutato' : 'accolto'} il charge-back`]);
  },
};

const storno: Def = {
  id: 'EC-OLD-STO-01',
  title: 'Storno asked by the EC: RR without tipoRevoca, the PSP\'s ER accepted',
  titleIt: "Storno richiesto dall'EC: RR senza tipoRevoca, ER del PSP accettato",
  seat: 'ec',
  model: 'old',
  feature: 'storno',
  checks: [
    spec('rr-sent', ['asked to, the EC sends an RR for the paid payment with nodoInviaRichiestaStorno and the Nodo accepts it', "su richiesta, l'EC invia una RR per il pagamento eseguito con nodoInviaRichiestaStorno e il Nodo la accetta"], 'OLD-STO-01'),
    spec('rr-content', ['the RR matches the RT (keys, IUR, amounts) and carries no tipoRevoca (V-28)', 'la RR corrisponde alla RT (chiavi, IUR, importi) e non riporta tipoRevoca (V-28)'], 'OLD-STO-01'),
    spec('rr-credentials', ["the EC's nodoInviaRichiestaStorno passes the Nodo's caller checks", "la nodoInviaRichiestaStorno dell'EC supera i controlli del Nodo sul chiamante"], 'OLD-X-AUTH-01'),
    spec('er-ok', ["paaInviaEsitoStorno with the PSP's ER is answered esito OK", "paaInviaEsitoStorno con l'ER del PSP riceve esito OK"], 'OLD-STO-01'),
    spec('er-duplicate', ['the same ER again is answered KO PAA_ER_DUPLICATA', 'lo stesso ER inviato di nuovo riceve KO PAA_ER_DUPLICATA'], 'OLD-STO-ERR-04'),
  ],
  writes: { payable: 1 },
  async run(t) {
    const p = await paidPayment(t, await t.ownNotice('payable'));
    const sent = await askOldEc(t, 'old-storno', { idDominio: p.idDominio, iuv: p.iuv, ccp: p.ccp }, 'nodoInviaRichiestaStorno');
    checkCredentials(t, 'rr-credentials', sent.answer, 'nodoInviaRichiestaStorno');
    checkOk(t, 'rr-sent', sent.answer, ['nodoInviaRichiestaStorno', 'nodoInviaRichiestaStorno']);
    const kept = await t.psp.waitDocument('pspInviaRichiestaStorno', p.iuv, p.ccp, (await settled(t)) ? 0 : actWindowMs(t)).catch(() => undefined);
    if (!kept) return t.inconclusive([`the RR never reached the PSP (${said(sent.answer)[0]})`, `la RR non ha mai raggiunto il PSP (${said(sent.answer)[1]})`]);
    const rr = readRr(kept.xml);
    const problems = rrAgainstRt(p.rt, rr, 'storno').filter((x) => x.severity === 'error');
    const lines = rr.datiRevoca.datiSingolaRevoca.length;
    t.check({
      id: 'rr-content',
      held: problems.length === 0,
      message: problems.length
        ? problemsSaid(problems)
        : [`RR ${rr.identificativoMessaggioRevoca} for ${lines} payment(s), no tipoRevoca`, `RR ${rr.identificativoMessaggioRevoca} per ${lines} pagamento/i, senza tipoRevoca`],
      entries: [sent.request],
    });
    const er = erFor(rr, { now: t.clock.now(), outcome: 'accepted' });
    const mark = t.journal.entries.length;
    await t.psp.sendEsitoStorno(p, er);
    const a = stationExchanges(t, 'paaInviaEsitoStorno', (x) => x.correlation.iuv === p.iuv, mark).at(-1) ?? noAnswer('none', 'the Nodo never called paaInviaEsitoStorno', 'il Nodo non ha mai chiamato paaInviaEsitoStorno');
    checkOk(t, 'er-ok', a, ['paaInviaEsitoStorno', 'paaInviaEsitoStorno']);
    const mark2 = t.journal.entries.length;
    await t.nodo.callStation('paaInviaEsitoStorno', { identificativoIntermediarioPA: t.station.idIntermediarioPA, identificativoStazioneIntermediarioPA: t.station.idStazione, identificativoDominio: p.idDominio, identificativoUnivocoVersamento: p.iuv, codiceContestoPagamento: p.ccp, er: toBase64(erXml(er)) }, { note: 'the same ER again' });
    const again = stationExchanges(t, 'paaInviaEsitoStorno', () => true, mark2).at(-1) ?? NOTHING_RECORDED;
    checkKo(t, 'er-duplicate', again, ['PAA_ER_DUPLICATA'], ['paaInviaEsitoStorno of an ER already received', 'paaInviaEsitoStorno di un ER già ricevuto']);
    if (p.notice) await verifyAtPsp(t, p.notice);
  },
};

const strayEr: Def = {
  id: 'EC-OLD-STO-02',
  title: 'A storno ER for no RR of the EC is refused with PAA_RR_SCONOSCIUTA',
  titleIt: "Un ER di storno che non risponde ad alcuna RR dell'EC è rifiutato con PAA_RR_SCONOSCIUTA",
  seat: 'ec',
  model: 'old',
  feature: 'storno',
  checks: [spec('er-unknown', ["paaInviaEsitoStorno of an ER answering an RR the EC never sent is answered KO PAA_RR_SCONOSCIUTA (V-27)", "paaInviaEsitoStorno di un ER che risponde a una RR mai inviata dall'EC riceve KO PAA_RR_SCONOSCIUTA (V-27)"], 'OLD-STO-ERR-04')],
  writes: { payable: 1 },
  async run(t) {
    const p = await paidPayment(t, await t.ownNotice('payable'));
    const rr = rrFor(p.rt, { now: t.clock.now(), identificativoMessaggioRevoca: `NEVER${p.iuv.slice(-10)}` });
    const er = erFor(rr, { now: t.clock.now(), outcome: 'accepted' });
    const mark = t.journal.entries.length;
    await t.nodo.callStation('paaInviaEsitoStorno', { identificativoIntermediarioPA: t.station.idIntermediarioPA, identificativoStazioneIntermediarioPA: t.station.idStazione, identificativoDominio: p.idDominio, identificativoUnivocoVersamento: p.iuv, codiceContestoPagamento: p.ccp, er: toBase64(erXml(er)) }, { note: 'an ER for an RR the EC never sent' });
    const a = stationExchanges(t, 'paaInviaEsitoStorno', () => true, mark).at(-1) ?? NOTHING_RECORDED;
    checkKo(t, 'er-unknown', a, ['PAA_RR_SCONOSCIUTA'], ['paaInviaEsitoStorno for an RR never sent', 'paaInviaEsitoStorno per una RR mai inviata']);
  },
};

/**
 * After a refusal the EC escalates to the Tavolo Operativo instead of sending the same request again
 * (L2896, L2960): no second `primitive` for the payment once the EC is done (the embedded EC's started
 * actions are over) or, for a real EC, within the time the profile gives it to act.
 */
async function noAutomaticRetry(t: OldEcContext, id: string, primitive: string, p: PaidPayment, since: number): Promise<void> {
  const count = () => ecCalls(t, primitive, since).filter((c) => c.request.correlation.iuv === p.iuv).length;
  if (t.reference) await t.reference.old.idle();
  else await t.journal.waitFor((e) => e.seq > since && e.direction === 'request' && e.primitive === primitive && e.correlation.iuv === p.iuv && count() > 1, actWindowMs(t), 'a retry').catch(() => undefined);
  const calls = ecCalls(t, primitive, since).filter((c) => c.request.correlation.iuv === p.iuv);
  const answered: Bi = calls[0] ? said(calls[0].answer) : ['nothing', 'nulla'];
  t.check({
    id,
    held: calls.length <= 1,
    message:
      calls.length <= 1
        ? [`one ${primitive}, answered ${answered[0]}: no automatic retry`, `una sola ${primitive}, con risposta ${answered[1]}: nessun nuovo invio automatico`]
        : [`${calls.length} ${primitive} for the same payment after the PSP's refusal`, `${calls.length} ${primitive} per lo stesso pagamento dopo il rifiuto del PSP`],
    entries: calls.flatMap((c) => [c.request, c.response]),
  });
}

const erRefusedByPsp: Def = {
  id: 'EC-OLD-REV-05',
  title: 'The PSP refuses the EC\'s ER (CANALE_ER_DUPLICATA): the EC does not send it again on its own',
  titleIt: "Il PSP rifiuta l'ER dell'EC (CANALE_ER_DUPLICATA): l'EC non lo reinvia da sé",
  seat: 'ec',
  model: 'old',
  checks: [spec('no-automatic-retry', ["after the relayed refusal the EC sends no second nodoInviaRispostaRevoca (the suggested action is the Tavolo Operativo, L2896)", "dopo il rifiuto inoltrato l'EC non invia una seconda nodoInviaRispostaRevoca (l'azione suggerita è il Tavolo Operativo, L2896)"], 'OLD-REV-ERR-04', 'SHOULD')],
  writes: { payable: 1 },
  async run(t) {
    const p = await paidPayment(t, await t.ownNotice('payable'));
    t.psp.script({ iuv: p.iuv }, { refuse: { code: 'CANALE_ER_DUPLICATA', description: 'ER already received (scripted by the scenario)' } });
    const r = await revoca(t, p, '1');
    if (esitoOf(r.answer) !== 'OK') return t.inconclusive([`the RR was not accepted (${said(r.answer)[0]}): no ER to refuse`, `la RR non è stata accettata (${said(r.answer)[1]}): nessun ER da rifiutare`]);
    await noAutomaticRetry(t, 'no-automatic-retry', 'nodoInviaRispostaRevoca', p, r.mark);
  },
};

const rrRefusedByPsp: Def = {
  id: 'EC-OLD-STO-03',
  title: 'The PSP refuses the EC\'s storno request (CANALE_OPER_NON_STORNABILE): the EC does not send it again on its own',
  titleIt: "Il PSP rifiuta la richiesta di storno dell'EC (CANALE_OPER_NON_STORNABILE): l'EC non la reinvia da sé",
  seat: 'ec',
  model: 'old',
  feature: 'storno',
  checks: [spec('no-automatic-retry', ["after the relayed refusal (PPT_CANALE_ERRORE) the EC sends no second nodoInviaRichiestaStorno (the suggested action is the Tavolo Operativo, L2960)", "dopo il rifiuto inoltrato (PPT_CANALE_ERRORE) l'EC non invia una seconda nodoInviaRichiestaStorno (l'azione suggerita è il Tavolo Operativo, L2960)"], 'OLD-STO-ERR-02', 'SHOULD')],
  writes: { payable: 1 },
  async run(t) {
    const p = await paidPayment(t, await t.ownNotice('payable'));
    t.psp.script({ iuv: p.iuv }, { refuse: { code: 'CANALE_OPER_NON_STORNABILE', description: 'storno not possible (scripted by the scenario)' } });
    const sent = await askOldEc(t, 'old-storno', { idDominio: p.idDominio, iuv: p.iuv, ccp: p.ccp }, 'nodoInviaRichiestaStorno');
    await noAutomaticRetry(t, 'no-automatic-retry', 'nodoInviaRichiestaStorno', p, sent.asked);
  },
};

export const revocaScenarios: Def[] = [annullo('EC-OLD-REV-01', 'positive', 'OLD-REV-AT-01'), annullo('EC-OLD-REV-02', 'negative', 'OLD-REV-AT-02'), duplicateRr, chargeBack, erRefusedByPsp, storno, strayEr, rrRefusedByPsp];
