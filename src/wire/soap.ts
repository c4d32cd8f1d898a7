// SOAP 1.1 envelope codec (IF-X-01): decode any prefix / default namespace, validate the body's
// wrapper element against our XSD, and build envelopes with exact prefixes and unqualified children.
import { XmlElement } from 'libxml2-wasm';
import { El, NodeObj, XmlSyntaxError, XmlInput, child, parseXml, readXml, serialize, toEl } from './xml.js';
import { type AnswerStyle, type Operation, operationByElement } from './contract.js';
import { type DecodedDocument, documentLabel, validateDocuments } from './documents.js';
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
  /** the whole message's verdict: envelope (body, header, encoding) and the documents it carries */
  xsd: XsdVerdict;
  /** the envelope's own verdict (body, header, encoding), without the documents */
  envelopeXsd?: XsdVerdict;
  /** the documents carried base64-encoded in the body (its interface's DocumentRules), each decoded and validated */
  documents?: DecodedDocument[];
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
    if (opts.validate === false) return { ok: true, msg: { body, header, op: found.op, kind: found.kind, xsd: withEncoding({ valid: true, errors: [] }, input), encoding: input.encoding } };
    const envelope = withEncoding(validateEnvelope(wrapper, headerEls, found.op, found.kind), input);
    const documents = found.op.pack.documents.length ? validateDocuments(wrapper, found.op.pack.documents) : [];
    const docErrors = documents.flatMap((d) => d.xsd.errors.map((e) => `${documentLabel(d)}: ${e}`));
    const xsd = { valid: envelope.valid && docErrors.length === 0, errors: [...envelope.errors, ...docErrors] };
    return { ok: true, msg: { body, header, op: found.op, kind: found.kind, xsd, envelopeXsd: envelope, documents, encoding: input.encoding } };
  } finally {
    doc.dispose();
  }
}

/** The operation's header element among the SOAP headers (by namespace and name). */
export function headerOf<T extends { name: string }>(headers: readonly T[], op: Operation, nsOf: (h: T) => string | null): T | undefined {
  return op.header ? headers.find((h) => h.name === op.header && nsOf(h) === op.headerNs) : undefined;
}

/** The body element and the request's header element (when its operation has one), each against the operation's schema. */
function validateEnvelope(wrapper: XmlElement, headers: XmlElement[], op: Operation, kind: 'request' | 'response'): XsdVerdict {
  const errors = [...validateElement(wrapper, op.schema).errors];
  if (kind === 'request' && op.header) {
    const h = headerOf(headers, op, (e) => e.namespaceUri || null);
    if (!h) errors.push(`soapenv:Header must carry ${op.header}`);
    else errors.push(...validateElement(h, op.schema).errors.map((e) => `${op.header}: ${e}`));
  }
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
  const hp = op.headerPrefix;
  const head =
    header && op.header
      ? `<soapenv:Header><${hp}:${op.header}>${Object.entries(header)
          .flatMap(([k, v]) => serialize(k, v))
          .join('')}</${hp}:${op.header}></soapenv:Header>`
      : '<soapenv:Header/>';
  // the body's prefix, the header's and those of qualified content from other schemas
  const decl = { ...op.pack.namespaces, [hp]: op.headerNs, [op.prefix]: op.ns };
  const xmlns = Object.entries(decl)
    .map(([p, uri]) => ` xmlns:${p}="${uri}"`)
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${SOAPENV_NS}"${xmlns}>` +
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

/** The faultBean as content, in the schema's order (absent fields are omitted). */
function faultContent(fault: FaultBean): NodeObj {
  return {
    faultCode: fault.faultCode,
    faultString: fault.faultString,
    id: fault.id,
    description: fault.description,
    serial: fault.serial,
    originalFaultCode: fault.originalFaultCode,
    originalFaultString: fault.originalFaultString,
    originalDescription: fault.originalDescription,
  };
}

/**
 * A KO answer: `outcome` then the faultBean (new model), or the faultBean then `esito` (old model:
 * every answer extends `risposta`, whose optional fault comes first).
 */
export function ko(fault: FaultBean, style: AnswerStyle = 'outcome'): NodeObj {
  return style === 'esito' ? { fault: faultContent(fault), esito: 'KO' } : { outcome: 'KO', fault: faultContent(fault) };
}

/**
 * The KO answer of `op`, shaped as its schema wants it: the outcome leaf it has (esito,
 * esitoComplessivoOperazione, none), what else a KO must carry, inside the result element when
 * the response wraps one (PaPerNodo, PspPerNodo …).
 */
export function koFor(op: Operation, fault: FaultBean): NodeObj {
  let content: NodeObj;
  if (op.style !== 'esito') content = ko(fault, op.style);
  else if (op.faultInList) content = { ...(op.outcome ? { [op.outcome]: 'KO' } : {}), ...op.koContent, listaErroriRPT: { fault: faultContent(fault) } };
  else content = { fault: faultContent(fault), ...(op.outcome ? { [op.outcome]: 'KO' } : {}), ...op.koContent };
  return op.result ? { [op.result]: content } : content;
}

/** The element of an answer that carries its fault and outcome: the body, or the result it wraps. */
export function resultOf(body: El, op?: Operation): El {
  const name = op?.result ?? (op ? undefined : body.name);
  return (name && body.children.length === 1 ? child(body, name) : undefined) ?? body;
}

export function readFault(body: El, op?: Operation): FaultBean | undefined {
  const f = child(resultOf(body, op), 'fault');
  return f ? faultBeanOf(f) : op?.faultInList ? readErrorList(body, op)[0] : undefined;
}

function faultBeanOf(f: El): FaultBean {
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

/** The per-element faults of a cart's answer (listaErroriRPT: serial is the RPT's position). */
export function readErrorList(body: El, op?: Operation): FaultBean[] {
  const list = child(resultOf(body, op), 'listaErroriRPT');
  return list ? list.children.filter((c) => c.name === 'fault').map(faultBeanOf) : [];
}

/**
 * OK/KO of an answer, in either style. Without the operation, the leaf found (outcome, esito,
 * esitoComplessivoOperazione). With an old-model operation whose answer has no OK/KO leaf
 * (nodoChiediCopiaRT, lists …) or a structured esito (nodoChiediStatoRPT), a fault says KO and
 * its absence OK.
 */
export function outcomeOf(body: El, op?: Operation): string | undefined {
  const r = resultOf(body, op);
  const leaf = op?.outcome !== undefined ? (op.outcome === null ? undefined : child(r, op.outcome)) : (child(r, 'outcome') ?? child(r, 'esito') ?? child(r, 'esitoComplessivoOperazione'));
  if (leaf && leaf.children.length === 0) return leaf.text.trim();
  if (op?.style === 'esito') return child(r, 'fault') ? 'KO' : 'OK';
  return leaf?.text.trim();
}
