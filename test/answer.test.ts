// The one reader of a SOAP answer (src/wire/answer.ts): the same reading from a CallResult and from a
// journaled exchange, outcome or esito, SOAP Faults, transport failures and non-SOAP bodies.
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../src/core/journal.js';
import type { CallResult } from '../src/wire/http.js';
import { answerOfCall, answerOfExchange, detailIt, isUsable } from '../src/wire/answer.js';
import { decodeEnvelope as decodeWith, encodeEnvelope, encodeSoapFault } from '../src/wire/soap.js';
import { ALL_OPERATIONS, NS, OPERATIONS, decodeEnvelope } from '../interfaces/index.js';

const VERIFY = OPERATIONS.paVerifyPaymentNotice!;
const FC = '77777777777';
const koBody = { outcome: 'KO', fault: { faultCode: 'PAA_PAGAMENTO_SCONOSCIUTO', faultString: 'sconosciuto', id: FC } };

const entry = (over: Partial<JournalEntry>): JournalEntry => ({
  seq: 1, exchange: 1, direction: 'response', at: 0, from: 'ec', to: 'nodo', raw: '', correlation: {}, ...over,
});
const call = (raw: string, over: Partial<CallResult> = {}): CallResult => ({ transport: 'ok', status: 200, raw, decoded: decodeEnvelope(raw), latencyMs: 5, ...over });

describe('answer reader', () => {
  it('reads a response the same way from a call and from the journal', () => {
    const raw = encodeEnvelope(VERIFY, 'response', koBody);
    const fromCall = answerOfCall(call(raw));
    const response = entry({ raw, httpStatus: 200, xsd: { valid: true, errors: [] } });
    const fromJournal = answerOfExchange(undefined, response, { ops: ALL_OPERATIONS, validate: true });
    for (const a of [fromCall, fromJournal]) {
      expect(a).toMatchObject({ transport: 'ok', httpStatus: 200, kind: 'response', outcome: 'KO', fault: { faultCode: 'PAA_PAGAMENTO_SCONOSCIUTO', id: FC } });
      expect(a.op?.name).toBe('paVerifyPaymentNotice');
      expect(a.xsd?.valid).toBe(true);
      expect(isUsable(a)).toBe(true);
    }
    expect(fromJournal.response).toBe(response);
  });

  it('keeps the journal verdict unless asked to validate again', () => {
    const raw = encodeEnvelope(VERIFY, 'response', { outcome: 'OK', collaudoBogus: 'x' });
    const recorded = { valid: false, errors: ['recorded'] };
    const e = entry({ raw, httpStatus: 200, xsd: recorded });
    expect(answerOfExchange(undefined, e, { ops: ALL_OPERATIONS }).xsd).toBe(recorded);
    const again = answerOfExchange(undefined, e, { ops: ALL_OPERATIONS, validate: true });
    expect(again.xsd?.valid).toBe(false);
    expect(again.xsd?.errors.join()).toMatch(/collaudoBogus/);
    expect(isUsable(again)).toBe(false);
  });

  it('reads esito (old model) as the outcome', () => {
    const raw = `<soapenv:Envelope xmlns:soapenv="${NS.soapenv}"><soapenv:Body><ppt:paaVerificaRPTRisposta xmlns:ppt="http://example.org/ppt">` +
      `<esito>KO</esito><fault><faultCode>PAA_RPT_SCONOSCIUTA</faultCode><faultString>x</faultString><id>${FC}</id></fault></ppt:paaVerificaRPTRisposta></soapenv:Body></soapenv:Envelope>`;
    const a = answerOfCall(call(raw, { decoded: decodeWith(raw, { ops: [] }) }));
    expect(a).toMatchObject({ outcome: 'KO', fault: { faultCode: 'PAA_RPT_SCONOSCIUTA' } });
    expect(a.op).toBeUndefined();
    expect(isUsable(a)).toBe(false); // no operation of the reader's owns that element
  });

  it('tells a SOAP Fault, a transport failure, a non-SOAP body and a missing answer', () => {
    const fault = answerOfCall(call(encodeSoapFault('soapenv:Server', 'NullPointerException'), { status: 500 }));
    expect(fault).toMatchObject({ soapFault: { faultcode: 'soapenv:Server' }, problem: 'HTTP 500 SOAP Fault soapenv:Server: NullPointerException' });
    expect(fault.body).toBeUndefined();
    expect(answerOfCall({ transport: 'timeout', latencyMs: 7001, late: true, error: 'deadline' }).problem).toBe('timeout: deadline (late answer)');
    expect(answerOfExchange(undefined, entry({ transport: 'refused', note: 'port closed' }), { ops: ALL_OPERATIONS }).problem).toBe('refused (port closed)');
    const html = entry({ raw: '<html><body>proxy error</body></html>', httpStatus: 502, headers: { 'Content-Type': 'text/html' } });
    expect(answerOfExchange(undefined, html, { ops: ALL_OPERATIONS }).problem).toBe('HTTP 502, text/html, "<html><body>proxy error</body></html>"');
    expect(answerOfExchange(undefined, undefined, { ops: ALL_OPERATIONS })).toEqual({ transport: 'none', request: undefined, problem: 'no response recorded', problemIt: 'nessuna risposta registrata' });
  });

  it("tells the same in Italian: the harness's own transport notes translated, the peer's words and unknown details quoted", () => {
    expect(answerOfCall(call(encodeSoapFault('soapenv:Server', 'NullPointerException'), { status: 500 })).problemIt).toBe('HTTP 500 SOAP Fault soapenv:Server: "NullPointerException"');
    expect(answerOfCall({ transport: 'timeout', latencyMs: 7001, error: 'no answer within 7000 ms' }).problemIt).toBe('nessuna risposta in tempo (timeout): nessuna risposta entro 7000 ms');
    expect(answerOfCall({ transport: 'timeout', latencyMs: 7001, late: true, error: 'deadline' }).problemIt).toBe('nessuna risposta in tempo (timeout): "deadline" (risposta tardiva)');
    expect(answerOfExchange(undefined, entry({ transport: 'refused', note: 'port closed' }), { ops: ALL_OPERATIONS }).problemIt).toBe('connessione rifiutata ("port closed")');
    expect(detailIt('injected fault: reset; answer arrived after the 5000 ms deadline')).toBe('guasto iniettato: reset; risposta arrivata dopo la scadenza di 5000 ms');
  });
});
