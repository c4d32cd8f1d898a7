// What a certificate says, in English and Italian (its two views). A check's title, its message and
// a scenario's reason are written at the place that knows the facts, in both languages at once, so a
// compliance officer reading the Italian view meets no English sentence. Data quoted from the
// candidate (fault strings, element names, codes) stays as it came.

/** A sentence in English and Italian. */
export type Bi = readonly [en: string, it: string];

/** What the harness says, in both languages (the type makes every title, message and reason give its Italian). */
export type Said = Bi;

/** Both languages of a sentence built from parts, some of them bilingual (joined by `sep`). */
export function joinSaid(parts: Said[], sep: string | Bi = '; '): Bi {
  const [se, si] = typeof sep === 'string' ? [sep, sep] : sep;
  return [parts.map((p) => p[0]).join(se), parts.map((p) => p[1]).join(si)];
}

/** `[en, it]` of a sentence whose parts are filled in per language: `both((l) => l === 'en' ? … : …)`. */
export function both(f: (lang: 'en' | 'it') => string): Bi {
  return [f('en'), f('it')];
}

/** A message made only of data (codes, ids, amounts, states): the same in both languages. */
export const dataSaid = (m: string): Bi => [m, m];

/** Diagnostics of a validator or a peer (English technical text) as data: quoted in the Italian. */
export const quotedSaid = (items: readonly string[], sep = '; '): Bi => [items.join(sep), items.map(quoted).join(sep)];

// Data quoted in an Italian sentence (the candidate's words, a validator's diagnostic): the Italian
// view and its English detector read a quoted span as data, so it must stay one closed span.
/** `s` as one quoted span: "…", or «…» when `s` holds double quotes itself (a JSON body, a quoted value). */
export function quoted(s: string): string {
  return s.includes('"') ? `«${s}»` : `"${s}"`;
}

/** The first `n` characters of a text that quotes data: a quote the cut left open is closed (it stays data). */
export function clipQuoted(s: string, n: number): string {
  const cut = s.slice(0, n);
  const count = (re: RegExp) => cut.match(re)?.length ?? 0;
  if (count(/«/g) > count(/»/g)) return `${cut}…»`;
  // a double quote inside «…» is data, not a delimiter
  const outside = cut.replace(/«[^»]*»/g, '');
  return (outside.match(/"/g)?.length ?? 0) % 2 ? `${cut}…"` : cut;
}

