// collaudo: the CLI owns the services' lifecycle and the exit code (DESIGN.md):
// 0 pass, 1 FAIL, 2 usage/configuration (bad profile, candidate unreachable), 3 INCONCLUSIVE, 4 ERROR.
import { Command, CommanderError, Option } from 'commander';
import path from 'node:path';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { ProfileError, loadProfile } from '../src/profile/index.js';
import { SEAT_NAMES, seatInfo } from '../seats/index.js';
import { Progress } from './progress.js';
import { UsageError, VERSION } from './errors.js';
import type { Certificate, Seat } from '../src/core/model.js';
import type { EvidenceForm } from '../reports/index.js';

const seatOption = () => new Option('--seat <seat>', 'the candidate seat').choices(SEAT_NAMES).default('ec');
// `run`: the profile names its seat; --seat only confirms it
// lean output by default (issue 13 item 5): packed evidence, Allure on request; `--no-allure` still accepted
const evidenceOption = () =>
  new Option('--evidence <form>', 'packed: the messages and journals in one evidence.tar.gz; exploded: one file per message and journal under evidence/').choices(['packed', 'exploded']).default('packed');
const ALLURE_ON = 'also write allure-results/ and the single-file allure-report.html (off by default)';
const ALLURE_OFF = 'no Allure output (the default; kept for older scripts)';
const runSeatOption = () => new Option('--seat <seat>', 'the candidate seat (default: the profile\'s seat)').choices(SEAT_NAMES);
const runId = () => new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
const defaultOut = () => path.resolve('collaudo-results', runId());

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];
}

function printSummary(cert: Certificate, out: string, progress: Progress): void {
  const s = cert.summary;
  progress.line('');
  progress.line(`${progress.paint(cert.verdict, cert.verdict)} — ${cert.candidate.name}`);
  progress.line(`  ${s.PASS} pass, ${s.WARNING} warning, ${s.FAIL} fail, ${s.INCONCLUSIVE} inconclusive, ${s.NOT_APPLICABLE} not applicable, ${s.ERROR} error`);
  for (const e of cert.harnessErrors ?? []) progress.line(`  harness fault (counted as ERROR, kept in certificate.json harnessErrors): ${e}`);
  // a candidate that crashed (seats/ec-health.ts): say where, once
  const down = cert.scenarios.map((x) => /^candidate unreachable since ([A-Z0-9-]+)/.exec(x.reason ?? '')?.[1]).filter((x): x is string => !!x);
  if (down.length) progress.line(`  the candidate stopped answering during ${[...new Set(down)].join(', ')}: ${down.length} later scenario(s) INCONCLUSIVE (candidate unreachable)`);
  progress.line(`  certificate: ${path.join(out, 'certificate.html')}`);
}

/** A profile path that is a readable file: anything else is a usage error in one line, never a stack trace. */
function readableProfile(file: string): ReturnType<typeof loadProfile> {
  let isDir = false;
  try {
    isDir = statSync(file).isDirectory();
    if (!isDir) readFileSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return loadProfile(file); // its own message: "file not found"
    throw new UsageError(`cannot read the profile ${file}: ${err.code ?? err.message}`);
  }
  if (isDir) throw new UsageError(`the profile ${file} is a folder: name the profile's YAML or JSON file`);
  return loadProfile(file);
}

/** The output folder exists (or can be made) and takes files: checked before the first scenario. */
function writableOut(out: string): string | undefined {
  let st;
  try {
    st = statSync(out);
  } catch {
    /* created below */
  }
  if (st && !st.isDirectory()) throw new UsageError(`--out ${out}: exists and is not a folder`);
  let created: string | undefined;
  try {
    created = mkdirSync(out, { recursive: true });
  } catch (e) {
    throw new UsageError(`--out ${out}: the folder cannot be created (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const probe = path.join(out, `.collaudo-write-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (e) {
    throw new UsageError(`--out ${out}: the folder is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return created;
}

function checkGrep(grep: string | undefined): void {
  if (grep === undefined) return;
  try {
    new RegExp(grep);
  } catch (e) {
    throw new UsageError(`--grep ${JSON.stringify(grep)}: not a valid regular expression (${(e as Error).message.replace(/^Invalid regular expression: /, '')})`);
  }
}

/** `--models new,old` → the models, each a known one (usage error naming the value otherwise). */
function checkModels(models: string[]): ('new' | 'old')[] {
  const known = ['new', 'old'] as const;
  for (const m of models) if (!(known as readonly string[]).includes(m)) throw new UsageError(`--models ${models.join(',')}: unknown model "${m}" (known: ${known.join(', ')})`);
  return [...new Set(models)] as ('new' | 'old')[];
}

async function doCertify(opts: { seat?: Seat; profile: string; out?: string; scenario?: string[]; grep?: string; shard?: string; json?: boolean; allure?: boolean; evidence?: EvidenceForm; models?: string[]; mode: 'run' | 'demo' }): Promise<number> {
  const progress = new Progress();
  checkGrep(opts.grep);
  const loaded = readableProfile(opts.profile);
  // demo --models: the bundled profile describes every model; the option narrows what is certified
  if (opts.models?.length) loaded.profile.models = checkModels(opts.models);
  const seat = opts.seat ?? loaded.profile.seat;
  const out = path.resolve(opts.out ?? defaultOut());
  const { certify, checkSelection } = await import('./certify.js');
  await checkSelection({ seat, loaded, scenarios: opts.scenario, grep: opts.grep });
  const created = writableOut(out);
  progress.line(`collaudo ${VERSION}: certifying "${loaded.profile.name}" in the ${seat.toUpperCase()} seat → ${out}`);
  let cert: Certificate;
  try {
    cert = await certify({
      seat, loaded, out, mode: opts.mode, scenarios: opts.scenario, grep: opts.grep, shard: opts.shard,
      allure: opts.allure === true, evidence: opts.evidence ?? 'packed', progress,
    });
  } catch (e) {
    // a run stopped before any output (e.g. preflight) leaves no empty folder behind
    if (created && readdirSync(created, { recursive: true }).every((f) => statSync(path.join(created, String(f))).isDirectory())) rmSync(created, { recursive: true, force: true });
    throw e;
  }
  printSummary(cert, out, progress);
  // like certificate.json: journals and the ledger live in their own files
  const { ledger: _l, ...doc } = cert;
  if (opts.json) process.stdout.write(JSON.stringify({ ...doc, scenarios: cert.scenarios.map(({ journal: _j, ...s }) => s) }) + '\n');
  return cert.exitCode;
}

export function program(): Command {
  const p = new Command('collaudo')
    .description('Conformance harness for pagoPA: certifies an EC (or PSP) against SANP, with evidence')
    .version(VERSION)
    .showHelpAfterError();

  p.command('run')
    .description('certify a candidate described by a profile')
    .addOption(runSeatOption())
    .requiredOption('--profile <file>', 'candidate profile (YAML or JSON)')
    .option('--out <dir>', 'output folder (default ./collaudo-results/<run id>)')
    .option('--scenario <ids>', 'run only these scenario ids (repeatable, comma-separated)', collect)
    .option('--grep <regex>', 'run only scenarios whose "id title" matches')
    .option('--shard <i/n>', 'run shard i of n (merge the certificates afterwards)')
    .option('--json', 'print the certificate as one JSON document on stdout')
    .addOption(evidenceOption())
    .option('--allure', ALLURE_ON)
    .option('--no-allure', ALLURE_OFF)
    .action(async (o) => {
      process.exitCode = await doCertify({ ...o, mode: 'run' });
    });

  p.command('demo')
    .description('certify the bundled reference EC (the embedded default), no setup needed')
    .addOption(seatOption())
    .option('--out <dir>', 'output folder')
    .option('--scenario <ids>', 'run only these scenario ids', collect)
    .option('--grep <regex>', 'run only scenarios whose "id title" matches')
    .option('--json', 'print the certificate as one JSON document on stdout')
    .addOption(evidenceOption())
    .option('--allure', ALLURE_ON)
    .option('--no-allure', ALLURE_OFF)
    .option('--models <list>', 'payment models to certify, comma-separated: new, old (default: every model the bundled profile lists)', collect)
    .action(async (o) => {
      process.exitCode = await doCertify({ ...o, profile: seatInfo(o.seat).referenceProfile, mode: 'demo' });
    });

  p.command('mutants')
    .description('run the suite against every defect switch of the reference part; exit 1 if a mutant survives')
    .addOption(seatOption())
    .option('--out <dir>', 'output folder for the kill matrix')
    .option('--only <ids>', 'only these mutants', collect)
    .option('--json', 'print {"mutants":[…]} on stdout')
    .option('--profile <file>', 'a profile of the bundled reference part (endpoint embedded:…) other than the default, e.g. fixtures/profiles/reference-psp-pull.yaml; defects it cannot show are left out with the reason')
    .action(async (o) => {
      const { runMutants } = await import('./mutants.js');
      process.exitCode = await runMutants({ seat: o.seat, json: !!o.json, only: o.only, profile: o.profile ? path.resolve(o.profile) : undefined, out: path.resolve(o.out ?? path.join('collaudo-results', `mutants-${runId()}`)) });
    });

  p.command('catalogue')
    .description('the requirements of a seat and the scenarios that cover them')
    .addOption(seatOption())
    .option('--json', 'print {"requirements":[…]} on stdout')
    .action(async (o) => {
      const { catalogueReport } = await import('./catalogue.js');
      process.exitCode = await catalogueReport(o.seat, !!o.json);
    });

  p.command('serve')
    .description('run the reference parts as standalone servers on the real clock (Ctrl-C to stop)')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--nodo-port <port>', 'port of the reference Nodo (nodeForPsp)', '17070')
    .option('--ec-port <port>', 'port of the reference EC (paForNode + provisioning)', '17071')
    .option('--ec-defect <id>', 'switch on a defect of the reference EC (see `collaudo mutants`)')
    .option('--old-nodo-url <url>', 'the NodoPerPa URL the reference EC\'s old-model station calls (the harness\'s Nodo of `collaudo run` with models [old]: http://<harness.listen>/NodoPerPa)')
    .option('--psp', 'play the reference PSP instead, as an external candidate to certify with `collaudo run --seat psp`: pspForNode and the trigger hook on --psp-port, calling the Nodo at --nodo-url (or at --profile\'s harness.listen)')
    .option('--psp-port <port>', 'with --psp: port of the reference PSP (/pspForNode, /trigger)', '17072')
    .option('--nodo-url <url>', 'with --psp: the nodeForPsp URL the reference PSP calls (e.g. the harness\'s Nodo of `collaudo run`: http://<harness.listen>/nodeForPsp)')
    .option('--fdr-url <url>', 'with --psp: the FdR 3 PSP API base the reference PSP reports flows to (default: from --profile\'s fdr.listen: http://<host>:<port>/fdr-psp/service/v1)')
    .option('--psp-defect <id>', 'with --psp: switch on a defect of the reference PSP (see `collaudo mutants --seat psp`)')
    .option('--psp-rt-mode <mode>', 'with --psp: how its old-model channel hands RTs to the Nodo: push (nodoInviaRT, TR-08 retries) or pull (straight into its PULL queue for pspChiediListaRT); default: --profile\'s old.psp.rtMode, else push')
    .option('--psp-counterpart', 'play the PSP seat\'s counterpart instead, for a PSP vendor: the reference Nodo on --profile\'s harness.listen with the emulated EC behind it, the report endpoint (harness.listen.reportPort), and the trigger side on --control-port')
    .option('--control-port <port>', 'with --psp-counterpart: port of POST /collaudo/trigger {"action":"pay"|"notify-accept"|…}, which provisions a notice and asks the PSP to act through the profile\'s trigger', '17073')
    .option('--profile <file>', 'a PSP-seat profile: with --psp the reference PSP\'s identities and the Nodo it calls; with --psp-counterpart the PSP under test')
    .option('--journal-size <n>', 'journal entries kept in memory (the last n; older ones are dropped)', '1000')
    .option('--verbose', 'one stderr line per message instead of a summary line every 10 s')
    .addHelpText('after', [
      '',
      'Examples:',
      '  collaudo serve                                   reference Nodo :17070 and reference EC :17071',
      '  collaudo serve --old-nodo-url http://127.0.0.1:17080/NodoPerPa',
      '                                                   the same, the EC\'s old-model station calling the harness\'s Nodo of a run',
      '                                                   whose profile lists models [old] (harness.listen port 17080)',
      '  collaudo serve --psp --nodo-url http://127.0.0.1:17080/nodeForPsp',
      '                                                   the reference PSP on :17072, to certify with a profile whose',
      '                                                   endpoint.url is http://127.0.0.1:17072/pspForNode and trigger.http.url',
      '                                                   http://127.0.0.1:17072/trigger (harness.listen port 17080)',
      '  collaudo serve --psp --psp-rt-mode pull --nodo-url http://127.0.0.1:17080/nodeForPsp',
      '                                                   the same, its old-model channel configured for PULL (profile old.psp.rtMode: pull)',
      '  collaudo serve --psp-counterpart --profile my-psp.yaml',
      '                                                   Nodo + emulated EC for your PSP; then e.g.',
      '                                                   curl -XPOST localhost:17073/collaudo/trigger -d \'{"action":"pay"}\'',
    ].join('\n'))
    .action(async (o) => {
      const { serve } = await import('./serve.js');
      await serve({
        host: o.host, nodoPort: Number(o.nodoPort), ecPort: Number(o.ecPort), ecDefect: o.ecDefect, oldNodoUrl: o.oldNodoUrl,
        psp: !!o.psp, pspPort: Number(o.pspPort), pspDefect: o.pspDefect, pspRtMode: o.pspRtMode, nodoUrl: o.nodoUrl, fdrUrl: o.fdrUrl,
        pspCounterpart: !!o.pspCounterpart, controlPort: Number(o.controlPort), profile: o.profile,
        verbose: !!o.verbose, journalSize: Number(o.journalSize),
      });
    });

  p.command('merge')
    .description('merge the certificates of a sharded run (the --out folders of `run --shard i/n`)')
    .argument('<parts...>', 'the shards\' output folders')
    .requiredOption('--out <dir>', 'output folder of the merged reports')
    .addOption(evidenceOption())
    .option('--allure', ALLURE_ON)
    .option('--no-allure', ALLURE_OFF)
    .action(async (parts: string[], o) => {
      const { merge } = await import('./merge.js');
      process.exitCode = await merge(parts, path.resolve(o.out), new Progress(), { evidence: o.evidence, allure: o.allure === true });
    });

  const exp = p.command('export').description('turn a run\'s recorded exchanges into artefacts for other tools');
  exp.command('wiremock')
    .description('WireMock stub mappings (--root-dir layout) answering as one side did in a run, to replay its conversations')
    .requiredOption('--from <dir>', 'the --out folder of a run (its certificate.json and evidence)')
    .addOption(new Option('--seat-side <side>', 'the party whose answers become stubs (default: the candidate\'s seat of the run)').choices(['nodo', 'ec', 'psp']))
    .option('--out <dir>', 'output folder (default <from>/wiremock-<side>)')
    .option('--scenario <ids>', 'only these scenario ids of the run (repeatable, comma-separated): their conversations replay on their own', collect)
    .action(async (o: { from: string; seatSide?: 'nodo' | 'ec' | 'psp'; out?: string; scenario?: string[] }) => {
      const { exportWiremock } = await import('./export-wiremock.js');
      exportWiremock({ from: o.from, side: o.seatSide, out: o.out, scenarios: o.scenario }, new Progress());
    });

  p.command('profile')
    .description('validate a profile and print what it declares (identities, endpoint, features on and off, test data, adapters)')
    .argument('<file>')
    .option('--json', 'print the summary as one JSON document')
    .action(async (file: string, o: { json?: boolean }) => {
      const { summarizeProfile, profileText } = await import('../src/profile/describe.js');
      const s = summarizeProfile(readableProfile(file));
      process.stdout.write(o.json ? JSON.stringify(s) + '\n' : profileText(s));
    });
  // usage errors exit 2 (DESIGN.md), not commander's default 1
  for (const c of [p, ...p.commands, ...p.commands.flatMap((x) => x.commands)]) c.exitOverride();
  return p;
}

export async function main(argv = process.argv): Promise<void> {
  // with --json, stdout holds exactly one JSON document: when no result comes, an error document
  const json = argv.includes('--json');
  const errorDoc = (code: number, message: string) => {
    if (json) process.stdout.write(JSON.stringify({ error: { code, message } }) + '\n');
  };
  try {
    await program().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
      process.exitCode = ok ? 0 : 2;
      if (!ok) errorDoc(2, e.message.replace(/^error: /, ''));
      return;
    }
    if (e instanceof ProfileError || e instanceof UsageError) {
      process.stderr.write(`collaudo: ${e.message}\n`);
      errorDoc(2, e.message);
      process.exitCode = 2;
      // e.g. a container-engine probe that never answered still holds a socket: do not wait for it
      if ((e as { exitNow?: boolean }).exitNow) process.exit(2);
      return;
    }
    process.stderr.write(`collaudo: internal error (exit 4): ${(e as Error).stack ?? String(e)}\n`);
    errorDoc(4, `internal error: ${(e as Error).message ?? String(e)}`);
    process.exitCode = 4;
  }
}

export function writeJsonFile(file: string, data: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
}

await main();
