// activatePaymentNotice(V2) (new model): idempotency, paid and locked notices, paGetPayment(V2) at
// the station serving the notice, then a payment session (token) holding the notice's lock.
import { randomUUID } from 'node:crypto';
import type { EcEntry, StationEntry } from '../../../domain/registry.js';
import { stationPrimitive } from '../../../domain/registry.js';
import { isPostalIban } from '../../../domain/common.js';
import type { Operation } from '../../../src/wire/contract.js';
import { ko } from '../../../src/wire/soap.js';
import type { El, NodeObj } from '../../../src/wire/xml.js';
import type { NodoContext } from '../context.js';
import { nodoFault } from '../faults.js';
import { type Session, noticeKey } from '../sessions.js';
import { isFault } from '../station-client.js';
import { child, childrenNamed, clip, fingerprint, optNode, textOf } from '../tree.js';

export async function activate(n: NodoContext, op: Operation, body: El): Promise<NodeObj> {
  const v2 = op.name === 'activatePaymentNoticeV2';
  const idPSP = textOf(body, 'idPSP')!;
  const qr = child(body, 'qrCode');
  const fc = textOf(qr, 'fiscalCode') ?? '';
  const nn = textOf(qr, 'noticeNumber') ?? '';
  const idemKey = textOf(body, 'idempotencyKey');
  const fp = fingerprint(body);
  const nk = noticeKey(fc, nn);

  const r = n.stations.route(fc, nn);
  if (isFault(r)) return ko(r);

  // (4) duplicate message: idempotency (IF-activatePaymentNotice-F72, NM-TOK-DUP-01, NM-TOK-ERR-01)
  const kk = idemKey ? `${idPSP}|${idemKey}` : undefined;
  if (kk && !n.defects.has('ignore-idempotency')) {
    const prev = n.sessions.activateKeys.get(kk);
    const s = prev ? n.sessions.get(prev.token) : undefined;
    if (prev && s && n.sessions.stateOf(s) === 'ACTIVE') {
      if (prev.fp === fp && prev.op === op.name) return s.response; // replay: same token, no EC call
      return ko(nodoFault('PPT_ERRORE_IDEMPOTENZA', `idempotencyKey ${idemKey} was used for another request (token ${prev.token})`));
    }
    // key window over (token expired or closed): processed as a new request (IF-A-15)
    const pend = n.sessions.pending.get(nk);
    if (pend && pend.key === kk) {
      if (pend.fp !== fp) return ko(nodoFault('PPT_ERRORE_IDEMPOTENZA', `idempotencyKey ${idemKey} is in use for another request`));
      return pend.done; // technical retry while the first activation is still running: same answer
    }
  }
  // notice paid through the platform (NM-PSPPAY-ERR-07) / session open (NM-PSPPAY-CONC-01)
  if (n.sessions.paid.has(nk) && !n.defects.has('no-paid-check')) {
    return ko(nodoFault('PPT_PAGAMENTO_DUPLICATO', `notice ${nn} already paid (token ${n.sessions.paid.get(nk)})`));
  }
  if (!n.defects.has('no-notice-lock')) {
    const holder = n.sessions.lockHolder(nk);
    if (holder || n.sessions.pending.has(nk)) return ko(nodoFault('PPT_PAGAMENTO_IN_CORSO', `a payment session is open on notice ${nn}`));
  }
  const expStr = textOf(body, 'expirationTime');
  const expirationTime = expStr === undefined ? undefined : Number(expStr);
  if (expirationTime !== undefined && !(expirationTime > 0)) {
    return ko(nodoFault('PPT_SEMANTICA', `expirationTime ${expStr} must be a positive number of milliseconds`));
  }

  const run = activateWithEc(n, v2, body, fc, nn, r.ec, r.station, expirationTime, idemKey, fp, op.name);
  n.sessions.pending.set(nk, { key: kk, fp, done: run });
  try {
    return await run;
  } finally {
    if (n.sessions.pending.get(nk)?.done === run) n.sessions.pending.delete(nk);
  }
}

async function activateWithEc(
  n: NodoContext,
  v2: boolean,
  body: El,
  fc: string,
  nn: string,
  ec: EcEntry,
  station: StationEntry,
  expirationTime: number | undefined,
  idemKey: string | undefined,
  fp: string,
  opName: string,
): Promise<NodeObj> {
  const primitive = stationPrimitive('getPayment', station.version);
  const paymentNote = textOf(body, 'paymentNote');
  const { verdict } = await n.stations.callEc(primitive, station, {
    idPA: fc,
    idBrokerPA: station.idBrokerPA,
    idStation: station.idStation,
    qrCode: { fiscalCode: fc, noticeNumber: nn },
    amount: textOf(body, 'amount'),
    paymentNote,
    dueDate: textOf(body, 'dueDate'),
  });
  if (verdict.kind !== 'ok') return ko(n.stations.ecFailure(verdict, fc));
  const data = child(verdict.body, 'data')!;
  const transfers = childrenNamed(child(data, 'transferList'), 'transfer');
  const mbd = transfers.filter((t) => child(t, 'richiestaMarcaDaBollo')).map((t) => Number(textOf(t, 'idTransfer')));
  if (!v2 && mbd.length) {
    // IF-activatePaymentNotice-F79: a digital-stamp transfer cannot travel in a V1 activate response
    return ko(nodoFault('PPT_SEMANTICA', 'the notice has digital-stamp transfers: pay it with activatePaymentNoticeV2 (IF-activatePaymentNotice-F79)'));
  }
  const now = n.clock.now();
  const paymentToken = randomUUID().replace(/-/g, '');
  const life = Math.min(expirationTime ?? n.lifetime, n.lifetime);
  const companyName = textOf(data, 'companyName') ?? ec.companyName;
  const psTransfers = transfers.map((t) => {
    const o: NodeObj = {
      idTransfer: textOf(t, 'idTransfer'),
      transferAmount: textOf(t, 'transferAmount'),
      fiscalCodePA: textOf(t, 'fiscalCodePA'),
    };
    if (v2) {
      o.companyName = textOf(t, 'companyName');
      if (child(t, 'IBAN')) o.IBAN = textOf(t, 'IBAN');
      else o.richiestaMarcaDaBollo = optNode(child(t, 'richiestaMarcaDaBollo'));
      o.remittanceInformation = textOf(t, 'remittanceInformation');
      o.transferCategory = textOf(t, 'transferCategory');
    } else {
      o.IBAN = textOf(t, 'IBAN');
      o.remittanceInformation = textOf(t, 'remittanceInformation');
    }
    o.metadata = optNode(child(t, 'metadata'));
    return o;
  });
  const ibans = transfers.map((t) => textOf(t, 'IBAN')).filter((x): x is string => x !== undefined);
  const response: NodeObj = {
    outcome: 'OK',
    totalAmount: textOf(data, 'paymentAmount'),
    paymentDescription: textOf(data, 'description'),
    fiscalCodePA: fc,
    companyName: clip(companyName, 140),
    officeName: textOf(data, 'officeName'),
    paymentToken,
    transferList: { transfer: psTransfers },
    ...(v2 ? { metadata: optNode(child(data, 'metadata')) } : {}),
    creditorReferenceId: textOf(data, 'creditorReferenceId'),
    // IF-activatePaymentNoticeV2-F52: all transfers credit postal accounts (ABI 07601)
    ...(v2 ? { allCCP: ibans.length > 0 && ibans.every(isPostalIban) } : {}),
  };
  const s: Session = {
    paymentToken,
    fiscalCode: fc,
    noticeNumber: nn,
    idPSP: textOf(body, 'idPSP')!,
    idBrokerPSP: textOf(body, 'idBrokerPSP')!,
    idChannel: textOf(body, 'idChannel')!,
    idStation: station.idStation,
    activatedWith: opName,
    createdAt: now,
    expiresAt: now + life,
    state: 'ACTIVE',
    data,
    paymentNote,
    idempotencyKey: idemKey,
    response,
    mbdTransfers: mbd,
  };
  n.sessions.byToken.set(paymentToken, s);
  n.sessions.locks.set(noticeKey(fc, nn), paymentToken);
  if (idemKey) n.sessions.activateKeys.set(`${s.idPSP}|${idemKey}`, { fp, op: opName, token: paymentToken });
  return response;
}
