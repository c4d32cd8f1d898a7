// The pure FdR 3 rules (domain/fdr/rest.ts, rest-errors.ts): REST JSON ⇄ ReportingFlow, payStatus ⇄
// outcome code, amounts, the flow name's layout, and the FDR codes with their HTTP status.
import { describe, expect, it } from 'vitest';
import { type CreateFlowRequest, type RestPayment, centsOfEuro, dayOf, euroOfCents, flowFromRest, flowNameFault, flowToRest, outcomeCodeOf, payStatusOf, withOffset } from '../domain/fdr/rest.js';
import { FDR_ERRORS, type FdrErrorCode, fdrError, syntaxCodeOf } from '../domain/fdr/rest-errors.js';
import { type FlowOutcomeCode, REST_PAY_STATUS, type ReportingFlow } from '../domain/fdr/types.js';
import { validateBody } from '../src/wire/rest/openapi.js';

const REQ: CreateFlowRequest = {
  fdr: '2026-11-2388888888888-0001', fdrDate: '2026-11-23T10:00:00Z',
  sender: { type: 'ABI_CODE', id: '03069', pspId: '88888888888', pspName: 'Banca di Prova', pspBrokerId: '70000000001', channelId: '70000000001_01', password: 'password01' },
  receiver: { id: 'APPBIT2B', organizationId: '77777777777', organizationName: 'Comune di Esempio' },
  regulation: 'SCT-0001', regulationDate: '2026-11-24', bicCodePouringBank: 'UNCRITMMXXX', totPayments: 3, sumPayments: 60.3,
};
const PAYMENTS: RestPayment[] = [
  { index: 2, iuv: '02000000000000002', iur: 'TOKEN2', idTransfer: 2, pay: 20.1, payStatus: 'STAND_IN', payDate: '2026-11-22T23:30:00-02:00' },
  { index: 1, iuv: '02000000000000001', iur: 'TOKEN1', idTransfer: 1, pay: 40.2, payStatus: 'EXECUTED', payDate: '2026-11-22T09:00:00Z' },
  { index: 3, iuv: '02000000000000003', iur: 'TOKEN3', idTransfer: 1, pay: 0, payStatus: 'STAND_IN_NO_RPT', payDate: '2026-11-22T09:00:00Z' },
];

describe('payStatus ⇄ outcome code (NM-FDR-VAL-04, NM-V-14)', () => {
  it('each of the five codes maps to its enum value and back; anything else has no code', () => {
    const codes: FlowOutcomeCode[] = ['0', '3', '4', '8', '9'];
    expect(codes.map(payStatusOf)).toEqual(['EXECUTED', 'REVOKED', 'STAND_IN', 'STAND_IN_NO_RPT', 'NO_RPT']);
    for (const c of codes) expect(outcomeCodeOf(payStatusOf(c))).toBe(c);
    expect(outcomeCodeOf('PAID')).toBeUndefined();
    expect(Object.keys(REST_PAY_STATUS)).toHaveLength(5);
  });
});

describe('REST JSON ⇄ ReportingFlow', () => {
  it('a REST flow becomes the model-neutral flow: ids, sender type as the SOAP letter, cents, codes, UTC day, lines by index', () => {
    const f = flowFromRest(REQ, PAYMENTS, 2);
    expect(f).toMatchObject({ flowId: REQ.fdr, revision: 2, idPSP: '88888888888', idBrokerPSP: '70000000001', idChannel: '70000000001_01', ecFiscalCode: '77777777777', regulationId: 'SCT-0001', regulationDate: '2026-11-24', totalCount: 3, totalCents: 6030 });
    expect(f.sender).toEqual({ idType: 'A', id: '03069', name: 'Banca di Prova' });
    expect(f.receiver).toEqual({ idType: 'G', id: 'APPBIT2B', name: 'Comune di Esempio' });
    expect(f.lines.map((l) => [l.index, l.idTransfer, l.amountCents, l.outcomeCode, l.date])).toEqual([
      [1, 1, 4020, '0', '2026-11-22'], [2, 2, 2010, '4', '2026-11-23'], [3, 1, 0, '8', '2026-11-22'],
    ]);
  });

  it('and back: the same request (never the password) and the same payments, valid against our document', () => {
    const { request, payments } = flowToRest(flowFromRest(REQ, PAYMENTS));
    const { password: _p, ...sender } = REQ.sender;
    expect(request).toEqual({ ...REQ, sender });
    expect(payments.map((p) => [p.index, p.idTransfer, p.pay, p.payStatus])).toEqual([[1, 1, 40.2, 'EXECUTED'], [2, 2, 20.1, 'STAND_IN'], [3, 1, 0, 'STAND_IN_NO_RPT']]);
    expect(validateBody('fdr-psp', 'CreateFlowRequest', request)).toEqual({ valid: true, errors: [] });
    expect(validateBody('fdr-psp', 'AddPaymentRequest', { payments })).toEqual({ valid: true, errors: [] });
  });

  it('a flow that came by SOAP (repeated indiceDatiSingoloPagamento, no offset on the date) reads as valid FdR 3: index by position, idTransfer from the SOAP index', () => {
    const soap: ReportingFlow = {
      flowId: '2026-11-2388888888888-S1', flowDate: '2026-11-23T10:00:00', idPSP: '88888888888', sender: { idType: 'B', id: 'BPPIITRRXXX' }, ecFiscalCode: '77777777777', receiver: { idType: 'G', id: '77777777777' },
      regulationId: 'SCT-9', regulationDate: '2026-11-24', totalCount: 3, totalCents: 300,
      lines: [
        { iuv: 'A', iur: 'R1', index: 1, amountCents: 100, outcomeCode: '0', date: '2026-11-22' },
        { iuv: 'A', iur: 'R1', index: 2, amountCents: 100, outcomeCode: '0', date: '2026-11-22' },
        { iuv: 'B', iur: 'R2', index: 1, amountCents: 100, outcomeCode: '9', date: '2026-11-22' },
      ],
    };
    const { request, payments } = flowToRest(soap);
    expect(payments.map((p) => [p.index, p.idTransfer, p.payDate])).toEqual([[1, 1, '2026-11-22T00:00:00Z'], [2, 2, '2026-11-22T00:00:00Z'], [3, 1, '2026-11-22T00:00:00Z']]);
    expect(request.fdrDate).toBe('2026-11-23T10:00:00Z');
    expect(request.sender.type).toBe('BIC_CODE');
    expect(validateBody('fdr-organization', 'PaginatedPaymentsResponse', { metadata: { pageSize: 3, pageNumber: 1, totPage: 1 }, count: 3, data: payments }).valid).toBe(true);
  });

  it('amounts: euro with at most two decimals are cents, anything finer is refused; floating sums stay exact', () => {
    expect([centsOfEuro(0.1 + 0.2), centsOfEuro(30.5), centsOfEuro(-12.34), centsOfEuro(0)]).toEqual([30, 3050, -1234, 0]);
    expect([centsOfEuro(30.505), centsOfEuro(Number.NaN), centsOfEuro(Infinity)]).toEqual([undefined, undefined, undefined]);
    expect([euroOfCents(3050), euroOfCents(7), euroOfCents(123456789)]).toEqual([30.5, 0.07, 1234567.89]);
    expect([dayOf('2026-11-22T23:30:00-02:00'), dayOf('not a date')]).toEqual(['2026-11-23', 'not a date']);
    expect([withOffset('2026-11-23T10:00:00'), withOffset('2026-11-23T10:00:00+01:00')]).toEqual(['2026-11-23T10:00:00Z', '2026-11-23T10:00:00+01:00']);
  });
});

describe('the flow name (NM-V-12, NM-A-23: FDR-3008 / FDR-3009)', () => {
  it.each([
    ['2026-11-2388888888888-1', undefined],
    ['2026-11-2388888888888_anything', undefined],
    ['2026-13-0188888888888-1', 'date'],
    ['2026-02-2988888888888-1', 'date'],
    ['88888888888-2026-11-23', 'date'],
    ['2026-11-23', 'psp'],
    ['2026-11-2388888888881-1', 'psp'],
    ['2026-11-23-88888888888-1', 'psp'],
  ] as const)('%s → %s', (name, fault) => {
    expect(flowNameFault(name, '88888888888')).toBe(fault);
  });
});

describe('FDR codes', () => {
  it('every code is HTTP 400 except FDR-3001 (404) and FDR-0500 (500), and an error body is a valid ErrorResponse naming the field', () => {
    const statuses = Object.entries(FDR_ERRORS).filter(([, i]) => i.http !== 400).map(([c, i]) => [c, i.http]);
    expect(statuses).toEqual([['FDR-0500', 500], ['FDR-3001', 404]]);
    const body = fdrError('FDR-3004', 'sender.pspId X differs from Y', 'sender.pspId');
    expect(body).toMatchObject({ httpStatusCode: 400, httpStatusDescription: 'Bad Request', appErrorCode: 'FDR-3004', errors: [{ path: 'sender.pspId', message: 'REPORTING_FLOW_PSP_ID_NOT_MATCH: sender.pspId X differs from Y' }] });
    expect(validateBody('fdr-psp', 'ErrorResponse', body).valid).toBe(true);
  });

  it.each([
    ['body type: the body is not JSON (Unexpected end of JSON input)', 'FDR-1005'],
    ['body required: a JSON body is required', 'FDR-1000'],
    ['body/sender/pspId required: must have required property \'pspId\'', 'FDR-1000'],
    ['body/fdrDate format: must match format "date-time"', 'FDR-1002'],
    ['query parameter publishedGt format: must match format "date-time"', 'FDR-1002'],
    ['body/payments/0/payStatus enum: must be equal to one of the allowed values', 'FDR-1003'],
    ['body/totPayments type: must be integer', 'FDR-1004'],
    ['query parameter page type: must be integer', 'FDR-1004'],
    ['body/fdr pattern: must match pattern "^[a-zA-Z0-9\\-_]{1,35}$"', 'FDR-1001'],
    ['body/payments maxItems: must NOT have more than 1000 items', 'FDR-1001'],
  ] as const)('the refusal "%s" is %s', (refusal, expected) => {
    expect(syntaxCodeOf(refusal)).toBe(expected as FdrErrorCode);
  });
});
