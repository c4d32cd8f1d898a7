// The scripted payer: a person in front of a browser, played by headless Chromium (the system
// browser, playwright-core). One browser per seat environment, launched at first use and closed by
// the environment; one fresh browser context per scenario, with JavaScript OFF by default (the WISP
// and PSP pages must work without it). Every operation returns what happened as data (each hop of
// the browser's path and the page it ended on) and journals each hop in the scenario's journal, so
// the certificate shows the browser's path. Deadlines are the caller's (from the spec's timeouts).
import { chromium, type Browser, type BrowserContext, type Locator, type Page, type Response } from 'playwright-core';
import { type Correlation, JOURNALED_BY_HEADER, type Journal } from '../../src/core/journal.js';
import { NO_BROWSER_REASON, NoBrowser, findBrowser } from './browser.js';
import type { Bi } from '../../src/core/text.js';
import { type PageVisit, queryOf, readPage } from './page.js';

export { BROWSER_PATHS, NO_BROWSER_REASON, NoBrowser, findBrowser } from './browser.js';
export type { BrowserFound } from './browser.js';
export type { FormField, Link, PageVisit } from './page.js';

/** Why no browser can be used (findBrowser's reason), in both languages: a browser-driven scenario's NOT_APPLICABLE reason. */
export function browserReasonSaid(reason: string): Bi {
  return [reason, reason === NO_BROWSER_REASON ? 'nessun browser trovato (installare il pacchetto Debian chromium)' : `nessun browser utilizzabile: "${reason}"`];
}

/** What one operation did: the hops it caused, in order, and the page the browser is on afterwards. */
export interface PayerStep {
  pages: PageVisit[];
  /** the page the browser shows at the end (absent if none ever loaded) */
  final?: PageVisit;
  /** why the operation could not do what it was asked (no such control, nothing loaded in time, …) */
  problem?: string;
  /** the problem in Italian (the certificate's Italian view); set whenever `problem` is */
  problemIt?: string;
}

export interface PayerBinding {
  journal: Journal;
  /** names of the parties by base URL (e.g. { [nodoUrl]: 'nodo', [ecUrl]: 'ec' }); default: the URL's host */
  parties?: Record<string, string>;
  /** default false: the flow must work without JavaScript */
  javaScriptEnabled?: boolean;
}

export interface PayerOptions {
  /** the browser executable; default: findBrowser() */
  executablePath?: string;
}

/** Query parameters that are correlation keys of the old model. */
const QUERY_KEYS: Record<string, string> = {
  idSession: 'idSession', idDominio: 'idDominio', identificativoDominio: 'idDominio', idCarrello: 'idCarrello',
  identificativoCarrello: 'idCarrello', IUV: 'iuv', iuv: 'iuv', CCP: 'ccp', ccp: 'ccp',
};

const PAY = /^\s*(paga|pay|conferma|autorizza)/i;
const CANCEL = /^\s*(annulla|cancel|rinuncia)/i;
const ONWARD = /(torna|ritorna|continua|prosegui|procedi|vai|return|continue|back)/i;

interface Visit {
  context: BrowserContext;
  page: Page;
  binding?: PayerBinding;
  hops: PageVisit[];
  /** subresources on another origin than the document that asked for them */
  foreign: string[];
  /** the journal writes of the hops, in order */
  writes: Promise<void>;
  current?: PageVisit;
  /** index of the hop `current` was read from */
  readIndex: number;
}

export class Payer {
  private browser?: Promise<Browser>;
  private visit?: Promise<Visit>;
  private binding?: PayerBinding;
  private closing: Promise<void> = Promise.resolve();
  constructor(private readonly o: PayerOptions = {}) {}

  /** Whether a browser can be launched here ({ path } or { reason }). */
  static available(): ReturnType<typeof findBrowser> {
    return findBrowser();
  }

  /** The running scenario's journal (undefined = the scenario ended: its browser context is closed). */
  bind(b: PayerBinding | undefined): void {
    this.endVisit();
    this.binding = b;
  }

  /** Every hop of the current scenario's browser path. */
  async history(): Promise<PageVisit[]> {
    return this.visit ? [...(await this.visit).hops] : [];
  }

  /** Loads `url` in the scenario's browser. */
  open(url: string, deadlineMs: number): Promise<PayerStep> {
    return this.act(deadlineMs, async (p, t) => {
      await p.goto(url, { timeout: t(), waitUntil: 'load' });
    });
  }

  /**
   * Chooses a PSP on a choice page and submits the choice: a radio button or select option whose
   * label or value is `labelOrId` (or whose value starts with `labelOrId|`), then the first submit
   * button of its form; or a link/button so named.
   */
  choosePsp(labelOrId: string, deadlineMs: number): Promise<PayerStep> {
    return this.act(deadlineMs, async (p, t) => {
      const radio = await first([
        p.getByLabel(labelOrId, { exact: true }).and(p.locator('input[type=radio], input[type=checkbox]')),
        p.locator(`input[type=radio][value="${cssString(labelOrId)}"]`),
        // a value naming the PSP first, then its channel (WISP's "idPSP|idChannel")
        p.locator(`input[type=radio][value^="${cssString(labelOrId)}|"]`),
        p.getByLabel(labelOrId).and(p.locator('input[type=radio]')),
      ]);
      if (radio) {
        await radio.check({ timeout: t() });
        return this.submitFormOf(radio, p, t);
      }
      const option = await first([p.locator(`select:has(option[value="${cssString(labelOrId)}"])`), p.locator('select').filter({ hasText: labelOrId })]);
      if (option) {
        const byValue = (await option.locator(`option[value="${cssString(labelOrId)}"]`).count()) > 0;
        await option.selectOption(byValue ? { value: labelOrId } : { label: labelOrId }, { timeout: t() });
        return this.submitFormOf(option, p, t);
      }
      const control = await first([p.getByRole('link', { name: labelOrId }), p.getByRole('button', { name: labelOrId })]);
      if (!control) throw new Stuck(`no PSP "${labelOrId}" offered on ${p.url()} (no radio button, option, link or button so named)`, `nessun PSP "${labelOrId}" offerto su ${p.url()} (nessun radio button, opzione, link o pulsante con quel nome)`);
      await this.clickAndLoad(control, p, t);
    });
  }

  /** Presses the page's pay button ("Paga", "Conferma", …). */
  pay(deadlineMs: number): Promise<PayerStep> {
    return this.press(PAY, deadlineMs);
  }

  /** Presses the page's cancel button ("Annulla", …). */
  cancel(deadlineMs: number): Promise<PayerStep> {
    return this.press(CANCEL, deadlineMs);
  }

  /** Presses the button or link whose accessible name matches `name`, and waits for the next page. */
  press(name: string | RegExp, deadlineMs: number): Promise<PayerStep> {
    return this.act(deadlineMs, async (p, t) => {
      const control = await first([p.getByRole('button', { name }), p.getByRole('link', { name })]);
      if (!control) throw new Stuck(`no button or link named ${String(name)} on ${p.url()}`, `nessun pulsante o link di nome "${String(name)}" su ${p.url()}`);
      await this.clickAndLoad(control, p, t);
    });
  }

  /** Types `value` into the field labelled `label` (no navigation). */
  fill(label: string, value: string, deadlineMs: number): Promise<PayerStep> {
    return this.act(deadlineMs, async (p, t) => {
      await p.getByLabel(label).first().fill(value, { timeout: t() });
    });
  }

  /**
   * Follows the flow until a hop satisfies `until`: waits for a refresh the page announces, else
   * takes the one way onward it offers ("Torna al sito dell'ente", "Continua", its only link or form).
   */
  followUntil(until: (hop: PageVisit) => boolean, deadlineMs: number): Promise<PayerStep> {
    return this.act(deadlineMs, async (p, t, v, since) => {
      const reached = () => v.hops.slice(since).some(until) || (v.current !== undefined && until(v.current));
      for (;;) {
        await settle(v);
        if (reached()) return;
        const before = v.hops.length;
        const refresh = await p.locator('meta[http-equiv="refresh" i]').count();
        if (refresh) {
          await waitForHop(v, before, t());
          await p.waitForLoadState('load', { timeout: t() });
          continue;
        }
        const onward = await first([p.getByRole('link', { name: ONWARD }), p.getByRole('button', { name: ONWARD })]) ?? (await only(p.locator('a[href]'))) ?? (await only(p.locator('form button, form input[type=submit]')));
        if (!onward) throw new Stuck(`the flow stops at ${p.url()}: no refresh and no single way onward`, `il percorso si ferma a ${p.url()}: nessun refresh e nessuna unica via per proseguire`);
        await this.clickAndLoad(onward, p, t);
      }
    });
  }

  /** Closes the scenario's browser context. */
  endVisit(): void {
    const v = this.visit;
    this.visit = undefined;
    if (v) this.closing = this.closing.then(() => v.then((x) => x.writes.then(() => x.context.close())).catch(() => undefined));
  }

  /** Closes the browser (the seat environment's end). */
  async close(): Promise<void> {
    this.endVisit();
    await this.closing;
    const b = this.browser;
    this.browser = undefined;
    if (b) await (await b.catch(() => undefined))?.close();
  }

  // ---------------------------------------------------------------- internals

  private launch(timeoutMs: number): Promise<Browser> {
    if (!this.browser) {
      const found = this.o.executablePath ? { path: this.o.executablePath } : findBrowser();
      if (!('path' in found)) return Promise.reject(new NoBrowser(found.tried));
      // chromiumSandbox false: CI runs as root, where Chromium's sandbox cannot start (libraries.md §10)
      this.browser = chromium.launch({ executablePath: found.path, headless: true, chromiumSandbox: false, timeout: timeoutMs });
      this.browser.catch(() => (this.browser = undefined));
    }
    return this.browser;
  }

  private current(timeoutMs: number): Promise<Visit> {
    this.visit ??= this.closing.then(() => this.newVisit(timeoutMs));
    this.visit.catch(() => (this.visit = undefined));
    return this.visit;
  }

  private async newVisit(timeoutMs: number): Promise<Visit> {
    const browser = await this.launch(timeoutMs);
    const binding = this.binding;
    // a bound visit journals its hops itself: the header tells our servers not to journal them again
    const extraHTTPHeaders = binding ? { [JOURNALED_BY_HEADER]: 'payer' } : undefined;
    const context = await browser.newContext({ javaScriptEnabled: binding?.javaScriptEnabled ?? false, locale: 'it-IT', extraHTTPHeaders });
    const page = await context.newPage();
    const v: Visit = { context, page, binding, hops: [], foreign: [], writes: Promise.resolve(), readIndex: -1 };
    page.on('request', (r) => {
      if (r.isNavigationRequest()) return;
      const doc = r.frame().url();
      if (originOf(r.url()) !== originOf(doc)) v.foreign.push(r.url());
    });
    page.on('response', (r) => {
      const q = r.request();
      if (!q.isNavigationRequest() || q.frame() !== page.mainFrame()) return;
      this.hop(v, r);
    });
    return v;
  }

  /** Records a main-frame navigation response as a hop and journals it (request, then response). */
  private hop(v: Visit, r: Response): void {
    const q = r.request();
    const status = r.status();
    const loc = r.headers()['location'];
    const hop: PageVisit = {
      url: r.url(), method: q.method(), status, query: queryOf(r.url()), postData: q.postData() ?? undefined,
      location: status >= 300 && status < 400 && loc ? new URL(loc, r.url()).href : undefined,
    };
    v.hops.push(hop);
    const j = v.binding?.journal;
    if (!j) return;
    const to = partyOf(r.url(), v.binding?.parties);
    const correlation = correlationOf(hop);
    const body = hop.location ? Promise.resolve('') : r.text().catch(() => '');
    v.writes = v.writes.then(async () => {
      const raw = await body;
      const exchange = j.newExchange();
      j.record({ exchange, direction: 'request', from: 'payer', to, url: hop.url, primitive: 'page', raw: hop.postData ?? '', correlation, note: `${hop.method} ${hop.url}` });
      j.record({
        exchange, direction: 'response', from: to, to: 'payer', url: hop.url, primitive: 'page', httpStatus: status, raw,
        headers: hop.location ? { location: hop.location } : undefined, correlation,
        note: hop.location ? `${status} → ${hop.location}` : `${status} ${hop.url}`,
      });
    });
  }

  /** Runs one operation under the caller's deadline and turns what happened into a PayerStep. */
  private async act(deadlineMs: number, fn: (p: Page, left: () => number, v: Visit, since: number) => Promise<void>): Promise<PayerStep> {
    const end = Date.now() + deadlineMs;
    const left = () => Math.max(1, end - Date.now());
    const v = await this.current(left());
    const since = v.hops.length;
    let problem: string | undefined;
    let problemIt: string | undefined;
    try {
      await fn(v.page, left, v, since);
    } catch (e) {
      if (e instanceof NoBrowser) throw e;
      const first = (e as Error).message.split('\n')[0];
      // the browser's own error is technical: quoted in the Italian
      [problem, problemIt] = e instanceof Stuck ? [e.message, e.it] : [`${first} (deadline ${deadlineMs} ms)`, `"${first}" (scadenza ${deadlineMs} ms)`];
    }
    await settle(v);
    return { pages: v.hops.slice(since), final: v.current, problem, problemIt };
  }

  private async submitFormOf(control: Locator, p: Page, t: () => number): Promise<void> {
    const form = control.locator('xpath=ancestor::form[1]');
    const submit = await first([form.locator('button:not([type=button]):not([type=reset]), input[type=submit]')]);
    if (!submit) throw new Stuck(`the choice on ${p.url()} has no submit button`, `la scelta su ${p.url()} non ha un pulsante di invio`);
    await this.clickAndLoad(submit, p, t);
  }

  private async clickAndLoad(control: Locator, p: Page, t: () => number): Promise<void> {
    const loaded = p.waitForEvent('load', { timeout: t() });
    loaded.catch(() => undefined);
    await control.first().click({ timeout: t() });
    await loaded;
  }
}

/** Reads the page the browser shows, if its hop was not read yet (a redirect has no page). */
async function settle(v: Visit): Promise<void> {
  await v.writes;
  const i = v.hops.length - 1;
  const last = v.hops[i];
  if (!last || last.location || i === v.readIndex) return;
  v.readIndex = i;
  try {
    v.hops[i] = await readPage(v.page, last, v.foreign.splice(0));
  } catch (e) {
    last.error = (e as Error).message.split('\n')[0];
  }
  v.current = v.hops[i];
}

/** A step the page does not allow (told as the page's fault, not as an error of ours), in both languages. */
class Stuck extends Error {
  constructor(
    message: string,
    readonly it: string,
  ) {
    super(message);
  }
}

async function first(candidates: Locator[]): Promise<Locator | undefined> {
  for (const c of candidates) if ((await c.count()) > 0) return c.first();
  return undefined;
}

async function only(l: Locator): Promise<Locator | undefined> {
  return (await l.count()) === 1 ? l : undefined;
}

function waitForHop(v: Visit, before: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (v.hops.length > before) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Stuck(`the page announced a refresh that did not come within ${timeoutMs} ms`, `la pagina ha annunciato un refresh che non è arrivato entro ${timeoutMs} ms`));
      v.page.waitForEvent('response', { timeout: Math.max(1, timeoutMs - (Date.now() - started)) }).then(tick, tick);
    };
    tick();
  });
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function partyOf(url: string, parties: Record<string, string> | undefined): string {
  const hit = Object.entries(parties ?? {}).filter(([base]) => url.startsWith(base)).sort((a, b) => b[0].length - a[0].length)[0];
  if (hit) return hit[1];
  try {
    return new URL(url).host;
  } catch {
    return 'browser';
  }
}

/** The old model's keys a hop names in its query or in the form it posted (WISP's choice carries idSession). */
function correlationOf(hop: PageVisit): Correlation {
  const c: Correlation = {};
  const form = hop.method === 'POST' && hop.postData ? Object.fromEntries(new URLSearchParams(hop.postData)) : {};
  for (const [k, v] of [...Object.entries(hop.query), ...Object.entries(form)]) {
    const key = QUERY_KEYS[k];
    if (key && c[key] === undefined) c[key] = v;
  }
  return c;
}

function cssString(s: string): string {
  return s.replace(/["\\]/g, '\\$&');
}
