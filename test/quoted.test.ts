// Data quoted in the Italian stays one closed span: quoted() picks «…» when the data holds double
// quotes, clipQuoted() closes a quote a cut left open, so the detector reads the data as data.
import { describe, expect, it } from 'vitest';
import { clipQuoted, quoted } from '../src/core/text.js';
import { englishIn } from './support/english.js';

describe('quoted', () => {
  it('quotes plain data with double quotes', () => {
    expect(quoted('not paid')).toBe('"not paid"');
    expect(englishIn(`resoconto: ${quoted('not paid')}`)).toEqual([]);
  });

  it('quotes data holding double quotes with guillemets, so no English leaks out of the span', () => {
    const body = 'answered HTTP 500: {"error":"the PSP is out of order"}';
    expect(quoted(body)).toBe(`«${body}»`);
    expect(englishIn(`fallito: "${body}"`)).not.toEqual([]);
    expect(englishIn(`fallito: ${quoted(body)}`)).toEqual([]);
  });
});

describe('clipQuoted', () => {
  it('leaves a text within the length as it is', () => {
    expect(clipQuoted('1 su 2 errate: "bad value"', 100)).toBe('1 su 2 errate: "bad value"');
  });

  it('closes a double quote the cut left open', () => {
    const text = 'errate: "Element \'fee\': this element is not expected, the schema wants amount"';
    const cut = clipQuoted(text, 40);
    expect(cut).toBe('errate: "Element \'fee\': this element is …"');
    expect(englishIn(text.slice(0, 40))).not.toEqual([]);
    expect(englishIn(cut)).toEqual([]);
  });

  it('closes guillemets the cut left open, whatever double quotes they hold', () => {
    const text = `fallito: ${quoted('HTTP 500: {"error":"the PSP is out of order"}')}`;
    const cut = clipQuoted(text, 30);
    expect(cut).toBe('fallito: «HTTP 500: {"error":"…»');
    expect(englishIn(cut)).toEqual([]);
  });

  it('adds nothing when the cut falls after a closed quote', () => {
    expect(clipQuoted('a: "x is y"; b: nessuna', 15)).toBe('a: "x is y"; b:');
    expect(clipQuoted('a: «x "is" y»; b: nessuna', 16)).toBe('a: «x "is" y»; b');
  });
});
