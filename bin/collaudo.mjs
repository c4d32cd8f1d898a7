#!/usr/bin/env node
// collaudo runs its TypeScript sources directly (no build step): bin/ts-hooks.mjs strips the types.
// libxml2-wasm is loaded before the hooks are registered, so its embedded module never goes through
// them (through tsx's loader it cost ~150 MB more memory per process: a PSP demo's peak RSS 701 → 555 MB)
import 'libxml2-wasm';
import { installTsHooks } from './ts-hooks.mjs';

process.setSourceMapsEnabled(true);
installTsHooks();
await import('../cli/main.ts');
