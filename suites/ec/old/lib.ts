// What the old-model EC scenarios share: reading the candidate's answers to the Nodo (PaPerNodo,
// PaPerNodoPagamentoPsp) and its calls to the Nodo (NodoPerPa) from the scenario's journal, asking the
// candidate to act (trigger, old-* actions), and the payment paths every scenario starts from: a
// payment at the PSP (nodoAttivaRPT → paaAttivaRPT → the EC's RPT) or one the EC starts (old-rpt).
import { randomUUID } from 'node:crypto';
import type { JournalEntry } from '../../../src/core/journal.js';
import type { DeliveryState } from '../../../src/core/delivery-queue.js';
import type { Notice } from '../../../src/core/scenario.js';
import { type Answer, answerOfExchange, answerSaid } from '../../../src/wire/answer.js';
import type { Bi } from '../../../src/core/text.js';
import { nodoPerPa, paPerNodo, paPerNodoPagamentoPsp, paPerNodoRichiestaAvvisi } from '../../../interfaces/index.js';
import type { Operation } from '../../../src/wire/contract.js';
import { type El, textOf } from '../../../src/wire/xml.js';
import { type Problem, type Rt, readRt } from '../../../domain/old/index.js';
import { offersFeature } from '../../../src/profile/index.js';
import { type EcTriggerRequest, type OldEcTriggerAction, TRIGGER_CONTRACT } from '../../../src/triggers/index.js';
import { fireEcTrigger } from '../trigger.js';
import type { KeptRpt, NodoCall, PayScript } from '../../../actors/psp/old/index.js';
import { CART_PARAM, nodoCallTimeoutMs } from '../../../actors/psp/old/index.js';
import type { Cart, RptRecord } from '../../../actors/nodo/old/index.js';
import type { OldEcContext } from '../../../seats/ec-old.js';

const STATION_OPS: readonly Operation[] = [...paPerNodo.operations, ...paPerNodoPagamentoPsp.operations, ...paPerNodoRichiestaAvvisi.operations];
const NODO_PA_OPS: readonly Operation[] = nodoPerPa.operations;
const isOp = (ops: readonly Operation[], name: string | undefined) => !!name && ops.some((o) => o.name === name);

export type { Answer };

/** The Nodo's calls to the candidate station for `primitive` (oldest first), each with the candidate's answer. */
export function stationExchanges(t: OldEcContext, primitive: string, match: (req: JournalEntry) => boolean = () => true, since = 0): Answer[] {
  const reqs = t.journal.filter((e) => e.seq > since && e.direction === 'request' && e.to === 'ec' && e.primitive === primitive && isOp(STATION_OPS, e.primitive) && match(e));
  return reqs.map((req) => answerOfExchange(req, t.journal.filter((e) => e.direction === 'response' && e.exchange === req.exchange && e.primitive === primitive)[0], { ops: STATION_OPS }));
}

/** The candidate's calls to the Nodo (NodoPerPa) for `primitive` after `since`, each with the Nodo's answer. */
export function ecCalls(t: OldEcContext, primitive: string, since = 0): { request: JournalEntry; response?: JournalEntry; answer: Answer }[] {
  return t.journal
    .filter((e) => e.seq > since && e.direction === 'request' && e.to === 'nodo' && e.primitive === primitive && isOp(NODO_PA_OPS, e.primitive))
    .map((request) => {
      const response = t.journal.filter((e) => e.direction === 'response' && e.exchange === request.exchange && e.primitive === primitive)[0];
      // the Nodo's own answers are journaled unvalidated: read them with validation (they must be valid)
      return { request, response, answer: answerOfExchange(request, response, { ops: NODO_PA_OPS, validate: true }) };
    });
}

/** esito OK / KO of an answer read by its operation (old model: esito, esitoComplessivoOperazione, or a fault). */
export const esitoOf = (a: Answer): string | undefined => a.outcome;

/** "esito OK", "KO PAA_… "description"", or what happened instead. */
export const describe = (a: Pick<Answer, 'problem' | 'outcome' | 'fault'>): string => answerSaid(a, 'esito')[0];

/** describe in both languages (answerSaid in the old model's wording: esito). */
export const said = (a: Pick<Answer, 'problem' | 'problemIt' | 'outcome' | 'fault'>): Bi => answerSaid(a, 'esito');

/** An answer that never came, told in both languages (the `problem` of an Answer read from nowhere). */
export const noAnswer = (transport: string, en: string, it: string): Answer => ({ transport, problem: en, problemIt: it });

/** Problems of domain/old's document rules, `V-xx field: message` joined, in both languages. */
export function problemsSaid(problems: readonly Problem[]): Bi {
  return [problems.map((x) => `${x.rule} ${x.field}: ${x.message}`).join('; '), problems.map((x) => `${x.rule} ${x.field}: ${x.textIt ?? x.message}`).join('; ')];
}

/** An answer a Nodo can rely on: HTTP 200, the operation's response element, valid against its schema. */
export const usable = (a: Answer): boolean => a.transport === 'ok' && a.httpStatus === 200 && a.kind === 'response' && !!a.xsd?.valid;

/** A notice's IUV and the codiceIdRPT parts the PSP reads from it (aux digit 3: segregation code + 15 digits). */
export function iuvOf(n: Pick<Notice, 'noticeNumber'>): string {
  return n.noticeNumber.slice(1);
}

// ---------------------------------------------------------------- asking the EC to act


/**
 * Asks the candidate EC to act with the trigger contract (seat ec, an old-* action), then waits on
 * the wire, until the trigger's deadline, for its call at the Nodo (`expect`). A refused request or
 * nothing in time ends the scenario INCONCLUSIVE (the candidate never acted), never FAIL.
 */
export async function askOldEc(
  t: OldEcContext,
  action: OldEcTriggerAction,
  params: Record<string, unknown>,
  expect: string,
): Promise<{ request: JournalEntry; response?: JournalEntry; answer: Answer; asked: number }> {
  const tr = t.trigger;
  if (!tr) return t.inconclusive([
      `the candidate must be asked to act (${action}) and the profile names no trigger for EC-initiated flows (trigger: http, command or prompt)`,
      `occorre chiedere al candidato di agire (${action}) e il profilo non indica alcun trigger per i flussi avviati dall'EC (trigger: http, command o prompt)`,
    ]);
  const request: EcTriggerRequest = {
    contract: TRIGGER_CONTRACT,
    requestId: randomUUID(),
    scenarioId: t.scenarioId,
    seat: 'ec',
    action,
    fiscalCode: t.station.idDominio,
    deadline: new Date(Date.now() + tr.deadlineMs).toISOString(),
    deadlineMs: tr.deadlineMs,
    params,
  };
  const mark = await fireEcTrigger(t, tr, request, { fiscalCode: t.station.idDominio });
  const left = (await settled(t)) ? 0 : Math.max(0, Date.parse(request.deadline) - Date.now());
  const response = await t.journal
    .waitFor((e) => e.seq > mark && e.direction === 'response' && e.from === 'nodo' && e.primitive === expect, left, `${expect} at the Nodo`)
    .catch(() => undefined);
  if (!response) return t.inconclusive([
      `the candidate never acted: no ${expect} at the harness's Nodo within ${tr.deadlineMs} ms after the ${tr.transport.kind} trigger (${action})`,
      `il candidato non ha agito: nessuna ${expect} al Nodo dell'harness entro ${tr.deadlineMs} ms dal trigger ${tr.transport.kind} (${action})`,
    ]);
  const call = ecCalls(t, expect, mark).find((c) => c.response?.seq === response.seq) ?? ecCalls(t, expect, mark)[0]!;
  return { ...call, asked: mark };
}

// ---------------------------------------------------------------- a payment at the PSP (modello 3)

/**
 * Waits until the embedded reference EC has finished what it started (its calls to the Nodo are then
 * in the journal): true when that is known, so a scenario need not wait out a real-time deadline for
 * something that will never come; false for an external candidate (its deadlines apply).
 */
export async function settled(t: OldEcContext): Promise<boolean> {
  if (!t.reference) return false;
  await t.reference.old.idle();
  return true;
}

/** How long the harness's PSP waits for each Nodo answer it needs (its call timeout, which covers the Nodo's wait for the EC). */
export const pspWaitMs = (primitive: 'nodoVerificaRPT' | 'nodoAttivaRPT' | 'nodoInviaRT'): number => nodoCallTimeoutMs(primitive);

/** nodoVerificaRPT from the harness's PSP; the candidate's paaVerificaRPT answer is read from the journal. */
export async function verifyAtPsp(t: OldEcContext, n: Notice): Promise<{ nodo: NodoCall; ec: Answer }> {
  const mark = t.journal.entries.length;
  const nodo = await t.psp.verify({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber });
  const ec = stationExchanges(t, 'paaVerificaRPT', () => true, mark).at(-1) ?? noAnswer('none', `the Nodo never called paaVerificaRPT (it answered the PSP ${said(nodo)[0]})`, `il Nodo non ha mai chiamato paaVerificaRPT (al PSP ha risposto ${said(nodo)[1]})`);
  return { nodo, ec };
}

/** nodoAttivaRPT for `amountCents`; the candidate's paaAttivaRPT answer is read from the journal. */
export async function activateAtPsp(t: OldEcContext, n: Notice, amountCents: number, ccp = t.psp.newCcp()): Promise<{ nodo: NodoCall; ec: Answer; ccp: string }> {
  const mark = t.journal.entries.length;
  const nodo = await t.psp.activate({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, amountCents, ccp);
  const ec = stationExchanges(t, 'paaAttivaRPT', () => true, mark).at(-1) ?? noAnswer('none', `the Nodo never called paaAttivaRPT (it answered the PSP ${said(nodo)[0]})`, `il Nodo non ha mai chiamato paaAttivaRPT (al PSP ha risposto ${said(nodo)[1]})`);
  return { nodo, ec, ccp };
}

/** datiPagamentoPA of an EC's verify/activation answer, amounts in cents. */
export function datiPagamentoPA(a: Answer): { importo?: number; iban?: string; causale?: string } | undefined {
  const r = a.body && findEl(a.body, 'datiPagamentoPA');
  if (!r) return undefined;
  const importo = textOf(r, 'importoSingoloVersamento');
  return { importo: importo !== undefined && /^\d+\.\d{2}$/.test(importo) ? Math.round(Number(importo) * 100) : undefined, iban: textOf(r, 'ibanAccredito'), causale: textOf(r, 'causaleVersamento') };
}
function findEl(e: El, name: string): El | undefined {
  if (e.name === name) return e;
  for (const c of e.children) {
    const f = findEl(c, name);
    if (f) return f;
  }
  return undefined;
}

/**
 * The EC's RPT after an activation (TR-13): waits for it at the Nodo (event-based; the real-time
 * deadline is the Nodo's, from the TR-13 time in force) and for the Nodo's pspInviaRPT to reach the
 * harness's PSP. `undefined` when none came: the scenario judges that.
 */
export async function rptAfterActivation(t: OldEcContext, idDominio: string, iuv: string, ccp: string): Promise<{ rpt: RptRecord; afterMs: number; inTime: boolean; kept?: KeptRpt } | { problem: string }> {
  try {
    // the embedded EC has nothing left to do once idle: no RPT by then is none at all (no real-time wait)
    const done = await settled(t);
    const r = await t.nodo.waitRptAfterActivation(idDominio, iuv, ccp, done ? 0 : undefined);
    const kept = r.rpt.stato === 'RPT_RIFIUTATA_NODO' ? undefined : await t.psp.waitRpt(iuv, ccp, pspWaitMs('nodoInviaRT')).catch(() => undefined);
    return { ...r, kept };
  } catch (e) {
    return { problem: (e as Error).message };
  }
}

/**
 * The harness's PSP sends the RT of a kept RPT (positive or negative) and the Nodo delivers it to
 * the candidate (paaInviaRT); resolves with the delivery once the candidate's answer settled it.
 */
export async function payRt(t: OldEcContext, kept: KeptRpt, outcome: 'OK' | 'KO'): Promise<{ nodo: NodoCall; ec: Answer }> {
  const mark = t.journal.entries.length;
  const nodo = await t.psp.sendRt(kept, outcome);
  await t.nodo.waitDelivery(kept.idDominio, kept.iuv, kept.ccp).catch(() => undefined);
  const ec = stationExchanges(t, 'paaInviaRT', (e) => e.correlation.iuv === kept.iuv && e.correlation.ccp === kept.ccp, mark)[0] ?? noAnswer('none', `the Nodo never delivered the RT (it answered the PSP ${said(nodo)[0]})`, `il Nodo non ha mai consegnato la RT (al PSP ha risposto ${said(nodo)[1]})`);
  return { nodo, ec };
}

/** The Nodo sends an RT again (or a crafted one) and resolves with the candidate's answer to it. */
export async function resendRt(t: OldEcContext, k: { idDominio: string; iuv: string; ccp: string }, o: { rtXml?: string; note?: string } = {}): Promise<Answer> {
  const mark = t.journal.entries.length;
  t.nodo.sendRt(k.idDominio, k.iuv, k.ccp, { ...o, maxAttempts: 1 });
  await t.nodo.waitDelivery(k.idDominio, k.iuv, k.ccp).catch(() => undefined);
  return stationExchanges(t, 'paaInviaRT', (e) => e.correlation.iuv === k.iuv && e.correlation.ccp === k.ccp, mark).at(-1) ?? noAnswer('none', 'the Nodo never sent the RT', 'il Nodo non ha mai inviato la RT');
}

/** The amount of a notice: as listed, else as the candidate's verify answers it. */
export async function amountOf(t: OldEcContext, n: Notice): Promise<number> {
  if (n.amountCents !== undefined) return n.amountCents;
  const v = await verifyAtPsp(t, n);
  const a = datiPagamentoPA(v.ec)?.importo;
  if (a === undefined) return t.inconclusive([
      `the amount of notice ${n.noticeNumber} is not listed and paaVerificaRPT did not give it (${said(v.ec)[0]})`,
      `l'importo dell'avviso ${n.noticeNumber} non è elencato e paaVerificaRPT non lo ha fornito (${said(v.ec)[1]})`,
    ]);
  return a;
}

/** A paid payment at the PSP (activation, the EC's RPT, a positive RT accepted): the setting of the RT scenarios. */
export async function paidAtPsp(t: OldEcContext, n: Notice): Promise<{ kept: KeptRpt; activation: Answer; rt: Answer }> {
  const { kept, activation } = await rptAtPsp(t, n);
  const rt = await payRt(t, kept, 'OK');
  if (esitoOf(rt.ec) !== 'OK') return t.inconclusive([
      `the payment this scenario starts from was not closed: paaInviaRT answered ${said(rt.ec)[0]}`,
      `il pagamento da cui parte lo scenario non si è chiuso: paaInviaRT ha risposto ${said(rt.ec)[1]}`,
    ]);
  return { kept, activation, rt: rt.ec };
}

/**
 * A payment at the PSP up to its RPT (activation of `n` for its amount, the candidate's RPT forwarded
 * to the PSP), with no RT yet: the setting every RT scenario starts from. Anything short of that ends
 * the scenario INCONCLUSIVE: it judges what follows, not this.
 */
export async function rptAtPsp(t: OldEcContext, n: Notice): Promise<{ kept: KeptRpt; rpt: RptRecord; activation: Answer; ccp: string }> {
  const act = await activateAtPsp(t, n, await amountOf(t, n));
  if (esitoOf(act.ec) !== 'OK') return t.inconclusive([
      `the payment this scenario starts from could not begin: paaAttivaRPT answered ${said(act.ec)[0]}`,
      `il pagamento da cui parte lo scenario non è potuto iniziare: paaAttivaRPT ha risposto ${said(act.ec)[1]}`,
    ]);
  const r = await rptAfterActivation(t, n.fiscalCode, iuvOf(n), act.ccp);
  if ('problem' in r || !r.kept) {
    // the Nodo's own diagnostic (or the RPT's state) is data: quoted in the Italian
    const why = 'problem' in r ? r.problem : r.rpt.stato;
    return t.inconclusive([
      `the payment this scenario starts from could not go on: no RPT reached the PSP after the activation (${why})`,
      `il pagamento da cui parte lo scenario non è potuto proseguire: nessuna RPT è giunta al PSP dopo l'attivazione ("${why}")`,
    ]);
  }
  return { kept: r.kept, rpt: r.rpt, activation: act.ec, ccp: act.ccp };
}

// ---------------------------------------------------------------- a paid payment, whoever started it

export interface PaidPayment {
  idDominio: string;
  iuv: string;
  ccp: string;
  /** the RT the EC accepted */
  rt: Rt;
  /** the notice, when the payment was started at the PSP (its position can be queried with paaVerificaRPT) */
  notice?: Notice;
}

/**
 * A payment the candidate has the positive RT of, started the way the profile offers: at the PSP
 * (activation, the EC's RPT, the RT), else at the EC (a one-RPT cart the payer pays on WISP; the
 * payer's two form posts are made over HTTP, no browser needed). The setting of revoca and storno.
 */
export async function paidPayment(t: OldEcContext, n: Notice | undefined): Promise<PaidPayment> {
  if (offersFeature(t.profile, 'pspStarted', 'old') && n) {
    const p = await paidAtPsp(t, n);
    return { idDominio: p.kept.idDominio, iuv: p.kept.iuv, ccp: p.kept.ccp, rt: rtOfRecord(t, p.kept), notice: n };
  }
  if (!offersFeature(t.profile, 'ecStarted', 'old')) return t.notApplicable([
      'a paid payment is needed and the profile offers neither old.features.pspStarted nor old.features.ecStarted',
      'serve un pagamento eseguito e il profilo non offre né old.features.pspStarted né old.features.ecStarted',
    ]);
  const cart = await cartAtPsp(t, [2100]);
  const rec = t.nodo.rpts().find((r) => r.idCarrello === cart.idCarrello);
  if (!rec) return t.harnessError(`the Nodo has no RPT of cart ${cart.idCarrello}`);
  const d = await t.nodo.waitDelivery(rec.idDominio, rec.iuv, rec.ccp).catch(() => undefined);
  if (d?.state !== 'delivered') return t.inconclusive([
      `the payment this scenario starts from was not closed: the RT was not accepted (${d?.state ?? 'no delivery'}: ${d?.reason ?? ''})`,
      `il pagamento da cui parte lo scenario non si è chiuso: la RT non è stata accettata (${d ? `${DELIVERY_IT[d.state]}: "${d.reason ?? ''}"` : 'nessuna consegna'})`,
    ]);
  return { idDominio: rec.idDominio, iuv: rec.iuv, ccp: rec.ccp, rt: rtOfRecord(t, rec) };
}

/** The Nodo's delivery states in Italian. */
const DELIVERY_IT: Record<DeliveryState, string> = { pending: 'in attesa', delivered: 'consegnata', rejected: 'rifiutata', parked: 'sospesa' };

/**
 * A one-or-more-RPT cart the candidate sends (old-cart), its WISP choice made over HTTP (the payer's
 * form post: no browser needed) and the emulated PSP's payment with `script` (default: paid).
 */
export async function cartAtPsp(t: OldEcContext, amounts: number[], script?: PayScript): Promise<Cart> {
  const sent = await askOldEc(t, 'old-cart', { amountsCents: amounts }, 'nodoInviaCarrelloRPT');
  const url = sent.answer.body ? textOf(sent.answer.body, 'url') : undefined;
  const session = url ? new URL(url).searchParams.get('idSession') : null;
  const cart = session ? t.nodo.session(session) : undefined;
  if (!cart) return t.inconclusive([
      `the payment this scenario starts from could not begin: nodoInviaCarrelloRPT answered ${said(sent.answer)[0]}`,
      `il pagamento da cui parte lo scenario non è potuto iniziare: nodoInviaCarrelloRPT ha risposto ${said(sent.answer)[1]}`,
    ]);
  const form = new URLSearchParams({ idSession: cart.idSession, psp: `${t.psp.ids.idPSP}|${t.psp.ids.idChannel}`, azione: 'paga' });
  // the PSP's script applies to the cart the Nodo hands it when the payer chooses it
  if (script) t.psp.script('next', script);
  const chosen = await fetch(`${t.nodo.urls.base}/wisp/scelta`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), redirect: 'manual' });
  const pspCart = chosen.status === 303 ? new URL(chosen.headers.get('location') ?? '', t.nodo.urls.base).searchParams.get(CART_PARAM) : null;
  if (!pspCart) return t.inconclusive([`WISP did not hand the payer to the PSP (HTTP ${chosen.status})`, `WISP non ha indirizzato il pagatore al PSP (HTTP ${chosen.status})`]);
  await t.psp.pay(pspCart, 'paga');
  return cart;
}

function rtOfRecord(t: OldEcContext, k: { idDominio: string; iuv: string; ccp: string }): Rt {
  const rt = t.nodo.rpt(k.idDominio, k.iuv, k.ccp)?.rt;
  if (!rt) return t.harnessError(`the Nodo holds no RT of ${k.idDominio}/${k.iuv}/${k.ccp}`);
  return readRt(rt.xml);
}
