// How the reference Nodo judges an EC station's answer (IF-X-07, IF-X-12..IF-X-14, NM-X-STA-01,
// IF-paVerifyPaymentNotice-F70, IF-paGetPayment-F70..F72).
import type { CallResult } from '../../src/wire/http.js';
import type { El } from '../../src/wire/xml.js';
import { child, childrenNamed, textOf } from '../../src/wire/xml.js';
import { FaultBean, outcomeOf, readFault } from '../../src/wire/soap.js';
import { OPERATIONS } from '../../interfaces/index.js';
import { formatAmount, isValidIban, parseAmount } from '../../domain/common.js';
import type { Registry } from '../../domain/registry.js';

export type EcVerdict =
  | { kind: 'ok'; body: El }
  | { kind: 'ko'; body: El; fault: FaultBean }
  | { kind: 'timeout'; reason: string }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'invalid'; reason: string }
  | { kind: 'iban'; reason: string };

/** Why a counterpart's answer is not usable at all, whichever model (no answer in time, refused, not the operation's valid response), or its body. */
export type Unusable = { kind: 'timeout' | 'unreachable' | 'invalid'; reason: string };

/** Transport, HTTP status, envelope, the operation's response element and its schema: the body when all hold. */
export function usableAnswer(r: CallResult, timeoutMs: number, primitive: string): Unusable | { body: El } {
  if (r.transport === 'timeout') return { kind: 'timeout', reason: r.late ? `answer after the ${timeoutMs} ms deadline` : (r.error ?? 'no answer') };
  if (r.transport !== 'ok') {
    // a connection that broke only after the deadline had passed is a timeout, not a connection error
    if ((r.transport === 'reset' || r.transport === 'error') && r.latencyMs > timeoutMs) {
      return { kind: 'timeout', reason: `no answer within ${timeoutMs} ms (connection closed later: ${r.error ?? r.transport})` };
    }
    return { kind: 'unreachable', reason: `${r.transport}${r.error ? `: ${r.error}` : ''}` };
  }
  if (r.status !== 200) return { kind: 'invalid', reason: `HTTP ${r.status ?? '?'} instead of 200` };
  const d = r.decoded;
  if (!d) return { kind: 'invalid', reason: 'empty answer' };
  if (!d.ok) return { kind: 'invalid', reason: `${d.rule}: ${d.message}` };
  if (d.msg.soapFault) return { kind: 'invalid', reason: `SOAP Fault ${d.msg.soapFault.faultcode}: ${d.msg.soapFault.faultstring}` };
  const op = OPERATIONS[primitive];
  if (!d.msg.op || d.msg.op.name !== primitive || d.msg.kind !== 'response') {
    return { kind: 'invalid', reason: `expected {${op ? op.response : primitive}}, got {${d.msg.body.ns ?? ''}}${d.msg.body.name}` };
  }
  if (!d.msg.xsd.valid) return { kind: 'invalid', reason: `not valid against ${op?.iface ?? 'its schema'}.xsd: ${d.msg.xsd.errors.slice(0, 3).join('; ')}` };
  return { body: d.msg.body };
}

/** Judges transport, envelope, schema and the ctResponse pattern; semantic checks are per primitive. */
export function judgeEcAnswer(primitive: string, r: CallResult, timeoutMs: number, reg?: Registry): EcVerdict {
  const u = usableAnswer(r, timeoutMs, primitive);
  if (!('body' in u)) return u;
  const body = u.body;
  const outcome = outcomeOf(body);
  const fault = readFault(body);
  if (outcome === 'KO') {
    if (!fault) return { kind: 'invalid', reason: 'outcome KO without fault (IF-X-07)' };
    return { kind: 'ko', body, fault };
  }
  if (fault) return { kind: 'invalid', reason: 'outcome OK with a fault (IF-X-07)' };
  const sem = semanticCheck(primitive, body, reg);
  return sem ?? { kind: 'ok', body };
}

function semanticCheck(primitive: string, body: El, reg?: Registry): EcVerdict | undefined {
  switch (primitive) {
    case 'paVerifyPaymentNotice':
    case 'paDemandPaymentNotice': {
      // IF-paVerifyPaymentNotice-F70: every element but officeName is required on OK
      const missing = ['paymentList', 'paymentDescription', 'fiscalCodePA', 'companyName'].filter((n) => !child(body, n));
      if (primitive === 'paDemandPaymentNotice' && !child(body, 'qrCode')) missing.unshift('qrCode');
      if (missing.length) return { kind: 'invalid', reason: `outcome OK without ${missing.join(', ')} (IF-paVerifyPaymentNotice-F70)` };
      return undefined;
    }
    case 'paGetPayment':
    case 'paGetPaymentV2':
      return checkPaymentData(child(body, 'data'), reg);
    default:
      return undefined;
  }
}

/** IF-paGetPayment-F70..F72: data present, Σ transfers = paymentAmount, unique idTransfer, IBAN censito. */
export function checkPaymentData(data: El | undefined, reg?: Registry): EcVerdict | undefined {
  if (!data) return { kind: 'invalid', reason: 'outcome OK without data (IF-paGetPayment-F70)' };
  const transfers = childrenNamed(child(data, 'transferList'), 'transfer');
  if (transfers.length === 0) return { kind: 'invalid', reason: 'transferList without transfers (IF-paGetPayment-F70)' };
  const total = parseAmount(textOf(data, 'paymentAmount'));
  let sum = 0;
  const ids = new Set<string>();
  for (const t of transfers) {
    sum += parseAmount(textOf(t, 'transferAmount')) ?? NaN;
    const id = textOf(t, 'idTransfer') ?? '';
    if (ids.has(id)) return { kind: 'invalid', reason: `duplicate idTransfer ${id} (IF-paGetPayment-F71)` };
    ids.add(id);
  }
  if (total === undefined || sum !== total) {
    return { kind: 'invalid', reason: `paymentAmount ${textOf(data, 'paymentAmount')} differs from the sum of transferAmount ${Number.isInteger(sum) ? formatAmount(sum) : '(not computable)'} (IF-paGetPayment-F70)` };
  }
  // IF-paGetPayment-F72 / NM-A-17: each IBAN valid and registered for the transfer's EC
  for (const t of transfers) {
    const iban = textOf(t, 'IBAN');
    if (iban === undefined) continue; // V2 digital-stamp transfer (richiestaMarcaDaBollo)
    const fc = textOf(t, 'fiscalCodePA') ?? '';
    if (!isValidIban(iban)) return { kind: 'iban', reason: `transfer ${textOf(t, 'idTransfer')}: IBAN ${iban} is not a valid IBAN` };
    if (reg) {
      // only where the registry knows the EC's accounts: a beneficiary EC outside the harness's
      // registry, or an EC whose profile lists no IBANs, is judged on IBAN validity alone
      const ec = reg.ecs.find((e) => e.fiscalCode === fc);
      if (ec && ec.ibans.length > 0 && !ec.ibans.includes(iban)) {
        return { kind: 'iban', reason: `transfer ${textOf(t, 'idTransfer')}: IBAN ${iban} is not registered for ${fc}` };
      }
    }
  }
  return undefined;
}
