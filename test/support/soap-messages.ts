// Messages and operations the SOAP codec and HTTP tests share (test/soap-codec.test.ts, test/soap-http.test.ts).
import { OPERATIONS, type Operation } from '../../interfaces/index.js';
import { type DecodeResult } from '../../src/wire/soap.js';
import { type NodeObj } from '../../src/wire/xml.js';

export const op = (name: string): Operation => {
  const o = OPERATIONS[name];
  if (!o) throw new Error(`no operation ${name}`);
  return o;
};
export const PA_VERIFY = op('paVerifyPaymentNotice');
export const ACTIVATE = op('activatePaymentNotice');
export const OUTCOME = op('sendPaymentOutcome');

export const FC = '77777777777';
export const NOTICE = '301000000000000042';
export const FIELDS =
  `<idPA>${FC}</idPA><idBrokerPA>15376371009</idBrokerPA><idStation>15376371009_01</idStation>` +
  `<qrCode><fiscalCode>${FC}</fiscalCode><noticeNumber>${NOTICE}</noticeNumber></qrCode>`;


export function expectOk(d: DecodeResult) {
  if (!d.ok) throw new Error(`expected a decoded message, got ${d.rule}: ${d.message}`);
  return d.msg;
}

export const verifyRequest: NodeObj = { idPA: FC, idBrokerPA: '15376371009', idStation: '15376371009_01', qrCode: { fiscalCode: FC, noticeNumber: NOTICE } };
export const verifyResponse: NodeObj = {
  outcome: 'OK',
  paymentList: { paymentOptionDescription: { amount: '30.00', options: 'EQ', dueDate: '2026-12-31', detailDescription: 'Tassa rifiuti', allCCP: 'false' } },
  paymentDescription: 'TARI 2026',
  fiscalCodePA: FC,
  companyName: 'Comune di Prova',
  officeName: 'Ufficio Tributi',
};
export const activateRequest: NodeObj = {
  idPSP: 'CLLDITMM001',
  idBrokerPSP: '99999000001',
  idChannel: '99999000001_01',
  password: 'collaudo_01',
  idempotencyKey: 'CLLDITMM001_abcdeABCDE',
  qrCode: { fiscalCode: FC, noticeNumber: NOTICE },
  expirationTime: 1_800_000,
  amount: '30.00',
};
export const activateResponse: NodeObj = {
  outcome: 'OK',
  totalAmount: '30.00',
  paymentDescription: 'TARI 2026',
  fiscalCodePA: FC,
  companyName: 'Comune di Prova',
  paymentToken: 'c110729d258c4ab1b765fe902aae41d6',
  transferList: {
    transfer: [
      { idTransfer: 1, transferAmount: '20.00', fiscalCodePA: FC, IBAN: 'IT15V0306901783100000300001', remittanceInformation: 'quota comunale' },
      { idTransfer: 2, transferAmount: '10.00', fiscalCodePA: '88888888888', IBAN: 'IT30N0103076271000001823603', remittanceInformation: 'quota provinciale' },
    ],
  },
  creditorReferenceId: '01000000000000042',
};
export const outcomeRequest: NodeObj = {
  idPSP: 'CLLDITMM001',
  idBrokerPSP: '99999000001',
  idChannel: '99999000001_01',
  password: 'collaudo_01',
  idempotencyKey: 'CLLDITMM001_abcdeABCDF',
  paymentToken: 'c110729d258c4ab1b765fe902aae41d6',
  outcome: 'OK',
  details: { paymentMethod: 'creditCard', paymentChannel: 'onLine', fee: '1.00', applicationDate: '2026-11-23', transferDate: '2026-11-24' },
};

