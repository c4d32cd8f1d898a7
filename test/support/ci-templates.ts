// What the CI templates of examples/ci/ run: their shell lines, the collaudo commands in them, and a
// check of each command against the CLI's own help (the commands and options it really has).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT, collaudo } from './cli.js';

export const CI_DIR = path.join(ROOT, 'examples/ci');
export const GITHUB = path.join(CI_DIR, 'github-actions.yml');
export const GITLAB = path.join(CI_DIR, 'gitlab-ci.yml');
export const PROFILE = path.join(CI_DIR, 'collaudo-ec.yaml');

export type Doc = Record<string, unknown>;

export function readYaml(file: string): Doc {
  return parse(readFileSync(file, 'utf8')) as Doc;
}

export interface ShellLine {
  /** where in the file: `jobs.shard.steps[3].run` */
  at: string;
  line: string;
}

const lines = (at: string, text: unknown): ShellLine[] => (typeof text === 'string' ? text.split('\n').map((line) => ({ at, line })) : []);

/** Every line a GitHub workflow runs: each step's `run`. */
export function githubLines(doc: Doc): ShellLine[] {
  const jobs = (doc.jobs ?? {}) as Record<string, { steps?: { run?: unknown }[] }>;
  return Object.entries(jobs).flatMap(([id, job]) => (job.steps ?? []).flatMap((s, i) => lines(`jobs.${id}.steps[${i}].run`, s.run)));
}

/** Every line a GitLab pipeline runs: the `before_script`, `script` and `after_script` of each job and template. */
export function gitlabLines(doc: Doc): ShellLine[] {
  const out: ShellLine[] = [];
  for (const [id, job] of Object.entries(doc)) {
    if (!job || typeof job !== 'object' || Array.isArray(job)) continue;
    for (const key of ['before_script', 'script', 'after_script']) {
      const v = (job as Doc)[key];
      const items = Array.isArray(v) ? v.flat() : [v];
      items.forEach((item, i) => out.push(...lines(`${id}.${key}[${i}]`, item)));
    }
  }
  return out;
}

/** A shell line's words (quotes removed), up to its first operator or comment. */
export function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const bare = m[3];
    if (bare !== undefined && (/^(>|>>|2>&1|&|&&|\||\|\||;)$/.test(bare) || bare.startsWith('#') || bare.startsWith('>'))) break;
    out.push(m[1] ?? m[2] ?? bare!);
  }
  return out;
}

export interface Invocation extends ShellLine {
  /** `collaudo` or `collaudo@0.1.0`, as npx was told */
  pkg: string;
  args: string[];
}

/** The collaudo commands of some lines: `npx collaudo …`, `npx collaudo@x …`, `nohup npx collaudo …` or `collaudo …`. */
export function invocations(shell: ShellLine[]): Invocation[] {
  const out: Invocation[] = [];
  for (const l of shell) {
    const w = words(l.line);
    // run directly, or by npx, nohup (and their flags)
    const at = w.findIndex((x, i) => /^collaudo(@\S+)?$/.test(x) && w.slice(0, i).every((y) => y === 'npx' || y === 'nohup' || y.startsWith('-')));
    if (at >= 0) out.push({ ...l, pkg: w[at]!, args: w.slice(at + 1) });
  }
  return out;
}

/** The package versions installed by name: `npm i collaudo@X`, `npx collaudo@X`. */
export function pinnedVersions(shell: ShellLine[]): { at: string; version: string }[] {
  return shell.flatMap((l) => words(l.line).flatMap((w) => (/^collaudo@(\S+)$/.exec(w) ? [{ at: l.at, version: w.slice('collaudo@'.length) }] : [])));
}

export interface CliSurface {
  /** subcommand → its long options, each with whether it takes a value */
  commands: Map<string, Map<string, boolean>>;
}

function optionsOf(help: string): Map<string, boolean> {
  const opts = new Map<string, boolean>();
  for (const m of help.matchAll(/^\s+(?:-\w, )?(--[\w-]+)( [<[])?/gm)) opts.set(m[1]!, !!m[2]);
  return opts;
}

/** The CLI's commands and options, read from `collaudo --help` and `collaudo <command> --help`. */
export async function cliSurface(): Promise<CliSurface> {
  const top = await collaudo(['--help']);
  if (top.code !== 0) throw new Error(`collaudo --help: exit ${top.code}\n${top.stderr}`);
  const section = top.stdout.split(/^Commands:$/m)[1] ?? '';
  const names = [...section.matchAll(/^\s{2}([a-z][\w-]*)/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
  const helps = await Promise.all(names.map((n) => collaudo([n, '--help'])));
  const commands = new Map<string, Map<string, boolean>>();
  names.forEach((n, i) => {
    if (helps[i]!.code !== 0) throw new Error(`collaudo ${n} --help: exit ${helps[i]!.code}\n${helps[i]!.stderr}`);
    commands.set(n, optionsOf(helps[i]!.stdout));
  });
  return { commands };
}

/** What is wrong with one invocation: an unknown command or option, an option without its value. */
export function problemsOf(inv: Invocation, cli: CliSurface): string[] {
  const [cmd, ...rest] = inv.args;
  const where = `${inv.at}: ${inv.line.trim()}`;
  const opts = cmd ? cli.commands.get(cmd) : undefined;
  if (!opts) return [`${where}: no command "${cmd ?? ''}" (known: ${[...cli.commands.keys()].join(', ')})`];
  const out: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (!a.startsWith('--')) continue;
    const [name, inline] = a.split('=', 2) as [string, string | undefined];
    const takesValue = opts.get(name);
    if (takesValue === undefined) out.push(`${where}: collaudo ${cmd} has no option ${name}`);
    else if (takesValue && inline === undefined) {
      const next = rest[i + 1];
      if (next === undefined || next.startsWith('--')) out.push(`${where}: ${name} needs a value`);
      else i++;
    }
  }
  return out;
}
