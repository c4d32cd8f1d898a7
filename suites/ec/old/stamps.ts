// A digital revenue stamp (marca da bollo digitale, @e.bollo) bought with an EC-started cart
// (catalogue OLD-EC-PAY-05, seed L849-857, L1513-1523, V-11, V-12, TR-36): the candidate is asked
// (old-cart with params.stamp) for a cart holding a service payment and a stamp for a given document;
// its stamp RPT is judged rule by rule (datiMarcaBolloDigitale, no ibanAccredito, hashDocumento the
// base64 SHA-256 of the document, the stamp type's cost), then the payer pays it through WISP (which
// offers only the channels that sell stamps) and the emulated PSP's page in the real browser, and the
// RT, carrying the stamp as its BD attachment, must be accepted and close the position.
import { spec, type ScenarioDef } from '../../../src/core/scenario.js';
import type { JournalEntry } from '../../../src/core/journal.js';
import { offersFeature } from '../../../src/profile/index.js';
import { formatAmount } from '../../../domain/common.js';
import { type DatiSingoloVersamentoRpt, STAMP_COST_CENTS, documentHash, isSha256Base64, readRpt, readRt } from '../../../domain/old/index.js';
import type { OldEcContext } from '../../../seats/ec-old.js';
import { CART_CREDENTIALS, cartOf, judgeReturn, judgeRts, payThroughWisp } from './ec-payments.js';
import { verifyAtPsp } from './lib.js';
import { checkKo } from './judge.js';

type Def = ScenarioDef<OldEcContext>;
const ID = 'OLD-EC-PAY-05';

/** The stamp credits of the cart's RPTs as the Nodo received them (each with the RPT's journal entry). */
function stampCredits(t: OldEcContext, exchange: number): { credit: DatiSingoloVersamentoRpt; iuv: string; ccp: string; entry: JournalEntry }[] {
  const out: { credit: DatiSingoloVersamentoRpt; iuv: string; ccp: string; entry: JournalEntry }[] = [];
  for (const entry of t.journal.filter((e) => e.exchange === exchange && e.direction === 'request' && e.primitive === 'nodoInviaCarrelloRPT#RPT')) {
    let rpt;
    try {
      rpt = readRpt(entry.raw);
    } catch {
      continue; // an RPT the codec cannot read is judged by the Nodo's answer (cart-accepted)
    }
    for (const credit of rpt.datiVersamento.datiSingoloVersamento) {
      if (credit.datiMarcaBolloDigitale) out.push({ credit, iuv: rpt.datiVersamento.identificativoUnivocoVersamento, ccp: rpt.datiVersamento.codiceContestoPagamento, entry });
    }
  }
  return out;
}

/** The notice number of an IUV of this EC, when its numbering gives one (aux digit 3, or 0 with its application code). */
function noticeOf(t: OldEcContext, iuv: string): string | undefined {
  const ec = t.profile.ec;
  if (ec.auxDigit === 3) return `3${iuv}`;
  if (ec.auxDigit === 0 && ec.applicationCode) return `0${ec.applicationCode}${iuv}`;
  return undefined;
}

const stampPurchase: Def = {
  id: 'EC-OLD-STAMP-01',
  title: 'Purchase of a digital revenue stamp in an RPT: datiMarcaBolloDigitale without ibanAccredito, paid through WISP, the RT with the stamp accepted',
  titleIt: "Acquisto di una marca da bollo digitale in una RPT: datiMarcaBolloDigitale senza ibanAccredito, pagata tramite WISP, la RT con il bollo accettata",
  seat: 'ec',
  model: 'old',
  feature: 'stamps',
  checks: [
    spec('cart-credentials', CART_CREDENTIALS, 'OLD-X-AUTH-01'),
    spec('stamp-rpt', ['asked for a stamp, the EC sends an RPT whose datiSingoloVersamento carries datiMarcaBolloDigitale (tipoBollo, hashDocumento, provinciaResidenza) (L851-855, L1517-1521)', "richiesta una marca da bollo, l'EC invia una RPT il cui datiSingoloVersamento riporta datiMarcaBolloDigitale (tipoBollo, hashDocumento, provinciaResidenza) (L851-855, L1517-1521)"], ID),
    spec('stamp-no-iban', ["the stamp's datiSingoloVersamento carries no ibanAccredito (L1523, V-11)", 'il datiSingoloVersamento della marca da bollo non riporta ibanAccredito (L1523, V-11)'], ID),
    spec('stamp-hash', ['hashDocumento is the base64 of the SHA-256 digest (32 octets) of the document to stamp (L854, TR-36)', 'hashDocumento è il base64 del digest SHA-256 (32 ottetti) del documento da bollare (L854, TR-36)'], ID),
    spec('stamp-amount', ["importoSingoloVersamento is the cost of the stamp's tipoBollo (L853, V-11; 01: 16.00 EUR)", 'importoSingoloVersamento è il costo del tipoBollo della marca (L853, V-11; 01: 16.00 EUR)'], ID),
    spec('stamp-province', ["provinciaResidenza is the payer's province the EC was given (L855)", "provinciaResidenza è la provincia del pagatore comunicata all'EC (L855)"], ID),
    spec('cart-accepted', ['the cart with the stamp is valid and the Nodo accepts it (esitoComplessivoOperazione OK, WISP URL with idSession)', 'il carrello con la marca da bollo è valido e il Nodo lo accetta (esitoComplessivoOperazione OK, URL WISP con idSession)'], [ID, 'OLD-EC-PAY-01']),
    spec('return-page', ["the payer, having paid at a PSP that sells stamps, is back on the EC's return page with esito=OK", "il pagatore, dopo aver pagato presso un PSP che vende marche da bollo, torna alla pagina di ritorno dell'EC con esito=OK"], [ID, 'OLD-EC-PAY-01']),
    spec('rts-ok', ["every RT of the cart is answered esito OK, the stamp's with its BD attachment (allegatoRicevuta) (L1513-1515)", 'ogni RT del carrello riceve esito OK, quella della marca da bollo con il suo allegato BD (allegatoRicevuta) (L1513-1515)'], [ID, 'OLD-EC-PAY-01']),
    spec('stamp-closed', ['the stamp position is closed by its RT: paaVerificaRPT answers PAA_PAGAMENTO_DUPLICATO', 'la posizione della marca da bollo è chiusa dalla sua RT: paaVerificaRPT risponde PAA_PAGAMENTO_DUPLICATO'], ID),
  ],
  async run(t) {
    t.browser();
    const document = `Istanza di collaudo ${t.scenarioId}`;
    const asked = { document, tipoBollo: '01' as const, provinciaResidenza: 'MI' };
    let stamps: ReturnType<typeof stampCredits> = [];
    const { cart, wisp } = await cartOf(t, { amountsCents: [2500], stamp: asked }, (sent) => {
      stamps = stampCredits(t, sent.request.exchange);
      const entries = stamps.length ? stamps.map((s) => s.entry) : [sent.request];
      const iuvs = stamps.map((s) => s.iuv).join(', ');
      t.check({
        id: 'stamp-rpt',
        held: stamps.length > 0,
        message: stamps.length
          ? [`${stamps.length} stamp credit(s), IUV ${iuvs}`, `${stamps.length} versamento/i di marca da bollo, IUV ${iuvs}`]
          : ['no datiSingoloVersamento of the cart carries datiMarcaBolloDigitale', 'nessun datiSingoloVersamento del carrello riporta datiMarcaBolloDigitale'],
        entries,
      });
      for (const s of stamps) {
        const b = s.credit.datiMarcaBolloDigitale!;
        const at = `IUV ${s.iuv}`;
        t.check({
          id: 'stamp-no-iban',
          held: !s.credit.ibanAccredito,
          message: s.credit.ibanAccredito
            ? [`${at}: the stamp credit carries ibanAccredito ${s.credit.ibanAccredito}`, `${at}: il versamento della marca da bollo riporta ibanAccredito ${s.credit.ibanAccredito}`]
            : [`${at}: no ibanAccredito in the stamp credit`, `${at}: nessun ibanAccredito nel versamento della marca da bollo`],
          entries: [s.entry],
        });
        const want = documentHash(document);
        const hashOk = isSha256Base64(b.hashDocumento) && b.hashDocumento === want;
        t.check({
          id: 'stamp-hash',
          held: hashOk,
          message: hashOk
            ? [`${at}: hashDocumento ${b.hashDocumento}`, `${at}: hashDocumento ${b.hashDocumento}`]
            : !isSha256Base64(b.hashDocumento)
              ? [`${at}: hashDocumento "${b.hashDocumento}" is not the base64 of 32 octets`, `${at}: hashDocumento "${b.hashDocumento}" non è il base64 di 32 ottetti`]
              : [`${at}: hashDocumento ${b.hashDocumento} is not the SHA-256 of the document given (${want})`, `${at}: hashDocumento ${b.hashDocumento} non è lo SHA-256 del documento fornito (${want})`],
          entries: [s.entry],
        });
        const cost = STAMP_COST_CENTS[b.tipoBollo];
        const amountOk = cost !== undefined && s.credit.importoSingoloVersamento === cost;
        const paid = formatAmount(s.credit.importoSingoloVersamento);
        t.check({
          id: 'stamp-amount',
          held: amountOk,
          message: [
            `${at}: importoSingoloVersamento ${paid} for tipoBollo ${b.tipoBollo} (cost ${cost === undefined ? 'unknown' : formatAmount(cost)})`,
            `${at}: importoSingoloVersamento ${paid} per tipoBollo ${b.tipoBollo} (costo ${cost === undefined ? 'sconosciuto' : formatAmount(cost)})`,
          ],
          entries: [s.entry],
        });
        t.check({
          id: 'stamp-province',
          held: b.provinciaResidenza === asked.provinciaResidenza,
          message: [`${at}: provinciaResidenza ${b.provinciaResidenza}, asked ${asked.provinciaResidenza}`, `${at}: provinciaResidenza ${b.provinciaResidenza}, richiesta ${asked.provinciaResidenza}`],
          entries: [s.entry],
        });
      }
    });
    if (!stamps.length) return t.inconclusive(['the cart holds no stamp: there is no stamp to pay', 'il carrello non contiene marche da bollo: non c\'è alcuna marca da bollo da pagare']);
    const keys = cart.keys.map((k) => t.nodo.rpts().find((r) => r.key === k)!).map((r) => ({ iuv: r.iuv, ccp: r.ccp }));
    const mark = t.journal.entries.length;
    const r = await payThroughWisp(t, wisp, 'pay', keys.length);
    judgeReturn(t, 'return-page', r.back, r.problem, cart.idSession, 'OK');
    for (const k of keys) await t.nodo.waitDelivery(t.station.idDominio, k.iuv, k.ccp).catch(() => undefined);
    for (const s of stamps) {
      // the harness's PSP sells the stamp as the RT's BD attachment: an RT without one would judge nothing
      const rt = t.nodo.rpt(t.station.idDominio, s.iuv, s.ccp)?.rt;
      const bd = rt && readRt(rt.xml).datiPagamento.datiSingoloPagamento?.some((p) => p.allegatoRicevuta?.tipoAllegatoRicevuta === 'BD');
      if (rt && !bd) return t.harnessError(`the RT of stamp ${s.iuv}/${s.ccp} carries no BD attachment`);
    }
    const isStamp = (k: { iuv: string; ccp: string }) => stamps.some((s) => s.iuv === k.iuv && s.ccp === k.ccp);
    judgeRts(t, 'rts-ok', keys.filter((k) => !isStamp(k)), mark, ['paaInviaRT', 'paaInviaRT']);
    judgeRts(t, 'rts-ok', keys.filter(isStamp), mark, ["paaInviaRT of the stamp's RT (allegatoRicevuta BD)", 'paaInviaRT della RT della marca da bollo (allegatoRicevuta BD)']);
    if (!offersFeature(t.profile, 'pspStarted', 'old')) {
      return t.notExercised('stamp-closed', [
        'the profile does not offer paaVerificaRPT (old.features.pspStarted): the position cannot be queried',
        'il profilo non offre paaVerificaRPT (old.features.pspStarted): la posizione non può essere interrogata',
      ]);
    }
    for (const s of stamps) {
      const noticeNumber = noticeOf(t, s.iuv);
      if (!noticeNumber) {
        t.notExercised('stamp-closed', [`no notice number for IUV ${s.iuv} with aux digit ${t.profile.ec.auxDigit}`, `nessun numero avviso per lo IUV ${s.iuv} con auxDigit ${t.profile.ec.auxDigit}`]);
        continue;
      }
      const v = await verifyAtPsp(t, { fiscalCode: t.station.idDominio, noticeNumber, state: 'paid' });
      checkKo(t, 'stamp-closed', v.ec, ['PAA_PAGAMENTO_DUPLICATO'], [`paaVerificaRPT of the stamp ${noticeNumber} after its RT`, `paaVerificaRPT della marca da bollo ${noticeNumber} dopo la sua RT`]);
    }
  },
};

export const stampScenarios: Def[] = [stampPurchase];
