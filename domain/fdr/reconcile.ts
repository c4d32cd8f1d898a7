// The line-by-line half of the FdR judge (judge.ts): the lines of each flow's reconciled publication
// matched to the transfers of the receipts the platform settled for the PSP and EC — reported once,
// with the right identity (IUV, IUR, transfer index, amount, only this EC's transfers) and the right
// outcome code — plus the payment day of every line, which the date and deadline rules read.
//
// Readings taken:
//  - The expected lines: one per transfer to this EC of every receipt with outcome OK (new model:
//    IUR = paymentToken, NM-FDR-VAL-02; old model: the IUR the RT gives that datiSingoloPagamento,
//    only those with an amount > 0). A new-model transfer without IBAN is an @e.bollo stamp: not
//    credited to the EC, so not in its flow (NM-A-25, WARNING when it is).
//  - The transfer a line names: idTransfer (REST), indiceDatiSingoloPagamento (SOAP, optional there:
//    without it the line is matched by IUV, IUR and amount; a WARNING when the RT has several).
//  - Codes (NM-A-24; the choice is SHOULD except that 0 and 4 need a receipt): a Stand-In receipt is
//    reported 4 by REST; by SOAP, whose schema has no 4, 0 is right and 4 a WARNING (schema snapshot
//    read as outdated). A line without receipt carries 9 (8 for a Stand-In collection).
//  - Code 3 (revoked) matches a revocation the run knows, for the amount revoked. Its sign: the seed's
//    "cifra negativa" (OLD-FDR-05) against the flow schema's stImporto (≥ 0.01), which refuses a negative
//    singoloImportoPagato; both readings pass (A-21: the code carries the sign), a negative line never
//    reaches the judge over SOAP. Without a list of revocations code 3 is not verified.
//  - A line without receipt is dated by the collection the run knows of (its clock time, cut-off and
//    all), else by its own dataEsitoSingoloPagamento (a day without hour: no cut-off).
//  - A receipt is missing only once its D+2 has passed on the clock; the old model's single-SCT
//    settlement (OLD-FDR-02, declared) makes a missing RT a WARNING.
import type { LedgerReceipt } from '../../src/core/ledger.js';
import type { Bi } from '../../src/core/text.js';
import type { FlowLine, FlowTransport } from './types.js';
import { type Day, type DayScale, FDR_DUE_WORKING_DAYS, SCT_DUE_WORKING_DAYS, type WorkingCalendar, addWorkingDays, deadlineAfter, isDay, operatingDay, workingDayOnOrAfter } from './calendar.js';
import type { FdrFinding, FdrJudgeInput, FdrKpi, FdrOutcome, FdrRule, FlowRef, LineRef, PublishedFlow, ReceiptRef } from './findings.js';

export interface Pub {
  f: PublishedFlow;
  ref: FlowRef;
  /** original: the first; correction / repeat: published again (changed / unchanged); reuse: the id of another flow used again */
  kind: 'original' | 'correction' | 'repeat' | 'reuse';
}
export interface Logical {
  key: string;
  flowId: string;
  pubs: Pub[];
  first: Pub;
  latest: Pub;
}
type Part = { new?: string[]; old?: string[] };
export interface Ctx {
  input: FdrJudgeInput;
  days: DayScale;
  cal: WorkingCalendar;
  cutoff: number;
  emit: (rule: FdrRule, outcome: FdrOutcome, message: Bi, keys?: Partial<Pick<FdrFinding, 'flows' | 'lines' | 'receipts' | 'latenessMs'>>, part?: Part) => void;
  ids: (rule: FdrRule, part?: Part) => readonly string[];
  kpi: FdrKpi;
  singleSettlement: boolean;
}

/** Euros from cents, signed: -12.30. */
export const euros = (c: number): string => `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
export const isSoap = (t: FlowTransport): boolean => t !== 'rest';
/** The receipt transfer a line names: idTransfer (REST), indiceDatiSingoloPagamento (SOAP). */
// SOAP: indiceDatiSingoloPagamento is the transfer (FlowLine.idTransfer); the reader's index is only the line's position
export const lineTransfer = (line: FlowLine, transport: FlowTransport): number | undefined => (transport === 'rest' ? line.idTransfer : (line.idTransfer ?? line.index));

type Transfer = LedgerReceipt['transfers'][number];
interface Expected {
  r: LedgerReceipt;
  t: Transfer;
  iuv: string;
  iur: string;
  pos: number;
  payDay: Day;
  opDay: Day;
  due: { day: Day; at: number };
  ref: ReceiptRef;
  /** more than one transfer to this EC, or transfers to other ECs: a multi-beneficiary receipt (NM-MB-FDR-01) */
  mb: boolean;
  hits: LineRef[];
}

const CAP = 50;
const k2 = (iuv: string, iur: string) => `${iuv}\u0000${iur}`;
const k3 = (iuv: string, iur: string, pos: number | undefined) => `${iuv}\u0000${iur}\u0000${pos ?? ''}`;
const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
};
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
const pluralIt = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
/** A line's identity (IUV, IUR, index, idTransfer, code) in both languages: the same values. */
function lineSaid(flowId: string, i: number, line: FlowLine): Bi {
  const keys = `IUV ${line.iuv}, IUR ${line.iur}${line.index !== undefined ? `, index ${line.index}` : ''}${line.idTransfer !== undefined ? `, idTransfer ${line.idTransfer}` : ''}`;
  return [`flow ${flowId} line ${i + 1} (${keys}, code ${line.outcomeCode})`, `flusso ${flowId} riga ${i + 1} (${keys.replace(', index ', ', indice ')}, codice ${line.outcomeCode})`];
}

export function reconcile(c: Ctx, ours: Logical[]): { payDays(p: Pub): Day[]; opDays(p: Pub): Day[]; sctDue(p: Pub): Day | undefined; readings: string[] } {
  const { input, days, cal, emit } = c;
  const ec = input.ecFiscalCode;
  // one deadline per operating day (a 100,000-line flow has a handful of days)
  const dueByDay = new Map<Day, { day: Day; at: number }>();
  const dueAfter = (d: Day) => dueByDay.get(d) ?? dueByDay.set(d, deadlineAfter(d, FDR_DUE_WORKING_DAYS, days, cal)).get(d)!;
  const dueOf = (ms: number) => dueAfter(operatingDay(ms, days, cal, c.cutoff));

  // ---- what the receipts say should be reported ----
  const expected: Expected[] = [];
  const byKey = new Map<string, Expected>();
  // the looser indexes serve only lines that do not match exactly: built on first use
  let loose: { byIuvIur: Map<string, Expected[]>; byIuvPos: Map<string, Expected[]>; byIuv: Map<string, Expected[]> } | undefined;
  const idx = () => {
    if (!loose) {
      loose = { byIuvIur: new Map(), byIuvPos: new Map(), byIuv: new Map() };
      for (const e of expected) {
        push(loose.byIuvIur, k2(e.iuv, e.iur), e);
        push(loose.byIuvPos, `${e.iuv}\u0000${e.pos}`, e);
        push(loose.byIuv, e.iuv, e);
      }
    }
    return loose;
  };
  const foreign = new Map<string, { r: LedgerReceipt; t: Transfer }>();
  const stamps = new Map<string, { r: LedgerReceipt; t: Transfer }>();
  const notExecuted = new Map<string, LedgerReceipt>();
  for (const r of input.receipts) {
    if (r.idPSP !== input.idPSP || !r.iuv) continue;
    const payDay = days.dayOf(r.at).day;
    const opDay = operatingDay(r.at, days, cal, c.cutoff);
    const mine = r.transfers.filter((t) => t.ecFiscalCode === ec);
    const mb = mine.length > 1 || mine.length < r.transfers.length;
    for (const t of r.transfers) {
      const iur = r.model === 'old' ? (t.iur ?? r.receiptId) : r.receiptId;
      if (r.outcome !== 'OK' || t.amountCents <= 0) {
        if (t.ecFiscalCode === ec) notExecuted.set(k2(r.iuv, iur), r);
      } else if (t.ecFiscalCode !== ec) {
        foreign.set(k3(r.iuv, iur, t.index), { r, t });
        foreign.set(k2(r.iuv, iur), { r, t });
      } else if (r.model === 'new' && !t.iban) {
        stamps.set(k3(r.iuv, iur, t.index), { r, t });
      } else {
        const e: Expected = { r, t, iuv: r.iuv, iur, pos: t.index, payDay, opDay, due: dueAfter(opDay), ref: { model: r.model, receiptId: r.receiptId, ecFiscalCode: r.ecFiscalCode, iuv: r.iuv, transfer: t.index }, mb, hits: [] };
        expected.push(e);
        byKey.set(k3(e.iuv, iur, e.pos), e);
      }
    }
  }
  const mbPart = (e: Expected | undefined, base: string[]): Part => ({ new: e?.mb ? [...base, 'NM-MB-FDR-01', 'NM-FDR-REC-02'] : base });
  const unreceipted = (input.unreceipted ?? []).filter((u) => u.ecFiscalCode === ec).map((u) => ({ u, lines: [] as LineRef[] }));
  const revoked = input.revoked?.filter((r) => r.ecFiscalCode === ec).map((rv) => ({ rv, lines: [] as LineRef[] }));

  // ---- the reconciled publication of each flow, line by line ----
  for (const l of ours) {
    const p = l.latest;
    const f = p.f;
    const soap = isSoap(f.transport);
    let identityIssues = 0;
    let codeIssues = 0;
    let noReceipt = 0;
    let standInCodesOverSoap = 0;
    const seenIndex = new Set<number>();
    f.lines.forEach((line, i) => {
      const ref: LineRef = { flowId: f.flowId, position: i, iuv: line.iuv, iur: line.iur, outcomeCode: line.outcomeCode };
      if (f.revision !== undefined) ref.revision = f.revision;
      if (line.index !== undefined) ref.index = line.index;
      if (line.idTransfer !== undefined) ref.idTransfer = line.idTransfer;
      const what = () => lineSaid(f.flowId, i, line)[0];
      const whatIt = () => lineSaid(f.flowId, i, line)[1];
      const keys = { flows: [p.ref], lines: [ref] };
      if (f.transport === 'rest') {
        if (line.index === undefined || seenIndex.has(line.index)) {
          identityIssues++;
          emit('line-identity', 'fail', [`${what()}: index ${line.index ?? 'absent'} must be present and unique in the flow (NM-V-13, FDR-3005/3006)`, `${whatIt()}: index ${line.index ?? 'assente'} deve essere presente e univoco nel flusso (NM-V-13, FDR-3005/3006)`], keys, { new: ['NM-FDR-VAL-03'] });
        } else seenIndex.add(line.index);
      }
      if (line.outcomeCode === '4' || line.outcomeCode === '8') if (soap) standInCodesOverSoap++;
      if (line.outcomeCode === '3') {
        codeIssues += revokedLine(c, revoked, line, ref, lineSaid(f.flowId, i, line), keys);
        return;
      }
      const pos = lineTransfer(line, f.transport);
      const claimsReceipt = line.outcomeCode === '0' || line.outcomeCode === '4';
      const free = (es: Expected[] | undefined) => es?.find((e) => !e.hits.length && e.t.amountCents === line.amountCents) ?? es?.find((e) => !e.hits.length) ?? es?.[0];
      const wrong: string[] = [];
      const wrongIt: string[] = [];
      let e = pos !== undefined ? byKey.get(k3(line.iuv, line.iur, pos)) : undefined;
      // another EC's transfer, or a stamp, named exactly: not a wrong index of this EC's transfer
      const exactElsewhere = !e && pos !== undefined && (foreign.has(k3(line.iuv, line.iur, pos)) || stamps.has(k3(line.iuv, line.iur, pos)));
      if (exactElsewhere) e = undefined;
      else if (!e && pos === undefined) {
        e = free(idx().byIuvIur.get(k2(line.iuv, line.iur)));
        if (e && expected.filter((x) => x.r === e!.r).length > 1) {
          wrong.push(`indiceDatiSingoloPagamento absent while the RT has ${expected.filter((x) => x.r === e!.r).length} transfers to this EC`);
          wrongIt.push(`indiceDatiSingoloPagamento assente mentre la RT ha ${expected.filter((x) => x.r === e!.r).length} trasferimenti a questo EC`);
        }
      }
      if (!e && !exactElsewhere && pos !== undefined) {
        e = free(idx().byIuvIur.get(k2(line.iuv, line.iur)));
        if (e) {
          wrong.push(`${f.transport === 'rest' ? 'idTransfer' : 'indiceDatiSingoloPagamento'} ${pos}, the receipt's transfer is ${e.pos}`);
          wrongIt.push(`${f.transport === 'rest' ? 'idTransfer' : 'indiceDatiSingoloPagamento'} ${pos}, il trasferimento della ricevuta è ${e.pos}`);
        }
      }
      if (!e && !exactElsewhere && claimsReceipt) {
        e = free(pos !== undefined ? idx().byIuvPos.get(`${line.iuv}\u0000${pos}`) : undefined) ?? free(idx().byIuv.get(line.iuv));
        if (e) {
          wrong.push(`identificativoUnivocoRiscossione / iur ${line.iur}, the ${e.r.model === 'old' ? "RT's IUR" : 'paymentToken (NM-FDR-VAL-02)'} is ${e.iur}`);
          wrongIt.push(`identificativoUnivocoRiscossione / iur ${line.iur}, ${e.r.model === 'old' ? 'lo IUR della RT' : 'il paymentToken (NM-FDR-VAL-02)'} è ${e.iur}`);
          if (pos !== e.pos) {
            wrong.push(`transfer ${pos ?? 'absent'}, the receipt's is ${e.pos}`);
            wrongIt.push(`trasferimento ${pos ?? 'assente'}, quello della ricevuta è ${e.pos}`);
          }
        }
      }
      if (e) {
        e.hits.push(ref);
        const rk = { ...keys, receipts: [e.ref] };
        if (line.amountCents !== e.t.amountCents) {
          wrong.push(`singoloImportoPagato / pay ${euros(line.amountCents)}, the transfer's amount is ${euros(e.t.amountCents)}`);
          wrongIt.push(`singoloImportoPagato / "pay" ${euros(line.amountCents)}, l’importo del trasferimento è ${euros(e.t.amountCents)}`);
        }
        if (wrong.length) {
          identityIssues++;
          emit('line-identity', wrong.some((w) => w.startsWith('indiceDatiSingoloPagamento absent')) && wrong.length === 1 ? 'warning' : 'fail', [`${what()}: ${wrong.join('; ')} (receipt ${e.r.receiptId})`, `${whatIt()}: ${wrongIt.join('; ')} (ricevuta ${e.r.receiptId})`], rk, mbPart(e, ['NM-FDR-VAL-02']));
        }
        const dateOk = line.date === e.payDay || line.date === e.opDay || line.date === days.dayOfText(e.r.paidAt);
        if (!dateOk) {
          identityIssues++;
          emit('line-identity', 'warning', [`${what()}: dataEsitoSingoloPagamento / payDate ${line.date} is not the payment's day (${e.payDay}, paid ${e.r.paidAt})`, `${whatIt()}: dataEsitoSingoloPagamento / payDate ${line.date} non è il giorno del pagamento (${e.payDay}, pagato ${e.r.paidAt})`], rk, { new: ['NM-FDR-VAL-02'] });
        }
        codeIssues += matchedCode(c, e, line.outcomeCode, soap, () => lineSaid(f.flowId, i, line), rk);
        return;
      }
      // no receipt of this EC: another EC's transfer, a stamp, an RT not executed, or a collection without receipt
      const other = (pos !== undefined ? foreign.get(k3(line.iuv, line.iur, pos)) : undefined) ?? foreign.get(k2(line.iuv, line.iur));
      if (other) {
        identityIssues++;
        emit('line-identity', 'fail', [
          `${what()}: reports transfer ${other.t.index} of receipt ${other.r.receiptId}, credited to EC ${other.t.ecFiscalCode}, in the flow of EC ${ec}: each EC's flow holds only its own transfers`,
          `${whatIt()}: rendiconta il trasferimento ${other.t.index} della ricevuta ${other.r.receiptId}, accreditato all’EC ${other.t.ecFiscalCode}, nel flusso dell’EC ${ec}: il flusso di ogni EC contiene solo i propri trasferimenti`,
        ], { ...keys, receipts: [{ model: other.r.model, receiptId: other.r.receiptId, ecFiscalCode: other.r.ecFiscalCode, iuv: other.r.iuv, transfer: other.t.index }] }, { new: ['NM-MB-FDR-01', 'NM-FDR-REC-02'] });
        return;
      }
      const stamp = stamps.get(k3(line.iuv, line.iur, pos));
      if (stamp) {
        identityIssues++;
        emit('line-identity', 'warning', [`${what()}: reports the @e.bollo stamp transfer ${stamp.t.index} of receipt ${stamp.r.receiptId}: a stamp is not credited to the EC's IBAN, so not in its flow (NM-A-25)`, `${whatIt()}: rendiconta il trasferimento ${stamp.t.index} della marca da bollo @e.bollo della ricevuta ${stamp.r.receiptId}: una marca da bollo non è accreditata sull’IBAN dell’EC, quindi non va nel suo flusso (NM-A-25)`], keys, { new: ['NM-FDR-REC-02'] });
        return;
      }
      noReceipt++;
      const u = unreceipted.find((x) => x.u.iuv === line.iuv && !x.lines.length) ?? unreceipted.find((x) => x.u.iuv === line.iuv);
      u?.lines.push(ref);
      const ko = notExecuted.get(k2(line.iuv, line.iur));
      if (claimsReceipt) {
        codeIssues++;
        emit('outcome-code', 'fail', [
          `${what()}: codiceEsitoSingoloPagamento / payStatus ${line.outcomeCode} (${line.outcomeCode === '0' ? 'EXECUTED' : 'STAND_IN'}) needs a receipt, and the platform settled none${ko ? ` (RT ${ko.receiptId} is negative)` : ''} for this IUV and IUR${u ? ` (collected without receipt: ${u.u.why ?? 'known to the run'}; code 9${u.u.standIn ? ' or 8' : ''})` : ': code 9 (8 in Stand-In) reports a collection without receipt'}`,
          `${whatIt()}: codiceEsitoSingoloPagamento / payStatus ${line.outcomeCode} (${line.outcomeCode === '0' ? 'EXECUTED' : 'STAND_IN'}) richiede una ricevuta, e la piattaforma non ne ha regolata alcuna${ko ? ` (la RT ${ko.receiptId} è negativa)` : ''} per questi IUV e IUR${u ? ` (incassato senza ricevuta: ${u.u.whyIt ?? (u.u.why ? `"${u.u.why}"` : 'noto al collaudo')}; codice 9${u.u.standIn ? ' o 8' : ''})` : ': il codice 9 (8 in Stand-In) rendiconta un incasso senza ricevuta'}`,
        ], keys, { old: ['OLD-FDR-04', 'OLD-FDR-01', ...(u ? ['OLD-PSP-ERR-08'] : [])] });
      } else if (u && line.outcomeCode === '8' && !u.u.standIn) {
        codeIssues++;
        emit('outcome-code', 'warning', [`${what()}: code 8 (Stand-In without receipt) for a collection made outside Stand-In (${u.u.why ?? 'known to the run'}): code 9 (NM-A-24)`, `${whatIt()}: codice 8 (Stand-In senza ricevuta) per un incasso fatto fuori dallo Stand-In (${u.u.whyIt ?? (u.u.why ? `"${u.u.why}"` : 'noto al collaudo')}): codice 9 (NM-A-24)`], keys);
      } else if (u && line.amountCents !== u.u.amountCents && u.u.amountCents !== undefined) {
        codeIssues++;
        emit('outcome-code', 'warning', [`${what()}: amount ${euros(line.amountCents)} for a collection of ${euros(u.u.amountCents)}`, `${whatIt()}: importo ${euros(line.amountCents)} per un incasso di ${euros(u.u.amountCents)}`], keys, { old: ['OLD-FDR-04'] });
      }
    });
    if (standInCodesOverSoap) {
      codeIssues++;
      emit('outcome-code', 'warning', [
        `flow ${f.flowId} travels by SOAP with ${plural(standInCodesOverSoap, 'line')} coded 4/8, which FlussoRiversamento 1.0.4 does not list (0, 3, 9): accepted, the schema snapshot read as outdated (NM-A-24)`,
        `il flusso ${f.flowId} viaggia via SOAP con ${pluralIt(standInCodesOverSoap, 'riga', 'righe')} con codice 4/8, che FlussoRiversamento 1.0.4 non elenca (0, 3, 9): accettato, considerando non aggiornata la versione XSD (NM-A-24)`,
      ], { flows: [p.ref] }, { old: ['OLD-FDR-01'] });
    }
    if (!identityIssues && f.lines.length) emit('line-identity', 'pass', [`flow ${f.flowId}: ${plural(f.lines.length, 'line')} name their payment (IUV, IUR, transfer, amount, this EC's transfers)`, `flusso ${f.flowId}: ${pluralIt(f.lines.length, 'riga indica', 'righe indicano')} il proprio pagamento (IUV, IUR, trasferimento, importo, trasferimenti di questo EC)`], { flows: [p.ref] });
    if (!codeIssues && f.lines.length) emit('outcome-code', 'pass', [`flow ${f.flowId}: ${plural(f.lines.length, 'line')} carry the right code${noReceipt ? ` (${noReceipt} without receipt, coded 9/8)` : ''}`, `flusso ${f.flowId}: ${pluralIt(f.lines.length, 'riga riporta', 'righe riportano')} il codice giusto${noReceipt ? ` (${noReceipt} senza ricevuta, codice 9/8)` : ''}`], { flows: [p.ref] });
  }

  // ---- every receipt reported once (once due) ----
  let once = 0;
  const pending: Expected[] = [];
  for (const e of expected) {
    const keys = { receipts: [e.ref], lines: e.hits };
    if (e.hits.length === 1) once++;
    else if (e.hits.length > 1) emit('reported-once', 'fail', [`receipt ${e.r.receiptId} (IUV ${e.iuv}, transfer ${e.pos}) reported ${e.hits.length} times: ${e.hits.map((h) => `flow ${h.flowId} line ${h.position + 1}`).join(', ')}`, `ricevuta ${e.r.receiptId} (IUV ${e.iuv}, trasferimento ${e.pos}) rendicontata ${e.hits.length} volte: ${e.hits.map((h) => `flusso ${h.flowId} riga ${h.position + 1}`).join(', ')}`], keys, mbPart(e, ['NM-FDR-VAL-03']));
    else if (input.now < e.due.at) pending.push(e);
    else {
      c.kpi.missing.push(e.ref);
      const single = c.singleSettlement && input.model === 'old';
      emit('reported-once', single ? 'warning' : 'fail', [
        `receipt ${e.r.receiptId} (IUV ${e.iuv}, IUR ${e.iur}, transfer ${e.pos}, ${euros(e.t.amountCents)}, paid ${e.r.paidAt}) is in no flow, and its deadline passed (24:00 of ${e.due.day})${single ? ': the PSP declares single-SCT settlement (OLD-FDR-02)' : ''}`,
        `la ricevuta ${e.r.receiptId} (IUV ${e.iuv}, IUR ${e.iur}, trasferimento ${e.pos}, ${euros(e.t.amountCents)}, pagata ${e.r.paidAt}) non è in alcun flusso, e la sua scadenza è passata (24:00 del ${e.due.day})${single ? ': il PSP dichiara il riversamento con SCT singolo (OLD-FDR-02)' : ''}`,
      ], keys, mbPart(e, ['NM-FDR-VAL-02']));
    }
  }
  if (pending.length) emit('reported-once', 'not-exercised', [
      `${plural(pending.length, 'receipt')} in no flow yet, not due until 24:00 of ${pending.map((e) => e.due.day).sort()[0]}: ${pending.slice(0, 10).map((e) => e.r.receiptId).join(', ')}${pending.length > 10 ? ' …' : ''}`,
      `${pluralIt(pending.length, 'ricevuta', 'ricevute')} non ancora in un flusso, non dovute prima delle 24:00 del ${pending.map((e) => e.due.day).sort()[0]}: ${pending.slice(0, 10).map((e) => e.r.receiptId).join(', ')}${pending.length > 10 ? ' …' : ''}`,
    ], { receipts: pending.slice(0, CAP).map((e) => e.ref) });
  if (once) emit('reported-once', 'pass', [`${plural(once, 'receipt transfer')} of EC ${ec} reported exactly once`, `${pluralIt(once, 'trasferimento di ricevuta', 'trasferimenti di ricevute')} dell’EC ${ec} ${once === 1 ? 'rendicontato' : 'rendicontati'} esattamente una volta`], { receipts: expected.filter((e) => e.hits.length === 1).slice(0, CAP).map((e) => e.ref) });

  // ---- collections without receipt the run knows of: code 9 (8) ----
  for (const { u, lines } of unreceipted) {
    const due = dueOf(u.at);
    const what = `the collection of IUV ${u.iuv} without receipt (${u.why ?? 'known to the run'})`;
    const whatIt = `l’incasso dello IUV ${u.iuv} senza ricevuta (${u.whyIt ?? (u.why ? `"${u.why}"` : 'noto al collaudo')})`;
    if (lines.length) {
      if (lines.every((x) => x.outcomeCode === '9' || x.outcomeCode === '8')) emit('outcome-code', 'pass', [`${what} is reported with code ${lines.map((x) => x.outcomeCode).join(', ')}`, `${whatIt} è rendicontato con codice ${lines.map((x) => x.outcomeCode).join(', ')}`], { lines }, { old: ['OLD-FDR-04', 'OLD-PSP-ERR-08'] });
    } else if (input.now < due.at) emit('outcome-code', 'not-exercised', [`${what}: in no flow yet, not due until 24:00 of ${due.day}`, `${whatIt}: non ancora in un flusso, non dovuto prima delle 24:00 del ${due.day}`], {}, { old: ['OLD-FDR-04', 'OLD-PSP-ERR-08'] });
    else
      emit('outcome-code', input.model === 'old' ? 'fail' : 'warning', [
        `${what} is in no flow, and its deadline passed (24:00 of ${due.day}): ${input.model === 'old' ? 'the PSP reports it with code 9 (L1982)' : 'a PSP that settles it reports code 9 (NM-A-34; or it reverses the collection)'}`,
        `${whatIt} non è in alcun flusso, e la sua scadenza è passata (24:00 del ${due.day}): ${input.model === 'old' ? 'il PSP lo rendiconta con codice 9 (L1982)' : 'un PSP che lo riversa lo rendiconta con codice 9 (NM-A-34; oppure storna l’incasso)'}`,
      ], {}, { old: ['OLD-FDR-04', 'OLD-PSP-ERR-08'] });
  }
  // ---- revocations the run knows of: code 3 in a later flow ----
  for (const { rv, lines } of revoked ?? []) {
    if (lines.length) continue;
    const due = dueOf(rv.at);
    const what = `the revocation of IUV ${rv.iuv}${rv.iur ? ` (IUR ${rv.iur})` : ''}`;
    const whatIt = `la revoca dello IUV ${rv.iuv}${rv.iur ? ` (IUR ${rv.iur})` : ''}`;
    if (input.now < due.at) emit('outcome-code', 'not-exercised', [`${what}: in no flow yet, not due until 24:00 of ${due.day}`, `${whatIt}: non ancora in un flusso, non dovuta prima delle 24:00 del ${due.day}`], {}, { old: ['OLD-FDR-05'] });
    else emit('outcome-code', 'warning', [`${what} is in no flow with code 3, and 24:00 of ${due.day} passed (OLD-FDR-05: the next flow shows the negative amount)`, `${whatIt} non è in alcun flusso con codice 3, e le 24:00 del ${due.day} sono passate (OLD-FDR-05: il flusso successivo riporta l’importo negativo)`], {}, { old: ['OLD-FDR-05'] });
  }

  // ---- the payment days of a publication's lines (read by the date and deadline rules) ----
  const cache = new Map<Pub, { pay: Day[]; op: Day[] }>();
  const lineDays = (p: Pub): { pay: Day[]; op: Day[] } => {
    const hit = cache.get(p);
    if (hit) return hit;
    const pay = new Set<Day>();
    const op = new Set<Day>();
    for (const line of p.f.lines) {
      if (line.outcomeCode === '3') continue;
      const exact = byKey.get(k3(line.iuv, line.iur, lineTransfer(line, p.f.transport)));
      const es = exact ? undefined : (idx().byIuvIur.get(k2(line.iuv, line.iur)) ?? idx().byIuv.get(line.iuv));
      if (exact || es?.length) {
        // a notice paid more than once: its earliest payment
        let e = exact ?? es![0]!;
        for (const x of es ?? []) if (x.payDay < e.payDay) e = x;
        pay.add(e.payDay);
        op.add(e.opDay);
      } else {
        // no receipt: the collection the run knows of gives the day, else the line's own date (no hour: no cut-off)
        const known = unreceipted.find((x) => x.u.iuv === line.iuv);
        if (known) {
          pay.add(days.dayOf(known.u.at).day);
          op.add(operatingDay(known.u.at, days, cal, c.cutoff));
        } else if (isDay(line.date)) {
          pay.add(line.date);
          op.add(workingDayOnOrAfter(cal, line.date));
        }
      }
    }
    const out = { pay: [...pay], op: [...op] };
    cache.set(p, out);
    return out;
  };
  return {
    payDays: (p) => lineDays(p).pay,
    opDays: (p) => lineDays(p).op,
    sctDue(p) {
      const last = [...lineDays(p).op].sort().at(-1);
      return last && addWorkingDays(cal, last, SCT_DUE_WORKING_DAYS);
    },
    readings: [
      `${plural(expected.length, 'receipt transfer')} of EC ${ec} expected from ${input.idPSP}; IUR = paymentToken (new model), the RT's IUR (old model)`,
      ...(input.revoked ? [] : ['no list of revocations: code 3 lines are not verified']),
    ],
  };
}

/** The code of a line matched to a receipt. Returns 1 when it found an issue. */
function matchedCode(c: Ctx, e: Expected, code: FlowLine['outcomeCode'], soap: boolean, what: () => Bi, keys: Partial<FdrFinding>): number {
  if (code === '0' && e.r.standIn !== true) return 0;
  const [at, atIt] = what();
  const si = e.r.standIn === true;
  if (code === '0' && si && !soap) {
    c.emit('outcome-code', 'warning', [`${at}: Stand-In receipt ${e.r.receiptId} reported 0 (EXECUTED) by FdR 3: STAND_IN (4) is the code for it (NM-A-24)`, `${atIt}: ricevuta Stand-In ${e.r.receiptId} rendicontata 0 (EXECUTED) via FdR 3: il suo codice è STAND_IN (4) (NM-A-24)`], keys);
    return 1;
  }
  if (code === '4' && !si) {
    c.emit('outcome-code', 'warning', [`${at}: code 4 (STAND_IN) for receipt ${e.r.receiptId}, which the platform did not produce in Stand-In: code 0 (NM-A-24)`, `${atIt}: codice 4 (STAND_IN) per la ricevuta ${e.r.receiptId}, che la piattaforma non ha prodotto in Stand-In: codice 0 (NM-A-24)`], keys);
    return 1;
  }
  if (code === '9' || code === '8') {
    c.emit('outcome-code', 'warning', [
      `${at}: code ${code} (${code === '9' ? 'without receipt' : 'Stand-In without receipt'}) for a payment the platform has receipt ${e.r.receiptId} for: code ${si && !soap ? '4' : '0'}`,
      `${atIt}: codice ${code} (${code === '9' ? 'senza ricevuta' : 'Stand-In senza ricevuta'}) per un pagamento di cui la piattaforma ha la ricevuta ${e.r.receiptId}: codice ${si && !soap ? '4' : '0'}`,
    ], keys, { old: ['OLD-FDR-03'] });
    return 1;
  }
  return 0;
}

/** A code-3 line against the revocations the run knows. Returns 1 when it found an issue. */
function revokedLine(c: Ctx, revoked: { rv: NonNullable<FdrJudgeInput['revoked']>[number]; lines: LineRef[] }[] | undefined, line: FlowLine, ref: LineRef, [at, atIt]: Bi, keys: Partial<FdrFinding>): number {
  const part = { old: ['OLD-FDR-05'] };
  if (!revoked) {
    c.emit('outcome-code', 'not-exercised', [`${at}: code 3 (revoked) not verified: the run gave no list of revocations`, `${atIt}: codice 3 (revocato) non verificato: il collaudo non ha fornito un elenco di revoche`], keys, part);
    return 0;
  }
  const hit = revoked.find((x) => x.rv.iuv === line.iuv && (x.rv.iur === undefined || x.rv.iur === line.iur));
  if (!hit) {
    c.emit('outcome-code', 'warning', [`${at}: code 3 (revoked), but the run knows no revocation of IUV ${line.iuv}${line.iur ? ` / IUR ${line.iur}` : ''}`, `${atIt}: codice 3 (revocato), ma il collaudo non conosce alcuna revoca dello IUV ${line.iuv}${line.iur ? ` / IUR ${line.iur}` : ''}`], keys, part);
    return 1;
  }
  hit.lines.push(ref);
  if (hit.rv.amountCents !== undefined && Math.abs(line.amountCents) !== hit.rv.amountCents) {
    c.emit('outcome-code', 'warning', [`${at}: code 3 for ${euros(line.amountCents)}, the revocation was of ${euros(hit.rv.amountCents)}`, `${atIt}: codice 3 per ${euros(line.amountCents)}, la revoca era di ${euros(hit.rv.amountCents)}`], keys, part);
    return 1;
  }
  c.emit('outcome-code', 'pass', [`${at}: code 3 (revoked) for the ${euros(Math.abs(line.amountCents))} the run revoked`, `${atIt}: codice 3 (revocato) per i ${euros(Math.abs(line.amountCents))} revocati dal collaudo`], keys, part);
  return 0;
}
