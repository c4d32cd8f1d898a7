// Judging the candidate's answers in the old model: an answer the Nodo can use (HTTP 200, the
// operation's response element, valid against our schema), its esito, the PAA_ code of a KO and the
// faultBean's id (the EC's identificativoDominio, catalogue §1.5). Each helper records one declared
// check; an answer that never came is the check's FAIL when the scenario asked for it.
import type { OldEcContext } from '../../../seats/ec-old.js';
import { type Answer, describe, esitoOf, usable } from './lib.js';

/** The candidate answered `esito OK` with a usable answer. */
export function checkOk(t: OldEcContext, id: string, a: Answer, what: string): boolean {
  const held = usable(a) && esitoOf(a) === 'OK';
  return t.check({
    id,
    held,
    message: held ? `${what}: esito OK` : `${what}: ${usable(a) || !a.xsd ? describe(a) : `answer not valid against our schema: ${(a.xsd?.errors ?? []).slice(0, 2).join('; ')}`}`,
    entries: [a.request, a.response],
  });
}

/**
 * The candidate refused with one of `codes` (a KO whose faultBean carries it). `accept` lists every
 * reading the catalogue allows (A-* rows).
 */
export function checkKo(t: OldEcContext, id: string, a: Answer, codes: readonly string[], what: string): boolean {
  const code = a.fault?.faultCode;
  const held = usable(a) && esitoOf(a) === 'KO' && !!code && codes.includes(code);
  return t.check({
    id,
    held,
    message: held
      ? `${what}: KO ${code}${a.fault?.description ? ` ("${a.fault.description}")` : ''}`
      : `${what}: expected KO ${codes.join(' or ')}, got ${usable(a) || !a.xsd ? describe(a) : `an answer not valid against our schema (${(a.xsd?.errors ?? []).slice(0, 2).join('; ')})`}`,
    entries: [a.request, a.response],
  });
}

/** The faultBean of a KO names the EC (id = identificativoDominio, §1.5); not exercised on an OK. */
export function checkFaultId(t: OldEcContext, id: string, a: Answer): void {
  if (!a.fault) return t.notExercised(id, `no faultBean to read: ${describe(a)}`, [a.request, a.response]);
  const held = a.fault.id === t.station.idDominio;
  t.check({ id, held, message: held ? `faultBean.id ${a.fault.id}` : `faultBean.id "${a.fault.id ?? ''}", expected the EC's identificativoDominio ${t.station.idDominio}`, entries: [a.request, a.response] });
}

/** The Nodo did not refuse the candidate's own call for its credentials (password, station, broker, domain). */
export function checkCredentials(t: OldEcContext, id: string, a: Answer, primitive: string): boolean {
  const refused = a.fault && /^PPT_(AUTENTICAZIONE|AUTORIZZAZIONE|DOMINIO_|INTERMEDIARIO_PA_|STAZIONE_INT_PA_SCONOSCIUTA|STAZIONE_INT_PA_DISABILITATA)/.test(a.fault.faultCode) ? a.fault : undefined;
  return t.check({
    id,
    held: !refused,
    message: refused ? `${primitive}: the Nodo refused the EC's credentials: ${refused.faultCode} ${refused.description ?? ''}` : `${primitive}: the EC's password, broker, station and domain passed the Nodo's caller checks`,
    entries: [a.request, a.response],
  });
}
