// Redaction for everything the reports write. First pass: src/journal.ts redactEntry (password elements,
// secret headers). Second pass (defence in depth): every secret value seen in the journal or in the
// candidate's identities is replaced wherever else it occurs (check messages, notes, URLs, XSD error
// texts …) before any file is rendered, so no writer can leak it.
import { redactEntry } from '../src/core/journal.js';
import type { JournalEntry } from '../src/core/journal.js';
import type { Certificate } from '../src/core/model.js';

export const MASK = '***';

const SECRET_ELEMENT = /<(?:[\w.-]+:)?(?:password|pwd)(?:\s[^>]*)?>([^<]*)<\//gi;
const SECRET_HEADER = /^(ocp-apim-subscription-key|authorization|x-api-key|proxy-authorization|cookie)$/i;
/** identity keys whose values are secrets (identities are otherwise public: idPA, idStation, …) */
const SECRET_KEY = /(password|passwd|pwd|secret|subscription.?key|api.?key|authorization|token)/i;
/**
 * URL query parameters whose values are secrets (`?apikey=…`, `?access_token=…`, `?sig=…`, OAuth's `?code=`),
 * judged by the words of the name: a substring test took `?fiscalCode=` for a secret and masked the EC's
 * fiscal code in every message of the evidence.
 */
const SECRET_WORD = new Set(['password', 'passwd', 'pwd', 'secret', 'token', 'auth', 'authorization', 'sig', 'signature', 'credential', 'credentials', 'apikey']);
const KEY_OWNER = new Set(['api', 'subscription', 'access', 'secret', 'private', 'client', 'auth']);
function secretParam(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s_.-]+/).map((w) => w.toLowerCase()).filter(Boolean);
  if (words.length === 1 && (words[0] === 'key' || words[0] === 'code')) return true;
  if (words.some((w) => SECRET_WORD.has(w))) return true;
  // "subscription-key", "api_key", "accessKey": the key of something; "idempotencyKey" is no secret
  return words.length > 1 && words.at(-1) === 'key' && KEY_OWNER.has(words.at(-2)!);
}
/** shorter values are not scrubbed as free text: they would hit ordinary words */
const MIN_SECRET_LENGTH = 4;

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
function xmlUnescape(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

export class Scrubber {
  private readonly needles: string[];
  constructor(secrets: Iterable<string>) {
    const all = new Set<string>();
    for (const raw of secrets) {
      const v = raw.trim();
      if (v.length < MIN_SECRET_LENGTH || v === MASK) continue;
      for (const variant of [v, xmlEscape(v), safeUnescape(v), JSON.stringify(v).slice(1, -1), encodeURIComponent(v)]) {
        if (variant.length >= MIN_SECRET_LENGTH) all.add(variant);
      }
      // "Bearer abc…": the token alone must go too
      const m = /^(?:bearer|basic)\s+(\S+)$/i.exec(v);
      if (m && m[1]!.length >= MIN_SECRET_LENGTH) all.add(m[1]!);
    }
    this.needles = [...all].sort((a, b) => b.length - a.length);
  }
  get size(): number {
    return this.needles.length;
  }
  scrub(s: string): string {
    if (!this.needles.length) return s;
    let out = s;
    for (const n of this.needles) if (out.includes(n)) out = out.split(n).join(MASK);
    return out;
  }
  /** Deep copy of a JSON-like value with every string scrubbed (object keys are left alone). */
  deep<T>(v: T): T {
    if (typeof v === 'string') return this.scrub(v) as T;
    if (Array.isArray(v)) return v.map((x) => this.deep(x)) as T;
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = this.deep(x);
      return o as T;
    }
    return v;
  }
}

function safeUnescape(v: string): string {
  try {
    return xmlUnescape(v);
  } catch {
    return v;
  }
}

/** Every secret value visible in the certificate before redaction. */
export function collectSecrets(cert: Certificate, extraHeaders: string[] = []): Set<string> {
  const out = new Set<string>();
  const extra = new Set(extraHeaders.map((h) => h.toLowerCase()));
  for (const [k, v] of Object.entries(cert.candidate?.identities ?? {})) if (SECRET_KEY.test(k) && v) out.add(String(v));
  for (const s of cert.scenarios ?? []) {
    for (const e of s.journal ?? []) {
      for (const m of (e.raw ?? '').matchAll(SECRET_ELEMENT)) if (m[1]) out.add(m[1]);
      for (const [k, v] of Object.entries(e.headers ?? {})) {
        if ((SECRET_HEADER.test(k) || extra.has(k.toLowerCase())) && v) out.add(String(v));
      }
      if (e.url) for (const v of urlSecrets(e.url)) out.add(v);
    }
  }
  if (cert.candidate?.endpoint) for (const v of urlSecrets(cert.candidate.endpoint)) out.add(v);
  return out;
}

/** The secrets a URL carries: the password of `user:password@`, and query parameters named like secrets. */
export function urlSecrets(u: string): string[] {
  const out: string[] = [];
  const cred = userinfo(u);
  if (cred) out.push(cred);
  const q = u.indexOf('?');
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(u.slice(q + 1).split('#')[0])) if (secretParam(k) && v) out.push(v);
  }
  return out;
}

/** The password part of `scheme://user:password@host` (URLs in profiles sometimes carry it). */
function userinfo(u: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/@:\s]*:([^/@\s]+)@/i.exec(u);
  return m?.[1];
}

function redactIdentities(ids: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(ids ?? {}).map(([k, v]) => [k, SECRET_KEY.test(k) ? MASK : v]));
}

/**
 * The certificate as it may leave the process: journal entries through redactEntry, secret identity
 * values masked, then every known secret value scrubbed from every string. The input is not modified.
 */
export function sanitizeCertificate(cert: Certificate, extraHeaders: string[] = [], extraSecrets: string[] = []): { cert: Certificate; scrubber: Scrubber } {
  const scrubber = new Scrubber([...collectSecrets(cert, extraHeaders), ...extraSecrets]);
  const first: Certificate = {
    ...cert,
    candidate: { ...cert.candidate, identities: redactIdentities(cert.candidate.identities) },
    scenarios: cert.scenarios.map((s) => ({
      ...s,
      journal: (s.journal ?? []).map((e: JournalEntry) => redactEntry(e, extraHeaders)),
    })),
  };
  return { cert: scrubber.deep(first), scrubber };
}
