// The system browser the scripted payer drives (headless Chromium through playwright-core). Never the
// browser playwright would download: Debian's `chromium` package, found on disk, so `npm ci` alone
// leaves the browser-driven scenarios NOT_APPLICABLE with a reason instead of failing.
import { accessSync, constants, statSync } from 'node:fs';

/** The reason a browser-driven scenario is NOT_APPLICABLE when no browser is installed. */
export const NO_BROWSER_REASON = 'no browser found (install Debian chromium)';

/** Where the system browser is looked for, after CHROMIUM_PATH. */
export const BROWSER_PATHS: readonly string[] = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export type BrowserFound = { path: string } | { reason: string; tried: string[] };

function executable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The browser to launch: CHROMIUM_PATH when it is set (and then only it: a path given on purpose
 * that points nowhere is a missing browser, never silently another one), else the first of
 * BROWSER_PATHS that is an executable file.
 */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): BrowserFound {
  const given = env.CHROMIUM_PATH?.trim();
  const tried = given ? [given] : [...BROWSER_PATHS];
  const path = tried.find(executable);
  return path ? { path } : { reason: NO_BROWSER_REASON, tried };
}

/** Thrown when a browser-driven step runs on a machine without a browser (scenarios check findBrowser first). */
export class NoBrowser extends Error {
  constructor(readonly tried: readonly string[]) {
    super(`${NO_BROWSER_REASON}; looked at ${tried.join(', ')}`);
  }
}
