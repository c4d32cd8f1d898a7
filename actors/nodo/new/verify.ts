// verifyPaymentNotice (new model): routed to the station serving the notice, paVerifyPaymentNotice.
import { ko } from '../../../src/wire/soap.js';
import type { El, NodeObj } from '../../../src/wire/xml.js';
import type { NodoContext } from '../context.js';
import { nodoFault } from '../faults.js';
import { noticeKey } from '../sessions.js';
import { isFault } from '../station-client.js';
import { child, textOf } from '../tree.js';

export async function verify(n: NodoContext, body: El): Promise<NodeObj> {
  const qr = child(body, 'qrCode');
  const fc = textOf(qr, 'fiscalCode') ?? '';
  const nn = textOf(qr, 'noticeNumber') ?? '';
  const r = n.stations.route(fc, nn);
  if (isFault(r)) return ko(r);
  // IF-verifyPaymentNotice-F71: the Nodo answers alone for a notice paid through the platform
  if (n.sessions.paid.has(noticeKey(fc, nn)) && !n.defects.has('no-paid-check')) {
    return ko(nodoFault('PPT_PAGAMENTO_DUPLICATO', `notice ${nn} already paid (token ${n.sessions.paid.get(noticeKey(fc, nn))})`));
  }
  const { verdict } = await n.stations.callEc('paVerifyPaymentNotice', r.station, {
    idPA: fc,
    idBrokerPA: r.station.idBrokerPA,
    idStation: r.station.idStation,
    qrCode: { fiscalCode: fc, noticeNumber: nn },
  });
  if (verdict.kind !== 'ok') return ko(n.stations.ecFailure(verdict, fc));
  const b = verdict.body;
  const opt = child(child(b, 'paymentList'), 'paymentOptionDescription');
  return {
    outcome: 'OK',
    paymentList: {
      paymentOptionDescription: { amount: textOf(opt, 'amount'), options: textOf(opt, 'options'), dueDate: textOf(opt, 'dueDate') },
    },
    paymentDescription: textOf(b, 'paymentDescription'),
    fiscalCodePA: textOf(b, 'fiscalCodePA'),
    companyName: textOf(b, 'companyName'),
    officeName: textOf(b, 'officeName'),
  };
}
