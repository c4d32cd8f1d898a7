// The large-flow phase's own process (bench/large-flow.ts), started as the CLI starts: libxml2-wasm
// is imported by plain Node BEFORE the TypeScript hooks are registered (bin/ts-hooks.mjs, as in
// bin/collaudo.mjs), so its 1 MB module (the embedded WebAssembly) never goes through a loader (through
// tsx's it cost about 150 MB more RSS: 235 MB vs 87 MB once the schema is compiled), which would hide
// the flow's own footprint. Later imports from TypeScript get the same, already loaded, module.
import 'libxml2-wasm';
import { installTsHooks } from '../bin/ts-hooks.mjs';

installTsHooks();
const { childMain } = await import('./large-flow.ts');
await childMain(process.argv.slice(2));
