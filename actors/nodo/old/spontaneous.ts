// NodoPerPspRichiestaAvvisi flows (spontaneous payment at the PSP, OLD-PSP-PAY-05, A-27): the
// Catalogo dei Servizi built from the registry (each station's old.services; collaudo's own document,
// no schema being published) and nodoChiediNumeroAvviso, relayed to the station that publishes the
// service with paaChiediNumeroAvviso. The seed names no primitive for the flow (L1871): the Ente
// Erogatore is read as the EC that offers the service (idDominioErogatoreServizio), the Nodo routing
// the request to it as it routes a notice. Its faultBean has no original* fields: an EC's PAA_* is
// relayed as PPT_ERRORE_EMESSO_DA_PAA with the EC's fields told in description.
import { isoDateTime } from '../../../src/core/clock.js';
import type { OldService, StationEntry } from '../../../domain/registry.js';
import { CATALOGO_SERVIZI_NS } from '../../../interfaces/old/index.js';
import type { Operation } from '../../../src/wire/contract.js';
import { type El, type NodeObj, child, textOf } from '../../../src/wire/xml.js';
import { relayEcFault } from '../faults.js';
import { routeTo } from '../station-client.js';
import { type OldCtx, koOf, okOf } from './context.js';
import { relayContent, toBase64 } from './docs.js';
import { oldFault } from './faults.js';
import { stationFailure } from './psp.js';

/** Every service the stations publish, with the station that serves it. */
export function servicesOf(c: OldCtx): { service: OldService; station: StationEntry }[] {
  return c.reg.stations.flatMap((station) => (station.old?.services ?? []).map((service) => ({ service, station })));
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The Catalogo dei Servizi (CatalogoServizi.xsd): every enabled EC's services, or one EC's. */
export function catalogoXml(c: OldCtx, idDominio?: string): string {
  const entries = servicesOf(c)
    .filter(({ service }) => idDominio === undefined || service.idDominio === idDominio)
    .map(({ service }) => ({ service, ec: c.reg.ecs.find((e) => e.fiscalCode === service.idDominio) }))
    .filter(({ ec }) => ec?.enabled)
    .map(({ service, ec }) =>
      `<servizio><idServizio>${esc(service.idServizio)}</idServizio><idDominioErogatoreServizio>${esc(service.idDominio)}</idDominioErogatoreServizio>` +
      `<denominazioneErogatore>${esc(ec!.companyName.slice(0, 140))}</denominazioneErogatore>` +
      (service.descrizione ? `<descrizioneServizio>${esc(service.descrizione.slice(0, 140))}</descrizioneServizio>` : '') +
      `</servizio>`,
    );
  return `<?xml version="1.0" encoding="UTF-8"?><catalogoServizi xmlns="${CATALOGO_SERVIZI_NS}"><dataOraPubblicazione>${isoDateTime(c.clock.now())}</dataOraPubblicazione>${entries.join('')}</catalogoServizi>`;
}

/** P25: the catalogue, base64 (L2234-2250); identificativoDominio was checked by the caller rule. */
export function chiediCatalogoServizi(c: OldCtx, op: Operation, body: El): NodeObj {
  return okOf(op, { xmlCatalogoServizi: toBase64(catalogoXml(c, textOf(body, 'identificativoDominio'))) });
}

/** P26: the service's EC and station, then paaChiediNumeroAvviso; the EC's notice goes back to the PSP. */
export async function chiediNumeroAvviso(c: OldCtx, op: Operation, body: El): Promise<NodeObj> {
  const idServizio = textOf(body, 'idServizio') ?? '';
  const idDominio = textOf(body, 'idDominioErogatoreServizio') ?? '';
  const found = servicesOf(c).find(({ service }) => service.idServizio === idServizio && service.idDominio === idDominio);
  // a known EC that does not offer the service: a request the catalogue does not allow (§4.1 has no code of its own)
  if (!found && c.reg.ecs.some((e) => e.fiscalCode === idDominio)) return koOf(op, oldFault('PPT_SEMANTICA', `service ${idServizio} of EC ${idDominio} is not in the Catalogo dei Servizi`));
  const routed = routeTo(c.reg, idDominio, () => found?.station, `service ${idServizio}`);
  if ('faultCode' in routed) return koOf(op, oldFault(routed.faultCode, routed.description));
  const { station } = routed;
  const header = { identificativoIntermediarioPA: station.idBrokerPA, identificativoStazioneIntermediarioPA: station.idStation, identificativoDominio: idDominio };
  const content = { identificativoPSP: textOf(body, 'identificativoPSP') ?? '', datiSpecificiServizio: textOf(body, 'datiSpecificiServizio') ?? '' };
  // §5 gives no time of its own for paaChiediNumeroAvviso: a query of the same kind as paaVerificaRPT
  const { verdict: v } = await c.calls.station('paaChiediNumeroAvviso', station, content, { header, corr: { idDominio, fiscalCode: idDominio }, timeoutMs: c.timeouts.paaVerificaRPT });
  if (v.kind !== 'ok') {
    // no original* in this interface's faultBean: the EC's code, string and description go in description
    const f = v.kind === 'ko' && !c.defects.has('relay-as-nodo') ? relayEcFault(idDominio, v.fault, false) : stationFailure(c, v, idDominio);
    return koOf(op, f);
  }
  const numero = child(v.body, 'numeroAvviso');
  const dati = child(v.body, 'datiPagamentoPA');
  if (!numero || !dati) return koOf(op, oldFault('PPT_SYSTEM_ERROR', `paaChiediNumeroAvviso: esito OK without ${!numero ? 'numeroAvviso' : 'datiPagamentoPA'}`));
  // PaPerNodoRichiestaAvvisi admits a 5..15 digit IUV, NodoPerPspRichiestaAvvisi 15 or 17: one the PSP could not be given
  const iuv = textOf(numero, 'IUV') ?? '';
  if (!/^([0-9]{15}|[0-9]{17})$/.test(iuv)) return koOf(op, oldFault('PPT_SYSTEM_ERROR', `invalid answer from the station: IUV ${iuv} is neither 15 nor 17 digits (A-28)`));
  // V-09: the account the EC gives must be registered for it
  const iban = textOf(dati, 'ibanAccredito');
  if (iban && routed.ec.ibans.length && !routed.ec.ibans.includes(iban)) return koOf(op, oldFault('PPT_IBAN_NON_CENSITO', `ibanAccredito ${iban} is not among the accounts registered for ${idDominio}`));
  return okOf(op, { identificativoDominio: idDominio, numeroAvviso: relayContent(numero), datiPagamentoPA: relayContent(dati) });
}
