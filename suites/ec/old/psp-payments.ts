// Payments started at the PSP (modello 3, catalogue §3.3, features pspStarted): the harness's PSP
// verifies and activates a notice (nodoVerificaRPT / nodoAttivaRPT), the Nodo asks the candidate
// (paaVerificaRPT / paaAttivaRPT), the candidate sends its RPT (nodoInviaRPT) and receives the RT
// (paaInviaRT). The refusals of a notice the EC cannot let be paid come from the one table of
// notice states (domain/notice-state.ts), as in the new model.
import { spec, type ScenarioDef } from '../../../src/core/scenario.js';
import { NOTICE_STATE_FAULTS, type NoticeStateFault } from '../../../domain/notice-state.js';
import { formatAmount } from '../../../domain/common.js';
import type { OldEcContext } from '../../../seats/ec-old.js';
import { type Bi, joinSaid } from '../../../src/core/text.js';
import { activateAtPsp, amountOf, datiPagamentoPA, ecCalls, esitoOf, iuvOf, payRt, rptAfterActivation, said, verifyAtPsp } from './lib.js';
import { checkCredentials, checkFaultId, checkKo, checkOk } from './judge.js';

type Def = ScenarioDef<OldEcContext>;
const MODEL = { seat: 'ec' as const, model: 'old', feature: 'pspStarted' as const };

/** The RPT the EC sent after the activation: in time, accepted, with the activation's PSP, CCP and amount and tipoVersamento PO (V-15). */
export async function judgeRpt(t: OldEcContext, n: { fiscalCode: string; noticeNumber: string }, ccp: string, amount: number, req: string) {
  const r = await rptAfterActivation(t, n.fiscalCode, iuvOf(n), ccp);
  if ('problem' in r) {
    // the Nodo's own diagnostic is data: quoted in the Italian
    t.check({ id: 'rpt-sent', held: false, message: [`no RPT after the activation: ${r.problem}`, `nessuna RPT dopo l'attivazione: "${r.problem}"`] });
    for (const id of ['rpt-content', 'rpt-credentials']) t.notExercised(id, ['no RPT came', 'non è arrivata alcuna RPT']);
    return undefined;
  }
  const sent = ecCalls(t, 'nodoInviaRPT').filter((c) => c.request.correlation.iuv === iuvOf(n) && c.request.correlation.ccp === ccp).at(-1);
  const call = sent?.request;
  const resp = sent?.response;
  const secs = Math.round(r.afterMs / 1000);
  t.check({
    id: 'rpt-sent',
    held: r.inTime,
    message: r.inTime
      ? [`nodoInviaRPT ${secs} s after paaAttivaRPT`, `nodoInviaRPT ${secs} s dopo paaAttivaRPT`]
      : [`nodoInviaRPT came ${secs} s after paaAttivaRPT, past the time an activation waits (TR-13)`, `nodoInviaRPT è arrivata ${secs} s dopo paaAttivaRPT, oltre il tempo di attesa di un'attivazione (TR-13)`],
    entries: [call, resp],
  });
  const dv = r.rpt.rpt.doc.datiVersamento;
  const refusal = r.rpt.history.at(-1)?.descrizione ?? '';
  const total = formatAmount(dv.importoTotaleDaVersare);
  const wrong: Bi[] = [];
  if (r.rpt.stato === 'RPT_RIFIUTATA_NODO') wrong.push([`the Nodo refused it: ${refusal}`, `il Nodo l'ha rifiutata: "${refusal}"`]);
  if (dv.codiceContestoPagamento !== ccp) wrong.push([`codiceContestoPagamento ${dv.codiceContestoPagamento}, the activation's is ${ccp}`, `codiceContestoPagamento ${dv.codiceContestoPagamento}, quello dell'attivazione è ${ccp}`]);
  if (r.rpt.psp.idPSP !== t.psp.ids.idPSP) wrong.push([`identificativoPSP ${r.rpt.psp.idPSP}, the activating PSP is ${t.psp.ids.idPSP}`, `identificativoPSP ${r.rpt.psp.idPSP}, il PSP che ha attivato è ${t.psp.ids.idPSP}`]);
  if (dv.tipoVersamento !== 'PO') wrong.push([`tipoVersamento ${dv.tipoVersamento}, a payment at the PSP is PO (L1750)`, `tipoVersamento ${dv.tipoVersamento}, un pagamento presso il PSP è PO (L1750)`]);
  if (dv.importoTotaleDaVersare !== amount) wrong.push([`importoTotaleDaVersare ${total}, the activation was for ${formatAmount(amount)}`, `importoTotaleDaVersare ${total}, l'attivazione era per ${formatAmount(amount)}`]);
  const keys = `${dv.identificativoUnivocoVersamento}/${dv.codiceContestoPagamento}`;
  t.check({
    id: 'rpt-content',
    requirements: [req],
    held: wrong.length === 0,
    message: wrong.length
      ? joinSaid(wrong)
      : [`RPT ${keys}: the activation's PSP, CCP and amount (${formatAmount(amount)}), tipoVersamento PO`, `RPT ${keys}: PSP, CCP e importo dell'attivazione (${formatAmount(amount)}), tipoVersamento PO`],
    entries: [call, resp],
  });
  if (sent) checkCredentials(t, 'rpt-credentials', sent.answer, 'nodoInviaRPT');
  else t.notExercised('rpt-credentials', ['the RPT came in no journaled exchange', 'la RPT non è arrivata in alcuno scambio registrato']);
  return r.kept;
}

export const rptChecks = (req: string) => [
  spec('rpt-sent', ['after a successful paaAttivaRPT the EC sends the RPT with nodoInviaRPT in time (TR-13)', "dopo una paaAttivaRPT riuscita l'EC invia la RPT con nodoInviaRPT in tempo (TR-13)"], req),
  spec('rpt-content', ["the RPT carries the activation's PSP and CCP, its amount, tipoVersamento PO (V-15)", "la RPT riporta PSP e CCP dell'attivazione, il suo importo, tipoVersamento PO (V-15)"], [req, 'OLD-PSP-PAY-01']),
  spec('rpt-credentials', ["the EC's nodoInviaRPT passes the Nodo's caller checks (password, broker, station, domain)", "la nodoInviaRPT dell'EC supera i controlli del Nodo sul chiamante (password, intermediario, stazione, dominio)"], 'OLD-X-AUTH-01'),
];

const RT_OK: Bi = ['paaInviaRT with the positive RT is answered esito OK', 'paaInviaRT con la RT positiva riceve esito OK'];
const POSITIVE_RT: Bi = ['paaInviaRT (positive RT)', 'paaInviaRT (RT positiva)'];

const main: Def = {
  id: 'EC-OLD-PSP-01',
  title: 'Payment at the PSP: activation, the RPT after it, the RT closes the position',
  titleIt: "Pagamento presso il PSP: attivazione, RPT conseguente, la RT chiude la posizione",
  ...MODEL,
  checks: [
    spec('attiva-ok', ['paaAttivaRPT of a payable notice is answered esito OK with datiPagamentoPA (amount, ibanAccredito)', 'paaAttivaRPT di un avviso pagabile riceve esito OK con datiPagamentoPA (importo, ibanAccredito)'], 'OLD-PSP-PAY-01'),
    ...rptChecks('OLD-PSP-PAY-01'),
    spec('rt-ok', RT_OK, 'OLD-PSP-PAY-01'),
    spec('closed', ['after the RT the notice is paid: paaVerificaRPT answers PAA_PAGAMENTO_DUPLICATO', "dopo la RT l'avviso risulta pagato: paaVerificaRPT risponde PAA_PAGAMENTO_DUPLICATO"], ['OLD-PSP-PAY-01', 'OLD-PSP-ERR-03']),
  ],
  writes: { payable: 1 },
  async run(t) {
    const n = await t.ownNotice('payable');
    const amount = await amountOf(t, n);
    const act = await activateAtPsp(t, n, amount);
    const d = datiPagamentoPA(act.ec);
    const okData = !!d && d.importo === amount && !!d.iban;
    t.check({
      id: 'attiva-ok',
      held: esitoOf(act.ec) === 'OK' && okData,
      message:
        esitoOf(act.ec) !== 'OK'
          ? said(act.ec)
          : okData
            ? [`esito OK, importoSingoloVersamento ${formatAmount(amount)}, ibanAccredito ${d!.iban}`, `esito OK, importoSingoloVersamento ${formatAmount(amount)}, ibanAccredito ${d!.iban}`]
            : [`esito OK but datiPagamentoPA ${JSON.stringify(d)} (expected ${formatAmount(amount)} and an ibanAccredito)`, `esito OK ma datiPagamentoPA ${JSON.stringify(d)} (attesi ${formatAmount(amount)} e un ibanAccredito)`],
      entries: [act.ec.request, act.ec.response],
    });
    if (esitoOf(act.ec) !== 'OK') return t.inconclusive([`the activation was refused (${said(act.ec)[0]}): nothing after it can be judged`, `l'attivazione è stata rifiutata (${said(act.ec)[1]}): nulla di ciò che segue può essere giudicato`]);
    const kept = await judgeRpt(t, n, act.ccp, amount, 'OLD-PSP-PAY-01');
    if (!kept) return;
    const rt = await payRt(t, kept, 'OK');
    checkOk(t, 'rt-ok', rt.ec, POSITIVE_RT);
    const after = await verifyAtPsp(t, n);
    checkKo(t, 'closed', after.ec, ['PAA_PAGAMENTO_DUPLICATO'], ['paaVerificaRPT after the RT', 'paaVerificaRPT dopo la RT']);
  },
};

const alternative: Def = {
  id: 'EC-OLD-PSP-02',
  title: 'Payment at the PSP, alternative scenario: verify first, then activate',
  titleIt: 'Pagamento presso il PSP, scenario alternativo: verifica, poi attivazione',
  ...MODEL,
  checks: [
    spec('verifica-ok', ['paaVerificaRPT of a payable notice is answered esito OK with datiPagamentoPA', 'paaVerificaRPT di un avviso pagabile riceve esito OK con datiPagamentoPA'], 'OLD-PSP-PAY-02'),
    spec('attiva-ok', ['the activation that follows (same codiceIdRPT) is answered esito OK: the verify changed nothing', "l'attivazione successiva (stesso codiceIdRPT) riceve esito OK: la verifica non ha cambiato nulla"], 'OLD-PSP-PAY-02'),
    ...rptChecks('OLD-PSP-PAY-02'),
    spec('rt-ok', RT_OK, 'OLD-PSP-PAY-02'),
  ],
  writes: { payable: 1 },
  async run(t) {
    const n = await t.ownNotice('payable');
    const v = await verifyAtPsp(t, n);
    const d = datiPagamentoPA(v.ec);
    checkOk(t, 'verifica-ok', v.ec, ['paaVerificaRPT', 'paaVerificaRPT']);
    const amount = d?.importo ?? (await amountOf(t, n));
    const act = await activateAtPsp(t, n, amount);
    checkOk(t, 'attiva-ok', act.ec, ['paaAttivaRPT after the verify', 'paaAttivaRPT dopo la verifica']);
    if (esitoOf(act.ec) !== 'OK') return;
    const kept = await judgeRpt(t, n, act.ccp, amount, 'OLD-PSP-PAY-02');
    if (!kept) return;
    checkOk(t, 'rt-ok', (await payRt(t, kept, 'OK')).ec, POSITIVE_RT);
  },
};

const verifyOnly: Def = {
  id: 'EC-OLD-PSP-03',
  title: 'Verification only, the user declines: the position does not change',
  titleIt: "Solo verifica, l'utente rinuncia: la posizione non cambia",
  ...MODEL,
  checks: [
    spec('verifica-ok', ['paaVerificaRPT of a payable notice is answered esito OK', 'paaVerificaRPT di un avviso pagabile riceve esito OK'], 'OLD-PSP-PAY-03'),
    spec('no-effect', ['a verify has no effect (L428): verifying again is answered esito OK, never PAA_PAGAMENTO_IN_CORSO', 'una verifica non ha effetti (L428): una nuova verifica riceve esito OK, mai PAA_PAGAMENTO_IN_CORSO'], 'OLD-PSP-PAY-03'),
  ],
  // a verify changes nothing: the notice is only read
  reads: { payable: 1 },
  async run(t) {
    const n = await t.notice('payable');
    const first = await verifyAtPsp(t, n);
    checkOk(t, 'verifica-ok', first.ec, ['paaVerificaRPT', 'paaVerificaRPT']);
    const again = await verifyAtPsp(t, n);
    checkOk(t, 'no-effect', again.ec, ['paaVerificaRPT again, after a verify the user did not follow', "paaVerificaRPT di nuovo, dopo una verifica a cui l'utente non ha dato seguito"]);
  },
};

const declined: Def = {
  id: 'EC-OLD-PSP-04',
  title: 'Activation done, the user does not authorise: the negative RT frees the position',
  titleIt: "Attivazione eseguita, l'utente non autorizza: la RT negativa libera la posizione",
  ...MODEL,
  checks: [
    spec('attiva-ok', ['paaAttivaRPT of a payable notice is answered esito OK', 'paaAttivaRPT di un avviso pagabile riceve esito OK'], 'OLD-PSP-PAY-04'),
    ...rptChecks('OLD-PSP-PAY-04'),
    spec('negative-rt-ok', ['paaInviaRT with the negative RT (codiceEsitoPagamento 1) is answered esito OK: the EC takes every RT, negative ones included (L363)', "paaInviaRT con la RT negativa (codiceEsitoPagamento 1) riceve esito OK: l'EC accetta ogni RT, comprese le negative (L363)"], 'OLD-PSP-PAY-04'),
    spec('payable-again', ['after the negative RT the notice can be paid: paaVerificaRPT answers esito OK', "dopo la RT negativa l'avviso è di nuovo pagabile: paaVerificaRPT risponde esito OK"], 'OLD-PSP-PAY-04'),
  ],
  writes: { payable: 1 },
  async run(t) {
    const n = await t.ownNotice('payable');
    const amount = await amountOf(t, n);
    const act = await activateAtPsp(t, n, amount);
    checkOk(t, 'attiva-ok', act.ec, ['paaAttivaRPT', 'paaAttivaRPT']);
    if (esitoOf(act.ec) !== 'OK') return;
    const kept = await judgeRpt(t, n, act.ccp, amount, 'OLD-PSP-PAY-04');
    if (!kept) return;
    checkOk(t, 'negative-rt-ok', (await payRt(t, kept, 'KO')).ec, ['paaInviaRT (negative RT)', 'paaInviaRT (RT negativa)']);
    checkOk(t, 'payable-again', (await verifyAtPsp(t, n)).ec, ['paaVerificaRPT after the negative RT', 'paaVerificaRPT dopo la RT negativa']);
  },
};

/** A notice the EC cannot let be paid: the PAA_PAGAMENTO_* code on verify and on activation (OLD-PSP-ERR-02..06). */
function refused(row: NoticeStateFault, k: number): Def {
  return {
    id: `EC-OLD-ERR-${String(k).padStart(2, '0')}`,
    title: `A notice in state "${row.state}" is refused with ${row.code} on paaVerificaRPT and paaAttivaRPT`,
    titleIt: `Avviso ${row.it}: paaVerificaRPT e paaAttivaRPT rifiutate con ${row.code}`,
    ...MODEL,
    checks: [
      spec('verifica-fault', [`paaVerificaRPT answers KO ${row.code}`, `paaVerificaRPT risponde KO ${row.code}`], row.oldRequirement),
      spec('attiva-fault', [`paaAttivaRPT answers KO ${row.code}`, `paaAttivaRPT risponde KO ${row.code}`], row.oldRequirement),
      spec('fault-id', ["the faultBean's id is the EC's identificativoDominio (§1.5)", "l'id del faultBean è l'identificativoDominio dell'EC (§1.5)"], [row.oldRequirement, 'OLD-X-AUTH-01']),
    ],
    // a refused verify or activation changes nothing: the notice is only read
    reads: { [row.state]: 1 },
    async run(t) {
      const n = await t.notice(row.state);
      const v = await verifyAtPsp(t, n);
      checkKo(t, 'verifica-fault', v.ec, [row.code], ['paaVerificaRPT', 'paaVerificaRPT']);
      const a = await activateAtPsp(t, n, n.amountCents ?? 1000);
      checkKo(t, 'attiva-fault', a.ec, [row.code], ['paaAttivaRPT', 'paaAttivaRPT']);
      checkFaultId(t, 'fault-id', a.ec.fault ? a.ec : v.ec);
    },
  };
}

const wrongAmount: Def = {
  id: 'EC-OLD-ERR-06',
  title: 'Activation with another amount: PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO with the right amount, then the activation with it succeeds',
  titleIt: "Attivazione con un importo diverso: PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO con l'importo corretto, poi l'attivazione riesce",
  ...MODEL,
  checks: [
    spec('importo-fault', ["paaAttivaRPT with an amount other than the position's answers KO PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO", 'paaAttivaRPT con un importo diverso da quello della posizione riceve KO PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO'], 'OLD-PSP-ERR-07'),
    spec('importo-returned', ['the KO carries datiPagamentoPA with the amount to pay (the PSP re-activates with it, L1964)', "il KO riporta datiPagamentoPA con l'importo da pagare (il PSP riattiva con quello, L1964)"], 'OLD-PSP-ERR-07'),
    spec('reattiva-ok', ['the activation with the returned amount is answered esito OK', "l'attivazione con l'importo restituito riceve esito OK"], 'OLD-PSP-ERR-07'),
  ],
  writes: { payable: 1 },
  async run(t) {
    const n = await t.ownNotice('payable');
    const amount = await amountOf(t, n);
    const first = await activateAtPsp(t, n, amount + 100);
    checkKo(t, 'importo-fault', first.ec, ['PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO'], [`paaAttivaRPT for ${formatAmount(amount + 100)} (the position is ${formatAmount(amount)})`, `paaAttivaRPT per ${formatAmount(amount + 100)} (la posizione è di ${formatAmount(amount)})`]);
    const back = datiPagamentoPA(first.ec)?.importo;
    t.check({
      id: 'importo-returned',
      held: back === amount,
      message:
        back === amount
          ? [`datiPagamentoPA.importoSingoloVersamento ${formatAmount(amount)}`, `datiPagamentoPA.importoSingoloVersamento ${formatAmount(amount)}`]
          : [
              `datiPagamentoPA ${back === undefined ? 'absent' : `says ${formatAmount(back)}`}, the position is ${formatAmount(amount)}`,
              `datiPagamentoPA ${back === undefined ? 'assente' : `indica ${formatAmount(back)}`}, la posizione è di ${formatAmount(amount)}`,
            ],
      entries: [first.ec.request, first.ec.response],
    });
    const second = await activateAtPsp(t, n, back ?? amount);
    checkOk(t, 'reattiva-ok', second.ec, [`paaAttivaRPT for ${formatAmount(back ?? amount)}`, `paaAttivaRPT per ${formatAmount(back ?? amount)}`]);
    // the RPT the activation leads to belongs to this scenario's evidence, not to the next one's
    if (esitoOf(second.ec) === 'OK') await rptAfterActivation(t, n.fiscalCode, iuvOf(n), second.ccp);
  },
};

export const pspPaymentScenarios: Def[] = [main, alternative, verifyOnly, declined, ...NOTICE_STATE_FAULTS.map((row, i) => refused(row, i + 1)), wrongAmount];
