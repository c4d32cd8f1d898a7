// Module hooks that let Node run collaudo's TypeScript sources as they are (no build step): type
// annotations are stripped by oxc through rolldown, the transformer vite already uses for the suites
// (so the CLI and the scenarios vitest runs get the same transform). tsx would do the same, but it pulls
// esbuild, whose postinstall script makes every `npm i collaudo` print an install-scripts warning.
// installTsHooks() uses module.registerHooks (in-thread, synchronous) where Node has it (22.15+; Node 26
// deprecates module.register, DEP0205), else module.register with the async hooks below (Node 20).
import { readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'rolldown/utils';

const local = (s) => s.startsWith('.') || s.startsWith('/') || s.startsWith('file:');

/** Sources import each other as `./x.js` (NodeNext); on disk the file is `./x.ts`: the name to try instead, or undefined. */
function tsTwin(specifier, e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !local(specifier) || !specifier.endsWith('.js')) return undefined;
  return `${specifier.slice(0, -3)}.ts`;
}

/** The module a .ts file becomes (types stripped, source map inline), or undefined for any other URL. */
function transformed(url) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return undefined;
  const filename = fileURLToPath(url);
  const r = transformSync(filename, readFileSync(filename, 'utf8'), { lang: 'ts', sourceType: 'module', target: 'es2022', sourcemap: true });
  if (r.errors.length > 0) throw new SyntaxError(`${filename}: ${r.errors.map((x) => x.message).join('; ')}`);
  const map = Buffer.from(JSON.stringify(r.map)).toString('base64');
  return { format: 'module', source: `${r.code}\n//# sourceMappingURL=data:application/json;base64,${map}`, shortCircuit: true };
}

// asynchronous hooks, for module.register (Node 20)
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    const twin = tsTwin(specifier, e);
    if (!twin) throw e;
    return next(twin, context);
  }
}

export async function load(url, context, next) {
  return transformed(url) ?? next(url, context);
}

/** Registers the hooks in this process, with the API this Node has. */
export function installTsHooks() {
  if (typeof nodeModule.registerHooks === 'function') {
    nodeModule.registerHooks({
      resolve(specifier, context, next) {
        try {
          return next(specifier, context);
        } catch (e) {
          const twin = tsTwin(specifier, e);
          if (!twin) throw e;
          return next(twin, context);
        }
      },
      load: (url, context, next) => transformed(url) ?? next(url, context),
    });
  } else nodeModule.register('./ts-hooks.mjs', import.meta.url);
}
