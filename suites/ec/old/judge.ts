// Judging the candidate's answers in the old model: an answer the Nodo can use (HTTP 200, the
// operation's response element, valid against our schema), its esito, the PAA_ code of a KO and the
// faultBean's id (the EC's identificativoDominio, catalogue §1.5). Each helper records one declared
// check; an answer that never came is the check's FAIL when the scenario asked for it.
import type { OldEcContext } from '../../../seats/ec-old.js';
import type { Bi, Said } from '../../../src/core/text.js';
import { type Answer, describe, esitoOf, said, usable } from './lib.js';

/** A message about `what` (the exchange judged), in both languages. */
function about(what: Said, en: (w: string) => string, it: (w: string) => string): Bi {
  return [en(what[0]), it(what[1])];
}

/** The schema's complaints of an answer, the first two (the validator's words: data, quoted in Italian). */
const xsdErrors = (a: Answer) => (a.xsd?.errors ?? []).slice(0, 2).join('; ');

/** The candidate answered `esito OK` with a usable answer. */
export function checkOk(t: OldEcContext, id: string, a: Answer, what: Said): boolean {
  const held = usable(a) && esitoOf(a) === 'OK';
  const readable = usable(a) || !a.xsd;
  return t.check({
    id,
    held,
    message: about(
      what,
      (w) => (held ? `${w}: esito OK` : `${w}: ${readable ? describe(a) : `answer not valid against our schema: ${xsdErrors(a)}`}`),
      (w) => (held ? `${w}: esito OK` : `${w}: ${readable ? said(a)[1] : `risposta non valida rispetto al nostro XSD: "${xsdErrors(a)}"`}`),
    ),
    entries: [a.request, a.response],
  });
}

/**
 * The candidate refused with one of `codes` (a KO whose faultBean carries it). `accept` lists every
 * reading the catalogue allows (A-* rows).
 */
export function checkKo(t: OldEcContext, id: string, a: Answer, codes: readonly string[], what: Said): boolean {
  const code = a.fault?.faultCode;
  const held = usable(a) && esitoOf(a) === 'KO' && !!code && codes.includes(code);
  const readable = usable(a) || !a.xsd;
  const desc = a.fault?.description ? ` ("${a.fault.description}")` : '';
  return t.check({
    id,
    held,
    message: about(
      what,
      (w) => (held ? `${w}: KO ${code}${desc}` : `${w}: expected KO ${codes.join(' or ')}, got ${readable ? describe(a) : `an answer not valid against our schema (${xsdErrors(a)})`}`),
      (w) => (held ? `${w}: KO ${code}${desc}` : `${w}: atteso KO ${codes.join(' o ')}, ricevuto ${readable ? said(a)[1] : `una risposta non valida rispetto al nostro XSD ("${xsdErrors(a)}")`}`),
    ),
    entries: [a.request, a.response],
  });
}

/** The faultBean of a KO names the EC (id = identificativoDominio, §1.5); not exercised on an OK. */
export function checkFaultId(t: OldEcContext, id: string, a: Answer): void {
  if (!a.fault) return t.notExercised(id, [`no faultBean to read: ${said(a)[0]}`, `nessun faultBean da leggere: ${said(a)[1]}`], [a.request, a.response]);
  const held = a.fault.id === t.station.idDominio;
  const got = a.fault.id ?? '';
  t.check({
    id,
    held,
    message: held
      ? [`faultBean.id ${a.fault.id}`, `faultBean.id ${a.fault.id}`]
      : [`faultBean.id "${got}", expected the EC's identificativoDominio ${t.station.idDominio}`, `faultBean.id "${got}", atteso l'identificativoDominio dell'EC ${t.station.idDominio}`],
    entries: [a.request, a.response],
  });
}

/** The Nodo did not refuse the candidate's own call for its credentials (password, station, broker, domain). */
export function checkCredentials(t: OldEcContext, id: string, a: Answer, primitive: string): boolean {
  const refused = a.fault && /^PPT_(AUTENTICAZIONE|AUTORIZZAZIONE|DOMINIO_|INTERMEDIARIO_PA_|STAZIONE_INT_PA_SCONOSCIUTA|STAZIONE_INT_PA_DISABILITATA)/.test(a.fault.faultCode) ? a.fault : undefined;
  return t.check({
    id,
    held: !refused,
    message: refused
      ? [
          `${primitive}: the Nodo refused the EC's credentials: ${refused.faultCode} ${refused.description ?? ''}`,
          `${primitive}: il Nodo ha rifiutato le credenziali dell'EC: ${refused.faultCode}${refused.description ? ` "${refused.description}"` : ''}`,
        ]
      : [
          `${primitive}: the EC's password, broker, station and domain passed the Nodo's caller checks`,
          `${primitive}: password, intermediario, stazione e dominio dell'EC hanno superato i controlli del Nodo sul chiamante`,
        ],
    entries: [a.request, a.response],
  });
}
