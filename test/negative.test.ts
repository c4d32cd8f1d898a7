// The negative-request generator (src/negative): cases come from the schema, every case is
// schema-invalid, the base request is valid, and the six EC primitives give at least 150 cases.
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../interfaces/index.js';
import { encodeEnvelope } from '../src/wire/soap.js';
import type { NodeObj } from '../src/wire/xml.js';
import { generateNegatives } from '../src/negative/generate.js';
import { schemaModel } from '../src/negative/schema.js';
import { MAX_CASES, demandRequest, getPaymentRequest, judgeNegative, receiptFromData, sendRtRequest, verifyRequest } from '../suites/ec/negative.js';
import type { Answer } from '../suites/ec/lib.js';
import { decodeEnvelope } from '../interfaces/index.js';
import { englishIn } from './support/english.js';

const t = { station: { idPA: '77777777777', idBrokerPA: '15376371009', idStation: '15376371009_01', version: 1 as const, url: '' } };
const n = { fiscalCode: '77777777777', noticeNumber: '301000000000000144' };
const GET_PAYMENT_RES =
  `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><p:paGetPaymentRes xmlns:p="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><outcome>OK</outcome><data>` +
  `<creditorReferenceId>01000000000000144</creditorReferenceId><paymentAmount>10.00</paymentAmount><dueDate>2026-12-31</dueDate><description>d</description><companyName>c</companyName>` +
  `<debtor><uniqueIdentifier><entityUniqueIdentifierType>F</entityUniqueIdentifierType><entityUniqueIdentifierValue>RSSMRA80A01H501U</entityUniqueIdentifierValue></uniqueIdentifier><fullName>Mario Rossi</fullName></debtor>` +
  `<transferList><transfer><idTransfer>1</idTransfer><transferAmount>10.00</transferAmount><fiscalCodePA>77777777777</fiscalCodePA><IBAN>IT60X0542811101000000123456</IBAN><remittanceInformation>r</remittanceInformation><transferCategory>0101101IM</transferCategory></transfer></transferList>` +
  `</data></p:paGetPaymentRes></s:Body></s:Envelope>`;

function bases(): [string, NodeObj][] {
  const d = decodeEnvelope(GET_PAYMENT_RES);
  if (!d.ok || !d.msg.xsd.valid) throw new Error('fixture invalid');
  const data = d.msg.body.children.find((c) => c.name === 'data')!;
  const r = receiptFromData(n, data, 'collaudo-test-receipt', Date.UTC(2026, 5, 1));
  return [
    ['paVerifyPaymentNotice', verifyRequest(t, n)],
    ['paGetPayment', getPaymentRequest(t, n, '10.00', '2026-12-31')],
    ['paGetPaymentV2', getPaymentRequest(t, n, '10.00', '2026-12-31')],
    ['paSendRT', sendRtRequest(t, r, 1)],
    ['paSendRTV2', sendRtRequest(t, r, 2)],
    ['paDemandPaymentNotice', demandRequest(t, { idServizio: '00001', idSoggettoServizio: '00001' }, Buffer.from('<a/>').toString('base64'))],
  ];
}

describe('schema model', () => {
  it('reads facets through restriction chains and imports (common-types.xsd)', () => {
    const m = schemaModel(OPERATIONS.paGetPayment!.schema);
    const req = m.element('http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd', 'paGetPaymentReq');
    expect(req.type.kind).toBe('complex');
    if (req.type.kind !== 'complex') return;
    const byName = Object.fromEntries(req.type.children.map((c) => [c.name, c]));
    expect(byName.idPA!.min).toBe(1);
    expect(byName.amount!.min).toBe(0);
    expect(byName.idPA!.type).toMatchObject({ kind: 'simple', facets: { base: 'string', minLength: 1, maxLength: 35 } });
    expect(byName.amount!.type).toMatchObject({ kind: 'simple', facets: { base: 'decimal', patterns: ['\\d+\\.\\d{2}'], maxInclusive: '999999999.99' } });
    expect(byName.transferType!.type).toMatchObject({ kind: 'simple', facets: { enumeration: ['POSTAL', 'PAGOPA'] } });
  });
});

describe('negative requests generated from paForNode.xsd', () => {
  const all = bases().map(([p, c]) => ({ p, cases: generateNegatives(OPERATIONS[p]!, encodeEnvelope(OPERATIONS[p]!, 'request', c), { max: MAX_CASES }) }));

  it('at least 150 cases over the six EC primitives, each primitive with cases of many kinds', () => {
    const total = all.reduce((s, x) => s + x.cases.length, 0);
    expect(total).toBeGreaterThanOrEqual(150);
    for (const { p, cases } of all) {
      expect(cases.length, p).toBeGreaterThanOrEqual(15);
      expect(new Set(cases.map((c) => c.kind)).size, p).toBeGreaterThanOrEqual(5);
      expect(new Set(cases.map((c) => c.id)).size, `${p}: case ids are unique`).toBe(cases.length);
    }
  });

  it('every case is schema-invalid (checked again here), and differs from the valid base', () => {
    for (const { p, cases } of all) {
      for (const c of cases) {
        const d = decodeEnvelope(c.envelope);
        expect(d.ok, `${p} ${c.id}`).toBe(true);
        if (d.ok) {
          expect(d.msg.op?.name, `${p} ${c.id}`).toBe(p);
          expect(d.msg.xsd.valid, `${p} ${c.id}: ${c.change}`).toBe(false);
        }
      }
    }
  });

  it('covers the kinds the issue names: missing, empty, too long, pattern, enumeration, wrong type (10.5, 2026-13-45), unknown element, order', () => {
    const gp = all.find((x) => x.p === 'paGetPayment')!.cases;
    const ids = gp.map((c) => c.id);
    for (const id of ['idPA:missing', 'idPA:empty', 'idPA:too-long', 'qrCode/noticeNumber:pattern', 'transferType:enumeration', 'amount:type', 'dueDate:type', 'paGetPaymentReq:unknown-element', 'paGetPaymentReq:order', 'idPA:qualified-child']) {
      expect(ids).toContain(id);
    }
    expect(gp.find((c) => c.id === 'amount:type')!.envelope).toContain('<amount>10.5</amount>');
    expect(gp.find((c) => c.id === 'dueDate:type')!.envelope).toContain('<dueDate>2026-13-45</dueDate>');
  });

  it('describes every case in Italian too, with no English word outside the data it quotes (the Italian view of the certificate)', () => {
    for (const { p, cases } of all) {
      for (const c of cases) {
        expect(c.changeIt.trim(), `${p} ${c.id}`).not.toBe('');
        expect(c.changeIt, `${p} ${c.id}`).not.toBe(c.change);
        expect(englishIn(c.changeIt), `${p} ${c.id}: ${c.changeIt}`).toEqual([]);
      }
    }
    const gp = all.find((x) => x.p === 'paGetPayment')!.cases;
    expect(gp.find((c) => c.id === 'idPA:missing')!.changeIt).toBe('<idPA> obbligatorio rimosso');
    expect(gp.find((c) => c.id === 'amount:type')!.changeIt).toBe('<amount>: "10.5": un importo con un solo decimale (tipo decimal)');
  });

  it('refuses to derive cases from an invalid base request', () => {
    const bad = encodeEnvelope(OPERATIONS.paVerifyPaymentNotice!, 'request', { ...verifyRequest(t, n), qrCode: { fiscalCode: '1', noticeNumber: '2' } });
    expect(() => generateNegatives(OPERATIONS.paVerifyPaymentNotice!, bad)).toThrow(/not valid/);
  });

  it('judges as NM-PSPPAY-ERR-13 / IF-X-18 say: EXTRAXSD PASS, XSD PASS only for demand, other refusals WARNING, OK or no answer FAIL', () => {
    const ko = (code: string): Answer => ({ transport: 'ok', outcome: 'KO', fault: { faultCode: code, faultString: '', id: '' } as Answer['fault'] });
    expect(judgeNegative(ko('PAA_SINTASSI_EXTRAXSD'), 'paGetPayment').verdict).toBe('PASS');
    expect(judgeNegative(ko('PAA_SINTASSI_XSD'), 'paDemandPaymentNotice').verdict).toBe('PASS');
    expect(judgeNegative(ko('PAA_SINTASSI_XSD'), 'paSendRT').verdict).toBe('WARNING');
    expect(judgeNegative(ko('PAA_SEMANTICA'), 'paSendRT').verdict).toBe('WARNING');
    expect(judgeNegative({ transport: 'ok', soapFault: { faultcode: 'soapenv:Client', faultstring: 'invalid' }, problem: 'HTTP 500 SOAP Fault' }, 'paSendRT').verdict).toBe('WARNING');
    expect(judgeNegative({ transport: 'ok', outcome: 'OK' }, 'paVerifyPaymentNotice').verdict).toBe('FAIL');
    expect(judgeNegative({ transport: 'timeout', problem: 'timeout' }, 'paVerifyPaymentNotice')).toMatchObject({ verdict: 'FAIL', dead: true });
    // the Italian says the same facts: the code, and the problem in its Italian where the answer has one
    expect(judgeNegative(ko('PAA_SEMANTICA'), 'paSendRT').messageIt).toBe('KO PAA_SEMANTICA: rifiutata, ma il codice per una richiesta non valida per lo schema è PAA_SINTASSI_EXTRAXSD');
    expect(judgeNegative({ transport: 'timeout', problem: 'timeout', problemIt: 'nessuna risposta in tempo (timeout)' }, 'paVerifyPaymentNotice').messageIt).toBe('nessuna risposta: nessuna risposta in tempo (timeout) (crash o blocco)');
  });
});
