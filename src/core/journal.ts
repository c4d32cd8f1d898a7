// The harness's "Giornale degli Eventi": every exchange seen or made, in order, with raw bytes,
// parsed view, XSD verdict, latency and correlation keys. It is the single source of evidence.
import type { XsdVerdict } from '../wire/xsd.js';
import type { Clock } from './clock.js';

/** Keys that follow one payment across messages; each interface says which elements carry them. */
export interface Correlation {
  [key: string]: string | undefined;
  noticeNumber?: string;
  fiscalCode?: string;
  paymentToken?: string;
  creditorReferenceId?: string;
  idempotencyKey?: string;
}

export interface JournalEntry {
  seq: number;
  /** exchange number: a request and its response share it */
  exchange: number;
  direction: 'request' | 'response';
  /** clock time (virtual in demo/self-tests) */
  at: number;
  from: string;
  to: string;
  url?: string;
  primitive?: string;
  soapAction?: string;
  httpStatus?: number;
  headers?: Record<string, string>;
  raw: string;
  xsd?: XsdVerdict;
  /** on responses: time between request and response on the clock, in ms */
  latencyMs?: number;
  /** transport outcome when no normal answer came: timeout, refused, reset, … */
  transport?: string;
  correlation: Correlation;
  note?: string;
}

type Listener = (e: JournalEntry) => void;

/**
 * A request carrying this header is journaled by the party it names (the harness's payer journals
 * every page of its browser's path): a server of ours that sees it does not journal the same
 * exchange again, so the evidence shows each hop once. A browser that is not ours sends no such
 * header, and the server journals what it saw.
 */
export const JOURNALED_BY_HEADER = 'x-collaudo-journaled-by';

export class Journal {
  readonly entries: JournalEntry[] = [];
  private listeners = new Set<Listener>();
  private nextExchange = 1;
  constructor(readonly clock: Clock) {}

  newExchange(): number {
    return this.nextExchange++;
  }

  record(e: Omit<JournalEntry, 'seq' | 'at'> & { at?: number }): JournalEntry {
    const full: JournalEntry = { ...e, seq: this.entries.length + 1, at: e.at ?? this.clock.now() };
    this.entries.push(full);
    for (const l of this.listeners) l(full);
    return full;
  }

  filter(pred: (e: JournalEntry) => boolean): JournalEntry[] {
    return this.entries.filter(pred);
  }

  /** Resolves with the first entry (already recorded or future) matching `pred`; real deadline. */
  waitFor(pred: (e: JournalEntry) => boolean, deadlineMs: number, what = 'journal entry'): Promise<JournalEntry> {
    const seen = this.entries.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(l);
        reject(new Error(`waited ${deadlineMs} ms for ${what}; it never came`));
      }, deadlineMs);
      const l: Listener = (e) => {
        if (pred(e)) {
          clearTimeout(timer);
          this.listeners.delete(l);
          resolve(e);
        }
      };
      this.listeners.add(l);
    });
  }
}

/** Redaction of secrets for everything that leaves the process (evidence, reports). */
const SECRET_ELEMENTS = ['password', 'pwd'];
const SECRET_HEADERS = ['ocp-apim-subscription-key', 'authorization', 'x-api-key', 'proxy-authorization', 'cookie', 'set-cookie'];
export function redactXml(raw: string): string {
  let out = raw;
  for (const name of SECRET_ELEMENTS) {
    out = out.replace(new RegExp(`(<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>)([^<]*)(</)`, 'gi'), '$1***$3');
  }
  return out;
}
export function redactHeaders(h: Record<string, string> | undefined, extra: string[] = []): Record<string, string> | undefined {
  if (!h) return h;
  const secret = new Set([...SECRET_HEADERS, ...extra.map((x) => x.toLowerCase())]);
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, secret.has(k.toLowerCase()) ? '***' : v]));
}
export function redactEntry(e: JournalEntry, extraHeaders: string[] = []): JournalEntry {
  return { ...e, raw: redactXml(e.raw), headers: redactHeaders(e.headers, extraHeaders) };
}
