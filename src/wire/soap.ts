// SOAP 1.1 envelope codec (IF-X-01): decode any prefix / default namespace, validate the body's
// wrapper element against our XSD, and build envelopes with exact prefixes and unqualified children.
import { XmlElement } from 'libxml2-wasm';
import { El, NodeObj, XmlSyntaxError, XmlInput, child, parseXml, readXml, serialize, toEl } from './xml.js';
import { NS, Operation, operationByElement } from '../../interfaces/index.js';
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
  /** the character encoding the message was read in (decided once from its bytes) */
  encoding?: string;
}

export type DecodeResult = { ok: true; msg: Decoded } | { ok: false; rule: string; message: string };

export interface DecodeOptions {
  validate?: boolean;
  /** the HTTP Content-Type the bytes came with: its charset takes part in the encoding decision */
  contentType?: string;
}

/**
 * Decodes the bytes of a message once (xml.ts readXml) and returns both the characters, for the
 * journal and the handlers, and the decoded envelope. Servers and clients pass what came off the wire.
 */
export function decodeMessage(bytes: Buffer, opts: DecodeOptions = {}): { text: string; decoded: DecodeResult } {
  let input: XmlInput;
  try {
    input = readXml(bytes, opts.contentType);
  } catch (e) {
    const rule = e instanceof XmlSyntaxError ? e.rule : 'not-xml';
    // undecodable bytes: show them as Latin-1 so that the journal keeps every byte visible
    return { text: bytes.toString('latin1'), decoded: { ok: false, rule, message: (e as Error).message } };
  }
  return { text: input.text, decoded: decodeInput(input, opts) };
}

export function decodeEnvelope(raw: Buffer | string, opts: DecodeOptions = {}): DecodeResult {
  let input: XmlInput;
  try {
    input = readXml(raw, opts.contentType);
  } catch (e) {
    return { ok: false, rule: e instanceof XmlSyntaxError ? e.rule : 'not-xml', message: (e as Error).message };
  }
  return decodeInput(input, opts);
}

function decodeInput(input: XmlInput, opts: DecodeOptions): DecodeResult {
  let doc;
  try {
    doc = parseXml(input);
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
          xsd: withEncoding({ valid: true, errors: [] }, input),
          encoding: input.encoding,
        },
      };
    }
    const found = operationByElement(body.ns, body.name);
    if (!found) {
      return { ok: true, msg: { body, xsd: withEncoding({ valid: false, errors: [`unknown body element {${body.ns ?? ''}}${body.name}`] }, input), encoding: input.encoding } };
    }
    const xsd = opts.validate === false ? { valid: true, errors: [] } : validateElement(wrapper, found.op.iface);
    return { ok: true, msg: { body, op: found.op, kind: found.kind, xsd: withEncoding(xsd, input), encoding: input.encoding } };
  } finally {
    doc.dispose();
  }
}

/**
 * An encoding we do not accept makes the message syntactically wrong beyond the schema: it is added to
 * the verdict, so each receiver answers its own syntax fault (PAA_/PPT_/CANALE_SINTASSI_EXTRAXSD, as
 * for a schema violation) naming the operation, even when schema validation was not asked for.
 */
function withEncoding(xsd: XsdVerdict, input: XmlInput): XsdVerdict {
  return input.refusal ? { valid: false, errors: [input.refusal, ...xsd.errors] } : xsd;
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
