// `collaudo export wiremock`: a run's recorded exchanges as WireMock stub mappings, in WireMock's own
// `--root-dir` layout (mappings/*.json), with a README saying what answers and how it is matched.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type ExportResult, type SeatSide, type StubMapping, wiremockMappings } from '../reports/wiremock.js';
import { UsageError } from './errors.js';
import { readPart } from './merge.js';
import type { Progress } from './progress.js';

export interface ExportWiremockOptions {
  from: string;
  side?: SeatSide;
  out?: string;
  /** only these scenarios of the run: their conversations start afresh, replayable on their own */
  scenarios?: string[];
}

export interface ExportWiremockResult extends ExportResult {
  side: SeatSide;
  out: string;
  files: string[];
  ms: number;
}

/** `0007-EC-PAY-01-paVerifyPaymentNotice.json`: ordered like the run, readable in a listing. */
function fileName(i: number, m: StubMapping): string {
  const c = m.metadata.collaudo;
  const label = `${c.scenario}-${c.operation ?? m.request.method}`.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${String(i + 1).padStart(4, '0')}-${label}.json`;
}

function readme(r: ExportWiremockResult, from: string, candidate: string): string {
  const count = (k: string) => r.mappings.filter((m) => m.metadata.collaudo.kind === k).length;
  const reasons = new Map<string, number>();
  for (const s of r.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  return [
    `# WireMock stubs: the ${r.side.toUpperCase()} side of a collaudo run`,
    '',
    `Exported by \`collaudo export wiremock --seat-side ${r.side}\` from \`${from}\` (candidate: ${candidate}).`,
    `${r.mappings.length} stub mappings answer as the ${r.side.toUpperCase()} did in the run's ${r.exchanges} recorded exchanges`,
    `(${count('soap')} SOAP, ${count('rest')} REST, ${count('raw')} matched on their exact bytes); ${r.stateful} of them are stateful conversations (WireMock scenarios).`,
    '',
    '## Load them',
    '',
    '- `java -jar wiremock-standalone.jar --root-dir <this folder>` (WireMock reads `mappings/*.json`), or',
    '- `POST` each file to a running WireMock\'s `/__admin/mappings` (a `wiremock-captain` user can do the same for REST stubs).',
    '',
    '## How requests are matched',
    '',
    '- SOAP: the path, the `SOAPAction` header (quoted or not; absent when the run sent none), the first element under',
    '  `soapenv:Body` by namespace and local name, and the correlation keys the request carried (notice number, fiscal',
    '  code, IUV, CCP, payment token…), in one XPath with `xPathNamespaces`: any prefix the caller chooses matches.',
    '  A stub naming more keys has the higher priority.',
    '- REST: method, path, query parameters and the JSON body (`equalToJson`).',
    '- A schema-invalid or garbled request (the run\'s negative tests) matches only its exact bytes.',
    '- The same request answered differently over time is a WireMock scenario (`scenarioName`, `requiredScenarioState`,',
    '  `newScenarioState`): its answers come back in the recorded order, the last one for every later call. A request',
    '  repeated across scenarios of the run (notice numbers are reused) continues one WireMock scenario: replay in the',
    '  run\'s order, or export only the scenarios you replay (`--scenario ID,…`: their conversations start and end within them),',
    '  or reset with `POST /__admin/scenarios/reset` and set a state with `PUT /__admin/scenarios/{name}/state`.',
    '- A connection reset recorded in the run is answered with the `CONNECTION_RESET_BY_PEER` fault.',
    '',
    '## Secrets',
    '',
    'The stubs come from the run\'s redacted evidence: passwords and secret headers are `***` there and here; no request',
    'is matched on a masked value, and no masked header is answered.',
    '',
    ...(r.skipped.length ? ['## Not exported', '', ...[...reasons].map(([why, n]) => `- ${n} exchange(s): ${why}`), ''] : []),
    'Each mapping\'s `metadata.collaudo` names the scenario and exchange of the run it comes from.',
    '',
  ].join('\n');
}

export function exportWiremock(opts: ExportWiremockOptions, progress?: Progress): ExportWiremockResult {
  const t0 = performance.now();
  const from = path.resolve(opts.from);
  if (!existsSync(from)) throw new UsageError(`--from ${opts.from}: no such folder`);
  const cert = readPart(from);
  const side = opts.side ?? (cert.candidate.seat as SeatSide);
  const out = path.resolve(opts.out ?? path.join(from, `wiremock-${side}`));
  const wanted = opts.scenarios?.length ? new Set(opts.scenarios) : undefined;
  const unknown = [...(wanted ?? [])].filter((id) => !cert.scenarios.some((x) => x.id === id));
  if (unknown.length) throw new UsageError(`--scenario ${unknown.join(',')}: not a scenario of the run in ${opts.from} (it has ${cert.scenarios.length}: ${cert.scenarios.slice(0, 6).map((x) => x.id).join(', ')}${cert.scenarios.length > 6 ? ' …' : ''})`);
  const result = wiremockMappings({ side, scenarios: wanted ? cert.scenarios.filter((x) => wanted.has(x.id)) : cert.scenarios });
  if (result.mappings.length === 0) throw new UsageError(`--from ${opts.from}: the run recorded no answer of the ${side} side to export`);
  // a folder of ours written again: old mappings must not linger next to the new ones
  const dir = path.join(out, 'mappings');
  if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith('.json')) rmSync(path.join(dir, f));
  mkdirSync(dir, { recursive: true });
  const files = result.mappings.map((m, i) => {
    const f = path.join('mappings', fileName(i, m));
    writeFileSync(path.join(out, f), `${JSON.stringify(m, null, 2)}\n`);
    return f;
  });
  const done: ExportWiremockResult = { ...result, side, out, files, ms: 0 };
  writeFileSync(path.join(out, 'README.md'), readme(done, from, cert.candidate.name));
  writeFileSync(path.join(out, 'summary.json'), `${JSON.stringify({
    side, from, candidate: cert.candidate.name, mappings: result.mappings.length, exchanges: result.exchanges, stateful: result.stateful,
    skipped: result.skipped,
  }, null, 2)}\n`);
  done.ms = Math.round(performance.now() - t0);
  progress?.line(`${result.mappings.length} WireMock stub mappings (${result.stateful} stateful) answering as the ${side.toUpperCase()}, from ${result.exchanges} exchanges (${result.skipped.length} not exported, see README.md) → ${out}`);
  return done;
}
