// SOAP 1.1 envelope codec (IF-X-01): decode any prefix / default namespace, validate the body's
// wrapper element against our XSD, and build envelopes with exact prefixes and unqualified children.
import { XmlElement } from 'libxml2-wasm';
import { El, NodeObj, XmlSyntaxError, XmlInput, child, parseXml, readXml, serialize, toEl } from './xml.js';
import { type AnswerStyle, type Operation, operationByElement } from './contract.js';
import { validateDocuments } from './documents.js';
import { XsdVerdict, validateElement } from './xsd.js';

export const SOAPENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

export interface SoapFaultInfo {
  faultcode: string;
  faultstring: string;
}

export interface Decoded {
  /** the single element inside soapenv:Body */
  body: El;
  /** the elements inside soapenv:Header (old model: intestazionePPT, intestazioneCarrelloPPT) */
  header: El[];
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
  /** the operations the body may belong to (an endpoint's, or every interface's): dispatch is by element among them */
  ops?: readonly Operation[];
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
    if (root.namespaceUri !== SOAPENV_NS || root.name !== 'Envelope') {
      return { ok: false, rule: 'envelope', message: `root element must be {${SOAPENV_NS}}Envelope, found {${root.namespaceUri}}${root.name}` };
    }
    let bodyEl: XmlElement | undefined;
    let headerEl: XmlElement | undefined;
    for (let c = root.firstChild; c; c = c.next) {
      if (c instanceof XmlElement && c.namespaceUri === SOAPENV_NS && c.name === 'Body') bodyEl = c;
      if (c instanceof XmlElement && c.namespaceUri === SOAPENV_NS && c.name === 'Header') headerEl = c;
    }
    const headerEls: XmlElement[] = [];
    for (let c = headerEl?.firstChild; c; c = c.next) if (c instanceof XmlElement) headerEls.push(c);
    const header = headerEls.map(toEl);
    if (!bodyEl) return { ok: false, rule: 'envelope', message: 'soapenv:Body is missing' };
    const inner: XmlElement[] = [];
    for (let c = bodyEl.firstChild; c; c = c.next) if (c instanceof XmlElement) inner.push(c);
    if (inner.length !== 1) {
      return { ok: false, rule: 'body-count', message: `soapenv:Body must hold exactly one element, found ${inner.length}` };
    }
    const wrapper = inner[0]!;
    const body = toEl(wrapper);
    if (wrapper.namespaceUri === SOAPENV_NS && wrapper.name === 'Fault') {
      return {
        ok: true,
        msg: {
          body,
          header,
          soapFault: { faultcode: child(body, 'faultcode')?.text.trim() ?? '', faultstring: child(body, 'faultstring')?.text.trim() ?? '' },
          xsd: withEncoding({ valid: true, errors: [] }, input),
          encoding: input.encoding,
        },
      };
    }
    const found = operationByElement(opts.ops ?? [], body.ns, body.name);
    if (!found) {
      return { ok: true, msg: { body, header, xsd: withEncoding({ valid: false, errors: [`unknown body element {${body.ns ?? ''}}${body.name}`] }, input), encoding: input.encoding } };
    }
    const xsd = opts.validate === false ? { valid: true, errors: [] } : validateMessage(wrapper, headerEls, found.op, found.kind);
    return { ok: true, msg: { body, header, op: found.op, kind: found.kind, xsd: withEncoding(xsd, input), encoding: input.encoding } };
  } finally {
    doc.dispose();
  }
}

/** The body element, the request's header element (when its operation has one) and every document
 *  carried base64-encoded inside the body, each against its own schema. */
function validateMessage(wrapper: XmlElement, headers: XmlElement[], op: Operation, kind: 'request' | 'response'): XsdVerdict {
  const errors = [...validateElement(wrapper, op.schema).errors];
  if (kind === 'request' && op.header) {
    const h = headers.find((e) => e.name === op.header);
    if (!h) errors.push(`soapenv:Header must carry ${op.header}`);
    else errors.push(...validateElement(h, op.schema).errors.map((e) => `${op.header}: ${e}`));
  }
  if (op.pack.documents.length) errors.push(...validateDocuments(wrapper, op.pack.documents).flatMap((d) => d.xsd.errors.map((e) => `${d.name}: ${e}`)));
  return { valid: errors.length === 0, errors };
}

/**
 * An encoding we do not accept makes the message syntactically wrong beyond the schema: it is added to
 * the verdict, so each receiver answers its own syntax fault (PAA_/PPT_/CANALE_SINTASSI_EXTRAXSD, as
 * for a schema violation) naming the operation, even when schema validation was not asked for.
 */
function withEncoding(xsd: XsdVerdict, input: XmlInput): XsdVerdict {
  return input.refusal ? { valid: false, errors: [input.refusal, ...xsd.errors] } : xsd;
}

/** An envelope for `op`; `header` is the content of the operation's header element (old model). */
export function encodeEnvelope(op: Operation, kind: 'request' | 'response', content: NodeObj, header?: NodeObj): string {
  const el = kind === 'request' ? op.request : op.response;
  const inner = Object.entries(content)
    .flatMap(([k, v]) => serialize(k, v))
    .join('');
  const head =
    header && op.header
      ? `<soapenv:Header><${op.prefix}:${op.header}>${Object.entries(header)
          .flatMap(([k, v]) => serialize(k, v))
          .join('')}</${op.prefix}:${op.header}></soapenv:Header>`
      : '<soapenv:Header/>';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${SOAPENV_NS}" xmlns:${op.prefix}="${op.ns}">` +
    `${head}<soapenv:Body><${op.prefix}:${el}>${inner}</${op.prefix}:${el}></soapenv:Body></soapenv:Envelope>`
  );
}

/** Envelope-level SOAP Fault (IF-X-09): only for messages the application cannot attribute to an operation. */
export function encodeSoapFault(faultcode: 'soapenv:Client' | 'soapenv:Server', faultstring: string): string {
  const esc = faultstring.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${SOAPENV_NS}"><soapenv:Body><soapenv:Fault>` +
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

/** A KO answer: `outcome` (new model) or `esito` (old model) + the faultBean. */
export function ko(fault: FaultBean, style: AnswerStyle = 'outcome'): NodeObj {
  return {
    [style]: 'KO',
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

/** OK/KO of an answer, in either style. */
export function outcomeOf(body: El): string | undefined {
  return (child(body, 'outcome') ?? child(body, 'esito'))?.text.trim();
}
