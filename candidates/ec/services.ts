// The reference EC's tiny catalogue of spontaneous services (paDemandPaymentNotice,
// IF-paDemandPaymentNotice, NM-SPONT-*). Each service reads its datiSpecificiServizioRequest: the
// base64 of an XML document of the service's schema (the structures of the published catalogue
// schemas TassaAutomobilistica_1_1_0 and D847_Pesca_1_0_0, checked here in code).
import { El, XmlSyntaxError, child, parseDocument, toEl } from '../../src/wire/xml.js';
import type { Cents, Subject } from '../../domain/common.js';
import { EXEMPT_PLATE, PESCA_NS, TASSA_AUTO_NS, UNKNOWN_PLATE } from '../../domain/services.js';

export { EXEMPT_PLATE, UNKNOWN_PLATE, pescaData, tassaAutoData } from '../../domain/services.js';

/** The service data did not decode, parse or match the service schema → PAA_SINTASSI_XSD. */
export class ServiceDataError extends Error {}
/** The data is well formed but refers to nothing the EC can charge → PAA_PAGAMENTO_SCONOSCIUTO. */
export class NothingToPayError extends Error {}
/** The data is well formed but not acceptable (e.g. an exempt subject) → PAA_SEMANTICA. */
export class NotAcceptableError extends Error {}

export interface DemandQuote {
  /** identifies the debt: a second demand for the same key returns the same notice */
  key: string;
  amount: Cents;
  description: string;
  transferCategory: string;
  debtor: Subject;
}

export interface DemandService {
  idServizio: string;
  idSoggettoServizio: string;
  name: string;
  /** root element of the service data */
  namespace: string;
  root: string;
  quote(data: El): DemandQuote;
}

const ANONIMO: Subject = { type: 'F', id: 'ANONIMO', fullName: 'ANONIMO' };

function req(el: El | undefined, name: string, ns: string): El {
  const c = el?.children.find((x) => x.name === name);
  if (!c) throw new ServiceDataError(`element ${name} is missing in ${el?.name ?? 'service data'}`);
  if (c.ns !== ns) throw new ServiceDataError(`element ${name} must be in namespace ${ns}, found ${c.ns ?? 'no namespace'}`);
  return c;
}
function onlyChildren(el: El, allowed: string[]): void {
  for (const c of el.children) if (!allowed.includes(c.name)) throw new ServiceDataError(`unexpected element ${c.name} in ${el.name}`);
}
function textLen(el: El, min: number, max: number): string {
  const t = el.text.trim();
  if (t.length < min || t.length > max) throw new ServiceDataError(`${el.name} must be ${min}..${max} characters, found ${t.length}`);
  return t;
}

/** Annual car tax by vehicle kind (1 = car, 2 = trailer, 4 = motorcycle), in cents. */
const CAR_TAX: Record<string, { amount: Cents; label: string }> = {
  '1': { amount: 21235, label: 'autoveicolo' },
  '2': { amount: 4000, label: 'rimorchio' },
  '4': { amount: 2500, label: 'motoveicolo' },
};

export function defaultServices(): DemandService[] {
  return [
    {
      idServizio: '00001',
      idSoggettoServizio: '00001',
      name: 'Tassa automobilistica',
      namespace: TASSA_AUTO_NS,
      root: 'tassaAuto',
      quote(data) {
        onlyChildren(data, ['veicoloConTarga']);
        const v = req(data, 'veicoloConTarga', TASSA_AUTO_NS);
        onlyChildren(v, ['tipoVeicoloTarga', 'veicoloTarga']);
        const kind = req(v, 'tipoVeicoloTarga', TASSA_AUTO_NS).text.trim();
        const tariff = CAR_TAX[kind];
        if (!tariff) throw new ServiceDataError(`tipoVeicoloTarga must be one of 1, 2, 4, found "${kind}"`);
        const plate = textLen(req(v, 'veicoloTarga', TASSA_AUTO_NS), 7, 8).toUpperCase();
        if (plate === UNKNOWN_PLATE) throw new NothingToPayError(`no vehicle with plate ${plate} is registered for this tax`);
        if (plate === EXEMPT_PLATE) throw new NotAcceptableError(`vehicle ${plate} is exempt from the car tax`);
        return {
          key: `tassaAuto|${kind}|${plate}`,
          amount: tariff.amount,
          description: `Tassa automobilistica ${tariff.label} targa ${plate}`,
          transferCategory: '0201125TS',
          debtor: ANONIMO,
        };
      },
    },
    {
      idServizio: '00002',
      idSoggettoServizio: '00002',
      name: 'Canone licenza di pesca (D847)',
      namespace: PESCA_NS,
      root: 'praticaPagamentoCanoni',
      quote(data) {
        onlyChildren(data, ['codicePratica', 'pagatore', 'intestatario', 'note']);
        const code = req(data, 'codicePratica', PESCA_NS).text.trim();
        if (code !== 'D847') throw new ServiceDataError(`codicePratica is fixed to D847, found "${code}"`);
        const payer = req(data, 'pagatore', PESCA_NS);
        const cf = req(payer, 'codiceFiscalePagatore', PESCA_NS).text.trim();
        const name = textLen(req(payer, 'denominazionePagatore', PESCA_NS), 1, 50);
        const holder = req(data, 'intestatario', PESCA_NS);
        const holderCf = req(holder, 'codiceFiscaleIntestatario', PESCA_NS).text.trim();
        textLen(req(holder, 'denominazioneIntestatario', PESCA_NS), 1, 50);
        const note = child(data, 'note');
        if (note) textLen(req(note, 'note', PESCA_NS), 1, 40);
        const id = cf.length >= 2 && cf.length <= 16 ? cf.toUpperCase() : 'ANONIMO';
        return {
          key: `pesca|${holderCf.toUpperCase()}`,
          amount: 3400,
          description: `Canone licenza di pesca intestatario ${holderCf.toUpperCase()}`.slice(0, 140),
          transferCategory: '0101160TS',
          debtor: { type: id.length === 16 ? 'F' : 'G', id, fullName: name.slice(0, 70) },
        };
      },
    },
  ];
}

/** Strict base64 (the lexical space of xs:base64Binary, whitespace allowed). */
export function decodeBase64Strict(s: string): Buffer {
  const compact = s.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw new ServiceDataError('datiSpecificiServizioRequest is not valid base64');
  }
  return Buffer.from(compact, 'base64');
}

/** Decodes and parses service data, whatever the service (its root element says which); `element` names the carrier in errors. */
export function parseServiceData(b64: string, element = 'datiSpecificiServizioRequest'): El {
  const bytes = decodeBase64Strict(b64);
  let doc;
  try {
    doc = parseDocument(bytes);
  } catch (e) {
    throw new ServiceDataError(`${element}: ${e instanceof XmlSyntaxError ? e.message : String(e)}`);
  }
  try {
    return toEl(doc.root);
  } finally {
    doc.dispose();
  }
}

/** Decodes and parses the service data; checks its root element. */
export function readServiceData(service: DemandService, b64: string): El {
  const root = parseServiceData(b64);
  if (root.ns !== service.namespace || root.name !== service.root) {
    throw new ServiceDataError(`service ${service.idServizio} expects {${service.namespace}}${service.root}, found {${root.ns ?? ''}}${root.name}`);
  }
  return root;
}
