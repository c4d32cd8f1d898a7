#!/usr/bin/env node
// collaudo runs its TypeScript sources directly through tsx (no build step after `npm ci`).
// libxml2-wasm is loaded before tsx is registered: through tsx's loader its embedded module costs
// ~150 MB more memory per process (measured: a PSP demo's peak RSS 701 MB → 555 MB)
import 'libxml2-wasm';
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
