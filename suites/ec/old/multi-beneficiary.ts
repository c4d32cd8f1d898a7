// Multi-beneficiary carts of the old model (OLD-EC-PAY-07, feature multiBeneficiary): the candidate,
// as the intermediary of several ECs, sends one cart whose RPTs belong to different EC domains
// (multiBeneficiario true, NodoPerPa.wsdl) — here one of them with several credits
// (datiSingoloVersamento, each its account) — the payer pays it on WISP in the real browser, and the
// PSP makes ONE debit: every RT of the cart carries the same identificativoUnivocoRiscossione (L571),
// each delivered to its own domain's station. The EC must take every one of them: an IUR repeated
// across RTs is the rule here, not a duplicate (A-36: no per-creditor rule in the seed).
import { spec, type ScenarioDef } from '../../../src/core/scenario.js';
import type { JournalEntry } from '../../../src/core/journal.js';
import { decodeEnvelope } from '../../../src/wire/soap.js';
import { child, childrenNamed, textOf } from '../../../src/wire/xml.js';
import { type Rpt, readRpt, multiBeneficiaryCartIdProblemSaid } from '../../../domain/old/index.js';
import { type Bi, joinSaid } from '../../../src/core/text.js';
import type { OldEcContext } from '../../../seats/ec-old.js';
import { cartOf, judgeReturn, judgeRts, payThroughWisp } from './ec-payments.js';

type Def = ScenarioDef<OldEcContext>;

/** What the scenario asks: two positions, the EC's own (with three credits) and a secondary EC's. */
const AMOUNTS = [4500, 1700];
const CREDITS = 3;

/** The cart as the candidate sent it: multiBeneficiario, its id, each element's domain and RPT. */
export interface SentCart {
  idCarrello?: string;
  multiBeneficiario?: string;
  elements: { idDominio: string; iuv: string; rpt?: Rpt; problem?: string }[];
}

/** Reads a nodoInviaCarrelloRPT request of the journal (and the RPT documents journaled beside it). */
export function sentCart(request: JournalEntry, documents: JournalEntry[]): SentCart {
  const d = decodeEnvelope(request.raw, { validate: false });
  if (!d.ok) return { elements: [] };
  const header = d.msg.header.find((h) => h.name === 'intestazioneCarrelloPPT');
  const rpts = documents.map((e) => {
    try {
      return { rpt: readRpt(e.raw) };
    } catch (err) {
      return { problem: (err as Error).message };
    }
  });
  const elements = childrenNamed(child(d.msg.body, 'listaRPT'), 'elementoListaRPT').map((e, i) => ({
    idDominio: textOf(e, 'identificativoDominio') ?? '',
    iuv: textOf(e, 'identificativoUnivocoVersamento') ?? '',
    ...rpts[i],
  }));
  return { idCarrello: textOf(header, 'identificativoCarrello'), multiBeneficiario: textOf(d.msg.body, 'multiBeneficiario'), elements };
}

/** Problems of the RPTs' amounts and credits against what was asked (amount i; `credits` on the EC's own RPT). */
export function creditProblems(c: SentCart, amounts: number[], own: string, credits: number): string[] {
  return creditProblemsSaid(c, amounts, own, credits).map((p) => p[0]);
}

/** creditProblems in English and Italian (a reader's diagnostic of an unreadable RPT is quoted in the Italian). */
export function creditProblemsSaid(c: SentCart, amounts: number[], own: string, credits: number): Bi[] {
  const out: Bi[] = [];
  const eur = (cents: number) => (cents / 100).toFixed(2);
  if (c.elements.length !== amounts.length) out.push([`${c.elements.length} RPT(s), asked ${amounts.length}`, `${c.elements.length} RPT, richieste ${amounts.length}`]);
  for (const [i, e] of c.elements.entries()) {
    const n = i + 1;
    if (!e.rpt) {
      out.push([`RPT ${n}: ${e.problem ?? 'not readable'}`, `RPT ${n}: ${e.problem === undefined ? 'illeggibile' : `"${e.problem}"`}`]);
      continue;
    }
    const dv = e.rpt.datiVersamento;
    const singoli = dv.datiSingoloVersamento;
    const sum = singoli.reduce((a, s) => a + s.importoSingoloVersamento, 0);
    if (amounts[i] !== undefined && dv.importoTotaleDaVersare !== amounts[i]) {
      out.push([`RPT ${n} (${e.idDominio}): importoTotaleDaVersare ${eur(dv.importoTotaleDaVersare)}, asked ${eur(amounts[i])}`, `RPT ${n} (${e.idDominio}): importoTotaleDaVersare ${eur(dv.importoTotaleDaVersare)}, richiesto ${eur(amounts[i])}`]);
    }
    if (sum !== dv.importoTotaleDaVersare) out.push([`RPT ${n}: Σ importoSingoloVersamento ${eur(sum)} ≠ importoTotaleDaVersare (TR-24)`, `RPT ${n}: Σ importoSingoloVersamento ${eur(sum)} ≠ importoTotaleDaVersare (TR-24)`]);
    if (singoli.length > 5) out.push([`RPT ${n}: ${singoli.length} datiSingoloVersamento, at most 5 (TR-23)`, `RPT ${n}: ${singoli.length} datiSingoloVersamento, al massimo 5 (TR-23)`]);
    if (singoli.some((s) => !s.ibanAccredito)) out.push([`RPT ${n}: a datiSingoloVersamento without ibanAccredito`, `RPT ${n}: un datiSingoloVersamento senza ibanAccredito`]);
    if (e.rpt.dominio.identificativoDominio !== e.idDominio) {
      out.push([`RPT ${n}: dominio ${e.rpt.dominio.identificativoDominio}, the cart element names ${e.idDominio}`, `RPT ${n}: dominio ${e.rpt.dominio.identificativoDominio}, l'elemento del carrello indica ${e.idDominio}`]);
    }
    if (e.idDominio === own && singoli.length !== credits) out.push([`RPT ${n} (${own}): ${singoli.length} datiSingoloVersamento, asked ${credits}`, `RPT ${n} (${own}): ${singoli.length} datiSingoloVersamento, richiesti ${credits}`]);
  }
  return out;
}

/** The cart's content as asked: several domains flagged multiBeneficiario, the id rule, the amounts and credits. */
function judgeContent(t: OldEcContext, request: JournalEntry, response: JournalEntry | undefined): void {
  const docs = t.journal.filter((e) => e.exchange === request.exchange && e.direction === 'request' && e.primitive === 'nodoInviaCarrelloRPT#RPT');
  const c = sentCart(request, docs);
  const domains = [...new Set(c.elements.map((e) => e.idDominio))];
  const flagged = c.multiBeneficiario === 'true' || c.multiBeneficiario === '1';
  const one = domains.length < 2;
  t.check({
    id: 'mb-cart',
    held: flagged && domains.length >= 2 && c.elements.length <= 5,
    message: [
      `${c.elements.length} RPT(s) of ${domains.join(', ')}; multiBeneficiario ${c.multiBeneficiario ?? '(absent)'}${one ? ': the cart names one EC only' : ''}`,
      `${c.elements.length} RPT di ${domains.join(', ')}; multiBeneficiario ${c.multiBeneficiario === undefined ? '(assente)' : `"${c.multiBeneficiario}"`}${one ? ': il carrello indica un solo EC' : ''}`,
    ],
    entries: [request, response, ...docs],
  });
  const idProblem = multiBeneficiaryCartIdProblemSaid(c.idCarrello ?? '', c.elements);
  t.check({ id: 'mb-cart-id', held: !idProblem, message: idProblem ?? [`identificativoCarrello ${c.idCarrello}`, `identificativoCarrello ${c.idCarrello}`], entries: [request, response] });
  const credits = creditProblemsSaid(c, AMOUNTS, t.station.idDominio, CREDITS);
  const line = (e: SentCart['elements'][number], word: string) => `${e.idDominio}/${e.iuv}: ${e.rpt?.datiVersamento.datiSingoloVersamento.length} ${word}, ${((e.rpt?.datiVersamento.importoTotaleDaVersare ?? 0) / 100).toFixed(2)}`;
  const summary: Bi = [c.elements.map((e) => line(e, 'credit(s)')).join('; '), c.elements.map((e) => line(e, 'accredito/i')).join('; ')];
  t.check({ id: 'mb-credits', held: !credits.length, message: credits.length ? joinSaid(credits) : summary, entries: docs });
}

const multiBeneficiaryCart: Def = {
  id: 'EC-OLD-MB-01',
  title: 'Multi-beneficiary cart (RPTs of two ECs, one with several credits) paid on WISP with one debit: every RT, all with the same IUR, accepted',
  titleIt: 'Carrello multi-beneficiario (RPT di due enti, una con più accrediti) pagato su WISP con un unico addebito: ogni RT, tutte con lo stesso IUR, accettata',
  seat: 'ec',
  model: 'old',
  feature: 'multiBeneficiary',
  checks: [
    spec('cart-credentials', ["the EC's nodoInviaCarrelloRPT passes the Nodo's caller checks (the station serves the cart's first domain, the others are known ECs)", "la nodoInviaCarrelloRPT dell'EC supera i controlli del Nodo sul chiamante (la stazione serve il primo dominio del carrello, gli altri sono EC noti)"], 'OLD-X-AUTH-01'),
    spec('mb-cart', ['asked for a multi-beneficiary cart, the EC sends one cart (1..5 RPTs, TR-22) whose RPTs belong to at least two EC domains, with multiBeneficiario true', "richiesto un carrello multi-beneficiario, l'EC invia un solo carrello (1..5 RPT, TR-22) le cui RPT appartengono ad almeno due domini di EC, con multiBeneficiario=true"], 'OLD-EC-PAY-07'),
    spec('mb-cart-id', ['its identificativoCarrello is idDominio(11) numeroAvviso(18) "-" Progressivo(5) of a payment of the cart (NodoPerPa.wsdl stIdentificativoCarrello, TR-32)', 'il suo identificativoCarrello è idDominio(11) numeroAvviso(18) "-" Progressivo(5) di un pagamento del carrello (NodoPerPa.wsdl stIdentificativoCarrello, TR-32)'], 'OLD-EC-PAY-07'),
    spec('mb-credits', ["each RPT asks its position's amount, Σ datiSingoloVersamento = importoTotaleDaVersare (TR-24), 1..5 credits each with its ibanAccredito (TR-23); the RPT with several credits carries them all", "ogni RPT chiede l'importo della sua posizione, Σ datiSingoloVersamento = importoTotaleDaVersare (TR-24), da 1 a 5 accrediti ciascuno con il suo ibanAccredito (TR-23); la RPT con più accrediti li riporta tutti"], 'OLD-EC-PAY-07'),
    spec('cart-accepted', ['the Nodo accepts the multi-beneficiary cart (esitoComplessivoOperazione OK, WISP URL with idSession)', 'il Nodo accetta il carrello multi-beneficiario (esitoComplessivoOperazione OK, URL WISP con idSession)'], 'OLD-EC-PAY-07'),
    spec('return-page', ["the EC's return page, reached with esito=OK, answers HTTP 200 and states the outcome", "la pagina di ritorno dell'EC, raggiunta con esito=OK, risponde HTTP 200 e dichiara l'esito"], 'OLD-EC-PAY-01'),
    spec('rts-ok', ["every RT of the cart — one debit, the same identificativoUnivocoRiscossione on each (L571), each sent to its own EC's domain — is answered esito OK", "ogni RT del carrello — un solo addebito, lo stesso identificativoUnivocoRiscossione su ciascuna (L571), ognuna inviata al dominio del proprio EC — riceve esito OK"], 'OLD-EC-PAY-07'),
  ],
  async run(t) {
    t.browser();
    const secondary = t.profile.ec.secondaryEcs?.[0];
    if (!secondary) return t.inconclusive(['a multi-beneficiary cart needs a second EC served by the station: add ec.secondaryEcs to the profile', 'un carrello multi-beneficiario richiede un secondo EC servito dalla stazione: aggiungere ec.secondaryEcs al profilo']);
    const params = { multiBeneficiary: true, domains: [t.station.idDominio, secondary], amountsCents: AMOUNTS, transfers: CREDITS };
    const { cart, wisp } = await cartOf(t, params, (sent) => judgeContent(t, sent.request, sent.response));
    const recs = cart.keys.map((k) => t.nodo.rpts().find((r) => r.key === k)!);
    const mark = t.journal.entries.length;
    const r = await payThroughWisp(t, wisp, 'pay', recs.length);
    judgeReturn(t, 'return-page', r.back, r.problem, cart.idSession, 'OK');
    for (const k of recs) await t.nodo.waitDelivery(k.idDominio, k.iuv, k.ccp).catch(() => undefined);
    // the harness's own side: one debit, one IUR on every paid credit of every RT (else nothing to judge)
    const iurs = new Set(recs.flatMap((k) => t.nodo.rpt(k.idDominio, k.iuv, k.ccp)?.rt?.singoli.filter((s) => s.cents > 0).map((s) => s.iur) ?? []));
    if (iurs.size !== 1) return t.harnessError(`the emulated PSP's RTs carry ${iurs.size} identificativoUnivocoRiscossione for one debit (${[...iurs].join(', ')})`);
    for (const k of recs) judgeRts(t, 'rts-ok', [{ iuv: k.iuv, ccp: k.ccp, idDominio: k.idDominio }], mark, [`paaInviaRT to ${k.idDominio} (IUR ${[...iurs][0]}) of`, `paaInviaRT a ${k.idDominio} (IUR ${[...iurs][0]}) di`]);
  },
};

export const multiBeneficiaryScenarios: Def[] = [multiBeneficiaryCart];
