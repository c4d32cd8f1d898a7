// The old model as a PSP vendor's CI runs it (issue 11, last check): the reference PSP served by
// `collaudo serve --psp` as its own process on the real clock (its PspPerNodo, payment page and trigger
// hook; it calls the harness's NodoPerPsp), certified by `collaudo run --seat psp` with an old-model
// profile of the kind the README shows (models [old], every old-model feature the reference PSP
// offers). The RT push scenarios wait the real TR-08 schedule (5, 10, 20, 40, 80 s: PSP-OLD-RETRY-03
// alone lasts about six minutes), so the run is sharded as a CI would shard it: one profile whose
// ports and URLs come from the environment, `--shard i/n` per job, each job with its own served PSP
// calling its own harness Nodo port, the jobs side by side, then `collaudo merge` of their folders.
// A conformant PSP exits 0: every old-model scenario present, none FAIL, ERROR, INCONCLUSIVE or
// WARNING, NOT_APPLICABLE only for a feature the profile does not declare, a gap collaudo names
// (notYet) or no browser here. No sleeps: every wait is on a process's output or exit, with a deadline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ROOT, collaudo, type Run } from './support/cli.js';
import { freePort } from './support/net.js';
import { waitForLine } from './support/serve.js';
import { oldPspScenarios } from '../suites/psp/old/index.js';

const SHARDS = 3;
/** one shard's deadline: its slowest scenario (PSP-OLD-RETRY-03, ~6 min at the spec's pace) and some */
const SHARD_DEADLINE_MS = 600_000;
/** the old-model features the reference PSP offers (fixtures/profiles/reference-psp.yaml) */
const DECLARED = ['ecStarted', 'pspStarted', 'chargeBack', 'storno', 'pspAuthorisation', 'spontaneous'];

interface Cert {
  exitCode: number;
  summary: Record<string, number>;
  run: { clock: string; startedAt: string; endedAt: string };
  scenarios: { id: string; verdict: string; reason?: string; durationMs: number }[];
}

/** One profile for every shard, as a vendor keeps it in its repository: where things listen comes from the job's environment. */
const PROFILE = {
  seat: 'psp',
  name: 'Banca di Collaudo — old-model channel served by collaudo serve --psp',
  models: ['old'],
  psp: { idPSP: 'CLLDPSPRF01', idBrokerPSP: '01234567891', idChannel: '01234567891_01', password: 'reference_01', companyName: 'Banca di Collaudo' },
  endpoint: { url: '${PSP_BASE}/pspForNode' },
  harness: { listen: { host: '127.0.0.1', port: '${NODO_PORT}' } },
  trigger: { http: { url: '${PSP_BASE}/trigger' }, deadlineMs: 30_000 },
  old: {
    psp: {
      pspPerNodo: '${PSP_BASE}/PspPerNodo',
      paymentPage: '${PSP_BASE}/pagamento',
      rtMode: 'push',
      authChannel: { idChannel: '01234567891_02', manlevaIban: 'IT60X0542811101000000123456' },
    },
    features: Object.fromEntries(DECLARED.map((f) => [f, true])),
  },
  declarations: { 'OLD-X-GDE-01': true, 'OLD-STO-02': true, 'OLD-PSP-ERR-08': true },
};

interface Job {
  nodoPort: number;
  pspBase: string;
  serve: ChildProcessWithoutNullStreams;
  /** the served PSP's last output, for a failure's message */
  tail: () => string;
}

const dir = mkdtempSync(path.join(tmpdir(), 'collaudo-realclock-psp-old-'));
const profileFile = path.join(dir, 'old-psp.yaml');
const jobs: Job[] = [];

/** Distinct free ports for the shards' harness Nodos. */
async function nodoPorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

beforeAll(async () => {
  writeFileSync(profileFile, stringify(PROFILE));
  for (const nodoPort of await nodoPorts(SHARDS)) {
    const serve = spawn(process.execPath, [path.join(ROOT, 'bin/collaudo.mjs'), 'serve', '--psp', '--psp-port', '0', '--nodo-url', `http://127.0.0.1:${nodoPort}/nodeForPsp`], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    const m = await waitForLine(serve, /reference PSP \(pspForNode\): (http:\/\/[^/\s]+)\/pspForNode[\s\S]*Ctrl-C to stop\./, 60_000);
    let printed = m.printed;
    serve.stderr.on('data', (d: Buffer) => (printed = (printed + d.toString()).slice(-4000)));
    serve.stdout.resume();
    jobs.push({ nodoPort, pspBase: m[1]!, serve, tail: () => printed });
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(
    jobs.map(({ serve }) => {
      if (serve.exitCode !== null || serve.signalCode !== null) return undefined;
      const exited = new Promise((r) => serve.once('exit', r));
      serve.kill('SIGTERM');
      return exited;
    }),
  );
});

describe('an old-model PSP as an external candidate on the real clock, sharded as a CI runs it', () => {
  it(`${SHARDS} shards side by side, then collaudo merge: exit 0, every old-model scenario, none FAIL, ERROR, INCONCLUSIVE or WARNING`, async () => {
    const t0 = Date.now();
    const runs: Run[] = await Promise.all(
      jobs.map((j, i) =>
        collaudo(['run', '--seat', 'psp', '--profile', profileFile, '--shard', `${i + 1}/${SHARDS}`, '--out', path.join(dir, `part${i + 1}`), '--json', '--no-allure'], { NODO_PORT: String(j.nodoPort), PSP_BASE: j.pspBase }, SHARD_DEADLINE_MS),
      ),
    );
    const shardsMs = Date.now() - t0;
    const parts = runs.map((r, i) => {
      expect(r.stdout, `shard ${i + 1}/${SHARDS} printed no certificate (exit ${r.code}): ${r.stderr.slice(-1500)}\nits PSP: ${jobs[i]!.tail()}`).toMatch(/^\{"harness"/);
      return JSON.parse(r.stdout) as Cert;
    });
    const merge = await collaudo(['merge', ...parts.map((_, i) => path.join(dir, `part${i + 1}`)), '--out', path.join(dir, 'merged')], {}, 120_000);
    const wallMs = Date.now() - t0;
    const cert = JSON.parse(readFileSync(path.join(dir, 'merged', 'certificate.json'), 'utf8')) as Cert;
    // the measured durations, for the record: each shard as a CI job, the whole as the vendor waits for it
    const perShard = parts.map((p, i) => {
      const slowest = [...p.scenarios].sort((a, b) => b.durationMs - a.durationMs)[0];
      return `shard ${i + 1}/${SHARDS}: ${(runs[i]!.ms / 1000).toFixed(1)} s, ${p.scenarios.length} scenarios, slowest ${slowest?.id} ${((slowest?.durationMs ?? 0) / 1000).toFixed(1)} s`;
    });
    const sum = cert.scenarios.reduce((a, s) => a + s.durationMs, 0);
    process.stderr.write(`real-clock old-model PSP certification, ${SHARDS} shards: ${(wallMs / 1000).toFixed(1)} s wall (shards ${(shardsMs / 1000).toFixed(1)} s, merge ${(merge.ms / 1000).toFixed(1)} s; the scenarios one after the other: ${(sum / 1000).toFixed(1)} s)\n  ${perShard.join('\n  ')}\n  ${JSON.stringify(cert.summary)}\n`);

    expect(runs.map((r) => r.code), runs.map((r) => r.stderr.slice(-1500)).join('\n---\n')).toEqual(runs.map(() => 0));
    expect(parts.every((p) => p.run.clock === 'real')).toBe(true);
    const bad = cert.scenarios.filter((s) => ['ERROR', 'FAIL', 'INCONCLUSIVE', 'WARNING'].includes(s.verdict));
    expect(bad.map((s) => `${s.id} ${s.verdict}: ${s.reason}`)).toEqual([]);
    expect(cert.scenarios.map((s) => s.id).sort()).toEqual(oldPspScenarios.map((d) => d.id).sort());
    for (const s of cert.scenarios.filter((x) => x.verdict === 'NOT_APPLICABLE')) {
      const def = oldPspScenarios.find((d) => d.id === s.id)!;
      const feature = /old\.features\.(\w+)/.exec(s.reason ?? '')?.[1];
      const undeclared = !!feature && !DECLARED.includes(feature) && feature === def.feature;
      const gap = def.notYet !== undefined && (s.reason ?? '').includes(def.notYet);
      // a collection without RPT needs a trigger deadline above the token's lifetime (PSP-OLD-FDR-02)
      expect(undeclared || gap || /no browser found|when the token's lifetime ends/.test(s.reason ?? ''), `${s.id}: ${s.reason}`).toBe(true);
    }
    // every shard had work: the retry scenarios were dealt apart
    expect(parts.every((p) => p.scenarios.length > 0)).toBe(true);
    expect(merge.code, merge.stderr.slice(-2000)).toBe(0);
    expect(cert.exitCode).toBe(0);
  }, SHARD_DEADLINE_MS + 180_000);
});
