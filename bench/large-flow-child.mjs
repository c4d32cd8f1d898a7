// The large-flow phase's own process (bench/large-flow.ts). libxml2-wasm is imported by plain Node
// BEFORE tsx is registered: loaded through tsx's loader, its 1 MB module (the embedded WebAssembly)
// costs about 150 MB more RSS (measured: 235 MB vs 87 MB once the schema is compiled), which would
// hide the flow's own footprint. Later imports from TypeScript get the same, already loaded, module.
import 'libxml2-wasm';
import { register } from 'tsx/esm/api';

register();
const { childMain } = await import('./large-flow.ts');
await childMain(process.argv.slice(2));
