// clipQuoted: a message that quotes the candidate's data is cut to its length without leaving a quote
// open, so the Italian view still reads the cut diagnostic as data, not as an English sentence.
import { describe, expect, it } from 'vitest';
import { clipQuoted } from '../suites/request-fields.js';
import { englishIn } from './support/english.js';

describe('clipQuoted', () => {
  it('leaves a text within the length as it is', () => {
    expect(clipQuoted('1 su 2 errate: "bad value"', 100)).toBe('1 su 2 errate: "bad value"');
  });

  it('closes a quote the cut left open', () => {
    const text = 'errate: "Element \'fee\': this element is not expected, the schema wants amount"';
    const cut = clipQuoted(text, 40);
    expect(cut).toBe('errate: "Element \'fee\': this element is …"');
    expect(englishIn(text.slice(0, 40))).not.toEqual([]);
    expect(englishIn(cut)).toEqual([]);
  });

  it('adds nothing when the cut falls after a closed quote', () => {
    expect(clipQuoted('a: "x is y"; b: nessuna', 15)).toBe('a: "x is y"; b:');
  });
});
