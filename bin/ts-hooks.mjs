// Module hooks that let Node run collaudo's TypeScript sources as they are (no build step): type
// annotations are stripped by oxc through rolldown, the transformer vite already uses for the suites
// (so the CLI and the scenarios vitest runs get the same transform). tsx would do the same, but it pulls
// esbuild, whose postinstall script makes every `npm i collaudo` print an install-scripts warning.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'rolldown/utils';

const local = (s) => s.startsWith('.') || s.startsWith('/') || s.startsWith('file:');

/** Sources import each other as `./x.js` (NodeNext); on disk the file is `./x.ts`. */
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !local(specifier) || !specifier.endsWith('.js')) throw e;
    return next(`${specifier.slice(0, -3)}.ts`, context);
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const filename = fileURLToPath(url);
  const r = transformSync(filename, await readFile(filename, 'utf8'), { lang: 'ts', sourceType: 'module', target: 'es2022', sourcemap: true });
  if (r.errors.length > 0) throw new SyntaxError(`${filename}: ${r.errors.map((x) => x.message).join('; ')}`);
  const map = Buffer.from(JSON.stringify(r.map)).toString('base64');
  return { format: 'module', source: `${r.code}\n//# sourceMappingURL=data:application/json;base64,${map}`, shortCircuit: true };
}
