// The shape of the repository as a test: which folder may import which (dependency-cruiser over the
// real import graph, `import type` included), no import cycle, and no source file over 600 lines.
// Each rule is also run on a small fixture that breaks it, so a rule that can no longer fail (e.g.
// no .ts file parsed, a misspelt path) fails here instead of passing silently.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult, type IForbiddenRuleType, type IViolation } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { PACKAGE_ROOT } from '../src/core/paths.js';

const ROOT = PACKAGE_ROOT;
/** every folder holding project code (bin and fixtures included: their imports count too) */
const FOLDERS = ['src', 'domain', 'interfaces', 'actors', 'candidates', 'seats', 'cli', 'suites', 'reports', 'test', 'bench', 'bin', 'fixtures'];
const MAX_LINES = 600;

const forbid = (name: string, comment: string, from: string, to: string): IForbiddenRuleType => ({
  name, comment, severity: 'error', from: { path: from }, to: { path: to },
});

export const RULES: IForbiddenRuleType[] = [
  // type-only cycles too: a cycle through `import type` still ties the two files' designs together
  { name: 'no-circular', comment: 'no import cycle', severity: 'error', from: {}, to: { circular: true } },
  { name: 'no-unresolvable', comment: 'every import resolves to a file or a package', severity: 'error', from: {}, to: { couldNotResolve: true } },
  forbid('core-stands-alone', 'the core (src/) knows no actor, candidate, suite, seat, command, interface or report',
    '^src/', '^(actors|candidates|suites|seats|cli|interfaces|reports)/'),
  forbid('candidate-stands-alone', 'a reference candidate stands alone: it uses the core, domain and interfaces, never the harness',
    '^candidates/', '^(actors|suites|seats|cli)/'),
  forbid('actors-not-to-candidates', "the harness's own parts never lean on the candidates they certify",
    '^actors/', '^(candidates|suites|seats|cli)/'),
  forbid('suites-not-to-candidates', 'a suite certifies whatever candidate it is given, so it imports none',
    '^suites/', '^candidates/'),
  {
    // domain/ too: a caller rule (IF-X-16) reads the platform's registry
    name: 'interfaces-on-core-only', comment: 'a wire contract is data over the core: it imports only src/, domain/ and its own folder',
    severity: 'error', from: { path: '^interfaces/' },
    to: { pathNot: '^(src|domain|interfaces|node_modules)/', dependencyTypesNot: ['core'] },
  },
  forbid('domain-is-data', "pagoPA's value types and registry lean on the core alone",
    '^domain/', '^(actors|candidates|suites|seats|cli|interfaces|reports)/'),
];

/** A known violation another branch is removing right now: tolerated only while it still exists. */
interface InFlight {
  rule: string;
  from: RegExp;
  /** for a cycle: every file on the cycle */
  to: RegExp;
}
const IN_FLIGHT_IMPORTS: InFlight[] = [];
/** Files over the limit that other branches are splitting right now. */
const IN_FLIGHT_LONG_FILES: string[] = [];

async function cruiseAt(baseDir: string, folders: string[]): Promise<ICruiseResult> {
  const tsconfig = path.join(baseDir, 'tsconfig.json');
  const { output } = await cruise(
    folders,
    {
      baseDir,
      validate: true,
      ruleSet: { forbidden: RULES },
      doNotFollow: { path: 'node_modules' },
      tsConfig: { fileName: tsconfig },
      tsPreCompilationDeps: true, // keep `import type` edges
      enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] }, // packages' "exports" maps
    },
    undefined,
    { tsConfig: extractTSConfig(tsconfig) },
  );
  if (typeof output === 'string') throw new Error('expected a cruise result, got a report');
  return output;
}

function show(v: IViolation): string {
  const cycle = v.cycle ? ` (cycle ${[v.from, ...v.cycle.map((c) => c.name)].join(' -> ')})` : '';
  return `${v.rule.name}: ${v.from} -> ${v.to}${cycle}`;
}

function covers(x: InFlight, v: IViolation): boolean {
  if (x.rule !== v.rule.name || !x.from.test(v.from)) return false;
  return v.cycle ? v.cycle.every((c) => x.to.test(c.name)) : x.to.test(v.to);
}

/** .ts and .mjs files under `root` (node_modules and dot folders aside) longer than MAX_LINES. */
export function longFiles(root: string): { file: string; lines: number }[] {
  const out: { file: string; lines: number }[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(ts|mjs)$/.test(e.name)) {
        const text = readFileSync(full, 'utf8');
        const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
        if (lines > MAX_LINES) out.push({ file: path.relative(root, full).split(path.sep).join('/'), lines });
      }
    }
  };
  walk(root);
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

describe('repository shape', () => {
  it('imports follow the layering and make no cycle', async () => {
    const result = await cruiseAt(ROOT, FOLDERS);
    // 0 modules would mean no .ts file was parsed (no or unsupported typescript): every rule would pass
    expect(result.summary.totalCruised).toBeGreaterThan(150);
    const violations = result.summary.violations;
    const broken = violations.filter((v) => !IN_FLIGHT_IMPORTS.some((x) => covers(x, v))).map(show);
    expect(broken, `import rules broken:\n  ${broken.join('\n  ')}\n`).toEqual([]);
    const stale = IN_FLIGHT_IMPORTS.filter((x) => !violations.some((v) => covers(x, v)))
      .map((x) => `${x.rule}: ${x.from.source} -> ${x.to.source}`);
    expect(stale, `in-flight exceptions no longer needed (delete them from IN_FLIGHT_IMPORTS):\n  ${stale.join('\n  ')}\n`).toEqual([]);
  });

  it(`no .ts or .mjs file is over ${MAX_LINES} lines`, () => {
    const long = longFiles(ROOT);
    const broken = long.filter((f) => !IN_FLIGHT_LONG_FILES.includes(f.file)).map((f) => `${f.file}: ${f.lines} lines`);
    expect(broken, `files over ${MAX_LINES} lines (split them along their concepts):\n  ${broken.join('\n  ')}\n`).toEqual([]);
    const stale = IN_FLIGHT_LONG_FILES.filter((f) => !long.some((l) => l.file === f));
    expect(stale, `in-flight long files now short enough (delete them from IN_FLIGHT_LONG_FILES):\n  ${stale.join('\n  ')}\n`).toEqual([]);
  });
});

describe('the rules can fail', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'collaudo-arch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const put = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };

  it('on a cycle, a forbidden import and an interface leaning outside the core', async () => {
    put('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
    put('package.json', JSON.stringify({ type: 'module' }));
    put('src/a.ts', "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n");
    put('src/b.ts', "import type { a } from './a.js';\nexport const b = (): number => 1;\nexport type A = typeof a;\n");
    put('src/c.ts', "import { x } from '../candidates/x.js';\nexport const c = x;\n");
    put('candidates/x.ts', "import { y } from '../actors/y.js';\nexport const x = y;\n");
    put('actors/y.ts', 'export const y = 1;\n');
    put('suites/s.ts', "import { x } from '../candidates/x.js';\nexport const s = x;\n");
    put('interfaces/i.ts', "import { d } from '../domain/d.js';\nimport { y } from '../actors/y.js';\nimport { a } from '../src/a.js';\nimport { readFileSync } from 'node:fs';\nexport const i = [d, y, a, readFileSync];\n");
    put('domain/d.ts', "import { r } from '../reports/r.js';\nexport const d = r;\n");
    put('reports/r.ts', 'export const r = 1;\n');
    const result = await cruiseAt(dir, ['src', 'candidates', 'actors', 'suites', 'interfaces', 'domain']);
    expect(result.summary.totalCruised).toBe(10); // 9 files and node:fs
    // a cycle is reported once, at its first file; `import type` edges count (b -> a is one)
    expect(result.summary.violations.map(show).sort()).toEqual([
      'candidate-stands-alone: candidates/x.ts -> actors/y.ts',
      'core-stands-alone: src/c.ts -> candidates/x.ts',
      'domain-is-data: domain/d.ts -> reports/r.ts',
      'interfaces-on-core-only: interfaces/i.ts -> actors/y.ts',
      'no-circular: src/a.ts -> src/b.ts (cycle src/a.ts -> src/b.ts -> src/a.ts)',
      'suites-not-to-candidates: suites/s.ts -> candidates/x.ts',
    ]);
  });

  it(`on a file of ${MAX_LINES + 1} lines, not on one of ${MAX_LINES}`, () => {
    put('long/ok.ts', 'export {};\n'.repeat(MAX_LINES));
    put('long/over.mjs', 'export {};\n'.repeat(MAX_LINES + 1));
    put('long/node_modules/dep.ts', 'export {};\n'.repeat(MAX_LINES + 1));
    expect(longFiles(path.join(dir, 'long'))).toEqual([{ file: 'over.mjs', lines: MAX_LINES + 1 }]);
  });
});
