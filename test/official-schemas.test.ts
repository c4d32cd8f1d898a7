// Every message the harness emits must validate against the OFFICIAL pagoPA schemas (DESIGN.md:
// "Every message the harness emits validates against the official schemas"). The whole EC suite runs
// in-process against the bundled reference EC; every journal entry of every scenario is collected,
// and each message sent by a harness part (the emulated PSP's requests, the Nodo's requests and its
// answers) plus every answer of the reference EC is validated — the SOAP body's wrapper element —
// against wsdl/xsd/paForNode.xsd or nodeForPsp.xsd of a pagopa/pagopa-api snapshot.
// Without the snapshot (default ../shared/reference/pagopa-api, override COLLAUDO_PAGOPA_API) the
// tests skip at run time with the reason.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XmlElement } from 'libxml2-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal, JournalEntry } from '../src/core/journal.js';
import type { ScenarioResult } from '../src/core/model.js';
import { NS, type InterfaceName } from '../interfaces/index.js';
import { decodeEnvelope } from '../interfaces/index.js';
import { parseDocument } from '../src/wire/xml.js';
import { validateElement } from '../src/wire/xsd.js';
import { OFFICIAL_XSD_DIR, officialMissing } from '../src/core/paths.js';
import { runScenario, type SeatEnv } from '../src/core/runner.js';
import { type EcContext, REFERENCE_EC_PROFILE, ecEnv } from '../seats/ec.js';
import { ecScenarios } from '../suites/ec/index.js';

const available = ['paForNode.xsd', 'nodeForPsp.xsd'].every((f) => existsSync(path.join(OFFICIAL_XSD_DIR, f)));
const SKIP_REASON = officialMissing('validation against the official schemas');

/** Scenarios that send malformed requests on purpose (robustness, invalid service data). */
const DELIBERATELY_BROKEN = new Set(['EC-X-04', 'EC-X-05', 'EC-X-07', 'EC-SPONT-02', 'EC-NEG-01', 'EC-NEG-02', 'EC-NEG-03', 'EC-NEG-04', 'EC-NEG-05', 'EC-NEG-06', 'EC-ROB-02']);

const IFACE_BY_NS = new Map<string, InterfaceName>([
  [NS.paForNode, 'paForNode'],
  [NS.nodeForPsp, 'nodeForPsp'],
]);

interface Collected {
  /** which run of the suite: the reference profile (station version 1) or the same with version 2 */
  run: string;
  scenario: string;
  entry: JournalEntry;
}
interface Outcome {
  kind: 'valid' | 'invalid' | 'soap-fault' | 'undecodable';
  iface?: InterfaceName;
  element?: string;
  errors: string[];
}

/** Validates the wrapper element of the SOAP body against the official schema of its interface. */
function officialVerdict(raw: string): Outcome {
  const d = decodeEnvelope(raw, { validate: false });
  if (!d.ok) return { kind: 'undecodable', errors: [`${d.rule}: ${d.message}`] };
  if (d.msg.soapFault) return { kind: 'soap-fault', errors: [d.msg.soapFault.faultstring] };
  const iface = IFACE_BY_NS.get(d.msg.body.ns ?? '');
  if (!iface) return { kind: 'invalid', element: d.msg.body.name, errors: [`{${d.msg.body.ns ?? ''}}${d.msg.body.name} is in no official interface we validate`] };
  const doc = parseDocument(raw);
  try {
    let body: XmlElement | undefined;
    for (let c = doc.root.firstChild; c; c = c.next) if (c instanceof XmlElement && c.namespaceUri === NS.soapenv && c.name === 'Body') body = c;
    let wrapper: XmlElement | undefined;
    for (let c = body?.firstChild; c; c = c.next) if (c instanceof XmlElement) wrapper = c;
    if (!wrapper) return { kind: 'undecodable', errors: ['no body element'] };
    const v = validateElement(wrapper, path.join(OFFICIAL_XSD_DIR, `${iface}.xsd`));
    return { kind: v.valid ? 'valid' : 'invalid', iface, element: wrapper.name, errors: v.errors };
  } finally {
    doc.dispose();
  }
}

const label = (c: Collected) => `[${c.run}] ${c.scenario} #${c.entry.seq} ${c.entry.direction} ${c.entry.from}→${c.entry.to} ${c.entry.primitive ?? '?'}${c.entry.note ? ` (${c.entry.note})` : ''}`;

const results: { run: string; result: ScenarioResult }[] = [];
const collected: Collected[] = [];

/** Runs the whole EC suite in-process with one profile, keeping each scenario's raw journal. */
async function runSuite(run: string, profile: string): Promise<void> {
  const previous = process.env.COLLAUDO_PROFILE;
  process.env.COLLAUDO_PROFILE = profile;
  let env: SeatEnv<EcContext>;
  try {
    env = await ecEnv(ecScenarios);
  } finally {
    if (previous === undefined) delete process.env.COLLAUDO_PROFILE;
    else process.env.COLLAUDO_PROFILE = previous;
  }
  // the result's copy of the journal is redacted (passwords become ***): keep the raw one
  const journals = new Map<string, Journal>();
  const capturing: SeatEnv<EcContext> = {
    ...env,
    async open(def) {
      const o = await env.open(def);
      journals.set(def.id, o.ctx.journal);
      return o;
    },
  };
  try {
    for (const d of ecScenarios) results.push({ run, result: await runScenario(d, capturing) });
  } finally {
    await env.close();
  }
  for (const [scenario, j] of journals) for (const entry of j.entries) collected.push({ run, scenario, entry });
}

beforeAll(async () => {
  if (!available) return;
  const text = readFileSync(REFERENCE_EC_PROFILE, 'utf8');
  expect(text).toMatch(/^\s*stationVersion: 1\s*$/m);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'collaudo-official-'));
  try {
    const v2 = path.join(dir, 'reference-ec-v2.yaml');
    writeFileSync(v2, text.replace(/^(\s*)stationVersion: 1\s*$/m, '$1stationVersion: 2'));
    await runSuite('station v1', REFERENCE_EC_PROFILE);
    await runSuite('station v2', v2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 240_000);

afterAll(() => {
  if (!available) return;
  const by = (pred: (c: Collected) => boolean) => collected.filter(pred).length;
  console.info(
    `official-schemas: ${results.length} scenario runs, ${collected.length} journal entries; ` +
      `${by((c) => c.entry.direction === 'request' && c.entry.from === 'psp')} PSP requests, ` +
      `${by((c) => c.entry.direction === 'request' && c.entry.from === 'nodo')} Nodo requests, ` +
      `${by((c) => c.entry.direction === 'response' && c.entry.from === 'nodo')} Nodo answers, ` +
      `${by((c) => c.entry.direction === 'response' && c.entry.from === 'ec')} EC answers`,
  );
});

function guard(ctx: { skip: (note?: string) => void }): boolean {
  if (available) return true;
  console.warn(SKIP_REASON);
  ctx.skip(SKIP_REASON);
  return false;
}

describe('messages of the EC suite against the official pagoPA schemas', () => {
  it('the EC suite ran completely against the reference EC (station version 1, then 2), with no blocking verdict', (ctx) => {
    if (!guard(ctx)) return;
    for (const run of ['station v1', 'station v2']) expect(results.filter((r) => r.run === run).map((r) => r.result.id), run).toEqual(ecScenarios.map((d) => d.id));
    const blocking = results
      .filter(({ result: r }) => r.verdict === 'FAIL' || r.verdict === 'ERROR' || r.verdict === 'INCONCLUSIVE')
      .map(({ run, result: r }) => `[${run}] ${r.id} ${r.verdict}: ${r.reason ?? ''}`);
    expect(blocking).toEqual([]);
  });

  it('every request the emulated PSP and the Nodo sent (outside the deliberately broken scenarios) is valid', (ctx) => {
    if (!guard(ctx)) return;
    const sent = collected.filter((c) => c.entry.direction === 'request' && (c.entry.from === 'psp' || c.entry.from === 'nodo') && c.entry.raw && !DELIBERATELY_BROKEN.has(c.scenario));
    expect(sent.length).toBeGreaterThan(50);
    const bad = sent.map((c) => ({ c, v: officialVerdict(c.entry.raw) })).filter((x) => x.v.kind !== 'valid').map((x) => `${label(x.c)}: ${x.v.kind} ${x.v.errors.slice(0, 2).join('; ')}`);
    expect(bad).toEqual([]);
  });

  it('every answer of the Nodo to the emulated PSP is valid (nodeForPsp)', (ctx) => {
    if (!guard(ctx)) return;
    const answers = collected.filter((c) => c.entry.direction === 'response' && c.entry.from === 'nodo' && c.entry.raw);
    expect(answers.length).toBeGreaterThan(20);
    const verdicts = answers.map((c) => ({ c, v: officialVerdict(c.entry.raw) }));
    expect(verdicts.every((x) => x.v.iface === 'nodeForPsp' || x.v.kind !== 'valid')).toBe(true);
    const bad = verdicts.filter((x) => x.v.kind !== 'valid').map((x) => `${label(x.c)}: ${x.v.kind} ${x.v.errors.slice(0, 2).join('; ')}`);
    expect(bad).toEqual([]);
  });

  it('every answer of the reference EC is valid (paForNode); a SOAP Fault only answers a deliberately broken request', (ctx) => {
    if (!guard(ctx)) return;
    const answers = collected.filter((c) => c.entry.direction === 'response' && c.entry.from === 'ec' && c.entry.raw);
    expect(answers.length).toBeGreaterThan(50);
    const bad = answers
      .map((c) => ({ c, v: officialVerdict(c.entry.raw) }))
      .filter((x) => !(x.v.kind === 'valid' && x.v.iface === 'paForNode') && !(x.v.kind === 'soap-fault' && DELIBERATELY_BROKEN.has(x.c.scenario)))
      .map((x) => `${label(x.c)}: ${x.v.kind} ${x.v.errors.slice(0, 2).join('; ')}`);
    expect(bad).toEqual([]);
  });

  it('in the deliberately broken scenarios, a request is either invalid for both our schema and the official one, or valid for both', (ctx) => {
    if (!guard(ctx)) return;
    const sent = collected.filter((c) => c.entry.direction === 'request' && c.entry.from === 'nodo' && c.entry.raw && DELIBERATELY_BROKEN.has(c.scenario));
    expect(sent.length).toBeGreaterThanOrEqual(DELIBERATELY_BROKEN.size);
    let broken = 0;
    const disagree: string[] = [];
    for (const c of sent) {
      const ours = decodeEnvelope(c.entry.raw);
      const oursValid = ours.ok && !ours.msg.soapFault && ours.msg.xsd.valid;
      const official = officialVerdict(c.entry.raw);
      if (!oursValid) broken++;
      if (oursValid !== (official.kind === 'valid')) disagree.push(`${label(c)}: ours ${oursValid ? 'valid' : 'invalid'}, official ${official.kind} ${official.errors.slice(0, 1).join('')}`);
    }
    expect(broken).toBeGreaterThanOrEqual(3);
    expect(disagree).toEqual([]);
  });

  it('a few hundred messages were validated, across every operation the suite uses', (ctx) => {
    if (!guard(ctx)) return;
    const harnessSent = collected.filter(
      (c) => c.entry.raw && ((c.entry.direction === 'request' && !DELIBERATELY_BROKEN.has(c.scenario) && (c.entry.from === 'psp' || c.entry.from === 'nodo')) || (c.entry.direction === 'response' && (c.entry.from === 'nodo' || c.entry.from === 'ec'))),
    );
    const verdicts = harnessSent.map((c) => officialVerdict(c.entry.raw)).filter((v) => v.kind === 'valid');
    console.info(`official-schemas: ${verdicts.length} harness/reference-EC messages valid against the official schemas`);
    expect(verdicts.length).toBeGreaterThanOrEqual(300);
    const elements = new Set(verdicts.map((v) => v.element));
    for (const e of [
      'verifyPaymentNoticeReq',
      'verifyPaymentNoticeRes',
      'activatePaymentNoticeReq',
      'activatePaymentNoticeRes',
      'sendPaymentOutcomeReq',
      'sendPaymentOutcomeRes',
      'paVerifyPaymentNoticeReq',
      'paVerifyPaymentNoticeRes',
      'paGetPaymentReq',
      'paGetPaymentRes',
      'paSendRTReq',
      'paSendRTRes',
      'paGetPaymentV2Request',
      'paGetPaymentV2Response',
      'paSendRTV2Request',
      'paSendRTV2Response',
    ]) {
      expect(elements.has(e), `no valid ${e} was seen`).toBe(true);
    }
  });

  it('the validator is not blind: a harness message with one field broken is invalid for the official schema', (ctx) => {
    if (!guard(ctx)) return;
    const sample = collected.find((c) => c.entry.direction === 'request' && c.entry.primitive === 'paVerifyPaymentNotice' && c.entry.from === 'nodo' && !DELIBERATELY_BROKEN.has(c.scenario));
    expect(sample).toBeDefined();
    const raw = sample!.entry.raw;
    expect(officialVerdict(raw).kind).toBe('valid');
    const broken = raw.replace(/<noticeNumber>(\d{18})<\/noticeNumber>/, '<noticeNumber>$1X</noticeNumber>');
    expect(broken).not.toBe(raw);
    expect(officialVerdict(broken).kind).toBe('invalid');
  });
});
