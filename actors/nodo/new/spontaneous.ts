// Spontaneous payments (new model): demandPaymentNotice routed by idSoggettoServizio to the EC
// offering the service (paDemandPaymentNotice), and the service catalogue (nodoChiediCatalogoServiziV2).
import { ko } from '../../../src/wire/soap.js';
import type { El, NodeObj } from '../../../src/wire/xml.js';
import type { NodoContext } from '../context.js';
import { nodoFault } from '../faults.js';
import { child, textOf } from '../tree.js';

/** IF-demandPaymentNotice-F70: routed by idSoggettoServizio to the EC offering the service. */
export async function demand(n: NodoContext, body: El): Promise<NodeObj> {
  const subject = textOf(body, 'idSoggettoServizio') ?? '';
  const svc = (n.cfg.services ?? []).find((x) => x.idSoggettoServizio === subject);
  // NM-A-09: unknown service → PPT_SERVIZIO_SCONOSCIUTO, no EC call
  if (!svc) return ko(nodoFault('PPT_SERVIZIO_SCONOSCIUTO', `service ${subject} is not in the catalogue`));
  const station = n.reg.stations.find((x) => x.idStation === svc.idStation);
  const ec = n.reg.ecs.find((e) => e.fiscalCode === svc.fiscalCode);
  if (!ec) return ko(nodoFault('PPT_DOMINIO_SCONOSCIUTO', `EC ${svc.fiscalCode} of service ${subject} is not registered`));
  if (!station) return ko(nodoFault('PPT_STAZIONE_INT_PA_SCONOSCIUTA', `station ${svc.idStation} is not registered`));
  if (!station.enabled) return ko(nodoFault('PPT_STAZIONE_INT_PA_DISABILITATA', `station ${station.idStation} is disabled`));
  if (!station.serviceActive) return ko(nodoFault('PPT_STAZIONE_INT_PA_SERVIZIO_NONATTIVO', `station ${station.idStation}: application service not active`));
  const { verdict } = await n.stations.callEc('paDemandPaymentNotice', station, {
    idPA: svc.fiscalCode,
    idBrokerPA: station.idBrokerPA,
    idStation: station.idStation,
    idServizio: svc.idServizio,
    idSoggettoServizio: svc.idSoggettoServizio,
    datiSpecificiServizioRequest: textOf(body, 'datiSpecificiServizio'),
  });
  if (verdict.kind !== 'ok') return ko(n.stations.ecFailure(verdict, svc.fiscalCode));
  const b = verdict.body;
  const qr = child(b, 'qrCode');
  const opt = child(child(b, 'paymentList'), 'paymentOptionDescription');
  return {
    outcome: 'OK',
    qrCode: { fiscalCode: textOf(qr, 'fiscalCode'), noticeNumber: textOf(qr, 'noticeNumber') },
    paymentList: { paymentOptionDescription: { amount: textOf(opt, 'amount'), options: textOf(opt, 'options'), dueDate: textOf(opt, 'dueDate') } },
    paymentDescription: textOf(b, 'paymentDescription'),
    fiscalCodePA: textOf(b, 'fiscalCodePA'),
    companyName: textOf(b, 'companyName'),
    officeName: textOf(b, 'officeName'),
  };
}

/**
 * IF-nodoChiediCatalogoServiziV2: the configured services as a base64 XML catalogue, filtered by
 * identificativoDominio / categoria. (The reference renders the CatalogoServizi document with the
 * fields the catalogue names: service ids, EC, description, category, the XSD of the service data.)
 */
export function catalogue(n: NodoContext, body: El): NodeObj {
  const dominio = textOf(body, 'identificativoDominio');
  const categoria = textOf(body, 'categoria');
  const list = (n.cfg.services ?? []).filter((x) => (!dominio || x.fiscalCode === dominio) && (!categoria || x.categoria === categoria));
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?><listaCatalogoServizi xmlns="http://www.pagopa.gov.it/CatalogoServizi">' +
    list
      .map(
        (x) =>
          `<catalogoServizi><identificativoServizio>${esc(x.idServizio)}</identificativoServizio><idSoggettoServizio>${esc(x.idSoggettoServizio)}</idSoggettoServizio>` +
          `<identificativoDominio>${esc(x.fiscalCode)}</identificativoDominio><descrizioneServizio>${esc(x.description)}</descrizioneServizio>` +
          `<categoria>${esc(x.categoria ?? 'Tributi')}</categoria><xsdRiferimento>${esc(x.xsdRiferimento ?? '')}</xsdRiferimento></catalogoServizi>`,
      )
      .join('') +
    '</listaCatalogoServizi>';
  return { outcome: 'OK', xmlCatalogoServizi: Buffer.from(xml, 'utf8').toString('base64') };
}
