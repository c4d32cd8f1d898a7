// The SOAP form of a reporting flow: the document FlussoRiversamento (interfaces/fdr/FlussoRiversamento.xsd),
// carried base64 by nodoInviaFlussoRendicontazione and nodoChiediFlussoRendicontazione in both models.
// flowXml / flowXmlChunks write it from the model-neutral ReportingFlow; readFlow reads it back, the
// schema judging the syntax and flowProblems the rules the schema cannot say (totals, uniqueness,
// identifier layout, codes beyond the 1.0.4 snapshot).
//
// Field mapping (the official fdr_psp.json names the SOAP tag of every REST field):
//   indiceDatiSingoloPagamento ↔ FlowLine.idTransfer (1..5); FlowLine.index has no SOAP field: the
//   reader sets it to the line's position (1-based), the writer ignores it.
//   identificativoDominio / identificativoPSP / identificativoIntermediarioPSP / identificativoCanale
//   are SOAP parameters, not document fields: give them to readFlow as its envelope.
import { XmlSyntaxError, escapeXml, parseDocument } from '../../src/wire/xml.js';
import { validateElement } from '../../src/wire/xsd.js';
import { FLOW_NS, FLOW_ROOT, FLOW_SCHEMA_FILE, type FlowEnvelope, type FlowReading, lineLocator, readValid, rootProblem, schemaProblem, signedAmount, validReading, xmlProblem } from './document-read.js';
import { type ChunkOptions, Unsplittable, chunkedRead } from './document-stream.js';
import type { FlowLine, FlowOutcomeCode, ReportingFlow } from './types.js';

export { FLOW_NS, FLOW_ROOT, FLOW_SCHEMA_FILE, type FlowEnvelope, type FlowProblem, type FlowReading, flowProblems, schemaProblem } from './document-read.js';
export { type ChunkOptions, DEFAULT_LINES_PER_CHUNK } from './document-stream.js';

/** The flow without its lines: what the streamed writer needs up front. */
export type FlowHeader = Omit<ReportingFlow, 'lines'>;

export interface FlowXmlOptions {
  /** versioneOggetto: '1.0' (default) or '1.1' */
  version?: '1.0' | '1.1';
  /**
   * 'as-is' (default) writes every code, 4 and 8 included: the catalogue reads the 1.0.4 snapshot's
   * 0/3/9 as outdated and accepts SOAP flows with 4/8 (NM-A-24). 'snapshot' maps 4 → 0 (paid, a
   * receipt exists) and 8 → 9 (collected without receipt) for a receiver that holds to the snapshot.
   */
  codes?: 'as-is' | 'snapshot';
  /** lines per chunk of flowXmlChunks (default 1000) */
  linesPerChunk?: number;
}

/** 4 → 0 and 8 → 9: the nearest code of the 1.0.4 snapshot (NM-A-24 meanings). */
export function snapshotOutcomeCode(code: FlowOutcomeCode): FlowOutcomeCode {
  return code === '4' ? '0' : code === '8' ? '9' : code;
}

const MARKUP = /[&<>"]/;
// most values need no escaping: skip the four replacements (700,000 leaves in a 100k-line flow)
const text = (v: string | number): string => (typeof v === 'number' || !MARKUP.test(v) ? String(v) : escapeXml(v));
const leaf = (name: string, value: string | number): string => `<${name}>${text(value)}</${name}>`;
// faithful on purpose: a negative amount is written with its sign, which the schema refuses
const amount = signedAmount;

function headerXml(flow: FlowHeader, o: FlowXmlOptions): string {
  const s = flow.sender;
  const r = flow.receiver;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<${FLOW_ROOT} xmlns="${FLOW_NS}">`,
    leaf('versioneOggetto', o.version ?? '1.0'),
    leaf('identificativoFlusso', flow.flowId),
    leaf('dataOraFlusso', flow.flowDate),
    leaf('identificativoUnivocoRegolamento', flow.regulationId),
    leaf('dataRegolamento', flow.regulationDate),
    `<istitutoMittente><identificativoUnivocoMittente>${leaf('tipoIdentificativoUnivoco', s.idType ?? 'B')}${leaf('codiceIdentificativoUnivoco', s.id)}</identificativoUnivocoMittente>${s.name !== undefined ? leaf('denominazioneMittente', s.name) : ''}</istitutoMittente>`,
    ...(flow.bicCodePouringBank !== undefined ? [leaf('codiceBicBancaDiRiversamento', flow.bicCodePouringBank)] : []),
    `<istitutoRicevente><identificativoUnivocoRicevente>${leaf('tipoIdentificativoUnivoco', r.idType ?? 'G')}${leaf('codiceIdentificativoUnivoco', r.id)}</identificativoUnivocoRicevente>${r.name !== undefined ? leaf('denominazioneRicevente', r.name) : ''}</istitutoRicevente>`,
    leaf('numeroTotalePagamenti', flow.totalCount),
    leaf('importoTotalePagamenti', amount(flow.totalCents)),
    '',
  ].join('\n');
}

function lineXml(l: FlowLine, snapshot: boolean): string {
  return (
    '<datiSingoliPagamenti>' +
    leaf('identificativoUnivocoVersamento', l.iuv) +
    leaf('identificativoUnivocoRiscossione', l.iur) +
    (l.idTransfer !== undefined ? leaf('indiceDatiSingoloPagamento', l.idTransfer) : '') +
    leaf('singoloImportoPagato', amount(l.amountCents)) +
    leaf('codiceEsitoSingoloPagamento', snapshot ? snapshotOutcomeCode(l.outcomeCode) : l.outcomeCode) +
    leaf('dataEsitoSingoloPagamento', l.date) +
    '</datiSingoliPagamenti>\n'
  );
}

/**
 * The document in chunks, lines read lazily from `lines` (an array or a generator): a flow of 100,000
 * lines is written without holding its text or its lines. The chunks joined equal flowXml's text.
 * No facet is checked: the harness also writes the wrong documents a negative scenario sends.
 */
export function* flowXmlChunks(header: FlowHeader, lines: Iterable<FlowLine>, options: FlowXmlOptions = {}): Generator<string> {
  const snapshot = options.codes === 'snapshot';
  const per = Math.max(1, options.linesPerChunk ?? 1000);
  yield headerXml(header, options);
  let batch = '';
  let n = 0;
  for (const l of lines) {
    batch += lineXml(l, snapshot);
    if (++n === per) {
      yield batch;
      batch = '';
      n = 0;
    }
  }
  yield `${batch}</${FLOW_ROOT}>\n`;
}

/** The document of a flow (UTF-8 text with its declaration), fields in schema order. */
export function flowXml(flow: ReportingFlow, options: FlowXmlOptions = {}): string {
  let out = '';
  for (const c of flowXmlChunks(flow, flow.lines, options)) out += c;
  return out;
}

// ---------- reading ----------

export interface ReadOptions extends ChunkOptions {
  /** documents over this many bytes are validated and read in chunks of lines (default 2 MiB) */
  chunkAbove?: number;
}
const CHUNK_ABOVE = 2 * 2 ** 20;

/** The whole document parsed, validated and read at once. */
function readWhole(xml: string | Buffer, envelope: FlowEnvelope): FlowReading {
  let doc;
  try {
    doc = parseDocument(xml);
  } catch (e) {
    return { ok: false, problems: [xmlProblem(e instanceof XmlSyntaxError ? e.rule : 'not-xml', (e as Error).message)] };
  }
  try {
    const bad = rootProblem(doc.root);
    if (bad) return { ok: false, problems: [bad] };
    const v = validateElement(doc.root, FLOW_SCHEMA_FILE);
    if (!v.valid) {
      const { at } = lineLocator(doc.root);
      return { ok: false, problems: v.errors.map((e) => schemaProblem(e, at)) };
    }
    const { flow, version } = readValid(doc.root, envelope);
    return validReading(flow, version);
  } finally {
    doc.dispose();
  }
}

/**
 * Reads a FlussoRiversamento document (the decoded bytes or text of xmlRendicontazione). Parsing is
 * the safe one of every message (no DTD, no entities); the schema is ours. A large document is cut
 * into chunks of whole lines, each validated and read on its own (document-stream.ts), so memory stays
 * bounded; the reading is the same as the whole document's.
 */
export function readFlow(xml: string | Buffer, envelope: FlowEnvelope = {}, options: ReadOptions = {}): FlowReading {
  const size = typeof xml === 'string' ? xml.length : xml.byteLength;
  if (size <= (options.chunkAbove ?? CHUNK_ABOVE)) return readWhole(xml, envelope);
  const read = chunkedRead(envelope, options);
  try {
    read.splitter.push(xml);
    read.splitter.end();
  } catch (e) {
    if (e instanceof Unsplittable) return readWhole(xml, envelope);
    throw e;
  }
  return read.result();
}

/**
 * Reads a document arriving in pieces (a file's read stream, flowXmlChunks' output), holding one chunk
 * of lines at a time besides the lines read. A document that cannot be cut (a DOCTYPE, another encoding
 * than UTF-8, no line) is gathered and read whole; one that breaks off is refused as not well-formed.
 */
export async function readFlowStream(source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, envelope: FlowEnvelope = {}, options: ChunkOptions = {}): Promise<FlowReading> {
  const read = chunkedRead(envelope, options);
  const it = (Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]()) as AsyncIterator<Uint8Array | string> | Iterator<Uint8Array | string>;
  const rest: Buffer[] = [];
  let whole = false;
  for (let r = await it.next(); !r.done; r = await it.next()) {
    if (whole) {
      rest.push(typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : Buffer.from(r.value));
      continue;
    }
    try {
      read.splitter.push(r.value);
    } catch (e) {
      if (!(e instanceof Unsplittable)) throw e;
      if (!e.recoverable) return { ok: false, problems: [xmlProblem('not-xml', `not well-formed XML: ${e.message}`)] };
      whole = true;
      rest.push(Buffer.from(read.splitter.held()));
    }
  }
  if (whole) return readWhole(Buffer.concat(rest), envelope);
  try {
    read.splitter.end();
  } catch (e) {
    if (!(e instanceof Unsplittable)) throw e;
    if (!e.recoverable) return { ok: false, problems: [xmlProblem('not-xml', `not well-formed XML: ${e.message}`)] };
    return readWhole(Buffer.from(read.splitter.held()), envelope);
  }
  return read.result();
}
