// Revoca started by the PSP (OLD-REV-AT-01/02 annullo tecnico, OLD-REV-CB-01 charge-back, OLD-REV-ERR-
// 01/04; L2440-2561) and storno started by the EC (OLD-STO-01, OLD-STO-ERR-02; L2562-2595). A payment
// whose RT reached the Nodo, then: the candidate asked (old-psp-revoca) to revoke it — its RR judged by
// the Nodo (tipoRevoca, keys, IUR, rrAgainstRt), the EC's ER forwarded to it (pspInviaRispostaRevoca)
// and, after an accepted annullo tecnico, the replacing RT with the opposite outcome and
// forzaControlloSegno 1 (L2520); the same ER sent again must be refused. The EC's storno RR forwarded
// to the candidate (pspInviaRichiestaStorno) must be answered OK and followed by its ER
// (nodoInviaEsitoStorno, accepted by the Nodo's checks); the same RR sent again must be refused.
import { type ScenarioDef, spec } from '../../../src/core/scenario.js';
import type { RtKeys } from '../../../actors/nodo/index.js';
import type { OldPspContext } from '../../../seats/psp-old.js';
import type { TransportFault } from '../../../src/core/faults.js';
import { answerSaid } from '../../../src/wire/answer.js';
import { type Bi, joinSaid } from '../../../src/core/text.js';
import { aboutIuv, callPsp, checkExchangeKo, checkExchangeOk, nodoToPsp, pspCalls, resendToPsp, usable } from './lib.js';
import { paymentWithScript } from './rt-push.js';
import { awaitRt, drainQueue, pullChannel, rtsGiven } from './rt-path.js';

type Def = ScenarioDef<OldPspContext>;
const MODEL = { seat: 'psp' as const, model: 'old' };

/** A payment whose RT (positive unless `negative`) the Nodo holds; its keys. */
async function paidRt(t: OldPspContext, negative = false): Promise<RtKeys> {
  if (negative) {
    if (!t.offers('pspStarted')) return t.notApplicable([
        'a negative RT for a charged payer is made at the PSP here (old-psp-abandon); the profile does not offer old.features.pspStarted',
        'qui una RT negativa per un pagatore addebitato si ottiene presso il PSP (old-psp-abandon); il profilo non offre old.features.pspStarted',
      ]);
    const n = t.position({ amountCents: 4400 });
    const ask = await t.ask('old-psp-abandon', n, { verify: false, amountCents: n.amountCents });
    if (pullChannel(t)) await t.done(ask);
    await awaitRt(t, n.iuv, undefined, ask.mark);
    const rec = t.nodo.rpts().find((r) => r.idDominio === n.fiscalCode && r.iuv === n.iuv && r.rt);
    if (!rec) return t.inconclusive([`no RT of ${n.iuv} reached the Nodo: nothing to revoke`, `nessuna RT di ${n.iuv} è giunta al Nodo: niente da revocare`]);
    return { idDominio: rec.idDominio, iuv: rec.iuv, ccp: rec.ccp };
  }
  const { keys, mark, ask } = await paymentWithScript(t, []);
  // on a PULL channel the Nodo polls once the candidate is done with the payment (its report), its RT queued by then (TR-09)
  if (ask && pullChannel(t)) await t.done(ask);
  await awaitRt(t, keys.iuv, keys.ccp, mark);
  if (!t.nodo.rpt(keys.idDominio, keys.iuv, keys.ccp)?.rt) return t.inconclusive([`no RT of ${keys.iuv}/${keys.ccp} reached the Nodo: nothing to revoke`, `nessuna RT di ${keys.iuv}/${keys.ccp} è giunta al Nodo: niente da revocare`]);
  return keys;
}

function revoca(o: { id: string; title: string; titleIt: string; tipo: '1' | '2'; negative?: boolean; reqs: string[]; feature?: 'chargeBack'; ecRefuses?: boolean }): Def {
  const replacing = o.tipo === '1';
  return {
    id: o.id,
    title: o.title,
    titleIt: o.titleIt,
    ...MODEL,
    ...(o.feature ? { feature: o.feature } : {}),
    checks: [
      spec(
        'rr',
        [
          `the candidate's nodoInviaRichiestaRevoca carries an RR (tipoRevoca ${o.tipo}) for its RT that the Nodo accepts: esito OK`,
          `la nodoInviaRichiestaRevoca del candidato porta una RR (tipoRevoca ${o.tipo}) per la sua RT che il Nodo accetta: esito OK`,
        ],
        [...o.reqs, 'OLD-REV-ERR-01'],
      ),
      spec(
        'er-accepted',
        [`the EC's ${o.ecRefuses ? 'negative ' : ''}ER forwarded with pspInviaRispostaRevoca is answered esito OK`, `l'ER ${o.ecRefuses ? 'negativo ' : ''}dell'EC inoltrato con pspInviaRispostaRevoca riceve risposta esito OK`],
        o.reqs,
      ),
      ...(o.ecRefuses ? [spec('rt-stands', ['the revoca refused on the merits, the RT stands: no other RT for the payment', 'rifiutata la revoca nel merito, la RT resta valida: nessun\'altra RT per il pagamento'], o.reqs)] : []),
      ...(replacing
        ? [
            spec(
              'replacing-rt',
              [
                `after the accepted annullo tecnico the replacing RT: codiceEsitoPagamento ${o.negative ? '0' : '1'}, forzaControlloSegno 1, accepted by the Nodo (L2520)`,
                `dopo l'annullo tecnico accettato la RT sostitutiva: codiceEsitoPagamento ${o.negative ? '0' : '1'}, forzaControlloSegno 1, accettata dal Nodo (L2520)`,
              ],
              o.reqs,
            ),
          ]
        : []),
      spec('er-duplicate', ['the same ER sent again is refused: KO CANALE_ER_DUPLICATA', 'lo stesso ER inviato di nuovo è rifiutato: KO CANALE_ER_DUPLICATA'], 'OLD-REV-ERR-04'),
    ],
    async run(t) {
      const flow = async (): Promise<void> => {
        const keys = await paidRt(t, o.negative);
        const ask = await t.ask('old-psp-revoca', { fiscalCode: keys.idDominio, noticeNumber: `3${keys.iuv}` }, { params: { iuv: keys.iuv, ccp: keys.ccp, idDominio: keys.idDominio, tipoRevoca: o.tipo } });
        await t.waitEntry((e) => e.direction === 'response' && e.to === 'nodo' && e.primitive === 'pspInviaRispostaRevoca' && aboutIuv(keys.iuv)(e), ask.mark, 'pspInviaRispostaRevoca');
        const rr = checkExchangeOk(t, 'rr', pspCalls(t, 'nodoInviaRichiestaRevoca', ask.mark, aboutIuv(keys.iuv)), ['nodoInviaRichiestaRevoca', 'nodoInviaRichiestaRevoca']);
        if (!rr || rr.answer.outcome !== 'OK') return;
        const er = checkExchangeOk(t, 'er-accepted', nodoToPsp(t, 'pspInviaRispostaRevoca', ask.mark, aboutIuv(keys.iuv)), ["the candidate's answer to pspInviaRispostaRevoca (the EC's ER)", "la risposta del candidato a pspInviaRispostaRevoca (l'ER dell'EC)"]);
        if (replacing) {
          await t.waitEntry((e) => e.direction === 'response' && e.primitive === 'nodoInviaRT' && aboutIuv(keys.iuv)(e) && /forzaControlloSegno>1</.test(t.journal.entries.find((x) => x.exchange === e.exchange && x.direction === 'request')?.raw ?? ''), ask.mark, 'the replacing nodoInviaRT');
          const pushes = pspCalls(t, 'nodoInviaRT', ask.mark, aboutIuv(keys.iuv));
          const rt = t.nodo.rpt(keys.idDominio, keys.iuv, keys.ccp)?.rt;
          const want = o.negative ? '0' : '1';
          const held = !!rt && rt.forced && rt.codiceEsito === want && pushes.some((p) => p.answer.outcome === 'OK');
          t.check({
            id: 'replacing-rt',
            held,
            message: !pushes.length
              ? ["no RT followed the accepted annullo tecnico", "nessuna RT ha seguito l'annullo tecnico accettato"]
              : held
                ? [`replacing RT accepted: codiceEsitoPagamento ${rt!.codiceEsito}, forzaControlloSegno 1`, `RT sostitutiva accettata: codiceEsitoPagamento ${rt!.codiceEsito}, forzaControlloSegno 1`]
                : [
                    `the RT the Nodo holds: codiceEsitoPagamento ${rt?.codiceEsito ?? '-'}, forced ${rt?.forced ?? '-'} (expected ${want}, forced); last push ${pushes.at(-1)?.answer.outcome ?? '-'}`,
                    `la RT che il Nodo detiene: codiceEsitoPagamento ${rt?.codiceEsito ?? '-'}, forzata ${rt ? (rt.forced ? 'sì' : 'no') : '-'} (atteso ${want}, forzata); ultimo invio ${pushes.at(-1)?.answer.outcome ?? '-'}`,
                  ],
            entries: pushes.flatMap((p) => [p.request, p.response]),
          });
        }
        if (o.ecRefuses) {
          await t.done(ask);
          const state = t.nodo.rpt(keys.idDominio, keys.iuv, keys.ccp)?.revoca?.state;
          if (state !== 'Revoca Rifiutata') return t.harnessError(`the emulated EC was to refuse the charge-back, but the Nodo holds the revoca as ${state ?? 'absent'}`);
          await drainQueue(t);
          const after = rtsGiven(t, keys.iuv, er?.request.seq ?? ask.mark);
          const hows = after.map((x) => x.how).join(', ');
          t.check({
            id: 'rt-stands',
            held: after.length === 0,
            message: after.length
              ? [`${after.length} RT(s) (${hows}) after the EC refused the revoca`, `${after.length} RT (${hows}) dopo che l'EC ha rifiutato la revoca`]
              : ['no other RT after the EC refused the revoca: the RT stands', "nessun'altra RT dopo che l'EC ha rifiutato la revoca: la RT resta valida"],
            entries: [er?.request, er?.response, ...after.map((x) => x.request)],
          });
        }
        if (!er) return;
        checkExchangeKo(t, 'er-duplicate', [await resendToPsp(t, er.request, 'the same ER sent again (OLD-REV-ERR-04)')], ['CANALE_ER_DUPLICATA'], ['the same pspInviaRispostaRevoca sent again', 'la stessa pspInviaRispostaRevoca inviata di nuovo']);
      };
      return o.ecRefuses ? t.withChargeBackRefused(flow) : flow();
    },
  };
}

const storno: Def = {
  id: 'PSP-OLD-STO-01',
  title: 'Storno asked by the EC: the RR forwarded to the PSP is answered OK, its ER follows and is accepted; the same RR again is refused',
  titleIt: 'Storno chiesto dall\'EC: la RR inoltrata al PSP riceve esito OK, segue l\'ER accettato; la stessa RR di nuovo è rifiutata',
  ...MODEL,
  feature: 'storno',
  checks: [
    spec('rr-accepted', ["pspInviaRichiestaStorno (the EC's RR) is answered esito OK", "pspInviaRichiestaStorno (la RR dell'EC) riceve risposta esito OK"], 'OLD-STO-01'),
    spec('er', ['the ER follows with nodoInviaEsitoStorno and the Nodo accepts it (it answers the RR: keys, IUR, amounts)', "segue l'ER con nodoInviaEsitoStorno e il Nodo lo accetta (risponde alla RR: chiavi, IUR, importi)"], 'OLD-STO-01'),
    spec('rr-duplicate', ['the same RR sent again is refused: KO CANALE_RR_DUPLICATA', 'la stessa RR inviata di nuovo è rifiutata: KO CANALE_RR_DUPLICATA'], 'OLD-STO-ERR-02'),
  ],
  async run(t) {
    const keys = await paidRt(t);
    const mark = t.journal.entries.at(-1)?.seq ?? 0;
    const asked = await t.ec.old.payments.storno(keys.idDominio, keys.iuv, keys.ccp);
    if (asked.problem || asked.esito !== 'OK') return t.harnessError(`the harness's EC could not ask the storno: ${asked.problem ?? `esito ${asked.esito}`}`);
    await t.waitEntry((e) => e.direction === 'response' && e.primitive === 'nodoInviaEsitoStorno' && aboutIuv(keys.iuv)(e), mark, 'nodoInviaEsitoStorno');
    const rr = checkExchangeOk(t, 'rr-accepted', nodoToPsp(t, 'pspInviaRichiestaStorno', mark, aboutIuv(keys.iuv)), ["the candidate's answer to pspInviaRichiestaStorno", 'la risposta del candidato a pspInviaRichiestaStorno']);
    if (!rr || rr.answer.outcome !== 'OK') return;
    checkExchangeOk(t, 'er', pspCalls(t, 'nodoInviaEsitoStorno', mark, aboutIuv(keys.iuv)), ["nodoInviaEsitoStorno (the candidate's ER)", 'nodoInviaEsitoStorno (ER del candidato)']);
    checkExchangeKo(t, 'rr-duplicate', [await resendToPsp(t, rr.request, 'the same RR sent again (OLD-STO-ERR-02)')], ['CANALE_RR_DUPLICATA'], ['the same pspInviaRichiestaStorno sent again', 'la stessa pspInviaRichiestaStorno inviata di nuovo']);
  },
};

/**
 * The storno's ER meets trouble past the PSP (OLD-STO-ERR-04, OLD-STO-TO-02/03): the EC refuses or never
 * answers paaInviaEsitoStorno, or the Nodo's answer to nodoInviaEsitoStorno is lost. The seed gives the
 * PSP no retry rule for the ER; the reading: it sends its ER, does not loop (at most the RT's 6 sends,
 * A-14) and keeps answering.
 */
function stornoTrouble(o: { id: string; title: string; titleIt: string; req: string; level: 'SHOULD' | 'MUST'; fault: { side: 'outbound' | 'inbound'; primitive: string; fault: TransportFault } }): Def {
  return {
    id: o.id,
    title: o.title,
    titleIt: o.titleIt,
    ...MODEL,
    feature: 'storno',
    checks: [
      spec('er-sent', ['the candidate answers the storno RR and sends its ER (nodoInviaEsitoStorno)', "il candidato risponde alla RR di storno e invia il suo ER (nodoInviaEsitoStorno)"], o.req, o.level),
      spec('no-loop', ["the ER is not sent again and again (at most 6 sends, the RT push's bound, A-14)", "l'ER non è inviato più e più volte (al massimo 6 invii, il limite dell'invio della RT, A-14)"], o.req, o.level),
      spec('alive', ["the candidate's PspPerNodo still answers afterwards", 'il PspPerNodo del candidato risponde ancora dopo'], o.req, o.level),
    ],
    async run(t) {
      const keys = await paidRt(t);
      t.faults.add({ side: o.fault.side, primitive: o.fault.primitive, match: { iuv: keys.iuv }, fault: o.fault.fault, times: 1 });
      const mark = t.journal.entries.at(-1)?.seq ?? 0;
      await t.ec.old.payments.storno(keys.idDominio, keys.iuv, keys.ccp);
      await t.waitEntry((e) => e.direction === 'request' && e.primitive === 'nodoInviaEsitoStorno' && aboutIuv(keys.iuv)(e), mark, 'nodoInviaEsitoStorno');
      await t.settle();
      const ers = pspCalls(t, 'nodoInviaEsitoStorno', mark, aboutIuv(keys.iuv));
      const rr = nodoToPsp(t, 'pspInviaRichiestaStorno', mark, aboutIuv(keys.iuv));
      const answers = joinSaid(ers.map((e) => answerSaid(e.answer, 'esito')), ', ');
      const rrSaid: Bi = rr.length ? answerSaid(rr.at(-1)!.answer, 'esito') : ['RR never forwarded', 'RR mai inoltrata'];
      t.check({
        id: 'er-sent',
        held: ers.length > 0,
        message: ers.length ? [`nodoInviaEsitoStorno: ${answers[0]}`, `nodoInviaEsitoStorno: ${answers[1]}`] : [`no ER after the RR (${rrSaid[0]})`, `nessun ER dopo la RR (${rrSaid[1]})`],
        entries: [...rr.flatMap((x) => [x.request, x.response]), ...ers.flatMap((e) => [e.request, e.response])],
      });
      t.check({ id: 'no-loop', held: ers.length <= 6, message: [`${ers.length} nodoInviaEsitoStorno`, `${ers.length} nodoInviaEsitoStorno`], entries: ers.map((e) => e.request) });
      const probe = await callPsp(t, 'pspChiediAvanzamentoRPT', { identificativoDominio: keys.idDominio, identificativoUnivocoVersamento: keys.iuv, codiceContestoPagamento: keys.ccp }, 'is the PSP still answering?');
      const [pr, prIt] = answerSaid(probe.answer, 'esito');
      t.check({ id: 'alive', held: usable(probe.answer), message: [`pspChiediAvanzamentoRPT afterwards: ${pr}`, `pspChiediAvanzamentoRPT dopo: ${prIt}`], entries: [probe.request, probe.response] });
    },
  };
}

const stornoTroubles: Def[] = [
  stornoTrouble({ id: 'PSP-OLD-STO-ERR-04', req: 'OLD-STO-ERR-04', level: 'SHOULD', title: 'The EC refuses the storno ER (paaInviaEsitoStorno reaches it broken, its KO relayed): the PSP does not loop and keeps answering', titleIt: "L'EC rifiuta l'ER dello storno (paaInviaEsitoStorno gli arriva guasta, il suo KO inoltrato): il PSP non va in ciclo e continua a rispondere", fault: { side: 'outbound', primitive: 'paaInviaEsitoStorno', fault: { kind: 'schema-invalid' } } }),
  stornoTrouble({ id: 'PSP-OLD-STO-TO-01', req: 'OLD-STO-TO-01', level: 'SHOULD', title: 'nodoInviaEsitoStorno fails at the Nodo (congestion: HTTP 500): the PSP does not loop and keeps answering', titleIt: 'nodoInviaEsitoStorno fallisce al Nodo (congestione: HTTP 500): il PSP non va in ciclo e continua a rispondere', fault: { side: 'inbound', primitive: 'nodoInviaEsitoStorno', fault: { kind: 'http500', soapFault: false } } }),
  stornoTrouble({ id: 'PSP-OLD-STO-TO-02', req: 'OLD-STO-TO-02', level: 'SHOULD', title: 'The EC never answers paaInviaEsitoStorno (timeout): the PSP does not loop and keeps answering', titleIt: "L'EC non risponde a paaInviaEsitoStorno (timeout): il PSP non va in ciclo e continua a rispondere", fault: { side: 'outbound', primitive: 'paaInviaEsitoStorno', fault: { kind: 'no-answer' } } }),
  stornoTrouble({ id: 'PSP-OLD-STO-TO-03', req: 'OLD-STO-TO-03', level: 'SHOULD', title: "The Nodo's answer to nodoInviaEsitoStorno is lost: the PSP does not loop and keeps answering", titleIt: 'La risposta del Nodo a nodoInviaEsitoStorno si perde: il PSP non va in ciclo e continua a rispondere', fault: { side: 'inbound', primitive: 'nodoInviaEsitoStorno', fault: { kind: 'no-answer' } } }),
];

const rrRefused: Def = {
  id: 'PSP-OLD-REV-ERR-02',
  title: 'The EC refuses the RR of an annullo tecnico (its KO relayed): no replacing RT, no loop, the PSP keeps answering',
  titleIt: "L'EC rifiuta la RR di un annullo tecnico (il suo KO inoltrato): nessuna RT sostitutiva, nessun ciclo, il PSP continua a rispondere",
  ...MODEL,
  checks: [
    spec(
      'refused',
      ["the candidate's RR passes the Nodo's checks and reaches the EC, whose refusal comes back (KO PPT_ERRORE_EMESSO_DA_PAA)", "la RR del candidato supera i controlli del Nodo e raggiunge l'EC, il cui rifiuto torna indietro (KO PPT_ERRORE_EMESSO_DA_PAA)"],
      'OLD-REV-ERR-02',
      'SHOULD',
    ),
    spec('no-replacing', ['the revoca refused, the RT stands: no replacing RT, the RR not sent again and again (at most 6)', 'rifiutata la revoca, la RT resta valida: nessuna RT sostitutiva, la RR non inviata più e più volte (al massimo 6)'], 'OLD-REV-ERR-02', 'SHOULD'),
  ],
  async run(t) {
    const keys = await paidRt(t);
    // the RR reaches the EC broken: the EC refuses it and the Nodo relays its KO
    t.faults.add({ side: 'outbound', primitive: 'paaInviaRichiestaRevoca', match: { iuv: keys.iuv }, fault: { kind: 'schema-invalid' }, times: 1 });
    const ask = await t.ask('old-psp-revoca', { fiscalCode: keys.idDominio, noticeNumber: `3${keys.iuv}` }, { params: { iuv: keys.iuv, ccp: keys.ccp, idDominio: keys.idDominio, tipoRevoca: '1' } });
    await t.waitEntry((e) => e.direction === 'response' && e.to === 'psp' && e.primitive === 'nodoInviaRichiestaRevoca' && aboutIuv(keys.iuv)(e), ask.mark, 'nodoInviaRichiestaRevoca');
    await t.settle();
    const rrs = pspCalls(t, 'nodoInviaRichiestaRevoca', ask.mark, aboutIuv(keys.iuv));
    const first = rrs[0];
    if (!first) return t.inconclusive([`the candidate never sent the RR: no nodoInviaRichiestaRevoca within ${t.deadlineMs} ms of the trigger`, `il candidato non ha mai inviato la RR: nessuna nodoInviaRichiestaRevoca entro ${t.deadlineMs} ms dal trigger`]);
    const relayed = first.answer.outcome === 'KO' && first.answer.fault?.faultCode === 'PPT_ERRORE_EMESSO_DA_PAA';
    // the Nodo forwards only an RR that passes its checks (tipoRevoca, keys, IUR): otherwise its own KO
    const [fa, faIt] = answerSaid(first.answer, 'esito');
    t.check({
      id: 'refused',
      held: relayed,
      message: relayed
        ? [`the RR passed the Nodo and reached the EC, whose refusal came back: ${fa}`, `${faIt}: la RR ha superato il Nodo e raggiunto l'EC, il cui rifiuto è tornato indietro`]
        : [`the RR never reached the EC: nodoInviaRichiestaRevoca ${fa}`, `la RR non ha mai raggiunto l'EC: nodoInviaRichiestaRevoca ${faIt}`],
      entries: [first.request, first.response],
    });
    if (!relayed) return;
    await drainQueue(t);
    // a replacing RT is pushed with forzaControlloSegno 1; on a PULL channel one queued instead counts too
    const forced = rtsGiven(t, keys.iuv, ask.mark).filter((x) => x.forced || x.how === 'pull');
    const held = forced.length === 0 && rrs.length <= 6;
    t.check({ id: 'no-replacing', held, message: [`${forced.length} replacing RT(s), ${rrs.length} RR(s) after the refusal`, `${forced.length} RT sostitutive, ${rrs.length} RR dopo il rifiuto`], entries: [...rrs.map((r) => r.request), ...forced.map((f) => f.request)] });
  },
};

export const revocaStornoScenarios: Def[] = [
  revoca({
    id: 'PSP-OLD-REV-AT-01',
    title: 'Annullo tecnico of a positive RT (the payer was not charged): RR tipoRevoca 1, the EC\'s ER, the replacing negative RT',
    titleIt: 'Annullo tecnico di una RT positiva (il pagatore non è stato addebitato): RR tipoRevoca 1, ER dell\'EC, RT negativa sostitutiva',
    tipo: '1',
    reqs: ['OLD-REV-AT-01'],
  }),
  revoca({
    id: 'PSP-OLD-REV-AT-02',
    title: 'Annullo tecnico of a negative RT (the payer was charged): RR tipoRevoca 1, the EC\'s ER, the replacing positive RT',
    titleIt: 'Annullo tecnico di una RT negativa (il pagatore è stato addebitato): RR tipoRevoca 1, ER dell\'EC, RT positiva sostitutiva',
    tipo: '1',
    negative: true,
    reqs: ['OLD-REV-AT-02'],
  }),
  revoca({
    id: 'PSP-OLD-REV-CB-01',
    title: 'Revoca for charge-back: RR tipoRevoca 2, the EC\'s ER accepted, no replacing RT',
    titleIt: 'Revoca per charge-back: RR tipoRevoca 2, ER dell\'EC accettato, nessuna RT sostitutiva',
    tipo: '2',
    reqs: ['OLD-REV-CB-01'],
    feature: 'chargeBack',
  }),
  revoca({
    id: 'PSP-OLD-REV-CB-02',
    title: 'Revoca for charge-back refused by the EC on the merits: the negative ER answered OK, the RT stands',
    titleIt: 'Revoca per charge-back rifiutata dall\'EC nel merito: ER negativo con esito OK, la RT resta valida',
    tipo: '2',
    reqs: ['OLD-REV-CB-02'],
    feature: 'chargeBack',
    ecRefuses: true,
  }),
  rrRefused,
  storno,
  ...stornoTroubles,
];
