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
