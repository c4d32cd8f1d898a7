// What the payer saw, as data a scenario judges: every page and redirect of the browser's path, with
// the facts the accessibility checks read (lang, labels, scripts, resources from elsewhere).
import type { Page } from 'playwright-core';

/** A form control the page offers, with the label a screen reader would announce. */
export interface FormField {
  tag: 'input' | 'select' | 'textarea' | 'button';
  /** input/button type (text, radio, submit, …); 'select' / 'textarea' for those */
  type: string;
  name?: string;
  value?: string;
  id?: string;
  /** <label for>, an enclosing <label>, aria-label or aria-labelledby; a button's own text; absent = unlabelled */
  label?: string;
  checked?: boolean;
  required?: boolean;
  /** a select's options */
  options?: { value: string; label: string }[];
  /** the form it belongs to: its action (absolute URL) and method */
  formAction?: string;
  formMethod?: string;
}

export interface Link {
  text: string;
  href: string;
}

/** One hop of the browser's path: a redirect (3xx with its Location) or a page it loaded. */
export interface PageVisit {
  url: string;
  method: string;
  status?: number;
  /** a redirect's target (absolute) */
  location?: string;
  /** the URL's query parameters (the first value of each) */
  query: Record<string, string>;
  /** the form body the browser sent (POST) */
  postData?: string;
  /** the rest is read from a loaded page (absent on redirects) */
  title?: string;
  /** <html lang> */
  lang?: string;
  /** visible text of <main>, else of <body> */
  text?: string;
  fields?: FormField[];
  links?: Link[];
  html?: string;
  /** number of <script> elements */
  scripts?: number;
  /** subresources the page asked for on another origin (an accessible payment page needs none) */
  foreignResources?: string[];
  /** why no page could be read (navigation error) */
  error?: string;
}

export function queryOf(url: string): Record<string, string> {
  try {
    const q: Record<string, string> = {};
    for (const [k, v] of new URL(url).searchParams) if (!(k in q)) q[k] = v;
    return q;
  } catch {
    return {};
  }
}

/** Text is capped so that a huge page does not swamp the evidence (the HTML is kept whole). */
const TEXT_CAP = 8000;

// Runs inside the page (as a string: the project compiles without the DOM library). Playwright evaluates
// it in its own world, so it works with the page's JavaScript disabled.
const FACTS = `(() => {
  const clean = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const labelOf = (e) => {
    const aria = e.getAttribute('aria-label');
    if (aria && aria.trim()) return clean(aria);
    const by = e.getAttribute('aria-labelledby');
    if (by) {
      const t = by.split(/\\s+/).map((id) => (document.getElementById(id) || {}).textContent || '').join(' ');
      if (t.trim()) return clean(t);
    }
    if (e.labels && e.labels.length) {
      const t = [...e.labels].map((l) => l.textContent).join(' ');
      if (t.trim()) return clean(t);
    }
    if (e.tagName === 'BUTTON') return clean(e.textContent) || undefined;
    if (e.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(e.type)) return clean(e.value) || undefined;
    return undefined;
  };
  const fields = [...document.querySelectorAll('input, select, textarea, button')].map((e) => {
    const tag = e.tagName.toLowerCase();
    const form = e.form;
    return {
      tag,
      type: tag === 'select' || tag === 'textarea' ? tag : (e.type || 'text'),
      name: e.name || undefined,
      value: e.value || undefined,
      id: e.id || undefined,
      label: labelOf(e),
      checked: e.type === 'radio' || e.type === 'checkbox' ? e.checked : undefined,
      required: e.required || undefined,
      options: tag === 'select' ? [...e.options].map((o) => ({ value: o.value, label: clean(o.textContent) })) : undefined,
      formAction: form ? form.action : undefined,
      formMethod: form ? (form.getAttribute('method') || 'get').toLowerCase() : undefined,
    };
  });
  const links = [...document.querySelectorAll('a[href]')].map((a) => ({ text: clean(a.textContent), href: a.href }));
  const main = document.querySelector('main') || document.body;
  return {
    title: document.title,
    lang: document.documentElement.getAttribute('lang') || undefined,
    text: clean(main ? main.innerText : ''),
    fields,
    links,
    scripts: document.querySelectorAll('script').length,
  };
})()`;

interface Facts {
  title: string;
  lang?: string;
  text: string;
  fields: FormField[];
  links: Link[];
  scripts: number;
}

/** Reads the loaded page into its hop. */
export async function readPage(page: Page, hop: PageVisit, foreign: string[]): Promise<PageVisit> {
  const html = await page.content();
  const facts = (await page.evaluate(FACTS)) as Facts;
  return { ...hop, ...facts, text: facts.text.slice(0, TEXT_CAP), html, foreignResources: foreign };
}
