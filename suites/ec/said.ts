// Small helpers for saying things in both languages in the EC scenarios.
import type { Bi } from '../../src/core/text.js';

/** A message made only of data (codes, ids, amounts, states): the same in both languages. */
export const dataSaid = (m: string): Bi => [m, m];

/**
 * A check title in both languages for lib.ts's checkOk/checkKo, which type their `title` as a string
 * until they take Said: they hand it on to t.check, which takes both languages, so the tuple arrives
 * whole. Once their `title` is Said this is the identity and its uses can pass the tuple directly.
 */
export const titled = (s: Bi): string => s as unknown as string;
