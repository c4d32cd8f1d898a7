// WireMock stub mappings from the recorded exchanges of a run (issue 13 item 3): the answers one party
// gave, keyed by what identifies each request, so that a vendor's own WireMock replays the conversations
// it was certified with. SOAP requests match by path, SOAPAction and the body's first element with its
// namespace, plus the correlation keys (notice number, fiscal code, IUV, CCP, token…) by XPath with
// namespace bindings; REST requests by method, path, query and JSON body. One request answered
// differently over time becomes a WireMock scenario whose states follow the recorded order.
import { createHash } from 'node:crypto';
import type { JournalEntry } from '../src/core/journal.js';
import { decodeEnvelope, INTERFACES } from '../interfaces/index.js';
import { mergeRules } from '../src/wire/contract.js';
import { SOAPENV_NS } from '../src/wire/soap.js';
import type { El } from '../src/wire/xml.js';
import { MASK } from './secrets.js';

export type SeatSide = 'nodo' | 'ec' | 'psp';
export const SEAT_SIDES: readonly SeatSide[] = ['nodo', 'ec', 'psp'];

/** The parties that answer for a side: the pagoPA side is the Nodo and the platform's services (GPD, ACA, Checkout). */
const SIDE_PARTIES: Record<SeatSide, readonly string[]> = { nodo: ['nodo', 'platform', 'gpd'], ec: ['ec'], psp: ['psp'] };
/**
 * Callers whose exchanges are not part of a pagoPA conversation: the harness's control plane
 * (provisioning, triggers, read-back) and the browsers of the payment pages (HTML, redirects).
 */
const NOT_EXPORTED_CALLERS: Record<string, string> = {
  harness: 'a call of the harness\'s control plane (provisioning, trigger, read-back)',
  payer: 'a browser page', browser: 'a browser page', user: 'a browser page',
};
/** Response headers that describe one transfer, not the answer */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'content-encoding']);
/** Correlation keys that identify a conversation; idempotencyKey is fresh on every call by the spec, so it would pin a stub to one run */
const UNSTABLE_KEYS = new Set(['idempotencyKey']);
const KEY_ELEMENTS = (() => {
  const byName = new Map<string, string>();
  for (const [key, names] of Object.entries(mergeRules(INTERFACES))) {
    if (UNSTABLE_KEYS.has(key)) continue;
    for (const n of names) if (!byName.has(n)) byName.set(n, key);
  }
  return byName;
})();

interface StringMatch { equalTo?: string; matches?: string; absent?: boolean }
export interface BodyPattern {
  matchesXPath?: string;
  xPathNamespaces?: Record<string, string>;
  equalToJson?: unknown;
  ignoreArrayOrder?: boolean;
  ignoreExtraElements?: boolean;
  equalTo?: string;
}
/** One WireMock stub mapping, in WireMock's own JSON (what `POST /__admin/mappings` and `--root-dir` take). */
export interface StubMapping {
  id: string;
  name: string;
  priority: number;
  request: {
    method: string;
    urlPath?: string;
    urlPathPattern?: string;
    queryParameters?: Record<string, StringMatch>;
    headers?: Record<string, StringMatch>;
    bodyPatterns?: BodyPattern[];
  };
  response: { status: number; body?: string; headers?: Record<string, string> } | { fault: 'CONNECTION_RESET_BY_PEER' };
  scenarioName?: string;
  requiredScenarioState?: string;
  newScenarioState?: string;
  metadata: { collaudo: { kind: 'soap' | 'rest' | 'raw'; scenario: string; exchange: number; operation?: string; keys?: Record<string, string> } };
}

export interface ExportInput {
  side: SeatSide;
  scenarios: readonly { id: string; journal: readonly JournalEntry[] }[];
}
export interface ExportResult {
  mappings: StubMapping[];
  /** recorded exchanges turned into stubs (several may share one stub when they got the same answer) */
  exchanges: number;
  /** WireMock scenarios (requests answered differently over time) */
  stateful: number;
  skipped: { scenario: string; exchange: number; operation?: string; reason: string }[];
}

/** What one recorded request is matched by, and its recorded answer. */
interface Recorded {
  scenario: string;
  exchange: number;
  operation?: string;
  kind: 'soap' | 'rest' | 'raw';
  request: StubMapping['request'];
  keys?: Record<string, string>;
  priority: number;
  response: StubMapping['response'];
}

const party = (p: string) => p.split(':')[0]!;
const answersFor = (side: SeatSide, to: string) => SIDE_PARTIES[side].some((s) => party(to) === s || party(to).startsWith(`${s}-`));

/** The request line: method and path-with-query, from `POST /x?y` or an absolute URL or a bare path. */
export function requestLine(url: string | undefined): { method: string; path: string; query: [string, string][] } {
  const m = /^([A-Z]+)\s+(\S+)$/.exec(url ?? '');
  const method = m?.[1] ?? 'POST';
  let rest = m?.[2] ?? url ?? '/';
  if (/^[a-z]+:\/\//i.test(rest)) {
    const u = new URL(rest);
    rest = u.pathname + u.search;
  }
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? [] : [...new URLSearchParams(rest.slice(q + 1))];
  return { method, path: path || '/', query };
}

const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The path matcher: exact, or with a pattern segment where the evidence masked a secret. */
function pathMatch(path: string): Pick<StubMapping['request'], 'urlPath' | 'urlPathPattern'> {
  if (!path.includes(MASK)) return { urlPath: path };
  return { urlPathPattern: path.split(MASK).map(reEscape).join('[^/]+') };
}

/** An XPath 1.0 string literal for any value. */
function xpathLiteral(v: string): string {
  if (!v.includes("'")) return `'${v}'`;
  if (!v.includes('"')) return `"${v}"`;
  return `concat(${v.split("'").map((p) => `'${p}'`).join(`, "'", `)})`;
}

/** Our conventional prefix of each namespace the interfaces know (pafn, nfp, ppt, ppthead…). */
const KNOWN_PREFIX = (() => {
  const m = new Map<string, string>([[SOAPENV_NS, 'soapenv']]);
  const add = (ns: string, prefix: string) => {
    if (!m.has(ns) && ![...m.values()].includes(prefix)) m.set(ns, prefix);
  };
  for (const k of INTERFACES) {
    add(k.ns, k.prefix);
    for (const o of k.operations) {
      add(o.ns, o.prefix);
      add(o.headerNs, o.headerPrefix);
    }
    for (const [prefix, ns] of Object.entries(k.namespaces)) add(ns, prefix);
  }
  return m;
})();

/**
 * Prefixes for the namespaces an XPath names: ours, never the message's, so that the same request
 * sent with other prefixes gets the same stub (and the same scenario); ns1, ns2… for a namespace we do not know.
 */
class Prefixes {
  readonly map: Record<string, string> = { soapenv: SOAPENV_NS };
  private byNs = new Map<string, string>([[SOAPENV_NS, 'soapenv']]);
  step(el: Pick<El, 'ns' | 'name'>): string {
    if (!el.ns) return el.name;
    let p = this.byNs.get(el.ns);
    if (!p) {
      p = KNOWN_PREFIX.get(el.ns) ?? '';
      if (p in this.map) p = '';
      for (let i = 1; !p; i++) if (!(`ns${i}` in this.map)) p = `ns${i}`;
      this.map[p] = el.ns;
      this.byNs.set(el.ns, p);
    }
    return `${p}:${el.name}`;
  }
}

/** The first leaf carrying each correlation key (document order), with its path from `root`. */
function keyLeaves(root: El, found: Map<string, { path: El[]; value: string }>): void {
  const walk = (e: El, path: El[]) => {
    const here = [...path, e];
    const t = e.text.trim();
    const key = KEY_ELEMENTS.get(e.name);
    if (e.children.length === 0 && t && key && !found.has(key) && t !== MASK) found.set(key, { path: here, value: t });
    for (const c of e.children) walk(c, here);
  };
  walk(root, []);
}

function soapRequest(req: JournalEntry, method: string, path: string): Omit<Recorded, 'scenario' | 'exchange' | 'response'> {
  // no SOAPAction recorded: a stub without a header rule would also take the same body sent with one
  const headers: Record<string, StringMatch> = { SOAPAction: req.soapAction ? { matches: `^"?${reEscape(req.soapAction)}"?$` } : { absent: true } };
  const decoded = decodeEnvelope(req.raw);
  if (!decoded.ok || !decoded.msg.op || !decoded.msg.xsd.valid) {
    // garbled, truncated or schema-invalid (the run's negative tests): only these very bytes get this answer;
    // matched by keys, a request missing one would take the answers of the valid requests that carry the others
    return { kind: 'raw', operation: req.primitive, priority: 1, request: { method, ...pathMatch(path), headers, bodyPatterns: [{ equalTo: req.raw }] } };
  }
  const { body, header } = decoded.msg;
  const ns = new Prefixes();
  const found = new Map<string, { path: El[]; value: string }>();
  keyLeaves(body, found);
  // the old model carries domain, IUV and CCP in intestazionePPT
  for (const h of header) keyLeaves(h, found);
  // one XPath per stub (WireMock parses the body once per pattern and stub): the element, then one predicate per key
  let xpath = `/soapenv:Envelope/soapenv:Body/${ns.step(body)}`;
  const keys: Record<string, string> = {};
  for (const [key, { path: steps, value }] of [...found].sort(([a], [b]) => a.localeCompare(b))) {
    const where = steps[0] === body ? steps.slice(1).map((s) => ns.step(s)).join('/') : `/soapenv:Envelope/soapenv:Header/${steps.map((s) => ns.step(s)).join('/')}`;
    xpath += `[${where}=${xpathLiteral(value)}]`;
    keys[key] = value;
  }
  const patterns: BodyPattern[] = [{ matchesXPath: xpath, xPathNamespaces: ns.map }];
  return {
    kind: 'soap',
    operation: decoded.msg.op?.name ?? req.primitive,
    keys,
    // the more keys a stub names, the more specific it is: it wins over a stub of the same element with fewer
    priority: Math.max(2, 8 - Object.keys(keys).length),
    request: { method, ...pathMatch(path), headers, bodyPatterns: patterns },
  };
}

function restRequest(req: JournalEntry, method: string, path: string, query: [string, string][]): Omit<Recorded, 'scenario' | 'exchange' | 'response'> {
  const queryParameters: Record<string, StringMatch> = {};
  for (const [k, v] of query) if (v !== MASK) queryParameters[k] = { equalTo: v };
  let bodyPatterns: BodyPattern[] | undefined;
  if (req.raw) {
    try {
      bodyPatterns = [{ equalToJson: JSON.parse(req.raw), ignoreArrayOrder: false, ignoreExtraElements: false }];
    } catch {
      bodyPatterns = [{ equalTo: req.raw }];
    }
  }
  return {
    kind: 'rest',
    operation: req.primitive,
    priority: 3,
    request: { method, ...pathMatch(path), ...(Object.keys(queryParameters).length ? { queryParameters } : {}), ...(bodyPatterns ? { bodyPatterns } : {}) },
  };
}

export function isSoap(req: JournalEntry): boolean {
  return !!req.soapAction || /^\s*(<\?xml[^>]*>\s*)?<([\w.-]+:)?Envelope[\s>]/.test(req.raw);
}

function answerOf(res: JournalEntry, soap: boolean): StubMapping['response'] | string {
  if (res.httpStatus === undefined) return res.transport === 'reset' ? { fault: 'CONNECTION_RESET_BY_PEER' } : `no answer recorded (${res.transport ?? 'none'})`;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers ?? {})) {
    const name = k.toLowerCase();
    if (TRANSPORT_HEADERS.has(name) || name.startsWith('x-collaudo-') || v === MASK) continue;
    headers[name] = v;
  }
  if (!headers['content-type'] && res.raw) headers['content-type'] = soap ? 'text/xml; charset=UTF-8' : 'application/json';
  return { status: res.httpStatus, ...(res.raw ? { body: res.raw } : {}), ...(Object.keys(headers).length ? { headers } : {}) };
}

/** A stable UUID for a mapping (same run, same side → same files). */
function uuidOf(s: string): string {
  const h = createHash('sha256').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const sameAnswer = (a: StubMapping['response'], b: StubMapping['response']) => JSON.stringify(a) === JSON.stringify(b);

/** A recorded request answered by the side, with its answer. */
export interface RecordedExchange {
  scenario: string;
  request: JournalEntry;
  response: JournalEntry;
}

/** The exchanges of the run answered by `side`, in the run's order, and those left out with the reason. */
export function sideExchanges(input: ExportInput): { exchanges: RecordedExchange[]; skipped: ExportResult['skipped'] } {
  const skipped: ExportResult['skipped'] = [];
  const exchanges: RecordedExchange[] = [];
  for (const s of input.scenarios) {
    for (const req of s.journal) {
      // entries named `op#DOC` are the documents a message carried, journaled beside it
      if (req.direction !== 'request' || req.primitive?.includes('#') || !answersFor(input.side, req.to)) continue;
      const why = NOT_EXPORTED_CALLERS[party(req.from)];
      const res = s.journal.find((e) => e.direction === 'response' && e.exchange === req.exchange && !e.primitive?.includes('#'));
      const answer = res ? answerOf(res, isSoap(req)) : 'no answer recorded';
      if (why || typeof answer === 'string') skipped.push({ scenario: s.id, exchange: req.exchange, operation: req.primitive, reason: why ?? (answer as string) });
      else exchanges.push({ scenario: s.id, request: req, response: res! });
    }
  }
  return { exchanges, skipped };
}

/** The stub mappings answering as `side`, from every scenario's journal, in the run's order. */
export function wiremockMappings(input: ExportInput): ExportResult {
  const { exchanges: recorded, skipped } = sideExchanges(input);
  const groups = new Map<string, Recorded[]>();
  for (const { scenario, request: req, response: res } of recorded) {
    const soap = isSoap(req);
    const answer = answerOf(res, soap) as StubMapping['response'];
    const { method, path, query } = requestLine(req.url);
    const matched = soap ? soapRequest(req, method, path) : restRequest(req, method, path, query);
    const rec: Recorded = { ...matched, scenario, exchange: req.exchange, response: answer };
    const key = JSON.stringify(rec.request);
    groups.set(key, [...(groups.get(key) ?? []), rec]);
  }
  const mappings: StubMapping[] = [];
  let stateful = 0;
  for (const recs of groups.values()) {
    // a run of the same answer at the end is one state that keeps answering
    const steps = [...recs];
    while (steps.length > 1 && sameAnswer(steps.at(-1)!.response, steps.at(-2)!.response)) steps.pop();
    const first = recs[0]!;
    const title = `${first.scenario} ${first.operation ?? first.request.method}${first.keys && Object.keys(first.keys).length ? ` ${Object.values(first.keys).join(' ')}` : ''}`;
    const scenarioName = steps.length > 1 ? `${title} (exchange ${first.exchange})` : undefined;
    if (scenarioName) stateful++;
    steps.forEach((r, i) => {
      const m: StubMapping = {
        id: uuidOf(`${input.side}|${r.scenario}|${r.exchange}|${JSON.stringify(r.request)}|${i}`),
        name: scenarioName ? `${title}: answer ${i + 1} of ${steps.length}` : title,
        priority: r.priority,
        request: r.request,
        response: r.response,
        metadata: { collaudo: { kind: r.kind, scenario: r.scenario, exchange: r.exchange, ...(r.operation ? { operation: r.operation } : {}), ...(r.keys ? { keys: r.keys } : {}) } },
      };
      if (scenarioName) {
        m.scenarioName = scenarioName;
        m.requiredScenarioState = i === 0 ? 'Started' : `answered ${i}`;
        if (i < steps.length - 1) m.newScenarioState = `answered ${i + 1}`;
      }
      mappings.push(m);
    });
  }
  return { mappings, exchanges: recorded.length, stateful, skipped };
}
