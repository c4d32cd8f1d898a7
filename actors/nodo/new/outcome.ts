// sendPaymentOutcome(V2) (new model): idempotency, all-or-nothing over the tokens (IF-A-20), the
// bindings of pspNotifyPayment, digital stamps; an OK closes the sessions as paid and starts the
// receipt's delivery.
import { isoDateTime } from '../../../src/core/clock.js';
import type { Operation } from '../../../src/wire/contract.js';
import { ko } from '../../../src/wire/soap.js';
import type { El, NodeObj } from '../../../src/wire/xml.js';
import type { NodoContext } from '../context.js';
import { nodoFault } from '../faults.js';
import { type Session, noticeKey } from '../sessions.js';
import { child, childrenNamed, fingerprint, textOf } from '../tree.js';

export function outcome(n: NodoContext, op: Operation, body: El): NodeObj {
  const v2 = op.name === 'sendPaymentOutcomeV2';
  const idPSP = textOf(body, 'idPSP')!;
  const idemKey = textOf(body, 'idempotencyKey');
  const fp = fingerprint(body);
  const outcome = textOf(body, 'outcome') as 'OK' | 'KO';
  const tokens = v2 ? childrenNamed(child(body, 'paymentTokens'), 'paymentToken').map((t) => t.text.trim()) : [textOf(body, 'paymentToken') ?? ''];
  const now = n.clock.now();

  // idempotency (IF-sendPaymentOutcome-F71/F73): same key + same body → the first answer
  const kk = idemKey ? `${idPSP}|${idemKey}` : undefined;
  const window = n.cfg.outcomeKeyWindowMs ?? n.lifetime;
  if (kk) {
    const prev = n.sessions.outcomeKeys.get(kk);
    // a replay (same key, same body) gets the stored answer whenever it comes (IF-sendPaymentOutcome-F71:
    // a PSP recovers a lost answer only this way); the window bounds only the key's reuse (IF-A-15)
    if (prev && prev.fp === fp && prev.op === op.name) return prev.response;
    if (prev && now - prev.at <= window) return ko(nodoFault('PPT_ERRORE_IDEMPOTENZA', `idempotencyKey ${idemKey} was used for another outcome`));
  }
  const remember = (response: NodeObj): NodeObj => {
    if (kk) n.sessions.outcomeKeys.set(kk, { fp, op: op.name, at: now, response });
    return response;
  };
  const serial = (i: number) => (v2 ? i + 1 : undefined);

  // all-or-nothing over the tokens (IF-A-20), serial = position of the first failing one
  const sessions: Session[] = [];
  for (const [i, t] of tokens.entries()) {
    if (tokens.indexOf(t) !== i) return remember(ko(nodoFault('PPT_SEMANTICA', `paymentToken ${t} is listed twice`, serial(i))));
    const s = n.sessions.get(t);
    // NM-A-08 / IF-A-34: a token of another PSP is unknown to the caller
    if (!s || s.idPSP !== idPSP) return remember(ko(nodoFault('PPT_TOKEN_SCONOSCIUTO', `paymentToken ${t} unknown`, serial(i))));
    const st = n.sessions.stateOf(s);
    if (st === 'PAID' || st === 'CLOSED_KO') {
      const agree = (st === 'PAID') === (outcome === 'OK');
      return remember(ko(nodoFault('PPT_ESITO_GIA_ACQUISITO', agree ? 'Esito concorde' : 'Esito discorde', serial(i))));
    }
    if (st === 'EXPIRED') {
      // IF-A-19 / NM-A-03 preferred reading: outcome not accepted, no receipt, notice payable again
      const code = outcome === 'OK' ? 'PPT_TOKEN_SCADUTO' : 'PPT_TOKEN_SCADUTO_KO';
      return remember(ko(nodoFault(code, `paymentToken ${t} expired at ${isoDateTime(s.expiresAt)}`, serial(i))));
    }
    // touchpoint flows (IF-pspNotifyPayment-F70/F71, NM-EC-ERR-03/04): after a KO to pspNotifyPayment
    // every outcome is discordant; after an OK only an OK outcome is accepted
    const notified = n.sessions.notified.get(t);
    if (notified === 'KO' || (notified === 'OK' && outcome === 'KO')) {
      return remember(ko(nodoFault('PPT_SEMANTICA', `Esito discorde: the PSP answered ${notified} to pspNotifyPayment for token ${t}`, serial(i))));
    }
    sessions.push(s);
  }
  const details = child(body, 'details');
  // digital stamps (IF-sendPaymentOutcomeV2-F77, NM-A-18)
  const stamps = new Map<string, string>();
  for (const m of childrenNamed(child(details, 'marcheDaBollo'), 'marcaDaBollo')) {
    const t = textOf(m, 'paymentToken') ?? '';
    const id = Number(textOf(m, 'idTransfer'));
    const s = sessions.find((x) => x.paymentToken === t);
    if (!s || !s.mbdTransfers.includes(id)) {
      return remember(ko(nodoFault('PPT_SEMANTICA', `marcaDaBollo (${t}, ${id}) does not match a digital-stamp transfer of the outcome's tokens`)));
    }
    stamps.set(`${t}|${id}`, textOf(m, 'MBDAttachment') ?? '');
  }
  if (outcome === 'OK') {
    for (const [i, s] of sessions.entries()) {
      const missing = s.mbdTransfers.filter((id) => !stamps.has(`${s.paymentToken}|${id}`));
      if (missing.length) {
        return remember(ko(nodoFault('PPT_SEMANTICA', `no marcaDaBollo for transfer(s) ${missing.join(', ')} of token ${s.paymentToken}`, serial(i))));
      }
    }
  }
  for (const s of sessions) {
    s.state = outcome === 'OK' ? 'PAID' : 'CLOSED_KO';
    s.outcome = outcome;
    s.outcomeAt = now;
    const nk = noticeKey(s.fiscalCode, s.noticeNumber);
    if (n.sessions.locks.get(nk) === s.paymentToken) n.sessions.locks.delete(nk);
    if (outcome === 'OK') n.sessions.paid.set(nk, s.paymentToken);
    // NM-RT-VAL-01: a receipt only for an executed payment
    if (outcome === 'OK' || n.defects.has('receipt-on-ko')) {
      const receipt = n.receipts.fromSession(s, details, stamps, outcome);
      // asynchronous w.r.t. the PSP's answer: start once the answer has been written
      setImmediate(() => n.receipts.deliver(s, receipt));
    }
  }
  return remember({ outcome: 'OK' });
}
