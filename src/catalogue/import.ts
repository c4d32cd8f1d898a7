// Regenerates src/catalogue/requirements.json from the shared requirement indexes
// (../shared/spec/index-new-model-*.json, index-old-model.json). Users and CI clone only the project, so the
// generated file is committed; test/catalogue.test.ts cross-checks it when ../shared is present.
//   npx tsx src/catalogue/import.ts [path/to/shared/spec]
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequirementData } from './index.js';
import { buildRequirements, type RawIndex } from './build.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const spec = path.resolve(process.argv[2] ?? path.join(here, '../../../shared/spec'));
const snapshotFile = path.resolve(spec, '../reference/pagopa-api/SNAPSHOT');


/** `070efa90c2d1… Thu Jul 2 14:40:29 2026 +0200` → `pagopa-api 070efa90c2d1 (2026-07-02)` */
function shortSnapshot(text: string): string {
  const line = text.trim().split('\n')[0]!.trim();
  const [hash = '', ...rest] = line.split(/\s+/);
  const d = new Date(rest.join(' '));
  return `pagopa-api ${hash.slice(0, 12)}${Number.isNaN(d.getTime()) ? '' : ` (${d.toISOString().slice(0, 10)})`}`;
}
const flows = JSON.parse(readFileSync(path.join(spec, 'index-new-model-flows.json'), 'utf8')) as RawIndex;
const ifs = JSON.parse(readFileSync(path.join(spec, 'index-new-model-interfaces.json'), 'utf8')) as RawIndex;
const old = JSON.parse(readFileSync(path.join(spec, 'index-old-model.json'), 'utf8')) as RawIndex;

const out: RequirementData = {
  source: 'catalog-new-model-flows.md, catalog-new-model-interfaces.md (consistency pass 2026-11-23), catalog-old-model.md (SANP 2.2.6)',
  snapshot: existsSync(snapshotFile) ? shortSnapshot(readFileSync(snapshotFile, 'utf8')) : 'unknown',
  sanpVersion: 'SANP 3.x (3.0.0–3.10.0); SANP 2.2.6 (old model)',
  requirements: [],
};
out.requirements = buildRequirements(flows, ifs, old);
writeFileSync(path.join(here, 'requirements.json'), JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${out.requirements.length} requirements (snapshot ${out.snapshot})`);
