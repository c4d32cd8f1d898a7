// The RT at the EC (paaInviaRT), whatever started the payment: a duplicate is refused with
// PAA_RT_DUPLICATA (OLD-PSP-ERR-14), an RT for an RPT the EC never sent with PAA_RPT_SCONOSCIUTA, one
// that contradicts its RPT with PAA_SEMANTICA naming the error (OLD-PSP-ERR-15), and an RT the Nodo
// redelivers because the EC's answer was lost is recognised (the EC has it already).
import { spec, type ScenarioDef } from '../../../src/core/scenario.js';
import { type Rpt, newIuv, rtFor, rtXml, toBase64 } from '../../../domain/old/index.js';
import { formatAmount } from '../../../domain/common.js';
import type { OldEcContext } from '../../../seats/ec-old.js';
import type { Bi } from '../../../src/core/text.js';
import { cartAtPsp, iuvOf, noAnswer, paidAtPsp, resendRt, rptAtPsp, said, stationExchanges, verifyAtPsp } from './lib.js';
import { checkKo, checkOk } from './judge.js';

type Def = ScenarioDef<OldEcContext>;

const duplicate: Def = {
  id: 'EC-OLD-RT-01',
  title: 'An RT the EC already has is refused with PAA_RT_DUPLICATA and booked once',
  titleIt: "Una RT già ricevuta è rifiutata con PAA_RT_DUPLICATA e registrata una volta sola",
  seat: 'ec',
  model: 'old',
  feature: 'pspStarted',
  checks: [
    spec('duplicate-refused', ['the same RT delivered again is answered KO PAA_RT_DUPLICATA (L2073)', 'la stessa RT consegnata di nuovo riceve KO PAA_RT_DUPLICATA (L2073)'], 'OLD-PSP-ERR-14'),
    spec('booked-once', ['the position stays paid: paaVerificaRPT answers PAA_PAGAMENTO_DUPLICATO', 'la posizione resta pagata: paaVerificaRPT risponde PAA_PAGAMENTO_DUPLICATO'], 'OLD-PSP-ERR-14'),
  ],
  writes: { payable: 1 },
  async run(t) {
    const n = await t.ownNotice('payable');
    const paid = await paidAtPsp(t, n);
    const again = await resendRt(t, paid.kept, { note: 'the same RT again (duplicate)' });
    checkKo(t, 'duplicate-refused', again, ['PAA_RT_DUPLICATA'], ['paaInviaRT of an RT already accepted', 'paaInviaRT di una RT già accettata']);
    checkKo(t, 'booked-once', (await verifyAtPsp(t, n)).ec, ['PAA_PAGAMENTO_DUPLICATO'], ['paaVerificaRPT after the duplicate', 'paaVerificaRPT dopo il duplicato']);
  },
};

const lostAnswer: Def = {
  id: 'EC-OLD-RT-02',
  title: 'The EC\'s answer to paaInviaRT is lost: the Nodo redelivers on the TR-08 table and the EC recognises the RT',
  titleIt: "La risposta dell'EC a paaInviaRT va persa: il Nodo riconsegna secondo TR-08 e l'EC riconosce la RT",
  seat: 'ec',
  model: 'old',
  feature: 'pspStarted',
  checks: [
    spec('redelivery-recognised', ["the RT redelivered after a lost answer is answered KO PAA_RT_DUPLICATA: the EC had booked it", "la RT riconsegnata dopo una risposta persa riceve KO PAA_RT_DUPLICATA: l'EC l'aveva registrata"], 'OLD-PSP-ERR-14'),
    spec('booked-once', ['the position is paid once: paaVerificaRPT answers PAA_PAGAMENTO_DUPLICATO', 'la posizione è pagata una volta sola: paaVerificaRPT risponde PAA_PAGAMENTO_DUPLICATO'], 'OLD-PSP-ERR-14'),
  ],
  writes: { payable: 1 },
  async run(t) {
    const n = await t.ownNotice('payable');
    const { kept, ccp } = await rptAtPsp(t, n);
    // the first delivery reaches the EC, its answer never comes back; the Nodo's redelivery is what is judged
    t.faults.add({ side: 'outbound', primitive: 'paaInviaRT', match: { iuv: iuvOf(n), ccp: ccp }, fault: { kind: 'no-answer' }, times: 1 });
    const mark = t.journal.entries.length;
    await t.psp.sendRt(kept, 'OK');
    const d = await t.nodo.waitDelivery(n.fiscalCode, iuvOf(n), ccp, t.nodo.deliveryDeadlineMs()).catch((e: Error) => e);
    const sends = stationExchanges(t, 'paaInviaRT', (e) => e.correlation.iuv === iuvOf(n) && e.correlation.ccp === ccp, mark);
    if (sends.length < 2) {
      // the Nodo's diagnostic or delivery state is data: quoted in the Italian
      const why = d instanceof Error ? d.message : d.state;
      return t.inconclusive([`the Nodo did not redeliver the RT (${sends.length} send(s); ${why})`, `il Nodo non ha riconsegnato la RT (${sends.length} invio/i; "${why}")`]);
    }
    const secs = Math.round((sends[1]!.request!.at - sends[0]!.request!.at) / 1000);
    checkKo(t, 'redelivery-recognised', sends[1]!, ['PAA_RT_DUPLICATA'], [`paaInviaRT redelivered ${secs} s after the lost answer`, `paaInviaRT riconsegnata ${secs} s dopo la risposta persa`]);
    checkKo(t, 'booked-once', (await verifyAtPsp(t, n)).ec, ['PAA_PAGAMENTO_DUPLICATO'], ['paaVerificaRPT after the redelivery', 'paaVerificaRPT dopo la riconsegna']);
  },
};

const unknownRpt: Def = {
  id: 'EC-OLD-RT-03',
  title: 'An RT for an RPT the EC never sent is refused with PAA_RPT_SCONOSCIUTA',
  titleIt: "Una RT per una RPT mai inviata dall'EC è rifiutata con PAA_RPT_SCONOSCIUTA",
  seat: 'ec',
  model: 'old',
  checks: [spec('unknown-refused', ["paaInviaRT for an IUV/CCP the EC never sent an RPT for is answered KO PAA_RPT_SCONOSCIUTA", "paaInviaRT per uno IUV/CCP per cui l'EC non ha mai inviato una RPT riceve KO PAA_RPT_SCONOSCIUTA"], 'OLD-PSP-ERR-15')],
  async run(t) {
    const seg = t.profile.ec.segregationCode ?? '01';
    const { iuv } = newIuv({ auxDigit: 3, segregationCode: seg }, Number(t.clock.now() % 1_000_000_000));
    const ccp = `COLLAUDO${t.clock.now() % 1_000_000}`;
    const rt = rtFor(syntheticRpt(t, iuv, ccp), 'positive', { now: t.clock.now() });
    const r = await t.nodo.callStation('paaInviaRT', { tipoFirma: '0', rt: toBase64(rtXml(rt)) }, {
      header: { identificativoIntermediarioPA: t.station.idIntermediarioPA, identificativoStazioneIntermediarioPA: t.station.idStazione, identificativoDominio: t.station.idDominio, identificativoUnivocoVersamento: iuv, codiceContestoPagamento: ccp },
      note: 'an RT for an RPT the EC never sent',
    });
    const a = stationExchanges(t, 'paaInviaRT', (e) => e.correlation.iuv === iuv).at(-1) ?? noAnswer(r.transport, `no exchange recorded (${r.transport})`, `nessuno scambio registrato (${r.transport})`);
    checkKo(t, 'unknown-refused', a, ['PAA_RPT_SCONOSCIUTA'], [`paaInviaRT for ${iuv}/${ccp}`, `paaInviaRT per ${iuv}/${ccp}`]);
  },
};

const ONE_EURO_MORE: Bi = ['paaInviaRT with importoTotalePagato 1.00 above the RPT', 'paaInviaRT con importoTotalePagato di 1.00 superiore alla RPT'];

const contradicting: Def = {
  id: 'EC-OLD-RT-04',
  title: 'An RT that contradicts its RPT is refused with PAA_SEMANTICA naming the error',
  titleIt: 'Una RT incoerente con la sua RPT è rifiutata con PAA_SEMANTICA che descrive l\'errore',
  seat: 'ec',
  model: 'old',
  feature: 'pspStarted',
  checks: [
    spec('semantic-refused', ['an RT whose amount differs from its RPT is answered KO PAA_SEMANTICA', "una RT il cui importo differisce da quello della sua RPT riceve KO PAA_SEMANTICA"], 'OLD-PSP-ERR-15'),
    spec('semantic-described', ["PAA_SEMANTICA's description says what is wrong (§1.5: the emitter puts the specific error there)", "la description di PAA_SEMANTICA indica cosa è errato (§1.5: l'emittente vi riporta l'errore specifico)"], 'OLD-PSP-ERR-15'),
  ],
  writes: { payable: 1 },
  async run(t) {
    const n = await t.ownNotice('payable');
    const { kept: k } = await rptAtPsp(t, n);
    const rt = rtFor(k.rpt, 'positive', { now: t.clock.now() });
    // one euro more than the RPT, kept consistent inside the RT (only the RPT/RT comparison shows it)
    rt.datiPagamento.importoTotalePagato += 100;
    rt.datiPagamento.datiSingoloPagamento![0]!.singoloImportoPagato += 100;
    const a = await resendRt(t, k, { rtXml: rtXml(rt), note: 'an RT paying one euro more than its RPT' });
    checkKo(t, 'semantic-refused', a, ['PAA_SEMANTICA'], ONE_EURO_MORE);
    if (a.fault?.faultCode !== 'PAA_SEMANTICA') return t.notExercised('semantic-described', [`no PAA_SEMANTICA to read (${said(a)[0]})`, `nessun PAA_SEMANTICA da leggere (${said(a)[1]})`], [a.request, a.response]);
    const text = a.fault.description?.trim() ?? '';
    t.check({
      id: 'semantic-described',
      held: text.length > 0,
      message: text ? [`description "${text}"`, `description "${text}"`] : ['PAA_SEMANTICA without a description', 'PAA_SEMANTICA senza description'],
      entries: [a.request, a.response],
    });
  },
};

/** An RPT of the candidate EC as the Nodo would have had it (for an RT the EC never asked for). */
export function syntheticRpt(t: OldEcContext, iuv: string, ccp: string, amountCents = 1234): Rpt {
  const ec = t.profile.ec;
  return {
    versioneOggetto: '6.2.0',
    dominio: { identificativoDominio: t.station.idDominio, identificativoStazioneRichiedente: t.station.idStazione },
    identificativoMessaggioRichiesta: `COLL${iuv.slice(-12)}`,
    dataOraMessaggioRichiesta: new Date(t.clock.now()).toISOString().slice(0, 19),
    autenticazioneSoggetto: 'N/A',
    soggettoPagatore: { identificativoUnivocoPagatore: { tipoIdentificativoUnivoco: 'F', codiceIdentificativoUnivoco: 'RSSMRA80A01H501U' }, anagraficaPagatore: 'Mario Rossi' },
    enteBeneficiario: { identificativoUnivocoBeneficiario: { tipoIdentificativoUnivoco: 'G', codiceIdentificativoUnivoco: t.station.idDominio }, denominazioneBeneficiario: ec.companyName ?? t.profile.name.slice(0, 70) },
    datiVersamento: {
      dataEsecuzionePagamento: new Date(t.clock.now()).toISOString().slice(0, 10),
      importoTotaleDaVersare: amountCents,
      tipoVersamento: 'PO',
      identificativoUnivocoVersamento: iuv,
      codiceContestoPagamento: ccp,
      firmaRicevuta: '0',
      datiSingoloVersamento: [{ importoSingoloVersamento: amountCents, ibanAccredito: ec.ibans?.[0] ?? 'IT60X0542811101000000123456', causaleVersamento: `/RFB/${iuv}/${formatAmount(amountCents)}`, datiSpecificiRiscossione: '9/0101100IM/' }],
    },
  };
}

const ecStarted: Def = {
  id: 'EC-OLD-RT-05',
  title: 'Payment started at the EC: an RT contradicting its RPT is refused with PAA_SEMANTICA, the right RT taken, a duplicate refused',
  titleIt: "Pagamento avviato presso l'EC: una RT incoerente con la RPT è rifiutata con PAA_SEMANTICA, la RT corretta accettata, un duplicato rifiutato",
  seat: 'ec',
  model: 'old',
  feature: 'ecStarted',
  checks: [
    spec('semantic-refused', ['an RT paying one euro more than its RPT is answered KO PAA_SEMANTICA', 'una RT che paga un euro più della sua RPT riceve KO PAA_SEMANTICA'], ['OLD-EC-ERR-08', 'OLD-PSP-ERR-15']),
    spec('rt-ok', ['the RT that matches the RPT is answered esito OK', 'la RT coerente con la RPT riceve esito OK'], ['OLD-EC-PAY-01', 'OLD-EC-ERR-08']),
    spec('duplicate-refused', ['the same RT again is answered KO PAA_RT_DUPLICATA', 'la stessa RT inviata di nuovo riceve KO PAA_RT_DUPLICATA'], ['OLD-EC-ERR-08', 'OLD-PSP-ERR-14']),
  ],
  async run(t) {
    // the PSP takes the cart and sends no RT: the Nodo delivers the ones this scenario builds
    const cart = await cartAtPsp(t, [1900], { outcome: 'NO_RT' });
    const rec = t.nodo.rpts().find((r) => r.idCarrello === cart.idCarrello);
    if (!rec) return t.harnessError(`the Nodo has no RPT of cart ${cart.idCarrello}`);
    const right = rtFor(rec.rpt.doc, 'positive', { now: t.clock.now() });
    const wrong = structuredClone(right);
    wrong.datiPagamento.importoTotalePagato += 100;
    wrong.datiPagamento.datiSingoloPagamento![0]!.singoloImportoPagato += 100;
    checkKo(t, 'semantic-refused', await resendRt(t, rec, { rtXml: rtXml(wrong), note: 'an RT paying one euro more than its RPT' }), ['PAA_SEMANTICA'], ONE_EURO_MORE);
    checkOk(t, 'rt-ok', await resendRt(t, rec, { rtXml: rtXml(right), note: 'the RT of the RPT' }), ['paaInviaRT of the matching RT', 'paaInviaRT della RT coerente']);
    checkKo(t, 'duplicate-refused', await resendRt(t, rec, { note: 'the same RT again' }), ['PAA_RT_DUPLICATA'], ['paaInviaRT of the RT again', 'paaInviaRT della stessa RT di nuovo']);
  },
};

export const receiptScenarios: Def[] = [duplicate, lostAnswer, unknownRpt, contradicting, ecStarted];
