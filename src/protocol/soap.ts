// SOAP 1.1 envelope codec (IF-X-01): decode any prefix / default namespace, validate the body's
// wrapper element against our XSD, and build envelopes with exact prefixes and unqualified children.
import { XmlElement } from 'libxml2-wasm';
import { El, NodeObj, XmlSyntaxError, child, parseDocument, serialize, toEl } from './xml.js';
import { NS, Operation, operationByElement } from './operations.js';
import { XsdVerdict, validateElement } from './xsd.js';

export interface SoapFaultInfo {
  faultcode: string;
  faultstring: string;
}

export interface Decoded {
  /** the single element inside soapenv:Body */
  body: El;
  op?: Operation;
  kind?: 'request' | 'response';
  soapFault?: SoapFaultInfo;
  xsd: XsdVerdict;
}

export type DecodeResult = { ok: true; msg: Decoded } | { ok: false; rule: string; message: string };

export function decodeEnvelope(raw: Buffer | string, opts: { validate?: boolean } = {}): DecodeResult {
  let doc;
  try {
    doc = parseDocument(raw);
  } catch (e) {
    if (e instanceof XmlSyntaxError) return { ok: false, rule: e.rule, message: e.message };
    return { ok: false, rule: 'not-xml', message: String(e) };
  }
  try {
    const root = doc.root;
    if (root.namespaceUri !== NS.soapenv || root.name !== 'Envelope') {
      return { ok: false, rule: 'envelope', message: `root element must be {${NS.soapenv}}Envelope, found {${root.namespaceUri}}${root.name}` };
    }
    let bodyEl: XmlElement | undefined;
    for (let c = root.firstChild; c; c = c.next) {
      if (c instanceof XmlElement && c.namespaceUri === NS.soapenv && c.name === 'Body') bodyEl = c;
    }
    if (!bodyEl) return { ok: false, rule: 'envelope', message: 'soapenv:Body is missing' };
    const inner: XmlElement[] = [];
    for (let c = bodyEl.firstChild; c; c = c.next) if (c instanceof XmlElement) inner.push(c);
    if (inner.length !== 1) {
      return { ok: false, rule: 'body-count', message: `soapenv:Body must hold exactly one element, found ${inner.length}` };
    }
    const wrapper = inner[0]!;
    const body = toEl(wrapper);
    if (wrapper.namespaceUri === NS.soapenv && wrapper.name === 'Fault') {
      return {
        ok: true,
        msg: {
          body,
          soapFault: { faultcode: child(body, 'faultcode')?.text.trim() ?? '', faultstring: child(body, 'faultstring')?.text.trim() ?? '' },
          xsd: { valid: true, errors: [] },
        },
      };
    }
    const found = operationByElement(body.ns, body.name);
    if (!found) {
      return { ok: true, msg: { body, xsd: { valid: false, errors: [`unknown body element {${body.ns ?? ''}}${body.name}`] } } };
    }
    const xsd = opts.validate === false ? { valid: true, errors: [] } : validateElement(wrapper, found.op.iface);
    return { ok: true, msg: { body, op: found.op, kind: found.kind, xsd } };
  } finally {
    doc.dispose();
  }
}

export function encodeEnvelope(op: Operation, kind: 'request' | 'response', content: NodeObj): string {
  const el = kind === 'request' ? op.request : op.response;
  const inner = Object.entries(content)
    .flatMap(([k, v]) => serialize(k, v))
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${NS.soapenv}" xmlns:${op.prefix}="${NS[op.iface]}">` +
    `<soapenv:Header/><soapenv:Body><${op.prefix}:${el}>${inner}</${op.prefix}:${el}></soapenv:Body></soapenv:Envelope>`
  );
}

/** Envelope-level SOAP Fault (IF-X-09): only for messages the application cannot attribute to an operation. */
export function encodeSoapFault(faultcode: 'soapenv:Client' | 'soapenv:Server', faultstring: string): string {
  const esc = faultstring.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${NS.soapenv}"><soapenv:Body><soapenv:Fault>` +
    `<faultcode>${faultcode}</faultcode><faultstring>${esc}</faultstring>` +
    `</soapenv:Fault></soapenv:Body></soapenv:Envelope>`
  );
}

// ---------- faultBean (IF-X-10, IF-X-11, IF-X-12) ----------

export interface FaultBean {
  faultCode: string;
  faultString: string;
  id: string;
  description?: string;
  serial?: number;
  originalFaultCode?: string;
  originalFaultString?: string;
  originalDescription?: string;
}

export function ko(fault: FaultBean): NodeObj {
  return {
    outcome: 'KO',
    fault: {
      faultCode: fault.faultCode,
      faultString: fault.faultString,
      id: fault.id,
      description: fault.description,
      serial: fault.serial,
      originalFaultCode: fault.originalFaultCode,
      originalFaultString: fault.originalFaultString,
      originalDescription: fault.originalDescription,
    },
  };
}

export function readFault(body: El): FaultBean | undefined {
  const f = child(body, 'fault');
  if (!f) return undefined;
  const t = (n: string) => child(f, n)?.text.trim();
  const serial = t('serial');
  return {
    faultCode: t('faultCode') ?? '',
    faultString: t('faultString') ?? '',
    id: t('id') ?? '',
    description: t('description'),
    serial: serial === undefined ? undefined : Number(serial),
    originalFaultCode: t('originalFaultCode'),
    originalFaultString: t('originalFaultString'),
    originalDescription: t('originalDescription'),
  };
}

export function outcomeOf(body: El): string | undefined {
  return child(body, 'outcome')?.text.trim();
}
