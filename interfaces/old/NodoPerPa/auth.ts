// Who may call NodoPerPa (OLD-X-AUTH-01, catalogue §1.5 and §4.1, V-03..V-07): an EC's station, through
// its intermediary, with the station's password, for the domains (ECs) it serves. Checked against the
// platform's registry in this documented order, each mismatch with its own PPT_* code:
//  1. identificativoIntermediarioPA known, enabled   PPT_INTERMEDIARIO_PA_SCONOSCIUTO / _DISABILITATO
//  2. identificativoStazioneIntermediarioPA known, enabled   PPT_STAZIONE_INT_PA_SCONOSCIUTA / _DISABILITATA
//  3. the station belongs to the intermediary   PPT_AUTORIZZAZIONE
//  4. password = the station's password (when the registry holds one)   PPT_AUTENTICAZIONE
//  5. every identificativoDominio (header, body, each cart element) known and enabled
//     PPT_DOMINIO_SCONOSCIUTO / _DISABILITATO; the request's own domain (header, body, the cart's first
//     element) served by the station — PPT_AUTORIZZAZIONE (a multi-beneficiary cart names other ECs)
//  6. nodoInviaRPT / nodoInviaCarrelloRPT: the PSP, its intermediary and the channel, as for a PSP
//     caller without password (PPT_PSP_*, PPT_INTERMEDIARIO_PSP_*, PPT_CANALE_*, PPT_AUTORIZZAZIONE);
//     the Nodo's own WISP identities (WISP_PSP: the payer chooses on WISP) are accepted.
import { type Registry, WISP_PSP } from '../../../domain/registry.js';
import type { CallerMessage, Rejection } from '../../../src/wire/contract.js';
import { type El, child, childrenNamed, textOf } from '../../../src/wire/xml.js';
import { pspCallerProblem } from '../../new/nodeForPsp/auth.js';

/** A field of the request: the operation's SOAP header first (intestazionePPT / intestazioneCarrelloPPT), then the body. */
function field(m: CallerMessage, name: string): string | undefined {
  return textOf(m.header, name) ?? textOf(m.body, name);
}

/** Every identificativoDominio the request names: header, body and each element of a cart (the caller's own first). */
export function domainsOf(m: CallerMessage): { own: string[]; all: string[] } {
  const cart = childrenNamed(child(m.body, 'listaRPT'), 'elementoListaRPT').map((e) => textOf(e, 'identificativoDominio'));
  const own = [textOf(m.header, 'identificativoDominio'), textOf(m.body, 'identificativoDominio'), cart[0]];
  const defined = (d: string | undefined): d is string => d !== undefined;
  return { own: [...new Set(own.filter(defined))], all: [...new Set([...own, ...cart].filter(defined))] };
}

export function authenticateStation(m: CallerMessage, reg: Registry): Rejection | undefined {
  const idBroker = field(m, 'identificativoIntermediarioPA') ?? '';
  const idStation = field(m, 'identificativoStazioneIntermediarioPA') ?? '';
  const broker = reg.brokersPa.find((b) => b.idBrokerPA === idBroker);
  if (!broker) return { code: 'PPT_INTERMEDIARIO_PA_SCONOSCIUTO', description: `identificativoIntermediarioPA ${idBroker} is not registered` };
  if (!broker.enabled) return { code: 'PPT_INTERMEDIARIO_PA_DISABILITATO', description: `identificativoIntermediarioPA ${idBroker} is disabled` };
  const station = reg.stations.find((s) => s.idStation === idStation);
  if (!station) return { code: 'PPT_STAZIONE_INT_PA_SCONOSCIUTA', description: `identificativoStazioneIntermediarioPA ${idStation} is not registered` };
  if (!station.enabled) return { code: 'PPT_STAZIONE_INT_PA_DISABILITATA', description: `station ${idStation} is disabled` };
  if (station.idBrokerPA !== idBroker) return { code: 'PPT_AUTORIZZAZIONE', description: `station ${idStation} does not belong to intermediary ${idBroker}` };
  if (station.password !== undefined && textOf(m.body, 'password') !== station.password) return { code: 'PPT_AUTENTICAZIONE', description: `wrong password for station ${idStation}` };
  const domains = domainsOf(m);
  for (const d of domains.all) {
    const ec = reg.ecs.find((e) => e.fiscalCode === d);
    if (!ec) return { code: 'PPT_DOMINIO_SCONOSCIUTO', description: `identificativoDominio ${d} is not registered` };
    if (!ec.enabled) return { code: 'PPT_DOMINIO_DISABILITATO', description: `identificativoDominio ${d} is disabled` };
    if (domains.own.includes(d) && !ec.stations.some((l) => l.idStation === idStation)) return { code: 'PPT_AUTORIZZAZIONE', description: `station ${idStation} does not serve identificativoDominio ${d}` };
  }
  return pspIdsProblem(m.body, reg);
}

/** Step 6: the PSP ids of nodoInviaRPT / nodoInviaCarrelloRPT (absent elsewhere). */
function pspIdsProblem(body: El, reg: Registry): Rejection | undefined {
  const idPSP = textOf(body, 'identificativoPSP');
  if (idPSP === undefined || !['nodoInviaRPT', 'nodoInviaCarrelloRPT'].includes(body.name)) return undefined;
  const ids = { idPSP, idBroker: textOf(body, 'identificativoIntermediarioPSP') ?? '', idChannel: textOf(body, 'identificativoCanale') ?? '' };
  if (ids.idPSP === WISP_PSP.idPSP && ids.idBroker === WISP_PSP.idBrokerPSP && ids.idChannel === WISP_PSP.idChannel) return undefined;
  return pspCallerProblem(reg, ids);
}
