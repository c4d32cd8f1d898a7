// `collaudo export wiremock` against a real WireMock (issue 13 item 3): a demo run's exchanges exported
// for two sides, one export loaded by WireMock itself from --root-dir, the other through wiremock-captain
// (REST) and the admin API (SOAP, XPath with namespace bindings), then every recorded request of the
// exported side replayed: the same status and body as in the run, schema-valid SOAP answers, the
// stateful conversations answering in the recorded order, and no request left unmatched. A SOAP
// client of our own (npm `soap`, its own envelope prefixes) gets the recorded answers too.
// Needs Java: skipped with the reason on a developer's machine without it, a failure in CI.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import soap from 'soap';
import { BodyType, EndpointFeature, MatchingAttributes, WireMock } from 'wiremock-captain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEnvelope } from '../interfaces/index.js';
import { readPart } from '../cli/merge.js';
import { exportWiremock, type ExportWiremockResult } from '../cli/export-wiremock.js';
import { type RecordedExchange, type StubMapping, isSoap, requestLine, sideExchanges } from '../reports/wiremock.js';
import type { El } from '../src/wire/xml.js';
import { collaudo, ROOT } from './support/cli.js';
import { javaMissing, startWiremock, type WireMockServer } from './support/wiremock.js';

const NO_JAVA = javaMissing();
const SKIP = NO_JAVA && !process.env.CI ? NO_JAVA : undefined;
if (SKIP) console.warn(`test/wiremock-export.test.ts skipped: ${SKIP} (install openjdk-17-jre-headless; CI never skips it)`);

/**
 * SOAP old and new model, a stateful verify (OK, then KO once paid), REST answered by the EC (options, portal)
 * and by the platform (ACA, FdR 3), schema-invalid and garbled requests, requests with other namespace prefixes
 */
const SCENARIOS = 'EC-PAY-01,EC-OLD-PSP-01,EC-OPT-01,EC-GOV-01,EC-ACA-01,EC-FDR-02,EC-X-04,EC-X-05,EC-X-06';

interface Replayed {
  x: RecordedExchange;
  status?: number;
  body?: string;
  location?: string;
  error?: string;
}

/** Sends each recorded request as it was recorded (bytes, SOAPAction, content type), in the run's order. */
async function replay(base: string, exchanges: readonly RecordedExchange[]): Promise<Replayed[]> {
  const out: Replayed[] = [];
  for (const x of exchanges) {
    const { method, path: p, query } = requestLine(x.request.url);
    const h = x.request.headers ?? {};
    const headers: Record<string, string> = {};
    const type = Object.entries(h).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    if (type) headers['content-type'] = type;
    const action = Object.entries(h).find(([k]) => k.toLowerCase() === 'soapaction')?.[1] ?? (x.request.soapAction ? `"${x.request.soapAction}"` : undefined);
    if (action) headers.SOAPAction = action;
    const search = query.length ? `?${new URLSearchParams(query).toString()}` : '';
    try {
      const r = await fetch(`${base}${p}${search}`, { method, headers, body: method === 'GET' || method === 'HEAD' || !x.request.raw ? undefined : x.request.raw, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
      out.push({ x, status: r.status, body: await r.text(), location: r.headers.get('location') ?? undefined });
    } catch (e) {
      out.push({ x, error: String((e as Error & { cause?: unknown }).cause ?? e) });
    }
  }
  return out;
}

/** Same answer as recorded: status and body (a recorded reset comes back as a reset). */
function expectSameAnswers(replayed: Replayed[]): void {
  for (const r of replayed) {
    const what = `${r.x.scenario} #${r.x.request.exchange} ${r.x.request.primitive}`;
    if (r.x.response.httpStatus === undefined) {
      expect(r.error, what).toMatch(/ECONNRESET|socket|other side closed/i);
      continue;
    }
    expect(r.error, what).toBeUndefined();
    expect(r.status, what).toBe(r.x.response.httpStatus);
    expect(r.body, what).toBe(r.x.response.raw);
    // a redirect answers with its Location (Checkout's cart, the WISP pages): replayed as recorded
    const location = Object.entries(r.x.response.headers ?? {}).find(([k]) => k.toLowerCase() === 'location')?.[1];
    if (r.x.response.httpStatus >= 300 && r.x.response.httpStatus < 400) expect(location, `${what}: the run recorded the redirect's Location`).toBeTruthy();
    expect(r.location, what).toBe(location);
  }
}

/** A request body as the `soap` client's arguments: element name → text or nested object. */
function args(el: El): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const c of el.children) o[c.name] = c.children.length ? args(c) : c.text;
  return o;
}

describe.skipIf(!!SKIP)('collaudo export wiremock: a real WireMock replays the run', () => {
  let dir: string;
  let run: ReturnType<typeof readPart>;
  let ec: ExportWiremockResult;
  let nodoOut: string;
  let wm: WireMockServer | undefined;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    if (NO_JAVA) throw new Error(`CI must run the WireMock self-test, but ${NO_JAVA}`);
    dir = mkdtempSync(path.join(tmpdir(), 'collaudo-wiremock-'));
    const demo = await collaudo(['demo', '--out', path.join(dir, 'run'), '--scenario', SCENARIOS], {}, 150_000);
    expect(demo.code, demo.stderr).toBe(0);
    run = readPart(path.join(dir, 'run'));
    // the command as a user types it: the default side is the run's candidate seat (EC)
    nodoOut = path.join(dir, 'nodo');
    const cli = await collaudo(['export', 'wiremock', '--from', path.join(dir, 'run'), '--seat-side', 'nodo', '--out', nodoOut]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr).toMatch(/\d+ WireMock stub mappings \(\d+ stateful\) answering as the NODO/);
    ec = exportWiremock({ from: path.join(dir, 'run'), out: path.join(dir, 'ec') });
    timings.exportMs = ec.ms;
    wm = await startWiremock(nodoOut);
    timings.startupMs = wm.startupMs;
  }, 200_000);

  afterAll(async () => {
    await wm?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    console.log(`wiremock-export timings: ${JSON.stringify(timings)}`);
  });

  it('--scenario exports one scenario\'s conversations on their own: its exchanges only, each chain as long as that scenario made it', async () => {
    const one = exportWiremock({ from: path.join(dir, 'run'), out: path.join(dir, 'one'), scenarios: ['EC-PAY-01'] });
    const own = sideExchanges({ side: 'ec', scenarios: run.scenarios.filter((s) => s.id === 'EC-PAY-01') });
    expect(one.mappings.length).toBeGreaterThan(0);
    expect(one.exchanges).toBe(own.exchanges.length);
    expect(new Set(one.mappings.map((m) => m.metadata.collaudo.scenario))).toEqual(new Set(['EC-PAY-01']));
    // the whole run's export continues a conversation across scenarios; this one starts and ends within EC-PAY-01
    const chains = new Map<string, number>();
    for (const m of one.mappings) if (m.scenarioName) chains.set(m.scenarioName, (chains.get(m.scenarioName) ?? 0) + 1);
    expect(chains.size).toBeGreaterThan(0);
    const whole = new Map<string, number>();
    for (const m of ec.mappings) if (m.scenarioName) whole.set(m.scenarioName, (whole.get(m.scenarioName) ?? 0) + 1);
    expect(Math.max(...chains.values())).toBeLessThan(Math.max(...whole.values()));
    const bad = await collaudo(['export', 'wiremock', '--from', path.join(dir, 'run'), '--scenario', 'EC-NOPE-01', '--out', path.join(dir, 'nope')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--scenario EC-NOPE-01: not a scenario of the run/);
  });

  it('exports the candidate\'s side by default, in WireMock\'s --root-dir layout, with no secret', () => {
    expect(ec.side).toBe('ec');
    const files = readdirSync(path.join(dir, 'ec', 'mappings'));
    expect(files.length).toBe(ec.mappings.length);
    expect(readdirSync(path.join(dir, 'ec')).sort()).toEqual(['README.md', 'mappings', 'summary.json']);
    const kinds = new Set(ec.mappings.map((m) => m.metadata.collaudo.kind));
    expect([...kinds].sort()).toEqual(['raw', 'rest', 'soap']);
    expect(ec.stateful).toBeGreaterThan(0);
    // the element under soapenv:Body by namespace, the keys by XPath with the bindings they need, SOAPAction quoted or not
    const verify = ec.mappings.find((m) => m.metadata.collaudo.operation === 'paVerifyPaymentNotice' && m.metadata.collaudo.scenario === 'EC-PAY-01')!;
    const { noticeNumber, fiscalCode } = verify.metadata.collaudo.keys!;
    expect(verify.request.bodyPatterns).toEqual([{
      matchesXPath: `/soapenv:Envelope/soapenv:Body/pafn:paVerifyPaymentNoticeReq[qrCode/fiscalCode='${fiscalCode}'][qrCode/noticeNumber='${noticeNumber}']`,
      xPathNamespaces: { soapenv: 'http://schemas.xmlsoap.org/soap/envelope/', pafn: 'http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd' },
    }]);
    expect(verify.request.headers).toEqual({ SOAPAction: { matches: '^"?paVerifyPaymentNotice"?$' } });
    expect(fiscalCode).toBe('77777777777');
    // old model: IUV and CCP come from the SOAP header
    const old = ec.mappings.find((m) => m.metadata.collaudo.operation === 'paaAttivaRPT')!;
    expect(old.request.bodyPatterns![0]!.matchesXPath).toMatch(/^\/soapenv:Envelope\/soapenv:Body\/ppt:paaAttivaRPT\[.*\/soapenv:Envelope\/soapenv:Header\/ppthead:intestazionePPT\/codiceContestoPagamento='[^']+'\]/);
    // the same requests sent with other prefixes (EC-X-06, replayed below) share the stubs of the plain ones: our prefixes, never the message's
    const prefixes = new Set(ec.mappings.flatMap((m) => m.request.bodyPatterns?.flatMap((p) => Object.keys(p.xPathNamespaces ?? {})) ?? []));
    expect([...prefixes].sort()).toEqual(['pafn', 'ppt', 'ppthead', 'soapenv']);
    const x06 = run.scenarios.find((x) => x.id === 'EC-X-06')!.journal.filter((e) => e.direction === 'request' && e.to === 'ec');
    expect(x06.some((e) => e.primitive === 'paVerifyPaymentNotice' && !e.raw.includes('<pafn:'))).toBe(true);
    // schema-invalid and garbled requests match on their bytes
    expect(ec.mappings.filter((m) => m.metadata.collaudo.kind === 'raw').map((m) => m.metadata.collaudo.scenario)).toEqual(expect.arrayContaining(['EC-X-04', 'EC-X-05']));
    const text = readdirSync(path.join(dir, 'ec', 'mappings')).map((f) => readFileSync(path.join(dir, 'ec', 'mappings', f), 'utf8')).join('\n');
    for (const secret of ['stazione01pwd']) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/"(authorization|ocp-apim-subscription-key|x-api-key|cookie)"/i);
    // every exchange answered by the EC is either a stub's or listed with its reason
    const all = run.scenarios.flatMap((s) => s.journal.filter((e) => e.direction === 'request' && !e.primitive?.includes('#') && /^ec(-|:|$)/.test(e.to)));
    expect(ec.exchanges + ec.skipped.length).toBe(all.length);
  });

  it('WireMock loads the NODO side from --root-dir and answers every recorded request as in the run', async () => {
    const loaded = (await (await fetch(`${wm!.baseUrl}/__admin/mappings`)).json()) as { meta: { total: number } };
    expect(loaded.meta.total).toBe(readdirSync(path.join(nodoOut, 'mappings')).length);
    timings.mappingsNodo = loaded.meta.total;
    const { exchanges } = sideExchanges({ side: 'nodo', scenarios: run.scenarios });
    expect(exchanges.some((x) => !isSoap(x.request))).toBe(true);
    const t0 = performance.now();
    const replayed = await replay(wm!.baseUrl, exchanges);
    timings.replayNodoMs = Math.round(performance.now() - t0);
    timings.replayedNodo = replayed.length;
    expectSameAnswers(replayed);
    const captain = new WireMock(wm!.baseUrl);
    expect(await captain.getUnmatchedRequests()).toEqual([]);
  });

  it('the EC side, loaded through wiremock-captain and the admin API, replays the run: same answers, schema-valid, in order', async () => {
    const captain = new WireMock(wm!.baseUrl);
    await captain.clearAll();
    const t0 = performance.now();
    for (const m of ec.mappings) await load(captain, wm!.baseUrl, m);
    timings.loadEcMs = Math.round(performance.now() - t0);
    expect((await captain.getAllMappings()).length).toBe(ec.mappings.length);

    const { exchanges } = sideExchanges({ side: 'ec', scenarios: run.scenarios });
    const t1 = performance.now();
    const replayed = await replay(wm!.baseUrl, exchanges);
    timings.replayEcMs = Math.round(performance.now() - t1);
    timings.replayedEc = replayed.length;
    timings.mappingsEc = ec.mappings.length;
    expectSameAnswers(replayed);
    let soapAnswers = 0;
    for (const r of replayed) {
      if (!isSoap(r.x.request) || r.status === undefined) continue;
      const d = decodeEnvelope(r.body!);
      expect(d.ok && d.msg.xsd, `${r.x.scenario} #${r.x.request.exchange}`).toMatchObject({ valid: true });
      soapAnswers++;
    }
    expect(soapAnswers).toBeGreaterThan(10);
    expect(await captain.getUnmatchedRequests()).toEqual([]);
    // every stateful conversation went through all its states
    const scenarios = (await captain.getAllScenarios()) as { name: string; state: string; possibleStates: string[] }[];
    const stateful = scenarios.filter((s) => s.possibleStates.length > 1);
    expect(stateful.length).toBe(ec.stateful);
    const step = (state: string) => Number(/^answered (\d+)$/.exec(state)?.[1] ?? 0);
    for (const s of stateful) expect(step(s.state), s.name).toBe(Math.max(...s.possibleStates.map(step)));
  });

  it('a SOAP client with its own envelope prefixes gets the recorded answers, a stateful verify in order (OK, then KO once paid)', async () => {
    const captain = new WireMock(wm!.baseUrl);
    await captain.resetAllScenarios();
    await captain.clearAllRequests();
    const pay = run.scenarios.find((s) => s.id === 'EC-PAY-01')!;
    const verifies = pay.journal.filter((e) => e.to === 'ec' && e.primitive === 'paVerifyPaymentNotice');
    expect(verifies.length).toBeGreaterThanOrEqual(2);
    const client = await soap.createClientAsync(path.join(ROOT, 'interfaces/new/paForNode/paForNode.wsdl'), { endpoint: `${wm!.baseUrl}${requestLine(verifies[0]!.url).path}` });
    const outcomes: string[] = [];
    for (const req of verifies) {
      const d = decodeEnvelope(req.raw);
      if (!d.ok) throw new Error(d.message);
      const [, raw] = (await (client as unknown as Record<string, (a: unknown) => Promise<[unknown, string]>>).paVerifyPaymentNoticeAsync!(args(d.msg.body)));
      const recorded = pay.journal.find((e) => e.direction === 'response' && e.exchange === req.exchange)!;
      expect(raw).toBe(recorded.raw);
      outcomes.push(/<outcome>(\w+)<\/outcome>/.exec(raw)![1]!);
    }
    expect(outcomes[0]).toBe('OK');
    expect(outcomes.at(-1)).toBe('KO');
    // the client's envelope is not the recorded one: prefixes are resolved, not compared
    const seen = (await captain.getAllRequests()) as { request: { body: string } }[];
    expect(seen.length).toBe(outcomes.length);
    expect(seen.every((r) => r.request.body.includes('<soap:Envelope'))).toBe(true);
    expect(verifies.every((e) => !e.raw.includes('<soap:Envelope'))).toBe(true);
  });
});

describe('collaudo export wiremock: usage errors', () => {
  it('refuses a folder that holds no run, and an unknown side, with exit 2 and one line', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'collaudo-wiremock-empty-'));
    try {
      const none = await collaudo(['export', 'wiremock', '--from', empty]);
      expect(none.code).toBe(2);
      expect(none.stderr.trim()).toBe(`collaudo: ${empty}: no certificate.json (is it the --out folder of a run or a shard?)`);
      const side = await collaudo(['export', 'wiremock', '--from', empty, '--seat-side', 'bank']);
      expect(side.code).toBe(2);
      expect(side.stderr).toMatch(/--seat-side <side>' argument 'bank' is invalid\. Allowed choices are nodo, ec, psp/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

/** REST stubs through wiremock-captain's register; SOAP ones (XPath with namespaces, which captain cannot say) through the admin API. */
async function load(captain: WireMock, base: string, m: StubMapping): Promise<void> {
  const res = m.response;
  if (m.metadata.collaudo.kind !== 'rest' || 'fault' in res || m.request.urlPathPattern) {
    const r = await fetch(`${base}/__admin/mappings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(m) });
    expect(r.status, await r.text()).toBe(201);
    return;
  }
  const body = m.request.bodyPatterns?.[0];
  await captain.register(
    {
      method: m.request.method as 'GET',
      endpoint: m.request.urlPath!,
      ...(m.request.queryParameters ? { queryParameters: Object.fromEntries(Object.entries(m.request.queryParameters).map(([k, v]) => [k, v.equalTo!])) } : {}),
      ...(body ? { body: body.equalToJson ?? body.equalTo } : {}),
    },
    { status: res.status, body: res.body, headers: res.headers },
    {
      requestEndpointFeature: EndpointFeature.UrlPath,
      requestBodyFeature: body?.equalToJson !== undefined ? MatchingAttributes.EqualToJson : MatchingAttributes.EqualTo,
      responseBodyType: BodyType.Body,
      stubPriority: m.priority,
      ...(m.scenarioName ? { scenario: { scenarioName: m.scenarioName, requiredScenarioState: m.requiredScenarioState!, ...(m.newScenarioState ? { newScenarioState: m.newScenarioState } : {}) } } : {}),
    },
  );
}
