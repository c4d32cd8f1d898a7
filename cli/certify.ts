// One certification: profile → preflight → suite (vitest) → certificate and reports → exit code.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import tls from 'node:tls';
import path from 'node:path';
import type { Certificate, ScenarioResult, Seat, Verdict } from '../src/core/model.js';
import { catalogue, sanpVersionOf, seatRequirements } from '../src/catalogue/index.js';
import { EMBEDDED_EC, LoadedProfile, clientTls, fdrSettings, modelsOf, readProfileFile } from '../src/profile/index.js';
import { modelOf, requirementsOf } from '../src/core/scenario.js';
import { coverageRow } from './coverage.js';
import { OPERATIONS } from '../interfaces/index.js';
import { encodeEnvelope } from '../src/wire/soap.js';
import { soapCall } from '../src/wire/http.js';
import { RealClock } from '../src/core/clock.js';
import { unknownNotice } from '../seats/ec-notices.js';
import { exitCode, overallVerdict, summarize } from '../src/core/verdict.js';
import { redactEntry, type JournalEntry } from '../src/core/journal.js';
import { seatInfo } from '../seats/index.js';
import { LEDGER_DIR_ENV, collectLedgers } from '../seats/ledger-files.js';
import { runSuite } from './suite.js';
import { startCandidate } from './container.js';
import { writeReports, type EvidenceForm } from '../reports/index.js';
import { sanitizeCertificate } from '../reports/secrets.js';
import type { Progress } from './progress.js';

import { UsageError, VERSION } from './errors.js';
export { UsageError, VERSION };

/** Stops early (exit 2) when the candidate cannot even be connected to. */
export async function preflight(loaded: LoadedProfile, timeoutMs = 5000): Promise<void> {
  const url = loaded.profile.endpoint.url;
  if (url.startsWith('embedded:')) return;
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const t = loaded.profile.endpoint.tls;
  await new Promise<void>((resolve, reject) => {
    const onErr = (e: Error & { code?: string }) => reject(new UsageError(`candidate unreachable at ${url}: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ')));
    const sock =
      u.protocol === 'https:'
        ? tls.connect({ host: u.hostname, port, servername: net.isIP(u.hostname) ? undefined : u.hostname, ca: readProfileFile(loaded, t?.ca), cert: readProfileFile(loaded, t?.cert), key: readProfileFile(loaded, t?.key), rejectUnauthorized: t?.rejectUnauthorized ?? true }, () => {
            sock.end();
            resolve();
          })
        : net.connect({ host: u.hostname, port }, () => {
            sock.end();
            resolve();
          });
    sock.setTimeout(timeoutMs, () => {
      sock.destroy();
      reject(new UsageError(`candidate unreachable at ${url}: no connection within ${timeoutMs} ms`));
    });
    sock.on('error', onErr);
  });
  if (loaded.profile.seat === 'ec') await soapProbe(loaded, timeoutMs);
}

/**
 * The host answers: one harmless request (paVerifyPaymentNotice is read-only, for a notice nobody
 * issued) shows whether a SOAP service is there at all. Any SOAP answer passes, a fault too; only an
 * answer that is not SOAP (a 404 HTML page of a wrong path) stops the run. No answer in time passes:
 * the scenarios judge a slow candidate.
 */
async function soapProbe(loaded: LoadedProfile, timeoutMs: number): Promise<void> {
  const p = loaded.profile;
  const op = OPERATIONS.paVerifyPaymentNotice!;
  const content = { idPA: p.ec.idPA, idBrokerPA: p.ec.idBrokerPA, idStation: p.ec.idStation, qrCode: { fiscalCode: p.ec.idPA, noticeNumber: unknownNotice(p, 'preflight', 0) } };
  const r = await soapCall({
    url: p.endpoint.url,
    op,
    envelope: encodeEnvelope(op, 'request', content),
    from: 'nodo',
    to: 'ec',
    timeoutMs,
    clock: new RealClock(),
    headers: p.endpoint.headers,
    tls: clientTls(loaded, p.endpoint.tls),
  });
  if (r.transport !== 'ok') return;
  const type = r.headers?.['content-type'] ?? '';
  const soap = /xml/i.test(type) && /<([A-Za-z_][\w.-]*:)?Envelope[\s>]/.test(r.raw ?? '');
  if (!soap)
    throw new UsageError(`the endpoint answers HTTP ${r.status} ${type.split(';')[0] || 'with no content type'}: check endpoint.url (${p.endpoint.url}: a paVerifyPaymentNotice got no SOAP answer)`);
}

export async function scenarioOrder(seat: Seat): Promise<string[]> {
  return (await seatInfo(seat).scenarios()).map((s) => s.id);
}

export function testNamePattern(scenarios: string[] | undefined, grep: string | undefined): string | undefined {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const parts: string[] = [];
  if (scenarios?.length) parts.push(`^(?:${scenarios.map(esc).join('|')}) `);
  if (grep) parts.push(grep);
  if (parts.length === 2) return `(?=${parts[0]})(?=.*(?:${parts[1]}))`;
  return parts[0];
}

/** The scenarios --scenario/--grep select (every scenario without them), of the models the profile lists. */
async function selected(o: Pick<CertifyOptions, 'seat' | 'loaded' | 'scenarios' | 'grep'>) {
  const models = modelsOf(o.loaded.profile);
  return (await matching(o)).filter((d) => models.includes(modelOf(d)));
}
async function matching(o: Pick<CertifyOptions, 'seat' | 'scenarios' | 'grep'>) {
  const pattern = testNamePattern(o.scenarios, o.grep);
  return (await seatInfo(o.seat).scenarios()).filter((d) => !pattern || new RegExp(pattern).test(`${d.id} ${d.title}`));
}

/** Why a listed model is not certified (certificate, console). */
export const unsupportedModel = (m: string): string => `model ${m}: not yet supported by this collaudo version`;

/**
 * The profile's `models` against the seat's scenarios: the listed models this version has scenarios
 * for (certified), and those it has none for yet (reported NOT_APPLICABLE, never silently passed).
 */
export async function modelPlan(seat: Seat, loaded: LoadedProfile): Promise<{ listed: string[]; supported: string[]; certified: string[]; unsupported: string[] }> {
  const supported = [...new Set((await seatInfo(seat).scenarios()).map(modelOf))];
  const listed = modelsOf(loaded.profile);
  return { listed, supported, certified: listed.filter((m) => supported.includes(m)), unsupported: listed.filter((m) => !supported.includes(m)) };
}

export interface CertifyOptions {
  seat: Seat;
  loaded: LoadedProfile;
  out: string;
  mode: Certificate['run']['mode'];
  mutant?: string;
  scenarios?: string[];
  grep?: string;
  shard?: string;
  /** allure-results/ and allure-report.html (default false) */
  allure?: boolean;
  /** evidence.tar.gz (default) or the exploded evidence/ folder */
  evidence?: EvidenceForm;
  progress?: Progress;
}

/** Usage errors of the options against the seat, found before anything starts (exit 2). */
export async function checkSelection(o: Pick<CertifyOptions, 'seat' | 'loaded' | 'scenarios' | 'grep'>): Promise<void> {
  if (o.loaded.profile.seat !== o.seat) throw new UsageError(`profile ${o.loaded.file} is for the ${o.loaded.profile.seat} seat, not ${o.seat} (use --seat ${o.loaded.profile.seat})`);
  // a profile whose every model is unsupported would certify nothing: refused before anything starts
  const models = await modelPlan(o.seat, o.loaded);
  if (models.certified.length === 0)
    throw new UsageError(
      `profile ${o.loaded.file}: models lists ${models.listed.join(', ')}, which this collaudo version cannot certify yet in the ${o.seat} seat (no scenarios); supported values of models: ${models.supported.join(', ')}`,
    );
  const known = new Set(await scenarioOrder(o.seat));
  for (const s of o.scenarios ?? []) if (!known.has(s)) throw new UsageError(`--scenario ${s}: no such scenario in seat ${o.seat} (see \`collaudo catalogue --seat ${o.seat}\`)`);
  // nothing selected is a usage error, found before anything starts (not a run that certifies nothing)
  if ((await selected(o)).length === 0) {
    const filter = [o.scenarios?.length ? `--scenario ${o.scenarios.join(',')}` : '', o.grep !== undefined ? `--grep ${JSON.stringify(o.grep)}` : ''].filter(Boolean).join(' ');
    throw new UsageError(`${filter}: no scenario of seat ${o.seat} matches (see \`collaudo catalogue --seat ${o.seat}\`)`);
  }
}

export async function certify(o: CertifyOptions): Promise<Certificate> {
  await checkSelection(o);
  // a candidate given as an image runs for this certification only (stopped in every case)
  const container = o.loaded.profile.candidate?.image ? await startCandidate(o.loaded, (l) => o.progress?.line(l)) : undefined;
  try {
    return await certifyStarted(o, container?.url);
  } finally {
    await container?.stop().catch((e: Error) => o.progress?.line(`warning: stopping the candidate's container failed: ${e.message}`));
  }
}

async function certifyStarted(o: CertifyOptions, containerUrl: string | undefined): Promise<Certificate> {
  if (containerUrl) o.loaded.profile.endpoint.url = containerUrl;
  await preflight(o.loaded);
  if (o.loaded.profile.trigger?.quietMs !== undefined)
    o.progress?.line(`warning: ${o.loaded.file}: trigger.quietMs is deprecated and ignored — a scenario now listens as long as the spec's retry schedule and the timeouts in force say (timeouts.callerWait, timeouts.retrySlot)`);
  const startedAt = new Date();
  const env: Record<string, string> = { COLLAUDO_PROFILE: path.resolve(o.loaded.file) };
  if (containerUrl) env.COLLAUDO_ENDPOINT_URL = containerUrl;
  if (o.mutant) env.COLLAUDO_MUTANT = o.mutant;
  const defs = await seatInfo(o.seat).scenarios();
  const chosen = await selected(o);
  // models the profile does not list leave scenarios out: then the selection names the chosen ones
  const byModel = chosen.length < (await matching(o)).length;
  const pattern = byModel ? testNamePattern(chosen.map((d) => d.id), undefined) : testNamePattern(o.scenarios, o.grep);
  const models = await modelPlan(o.seat, o.loaded);
  for (const m of models.unsupported) o.progress?.line(`note: ${unsupportedModel(m)} — its requirements are NOT_APPLICABLE in this certificate; only model(s) ${models.certified.join(', ')} certified`);
  const expectedTotal = o.shard ? undefined : chosen.length;
  // test data is planned for the selected scenarios only (every shard sees the same selection)
  if (pattern) env.COLLAUDO_SCENARIOS = chosen.map((d) => d.id).join(',');
  // an external PSP: every scenario in one file, one Nodo on the fixed port, side by side (seats/psp-run.suite.ts)
  const pspRun = o.seat === 'psp' && !o.loaded.profile.endpoint.url.startsWith('embedded:');
  if (pspRun && o.shard) env.COLLAUDO_SHARD = o.shard;
  const unattributedDir = mkdtempSync(path.join(os.tmpdir(), 'collaudo-unattributed-'));
  env.COLLAUDO_UNATTRIBUTED_DIR = unattributedDir;
  const ledgerDir = mkdtempSync(path.join(os.tmpdir(), 'collaudo-ledger-'));
  env[LEDGER_DIR_ENV] = ledgerDir;
  let run: Awaited<ReturnType<typeof runSuite>>;
  let unattributed: Certificate['unattributed'];
  let ledger: Certificate['ledger'];
  try {
    run = await runSuite({
      seat: o.seat,
      env,
      expectedTotal,
      testNamePattern: pattern,
      shard: pspRun ? undefined : o.shard,
      ...(pspRun ? { include: ['seats/psp-run.suite.ts', 'seats/psp-old-run.suite.ts'], maxConcurrency: defs.length } : {}),
      // the PSP seat's Nodo (the EC seat's platform services, its old-model Nodo and its FdR 3 server) listen on the profile's fixed ports: one suite file at a time
      sequential:
        o.seat === 'psp'
          ? (o.loaded.profile.harness?.listen?.port ?? 0) !== 0
          : (o.loaded.profile.harness?.platform?.port ?? 0) !== 0 || (models.certified.includes('old') && (o.loaded.profile.harness?.listen?.port ?? 0) !== 0) || fdrSettings(o.loaded.profile).listen.port !== 0,
      onResult: (r, done, total) => o.progress?.result(r, done, total),
    });
  } finally {
    unattributed = readUnattributed(unattributedDir, Object.keys(o.loaded.profile.endpoint.headers ?? {}));
    ledger = collectLedgers(ledgerDir).toJSON();
  }
  const { results } = run;
  // a scenario that was selected and never reported is the harness's fault (a worker that died), never silence
  const harnessErrors = [...run.harnessErrors];
  const missing = o.shard ? [] : chosen.map((d) => d.id).filter((id) => !results.some((r) => r.id === id));
  if (missing.length) harnessErrors.push(`${missing.length} selected scenario(s) produced no result: ${missing.join(', ')}`);
  for (const e of harnessErrors) o.progress?.line(`harness fault: ${e}`);
  if (unattributed)
    o.progress?.line(`warning: ${unattributed.count} message(s) reached the harness's Nodo that no scenario owns, or after their scenario had ended: kept in certificate.json (unattributed)`);
  const order = await scenarioOrder(o.seat);
  results.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  // a result the runner did not make (a worker that died) still names its scenario's model
  for (const r of results) r.model ??= modelOf(defs.find((d) => d.id === r.id) ?? {});
  const cert = {
    ...buildCertificate(o, results, startedAt, new Date(), harnessErrors, models.certified, new Map(defs.map((d) => [d.id, requirementsOf({ ...d, notYet: undefined })]))),
    ...(unattributed ? { unattributed } : {}),
    models: [
      ...models.certified.map((model) => ({ model, scenarios: results.filter((r) => r.model === model).length })),
      ...models.unsupported.map((model) => ({ model, scenarios: 0, verdict: 'NOT_APPLICABLE' as const, reason: unsupportedModel(model) })),
    ],
    ledger,
  };
  mkdirSync(o.out, { recursive: true });
  const secretHeaders = Object.keys(o.loaded.profile.endpoint.headers ?? {});
  const { warnings } = await writeReports(cert, o.out, { allure: o.allure ?? false, evidence: o.evidence ?? 'packed', secretHeaders, secrets: o.loaded.secrets });
  for (const w of warnings) o.progress?.line(`warning: ${w}`);
  // what the caller prints (`--json` on stdout) is scrubbed like every file
  return sanitizeCertificate(cert, secretHeaders, o.loaded.secrets).cert;
}

/** The traffic the environments could not charge to a scenario (seats/psp-routing.ts), redacted; the folder is removed. */
function readUnattributed(dir: string, secretHeaders: string[]): Certificate['unattributed'] {
  try {
    const entries = readdirSync(dir)
      .flatMap((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as JournalEntry[])
      .sort((a, b) => a.at - b.at)
      .map((e) => redactEntry(e, secretHeaders));
    return entries.length ? { count: entries.filter((e) => e.direction === 'request').length, entries } : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `models`: the payment models certified (default: those the profile lists); coverage lists their requirements only. */
export function buildCertificate(
  o: CertifyOptions,
  results: ScenarioResult[],
  startedAt: Date,
  endedAt: Date,
  harnessErrors: string[] = [],
  models: readonly string[] = modelsOf(o.loaded.profile),
  /** per scenario id, the requirement ids its checks are bound to (to say why a requirement was not judged) */
  bound: ReadonlyMap<string, readonly string[]> = new Map(),
): Certificate {
  const p = o.loaded.profile;
  const verdicts = results.map((r) => r.verdict);
  const cat = catalogue();
  const bySeat = seatRequirements(o.seat, models);
  // a harness fault counts as one ERROR, so verdict, summary and exit code always agree (a FAIL still beats it)
  const faults = [...harnessErrors, ...(results.length === 0 && harnessErrors.length === 0 ? ['no scenario ran'] : [])];
  const all: Verdict[] = [...verdicts, ...faults.map((): Verdict => 'ERROR')];
  return {
    harness: { name: 'collaudo', version: VERSION, node: process.version },
    sanpVersion: sanpVersionOf(models),
    catalogue: { snapshot: cat.snapshot, requirements: cat.requirements.length },
    profile: { sha256: o.loaded.sha256, name: p.name, path: o.loaded.file },
    candidate: {
      seat: o.seat,
      name: p.name,
      endpoint: p.endpoint.url,
      identities: seatInfo(o.seat).identities(p),
      // the old model's features are declared apart (old.features): shown with their prefix
      features: Object.fromEntries([...Object.entries(p.features ?? {}), ...Object.entries(p.old?.features ?? {}).map(([k, v]) => [`old.${k}`, v])].map(([k, v]) => [k, v === true])),
      embedded: p.endpoint.url.startsWith('embedded:'),
    },
    run: {
      id: path.basename(o.out),
      mode: o.mode,
      mutant: o.mutant,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      clock: p.endpoint.url === EMBEDDED_EC || p.endpoint.url.startsWith('embedded:') ? 'virtual' : 'real',
    },
    summary: summarize(all),
    verdict: overallVerdict(all),
    exitCode: exitCode(all),
    ...(faults.length ? { harnessErrors: faults } : {}),
    scenarios: results,
    declared: Object.entries(p.declarations ?? {}).map(([requirement, declared]) => ({ requirement, statement: `declared in the profile (declarations.${requirement})`, statementIt: `dichiarato nel profilo (declarations.${requirement})`, declared })),
    // coverage from the checks that ran and judged a requirement, never from what a scenario declares
    coverage: bySeat.map((r) => coverageRow(r, o.seat, results, p, bound)),
  };
}
