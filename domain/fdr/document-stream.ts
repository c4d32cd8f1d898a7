// Reading a large FlussoRiversamento in chunks. A 100,000-line flow is about 44 MB of XML; parsed whole,
// libxml2-wasm holds the text and its tree in its heap (which never shrinks) on top of the ~220 MB a
// process with the compiled libxml2 module already uses, well past the 300 MB budget (issue 12, Deliver
// 5). So the bytes are cut, as they arrive, at line boundaries: each chunk is the document's own prefix
// (prolog, root start tag and header, up to the first datiSingoliPagamenti) + up to k whole lines + the
// root's end tag, validated against the same schema and read with the same reader.
// Why this equals validating the whole: the schema is header-sequence then datiSingoliPagamenti+, with
// no identity constraint across lines, so prefix+S1 … prefix+Sn all valid ⇔ prefix+S1+…+Sn valid
// (the prefix ends right before the first line, so a valid chunk proves the prefix is the whole header
// and each Si is lines only). Error lines are mapped back to the document's lines.
import { parseDocument, XmlSyntaxError } from '../../src/wire/xml.js';
import { validateElement } from '../../src/wire/xsd.js';
import {
  FLOW_LINE,
  FLOW_SCHEMA_FILE,
  type FlowEnvelope,
  type FlowProblem,
  type FlowReading,
  elements,
  lineLocator,
  readLine,
  readValid,
  rootProblem,
  schemaProblem,
  validReading,
  xmlProblem,
} from './document-read.js';
import type { FlowLine, ReportingFlow } from './types.js';

/** The bytes cannot be cut safely (DOCTYPE, an encoding other than UTF-8, no line …): read them whole. */
export class Unsplittable extends Error {
  constructor(
    message: string,
    /** true before the first line: every byte is still held, so the whole-document reader can take over */
    readonly recoverable: boolean,
  ) {
    super(message);
  }
}

const LT = 0x3c;
const GT = 0x3e;
const NL = 0x0a;
const localName = (q: string) => q.slice(q.indexOf(':') + 1);
const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === NL || b === 0x0d;

/** The end of the first `s` from `from`, or -1. */
function until(b: Buffer, s: string, from: number): number {
  const i = b.indexOf(s, from, 'latin1');
  return i === -1 ? -1 : i + s.length;
}

function countLines(b: Uint8Array): number {
  let n = 0;
  for (let i = b.indexOf(NL); i !== -1; i = b.indexOf(NL, i + 1)) n++;
  return n;
}

/** A cut: the bytes of up to k whole lines (the last also holding what follows them up to the root's end tag), and the line it starts on. */
export interface FlowSegment {
  bytes: Buffer;
  /** 1-based line of the document where the segment starts */
  line: number;
}

/**
 * Cuts a document's bytes, pushed piece by piece, into its prefix and segments of at most `k` lines,
 * holding only the bytes of the segment being filled. Markup is recognised byte by byte (UTF-8 keeps
 * every markup character a single byte): comments, CDATA, processing instructions, quoted attribute
 * values. It checks only what it needs to cut; the parser and the schema judge the rest, per chunk.
 */
export class FlowSplitter {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private cut = 0;
  private depth = 0;
  private phase: 'prolog' | 'header' | 'lines' | 'epilog' = 'prolog';
  private count = 0;
  private line = 1;
  /** everything before the first line */
  prefix?: Buffer;
  /** the root's qualified name, for the chunks' end tag */
  rootName = '';

  constructor(
    private readonly k: number,
    private readonly onSegment: (s: FlowSegment) => void,
  ) {}

  /** every byte pushed so far, while none was dropped (before the first line) */
  held(): Buffer {
    return this.buf;
  }

  push(piece: Uint8Array | string): void {
    const add = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    if (this.phase === 'lines' || this.phase === 'epilog') {
      // drop what was emitted; keep the open segment
      const rest = this.buf.subarray(this.cut);
      this.buf = rest.length ? Buffer.concat([rest, add]) : add;
      this.pos -= this.cut;
      this.cut = 0;
    } else {
      this.buf = this.buf.length ? Buffer.concat([this.buf, add]) : add;
    }
    this.scan(false);
  }

  end(): void {
    this.scan(true);
    if (this.phase !== 'epilog') throw new Unsplittable(`the document ends inside ${this.phase === 'prolog' ? 'its prolog' : 'its root element'}`, this.phase !== 'lines');
  }

  private fail(message: string): never {
    throw new Unsplittable(message, this.phase === 'prolog' || this.phase === 'header');
  }

  private emit(to: number): void {
    const bytes = Buffer.from(this.buf.subarray(this.cut, to));
    this.onSegment({ bytes, line: this.line });
    this.line += countLines(bytes);
    this.cut = to;
  }

  // what markupEnd found (fields, not an object: 1.4 million tags in a 100k-line flow)
  private kind: 'start' | 'end' | 'other' = 'other';
  private selfClosing = false;

  /** The end (exclusive) of the markup starting at `p`, or -1 when more bytes are needed; sets kind and selfClosing. */
  private markupEnd(p: number, last: boolean): number {
    const b = this.buf;
    const n = b.length;
    if (n - p < 9 && !last) return -1;
    const c1 = b[p + 1];
    this.kind = 'other';
    this.selfClosing = false;
    if (c1 === 0x21 /* ! */) {
      if (b[p + 2] === 0x2d && b[p + 3] === 0x2d) return until(b, '-->', p + 4);
      if (b.toString('latin1', p, p + 9) === '<![CDATA[') {
        if (this.depth < 1) this.fail('CDATA outside the root element');
        return until(b, ']]>', p + 9);
      }
      this.fail('a DOCTYPE or another declaration');
    }
    if (c1 === 0x3f /* ? */) {
      const end = until(b, '?>', p + 2);
      if (end !== -1 && this.phase === 'prolog' && b.toString('latin1', p, p + 5) === '<?xml') {
        const enc = /\bencoding\s*=\s*["']([^"']*)["']/.exec(b.toString('latin1', p, end))?.[1];
        if (enc && !/^utf-?8$/i.test(enc)) this.fail(`encoding ${enc}: only UTF-8 is cut in chunks`);
      }
      return end;
    }
    let j = p + 1;
    if (c1 === 0x2f /* / */) {
      while (j < n && b[j] !== GT) j++;
      if (j >= n) return -1;
      this.kind = 'end';
      return j + 1;
    }
    // a start tag: its '>' outside quoted attribute values
    for (; j < n; j++) {
      const c = b[j];
      if (c === GT) break;
      if (c === 0x22 || c === 0x27) {
        j++;
        while (j < n && b[j] !== c) j++;
      }
    }
    if (j >= n) return -1;
    this.kind = 'start';
    this.selfClosing = b[j - 1] === 0x2f;
    return j + 1;
  }

  /** The qualified name of the tag at `p` (after '<' or '</'). */
  private nameAt(p: number): string {
    const b = this.buf;
    let s = p + 1;
    if (b[s] === 0x2f) s++;
    let n = s;
    while (n < b.length && !isSpace(b[n]!) && b[n] !== 0x2f && b[n] !== GT) n++;
    return b.toString('utf8', s, n);
  }

  private scan(last: boolean): void {
    const b = this.buf;
    if (this.phase === 'prolog' && this.pos === 0 && b.length >= 2) {
      if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) this.fail('UTF-16: only UTF-8 is cut in chunks');
      if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) this.pos = 3;
    }
    const n = b.length;
    while (this.pos < n) {
      let lt = this.pos;
      if (this.depth === 0) {
        for (; lt < n && b[lt] !== LT; lt++) if (!isSpace(b[lt]!)) this.fail(this.phase === 'epilog' ? 'text after the root element' : 'text before the root element');
      } else while (lt < n && b[lt] !== LT) lt++;
      this.pos = lt;
      if (lt === n) return;
      const end = this.markupEnd(lt, last);
      if (end === -1) return;
      if (this.kind === 'start') {
        if (this.phase === 'epilog') this.fail('a second root element');
        if (this.phase === 'prolog') {
          if (this.selfClosing) this.fail('an empty root element');
          this.phase = 'header';
          this.rootName = this.nameAt(lt);
        } else if (this.depth === 1 && this.phase === 'header' && localName(this.nameAt(lt)) === FLOW_LINE) {
          this.prefix = Buffer.from(b.subarray(0, lt));
          this.line = 1 + countLines(this.prefix);
          this.cut = lt;
          this.phase = 'lines';
        } else if (this.depth === 1 && this.phase === 'lines' && this.count >= this.k) {
          this.emit(lt);
          this.count = 0;
        }
        if (!this.selfClosing) this.depth++;
        else if (this.depth === 1 && this.phase === 'lines') this.count++;
      } else if (this.kind === 'end') {
        this.depth--;
        if (this.depth < 0) this.fail(`an end tag </${this.nameAt(lt)}> with no element open`);
        if (this.depth === 1 && this.phase === 'lines') this.count++;
        if (this.depth === 0) {
          if (this.phase !== 'lines') this.fail('no datiSingoliPagamenti');
          const name = this.nameAt(lt);
          if (name !== this.rootName) this.fail(`the root ${this.rootName} closes as </${name}>`);
          this.emit(lt);
          this.phase = 'epilog';
        }
      }
      this.pos = end;
    }
  }
}

/** Validates and reads the chunks one by one; lines from all, the header from the first. */
class ChunkReader {
  readonly problems: FlowProblem[] = [];
  private head?: { flow: ReportingFlow; version: string };
  private readonly lines: FlowLine[] = [];
  private failed = false;
  private xmlFailed = false;
  private first = true;
  /** line elements in the chunks before this one (valid or not), to number the lines errors fall in */
  private seen = 0;

  constructor(
    private readonly envelope: FlowEnvelope,
    private readonly splitter: FlowSplitter,
  ) {}

  /** The document's line of a chunk's line (the prefix keeps its own lines). */
  private remap(message: string, headLine: number, segLine: number): { message: string; inPrefix: boolean } {
    let inPrefix = false;
    const out = message.replace(/\bline (\d+)/g, (_m, n: string) => {
      const l = Number(n);
      if (l < headLine) {
        inPrefix = true;
        return `line ${l}`;
      }
      return `line ${l - headLine + segLine}`;
    });
    return { message: out, inPrefix };
  }

  segment(s: FlowSegment): void {
    if (this.xmlFailed) return;
    const prefix = this.splitter.prefix!;
    const headLine = 1 + countLines(prefix);
    const first = this.first;
    this.first = false;
    let doc;
    try {
      doc = parseDocument(Buffer.concat([prefix, s.bytes, Buffer.from(`</${this.splitter.rootName}>`, 'utf8')]));
    } catch (e) {
      this.xmlFailed = this.failed = true;
      this.problems.push(xmlProblem(e instanceof XmlSyntaxError ? e.rule : 'not-xml', this.remap((e as Error).message, headLine, s.line).message));
      return;
    }
    try {
      if (first) {
        const bad = rootProblem(doc.root);
        if (bad) {
          this.xmlFailed = this.failed = true;
          this.problems.push(bad);
          return;
        }
      }
      const v = validateElement(doc.root, FLOW_SCHEMA_FILE);
      if (!v.valid || this.failed) {
        const loc = lineLocator(doc.root, this.seen + 1, (l) => (l < headLine ? l : l - headLine + s.line));
        this.seen += loc.count;
        this.failed = true;
        for (const err of v.errors) {
          const r = this.remap(err, headLine, s.line);
          if (first || !r.inPrefix) this.problems.push(schemaProblem(r.message, loc.at));
        }
        return;
      }
      if (first) {
        this.head = readValid(doc.root, this.envelope);
        for (const l of this.head.flow.lines) this.lines.push(l);
      } else {
        for (const c of elements(doc.root)) if (c.name === FLOW_LINE) this.lines.push(readLine(c, this.lines.length + 1));
      }
      this.seen = this.lines.length;
    } finally {
      doc.dispose();
    }
  }

  reading(): FlowReading {
    if (this.failed || !this.head) return { ok: false, problems: this.problems };
    return validReading({ ...this.head.flow, lines: this.lines }, this.head.version);
  }
}

export interface ChunkOptions {
  /** lines per chunk (default 1000: the libxml2 heap, which never shrinks, holds one chunk of about 460 KB) */
  linesPerChunk?: number;
}
export const DEFAULT_LINES_PER_CHUNK = 1000;

/** A chunked read in progress: push pieces, then end. Throws Unsplittable when it must be read whole. */
export function chunkedRead(envelope: FlowEnvelope, options: ChunkOptions = {}): { splitter: FlowSplitter; result: () => FlowReading } {
  let reader: ChunkReader | undefined;
  const splitter = new FlowSplitter(Math.max(1, options.linesPerChunk ?? DEFAULT_LINES_PER_CHUNK), (s) => reader!.segment(s));
  reader = new ChunkReader(envelope, splitter);
  return { splitter, result: () => reader.reading() };
}
