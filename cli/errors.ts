// Small things every command needs, kept apart so that `catalogue` and `profile` start without
// loading vitest.
import { PACKAGE_ROOT } from '../src/core/paths.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = PACKAGE_ROOT;
export const VERSION: string = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** A usage or configuration error: exit code 2. */
export class UsageError extends Error {}
