// The EC scenario helpers judge what the candidate did: an error page is described as such (item 6),
// Content-Type is judged on answers (IF-X-01, item 7), "only an OK is FAIL" readings make any other
// refusal a WARNING (review §2.4 rows 8-9), a namespace form is judged against the canonical form's
// answer (item 4), and a SOAP Fault is not a schema FAIL.
import { describe, expect, it } from 'vitest';
import { BaseContext, spec, type CheckSpec } from '../src/core/scenario.js';
import { VirtualClock } from '../src/core/clock.js';
import { Journal, type JournalEntry } from '../src/core/journal.js';
import { Faults } from '../src/core/faults.js';
import { loadProfile } from '../src/profile/index.js';
import { REFERENCE_EC_PROFILE, type EcContext } from '../seats/ec.js';
import { OPERATIONS } from '../interfaces/index.js';
import { encodeEnvelope, encodeSoapFault, ko } from '../src/wire/soap.js';
import { checkContentType, checkKo, checkSchema, readAnswer, schemaChecks, type Answer } from '../suites/ec/lib.js';
import { judgeForm } from '../suites/ec/wire.js';
import { negativeChecks, caseRequirements } from '../suites/ec/negative.js';
import { englishIn } from './support/english.js';

function ctx(specs: CheckSpec[]): { t: EcContext; journal: Journal } {
  const clock = new VirtualClock();
  const journal = new Journal(clock);
  const c = new BaseContext('EC-T-01', loadProfile(REFERENCE_EC_PROFILE).profile, clock, journal, new Faults(), () => 'evidence/x');
  c.declare(specs);
  return { t: c as unknown as EcContext, journal };
}

/** One exchange with the candidate: a verify request and the given answer. */
function exchange(journal: Journal, answer: { status?: number; type?: string; raw?: string; transport?: string }): Answer {
  const x = journal.newExchange();
  const base = { exchange: x, from: 'nodo', to: 'ec', primitive: 'paVerifyPaymentNotice', correlation: {} };
  const req = journal.record({ ...base, direction: 'request', raw: '<request/>' });
  const res: JournalEntry = journal.record({
    ...base,
    from: 'ec',
    to: 'nodo',
    direction: 'response',
    raw: answer.raw ?? '',
    httpStatus: answer.transport ? undefined : (answer.status ?? 200),
    headers: answer.transport ? undefined : { 'content-type': answer.type ?? 'text/xml; charset=UTF-8' },
    transport: answer.transport,
  });
  return readAnswer(req, res);
}

const verifyKo = (code: string) => encodeEnvelope(OPERATIONS.paVerifyPaymentNotice!, 'response', ko({ faultCode: code, faultString: 'x', id: '77777777777' }));
const verifyOk = () => encodeEnvelope(OPERATIONS.paVerifyPaymentNotice!, 'response', { outcome: 'OK', paymentList: { paymentOptionDescription: { amount: '10.00', options: 'EQ', allCCP: 'false' } }, paymentDescription: 'x', fiscalCodePA: '77777777777', companyName: 'x' });

describe('the answer reader describes what the candidate did', () => {
  it('an HTML error page is "HTTP 500, text/html, <first bytes>", not a parser message', () => {
    const { journal } = ctx([]);
    const a = exchange(journal, { status: 500, type: 'text/html', raw: '<!DOCTYPE html><html><body><h1>Internal Server Error</h1></body></html>' });
    expect(a.problem).toMatch(/^HTTP 500, text\/html, "<!DOCTYPE html><html><body><h1>Internal Server Error/);
    expect(a.problem).not.toMatch(/document type|DTD|declaration/i);
  });

  it('an XML body that is no SOAP envelope keeps the reason after what was received', () => {
    const { journal } = ctx([]);
    const a = exchange(journal, { raw: '<?xml version="1.0"?><foo/>' });
    expect(a.problem).toMatch(/^HTTP 200, text\/xml; charset=UTF-8, "<\?xml.*\(not a SOAP message: /);
  });
});

describe('checks on an answer', () => {
  it('Content-Type: text/xml passes, an HTML page fails IF-X-01, no HTTP answer is not exercised', () => {
    const { t, journal } = ctx(schemaChecks('verify'));
    checkContentType(t, exchange(journal, { raw: verifyOk() }), 'verify-content-type');
    checkContentType(t, exchange(journal, { status: 500, type: 'text/html', raw: '<html/>' }), 'verify-content-type');
    checkContentType(t, exchange(journal, { transport: 'timeout' }), 'verify-content-type');
    expect(t.checks.map((c) => [c.verdict, c.requirements])).toEqual([
      ['PASS', ['IF-X-01']],
      ['FAIL', ['IF-X-01']],
      ['NOT_EXERCISED', ['IF-X-01']],
    ]);
  });

  it('a SOAP Fault or a timeout is not a schema FAIL (the answer check judges it)', () => {
    const { t, journal } = ctx(schemaChecks('verify'));
    checkSchema(t, exchange(journal, { status: 500, raw: encodeSoapFault('soapenv:Client', 'bad') }), 'paVerifyPaymentNotice');
    checkSchema(t, exchange(journal, { transport: 'timeout' }), 'paVerifyPaymentNotice');
    expect(t.checks.filter((c) => c.id === 'verify-schema').map((c) => c.verdict)).toEqual(['NOT_EXERCISED', 'NOT_EXERCISED']);
  });

  it('"only an OK is FAIL": another KO, a SOAP Fault, an error page and a timeout are WARNINGs; an OK is FAIL', () => {
    const { t, journal } = ctx([spec('misaddressed', ['refused', 'refused'], 'IF-X-17')]);
    const x = { id: 'misaddressed', accept: ['PAA_ID_DOMINIO_ERRATO'], onlyOkFails: true };
    checkKo(t, exchange(journal, { raw: verifyKo('PAA_ID_DOMINIO_ERRATO') }), x);
    checkKo(t, exchange(journal, { raw: verifyKo('PAA_SEMANTICA') }), x);
    checkKo(t, exchange(journal, { status: 500, raw: encodeSoapFault('soapenv:Client', 'bad') }), x);
    checkKo(t, exchange(journal, { status: 500, type: 'text/html', raw: '<html/>' }), x);
    checkKo(t, exchange(journal, { transport: 'timeout' }), x);
    checkKo(t, exchange(journal, { raw: verifyOk() }), x);
    expect(t.checks.map((c) => c.verdict)).toEqual(['PASS', 'WARNING', 'WARNING', 'WARNING', 'WARNING', 'FAIL']);
  });

  it('says every title and message in Italian too, the words of the candidate quoted', () => {
    const { t, journal } = ctx([...schemaChecks('verify'), spec('misaddressed', ['refused', 'rifiutata'], 'IF-X-17')]);
    const answers = [
      exchange(journal, { raw: verifyKo('PAA_SEMANTICA') }),
      exchange(journal, { status: 500, raw: encodeSoapFault('soapenv:Client', 'bad request') }),
      exchange(journal, { status: 500, type: 'text/html', raw: '<html/>' }),
      exchange(journal, { transport: 'timeout' }),
      exchange(journal, { raw: verifyOk() }),
    ];
    for (const a of answers) {
      checkSchema(t, a, 'paVerifyPaymentNotice');
      checkKo(t, a, { id: 'misaddressed', accept: ['PAA_ID_DOMINIO_ERRATO'], onlyOkFails: true });
    }
    for (const c of t.checks) {
      expect(c.titleIt, `${c.id} ${c.title}`).toBeTruthy();
      expect(c.messageIt, `${c.id} ${c.message}`).toBeDefined();
      expect(englishIn(c.messageIt!), `${c.id}: ${c.messageIt}`).toEqual([]);
      expect(englishIn(c.titleIt!), `${c.id}: ${c.titleIt}`).toEqual([]);
    }
    const ko = t.checks.filter((c) => c.id === 'misaddressed').map((c) => c.messageIt);
    expect(ko[0]).toBe('KO PAA_SEMANTICA, atteso KO PAA_ID_DOMINIO_ERRATO');
    expect(ko[1]).toBe('HTTP 500 SOAP Fault soapenv:Client: "bad request"; atteso KO PAA_ID_DOMINIO_ERRATO');
    expect(ko[4]).toBe('risposta OK, atteso KO PAA_ID_DOMINIO_ERRATO');
  });

  it('without the reading, a timeout or a SOAP Fault where a KO is due is a FAIL', () => {
    const { t, journal } = ctx([spec('state-fault', ['code', 'code'], 'NM-PSPPAY-ERR-03')]);
    checkKo(t, exchange(journal, { transport: 'timeout' }), { id: 'state-fault', accept: ['PAA_PAGAMENTO_SCADUTO'] });
    checkKo(t, exchange(journal, { status: 500, raw: encodeSoapFault('soapenv:Server', 'x') }), { id: 'state-fault', accept: ['PAA_PAGAMENTO_SCADUTO'] });
    expect(t.checks.map((c) => c.verdict)).toEqual(['FAIL', 'FAIL']);
  });
});

describe('a namespace form is judged against the canonical form', () => {
  const specs = [spec('ns', ['same answer as the canonical form', 'same answer as the canonical form'], 'IF-X-04')];

  it('the same refusal as the canonical form is no namespace defect; a different answer is', () => {
    const { t, journal } = ctx(specs);
    const canonicalKo = exchange(journal, { raw: verifyKo('PAA_PAGAMENTO_IN_CORSO') });
    judgeForm(t, 'ns', canonicalKo, exchange(journal, { raw: verifyKo('PAA_PAGAMENTO_IN_CORSO') }), 'other-prefix');
    judgeForm(t, 'ns', exchange(journal, { raw: verifyOk() }), exchange(journal, { raw: verifyKo('PAA_SINTASSI_EXTRAXSD') }), 'other-prefix');
    expect(t.checks.map((c) => c.verdict)).toEqual(['PASS', 'FAIL']);
    expect(t.checks[1]!.message).toMatch(/canonical form: outcome OK/);
  });

  it('without a SOAP answer to the canonical form nothing is compared', () => {
    const { t, journal } = ctx(specs);
    judgeForm(t, 'ns', exchange(journal, { status: 500, type: 'text/html', raw: '<html/>' }), exchange(journal, { status: 500, type: 'text/html', raw: '<html/>' }), 'default-namespace');
    expect(t.checks.map((c) => c.verdict)).toEqual(['NOT_EXERCISED']);
  });
});

describe('generated negatives declare their checks from the same mapping that judges each case', () => {
  it('one check per requirement a case can break, each also NM-PSPPAY-ERR-13, plus the two summaries', () => {
    const specs = negativeChecks('paGetPayment');
    const reqs = caseRequirements('paGetPayment');
    expect(reqs).toContain('IF-X-19');
    expect(reqs.some((r) => /^IF-paGetPayment-F0\d$/.test(r))).toBe(true);
    expect(specs.map((s) => s.id)).toEqual([...reqs.map((r) => `case-${r}`), 'all-refused', 'syntax-code']);
    for (const s of specs.filter((x) => x.id.startsWith('case-'))) expect(s.requirements).toContain('NM-PSPPAY-ERR-13');
    expect(caseRequirements('paVerifyPaymentNotice')).not.toContain('IF-X-19');
  });
});
