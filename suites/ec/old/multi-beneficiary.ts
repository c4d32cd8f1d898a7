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
import { type Rpt, readRpt, multiBeneficiaryCartIdProblem } from '../../../domain/old/index.js';
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
  const out: string[] = [];
  if (c.elements.length !== amounts.length) out.push(`${c.elements.length} RPT(s), asked ${amounts.length}`);
  for (const [i, e] of c.elements.entries()) {
    if (!e.rpt) {
      out.push(`RPT ${i + 1}: ${e.problem ?? 'not readable'}`);
      continue;
    }
    const dv = e.rpt.datiVersamento;
    const singoli = dv.datiSingoloVersamento;
    const sum = singoli.reduce((a, s) => a + s.importoSingoloVersamento, 0);
    if (amounts[i] !== undefined && dv.importoTotaleDaVersare !== amounts[i]) out.push(`RPT ${i + 1} (${e.idDominio}): importoTotaleDaVersare ${(dv.importoTotaleDaVersare / 100).toFixed(2)}, asked ${(amounts[i] / 100).toFixed(2)}`);
    if (sum !== dv.importoTotaleDaVersare) out.push(`RPT ${i + 1}: Σ importoSingoloVersamento ${(sum / 100).toFixed(2)} ≠ importoTotaleDaVersare (TR-24)`);
    if (singoli.length > 5) out.push(`RPT ${i + 1}: ${singoli.length} datiSingoloVersamento, at most 5 (TR-23)`);
    if (singoli.some((s) => !s.ibanAccredito)) out.push(`RPT ${i + 1}: a datiSingoloVersamento without ibanAccredito`);
    if (e.rpt.dominio.identificativoDominio !== e.idDominio) out.push(`RPT ${i + 1}: dominio ${e.rpt.dominio.identificativoDominio}, the cart element names ${e.idDominio}`);
    if (e.idDominio === own && singoli.length !== credits) out.push(`RPT ${i + 1} (${own}): ${singoli.length} datiSingoloVersamento, asked ${credits}`);
  }
  return out;
}

/** The cart's content as asked: several domains flagged multiBeneficiario, the id rule, the amounts and credits. */
function judgeContent(t: OldEcContext, request: JournalEntry, response: JournalEntry | undefined): void {
  const docs = t.journal.filter((e) => e.exchange === request.exchange && e.direction === 'request' && e.primitive === 'nodoInviaCarrelloRPT#RPT');
  const c = sentCart(request, docs);
  const domains = [...new Set(c.elements.map((e) => e.idDominio))];
  const flagged = c.multiBeneficiario === 'true' || c.multiBeneficiario === '1';
  t.check({
    id: 'mb-cart',
    held: flagged && domains.length >= 2 && c.elements.length <= 5,
    message: `${c.elements.length} RPT(s) of ${domains.join(', ')}; multiBeneficiario ${c.multiBeneficiario ?? '(absent)'}${domains.length < 2 ? ': the cart names one EC only' : ''}`,
    entries: [request, response, ...docs],
  });
  const idProblem = multiBeneficiaryCartIdProblem(c.idCarrello ?? '', c.elements);
  t.check({ id: 'mb-cart-id', held: !idProblem, message: idProblem ?? `identificativoCarrello ${c.idCarrello}`, entries: [request, response] });
  const credits = creditProblems(c, AMOUNTS, t.station.idDominio, CREDITS);
  const summary = c.elements.map((e) => `${e.idDominio}/${e.iuv}: ${e.rpt?.datiVersamento.datiSingoloVersamento.length} credit(s), ${((e.rpt?.datiVersamento.importoTotaleDaVersare ?? 0) / 100).toFixed(2)}`).join('; ');
  t.check({ id: 'mb-credits', held: !credits.length, message: credits.join('; ') || summary, entries: docs });
}

const multiBeneficiaryCart: Def = {
  id: 'EC-OLD-MB-01',
  title: 'Multi-beneficiary cart (RPTs of two ECs, one with several credits) paid on WISP with one debit: every RT, all with the same IUR, accepted',
  titleIt: 'Carrello multi-beneficiario (RPT di due enti, una con più accrediti) pagato su WISP con un unico addebito: ogni RT, tutte con lo stesso IUR, accettata',
  seat: 'ec',
  model: 'old',
  feature: 'multiBeneficiary',
  checks: [
    spec('cart-credentials', "the EC's nodoInviaCarrelloRPT passes the Nodo's caller checks (the station serves the cart's first domain, the others are known ECs)", 'OLD-X-AUTH-01'),
    spec('mb-cart', 'asked for a multi-beneficiary cart, the EC sends one cart (1..5 RPTs, TR-22) whose RPTs belong to at least two EC domains, with multiBeneficiario true', 'OLD-EC-PAY-07'),
    spec('mb-cart-id', 'its identificativoCarrello is idDominio(11) numeroAvviso(18) "-" Progressivo(5) of a payment of the cart (NodoPerPa.wsdl stIdentificativoCarrello, TR-32)', 'OLD-EC-PAY-07'),
    spec('mb-credits', "each RPT asks its position's amount, Σ datiSingoloVersamento = importoTotaleDaVersare (TR-24), 1..5 credits each with its ibanAccredito (TR-23); the RPT with several credits carries them all", 'OLD-EC-PAY-07'),
    spec('cart-accepted', 'the Nodo accepts the multi-beneficiary cart (esitoComplessivoOperazione OK, WISP URL with idSession)', 'OLD-EC-PAY-07'),
    spec('return-page', "the EC's return page, reached with esito=OK, answers HTTP 200 and states the outcome", 'OLD-EC-PAY-01'),
    spec('rts-ok', "every RT of the cart — one debit, the same identificativoUnivocoRiscossione on each (L571), each sent to its own EC's domain — is answered esito OK", 'OLD-EC-PAY-07'),
  ],
  async run(t) {
    t.browser();
    const secondary = t.profile.ec.secondaryEcs?.[0];
    if (!secondary) return t.inconclusive('a multi-beneficiary cart needs a second EC served by the station: add ec.secondaryEcs to the profile');
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
    for (const k of recs) judgeRts(t, 'rts-ok', [{ iuv: k.iuv, ccp: k.ccp, idDominio: k.idDominio }], mark, `paaInviaRT to ${k.idDominio} (IUR ${[...iurs][0]}) of`);
  },
};

export const multiBeneficiaryScenarios: Def[] = [multiBeneficiaryCart];
