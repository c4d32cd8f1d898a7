#!/usr/bin/env node
// collaudo runs its TypeScript sources directly through tsx (no build step after `npm ci`).
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
