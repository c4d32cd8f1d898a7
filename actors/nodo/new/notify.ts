// Touchpoint flows (new model): pspNotifyPayment (one token) / pspNotifyPaymentV2 (a cart) to a PSP
// channel; its answer binds the outcome (IF-pspNotifyPayment-F70/F71, NM-EC-ERR-01..04).
import { randomUUID } from 'node:crypto';
import { isoDateTime } from '../../../src/core/clock.js';
import type { Correlation } from '../../../src/core/journal.js';
import { formatAmount, parseAmount } from '../../../domain/common.js';
import type { CallResult, TlsClientOptions as CallOptionsTls } from '../../../src/wire/http.js';
import { FaultBean, encodeEnvelope, readFault } from '../../../src/wire/soap.js';
import type { NodeObj } from '../../../src/wire/xml.js';
import { OPERATIONS } from '../../../interfaces/index.js';
import type { NodoContext } from '../context.js';
import type { Session } from '../sessions.js';
import { clip, textOf } from '../tree.js';

/**
 * The content of pspNotifyPayment (one token, version 1) or pspNotifyPaymentV2 (1..5 tokens) for
 * open sessions, addressed to `to` (the PSP's channel). Amounts from the activations; `feeCents`
 * is the commission the touchpoint charged.
 */
export function buildNotify(n: NodoContext, tokens: string[], version: 1 | 2, to: { idPSP: string; idBrokerPSP: string; idChannel: string }, o: { feeCents?: number; transactionId?: string } = {}): NodeObj {
  const sessions = tokens.map((t) => {
    const s = n.sessions.get(t);
    if (!s) throw new Error(`buildNotify: unknown token ${t}`);
    return s;
  });
  const fee = o.feeCents ?? 100;
  const amountOf = (s: Session) => parseAmount(s.response.totalAmount as string) ?? 0;
  const fmt = formatAmount;
  const transfersOf = (s: Session, v2: boolean) =>
    ((s.response.transferList as NodeObj).transfer as NodeObj[]).map((t) =>
      v2
        ? { idTransfer: t.idTransfer, transferAmount: t.transferAmount, fiscalCodePA: t.fiscalCodePA, companyName: t.companyName, IBAN: t.IBAN, richiestaMarcaDaBollo: t.richiestaMarcaDaBollo, remittanceInformation: t.remittanceInformation, metadata: t.metadata }
        : { idTransfer: t.idTransfer, transferAmount: t.transferAmount, fiscalCodePA: t.fiscalCodePA, IBAN: t.IBAN, remittanceInformation: t.remittanceInformation, metadata: t.metadata },
    );
  const total = sessions.reduce((a, s) => a + amountOf(s), 0) + fee;
  to = { idPSP: to.idPSP, idBrokerPSP: to.idBrokerPSP, idChannel: to.idChannel };
  // one notice of the cart, in the pspForNode field order (V1 body = V2 paymentList item)
  const paymentOf = (s: Session, v2: boolean): NodeObj => ({
    paymentToken: s.paymentToken,
    paymentDescription: clip(s.response.paymentDescription as string | undefined, 140) ?? 'pagamento',
    fiscalCodePA: s.fiscalCode,
    companyName: s.response.companyName ?? s.fiscalCode,
    officeName: s.response.officeName,
    creditorReferenceId: s.response.creditorReferenceId,
    debtAmount: s.response.totalAmount,
    transferList: { transfer: transfersOf(s, v2) },
  });
  if (version === 1) {
    const s = sessions[0]!;
    return {
      ...to,
      ...paymentOf(s, false),
      creditCardPayment: {
        rrn: String(100000000000 + (n.clock.now() % 899999999999)),
        outcomePaymentGateway: '00',
        totalAmount: fmt(total),
        fee: fmt(fee),
        timestampOperation: isoDateTime(n.clock.now()),
        authorizationCode: 'A1B2C3',
        paymentGateway: 'collaudo-checkout',
      },
    };
  }
  return {
    ...to,
    transactionId: o.transactionId ?? randomUUID().replace(/-/g, ''),
    totalAmount: fmt(total),
    fee: fmt(fee),
    timestampOperation: isoDateTime(n.clock.now()),
    paymentList: {
      payment: sessions.map((s) => paymentOf(s, true)),
    },
    additionalPaymentInformations: { metadata: { mapEntry: [{ key: 'paymentMethod', value: 'CP' }, { key: 'touchpoint', value: 'CHECKOUT' }] } },
  };
}

/**
 * Sends pspNotifyPayment(V2) for open sessions to the PSP's channel and records its answer, which
 * then binds the outcome (NM-EC-ERR-01..04): OK → only an OK outcome; KO → every outcome discordant;
 * no valid answer (timeout, transport, invalid) → the Nodo waits for token expiry or an outcome (NM-EC-ERR-02).
 */
export async function notifyPsp(
  n: NodoContext,
  tokens: string[],
  o: { version: 1 | 2; url: string; timeoutMs: number; content?: NodeObj; rawEnvelope?: string; headers?: Record<string, string>; tls?: CallOptionsTls; note?: string },
): Promise<{ result: CallResult; answer: 'OK' | 'KO' | 'none'; fault?: FaultBean }> {
  const op = OPERATIONS[o.version === 2 ? 'pspNotifyPaymentV2' : 'pspNotifyPayment']!;
  const first = n.sessions.get(tokens[0] ?? '');
  const corr: Correlation = { paymentToken: tokens[0], noticeNumber: first?.noticeNumber, fiscalCode: first?.fiscalCode };
  const envelope = o.rawEnvelope ?? encodeEnvelope(op, 'request', o.content ?? {});
  const result = await n.stations.send({
    url: o.url,
    op,
    envelope,
    to: 'psp',
    corr,
    timeoutMs: o.timeoutMs,
    headers: o.headers,
    tls: o.tls,
    note: o.note ?? 'touchpoint payment: the Nodo notifies the PSP',
  });
  let answer: 'OK' | 'KO' | 'none' = 'none';
  let fault: FaultBean | undefined;
  const d = result.decoded;
  if (result.transport === 'ok' && result.status === 200 && d?.ok && d.msg.op?.name === op.name && d.msg.kind === 'response' && d.msg.xsd.valid) {
    const out = textOf(d.msg.body, 'outcome');
    fault = readFault(d.msg.body);
    if (out === 'OK' && !fault) answer = 'OK';
    else if (out === 'KO' && fault) answer = 'KO';
  }
  for (const t of tokens) n.sessions.notified.set(t, answer);
  return { result, answer, fault };
}
