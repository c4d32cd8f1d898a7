// What the old-model PSP scenarios share: the candidate's calls to the Nodo (NodoPerPsp) and its
// answers to the Nodo (PspPerNodo) read from the scenario's journal, and the checks that judge them.
// A check carries the journal entries it judged; a call that never came is the check's FAIL when the
// scenario needed it (a subject that did not occur is never a PASS).
import type { JournalEntry } from '../../../src/core/journal.js';
import { type Answer, answerOfExchange, answerSaid } from '../../../src/wire/answer.js';
import { type Bi, type Said, joinSaid } from '../../../src/core/text.js';
import { nodoPerPsp, pspPerNodo } from '../../../interfaces/index.js';
import { soapCall } from '../../../src/wire/http.js';
import { encodeEnvelope } from '../../../src/wire/soap.js';
import type { NodeObj } from '../../../src/wire/xml.js';
import { isoDate, isoDateTime } from '../../../src/core/clock.js';
import { type Rpt, rptXml, toBase64 } from '../../../domain/old/index.js';
import { NODO_TO_PSP_MS } from '../../../domain/timeouts.js';
import type { RptRecord } from '../../../actors/nodo/old/index.js';
import type { OldNotice, OldPspContext } from '../../../seats/psp-old.js';

export type { Answer };

export interface Exchange {
  request: JournalEntry;
  response?: JournalEntry;
  answer: Answer;
}

const NODO_OPS = nodoPerPsp.operations;
const PSP_OPS = pspPerNodo.operations;

/** The candidate's calls to the Nodo for `primitive` after `since`, each with the Nodo's answer (read with validation). */
export function pspCalls(t: OldPspContext, primitive: string, since = 0, match: (e: JournalEntry) => boolean = () => true): Exchange[] {
  return t.journal
    .filter((e) => e.seq > since && e.direction === 'request' && e.from === 'psp' && e.to === 'nodo' && e.primitive === primitive && match(e))
    .map((request) => {
      const response = t.journal.filter((e) => e.direction === 'response' && e.exchange === request.exchange)[0];
      return { request, response, answer: answerOfExchange(request, response, { ops: NODO_OPS, validate: true }) };
    });
}

/** The Nodo's calls to the candidate for `primitive` after `since`, each with the candidate's answer. */
export function nodoToPsp(t: OldPspContext, primitive: string, since = 0, match: (e: JournalEntry) => boolean = () => true): Exchange[] {
  return t.journal
    .filter((e) => e.seq > since && e.direction === 'request' && e.from === 'nodo' && e.to === 'psp' && e.primitive === primitive && match(e))
    .map((request) => {
      const response = t.journal.filter((e) => e.direction === 'response' && e.exchange === request.exchange)[0];
      return { request, response, answer: answerOfExchange(request, response, { ops: PSP_OPS, validate: true }) };
    });
}

/** The exchange concerns this IUV (the Nodo and the codec correlate the old model's keys). */
export const aboutIuv = (iuv: string) => (e: JournalEntry) => e.correlation.iuv === iuv || e.raw.includes(iuv);

/** An answer the other side can rely on: HTTP 200, the operation's response element, valid against its schema. */
export const usable = (a: Answer): boolean => a.transport === 'ok' && a.httpStatus === 200 && a.kind === 'response' && !!a.xsd?.valid;

/** `what: tail` in both languages (as joinSaid does, an English-only `what` stays English in the Italian too). */
const saidWith = (what: Said, en: string, it: string): Bi => joinSaid([what, [en, it]], ': ');

/** The one exchange a check judges: `list`'s last, or a FAIL naming what never happened. */
export function checkExchangeOk(t: OldPspContext, id: string, list: Exchange[], what: Said, o: { requirements?: string[] } = {}): Exchange | undefined {
  const x = list.at(-1);
  if (!x) {
    t.check({ id, held: false, message: saidWith(what, 'it never happened', 'non è mai avvenuto'), requirements: o.requirements });
    return undefined;
  }
  const held = usable(x.answer) && x.answer.outcome === 'OK';
  const [en, it] = held ? ['esito OK', 'esito OK'] : answerSaid(x.answer, 'esito');
  t.check({ id, held, message: saidWith(what, en, it), entries: [x.request, x.response], requirements: o.requirements });
  return x;
}

/** The candidate refused (KO with one of `codes`) the Nodo's call. */
export function checkExchangeKo(t: OldPspContext, id: string, list: Exchange[], codes: readonly string[], what: Said): Exchange | undefined {
  const x = list.at(-1);
  if (!x) {
    t.check({ id, held: false, message: saidWith(what, `the Nodo's call was never answered (expected KO ${codes.join(' or ')})`, `la chiamata del Nodo non ha mai avuto risposta (atteso KO ${codes.join(' o ')})`) });
    return undefined;
  }
  // a top-level faultBean, or the first of listaErroriRPT (pspInviaRPT has no top-level fault, A-28)
  const code = x.answer.fault?.faultCode ?? /<(?:[\w-]+:)?faultCode>([^<]+)</.exec(x.response?.raw ?? '')?.[1];
  const held = usable(x.answer) && x.answer.outcome === 'KO' && !!code && codes.includes(code);
  const [got, gotIt] = answerSaid(x.answer, 'esito');
  const message = held ? saidWith(what, `KO ${code}`, `KO ${code}`) : saidWith(what, `expected KO ${codes.join(' or ')}, got ${got}`, `atteso KO ${codes.join(' o ')}, ricevuto ${gotIt}`);
  t.check({ id, held, message, entries: [x.request, x.response] });
  return x;
}

/** The Nodo's records of the RPTs for this notice (every CCP), oldest first. */
export function rptsOf(t: OldPspContext, n: Pick<OldNotice, 'fiscalCode' | 'iuv'>): RptRecord[] {
  return t.nodo.rpts().filter((r) => r.idDominio === n.fiscalCode && r.iuv === n.iuv);
}

/** CCP of a journal entry (its correlation, else its body). */
export function ccpOf(e: JournalEntry | undefined): string | undefined {
  return e?.correlation.ccp ?? /<(?:[\w-]+:)?codiceContestoPagamento>([^<]+)</.exec(e?.raw ?? '')?.[1];
}

/**
 * The harness, as the Nodo, sends the candidate again the very request of `e` (a duplicate RR, ER or
 * RPT): journaled in the scenario as the Nodo's call; the candidate's answer read as any other.
 */
export async function resendToPsp(t: OldPspContext, e: JournalEntry, note: string): Promise<Exchange> {
  const op = PSP_OPS.find((o) => o.name === e.primitive);
  if (!op) return t.harnessError(`resendToPsp: ${e.primitive} is not a PspPerNodo primitive`);
  const mark = t.journal.entries.at(-1)?.seq ?? 0;
  await soapCall({ url: t.channel.pspPerNodo, op, envelope: e.raw, soapAction: op.soapAction, from: 'nodo', to: 'psp', timeoutMs: NODO_TO_PSP_MS, clock: t.clock, journal: t.journal, note });
  return nodoToPsp(t, op.name, mark).at(-1) ?? t.harnessError(`resendToPsp: the ${op.name} sent again was not journaled`);
}

/** The harness, as the Nodo, calls the candidate's PspPerNodo with `content` (journaled as the Nodo's call). */
export async function callPsp(t: OldPspContext, primitive: string, content: NodeObj, note: string): Promise<Exchange> {
  const op = PSP_OPS.find((o) => o.name === primitive);
  if (!op) return t.harnessError(`callPsp: ${primitive} is not a PspPerNodo primitive`);
  const mark = t.journal.entries.at(-1)?.seq ?? 0;
  await soapCall({ url: t.channel.pspPerNodo, op, envelope: encodeEnvelope(op, 'request', content), soapAction: op.soapAction, from: 'nodo', to: 'psp', timeoutMs: NODO_TO_PSP_MS, clock: t.clock, journal: t.journal, note });
  return nodoToPsp(t, primitive, mark).at(-1) ?? t.harnessError(`callPsp: ${primitive} was not journaled`);
}

/** An RPT as the emulated EC would write it for these keys (the harness's hand-made RPTs bend it). */
export function harnessRpt(t: OldPspContext, k: { idDominio: string; iuv: string; ccp: string }, cents: number, tipoVersamento: Rpt['datiVersamento']['tipoVersamento']): Rpt {
  const now = t.clock.now();
  const iban = t.profile.ec.ibans?.[0] ?? 'IT60X0542811101000000123456';
  return {
    versioneOggetto: '6.2.0',
    dominio: { identificativoDominio: k.idDominio, identificativoStazioneRichiedente: t.profile.ec.idStation },
    identificativoMessaggioRichiesta: `MSG${k.iuv}${k.ccp}`.slice(0, 35),
    dataOraMessaggioRichiesta: isoDateTime(now),
    autenticazioneSoggetto: 'N/A',
    soggettoPagatore: { identificativoUnivocoPagatore: { tipoIdentificativoUnivoco: 'F', codiceIdentificativoUnivoco: 'RSSMRA80A01H501U' }, anagraficaPagatore: 'Mario Rossi' },
    enteBeneficiario: { identificativoUnivocoBeneficiario: { tipoIdentificativoUnivoco: 'G', codiceIdentificativoUnivoco: k.idDominio }, denominazioneBeneficiario: t.profile.ec.companyName ?? 'Comune di Collaudo' },
    datiVersamento: {
      dataEsecuzionePagamento: isoDate(now),
      importoTotaleDaVersare: cents,
      tipoVersamento,
      identificativoUnivocoVersamento: k.iuv,
      codiceContestoPagamento: k.ccp,
      firmaRicevuta: '0',
      datiSingoloVersamento: [{ importoSingoloVersamento: cents, ibanAccredito: iban, causaleVersamento: `/RFB/${k.iuv}/${(cents / 100).toFixed(2)}`, datiSpecificiRiscossione: '9/0101100TS' }],
    },
  };
}

/** pspInviaRPT's content for one RPT (modelloPagamento 4: after an activation). */
export function pspInviaRptContent(t: OldPspContext, r: Rpt, modelloPagamento: 0 | 4 = 4): NodeObj {
  return {
    identificativoDominio: r.dominio.identificativoDominio,
    identificativoPSP: t.channel.idPSP,
    identificativoIntermediarioPSP: t.channel.idBrokerPSP,
    identificativoCanale: t.channel.idChannel,
    modelloPagamento,
    elementoListaRPT: [{ identificativoUnivocoVersamento: r.datiVersamento.identificativoUnivocoVersamento, codiceContestoPagamento: r.datiVersamento.codiceContestoPagamento, rpt: toBase64(rptXml(r)) }],
  };
}
