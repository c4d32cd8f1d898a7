// Working days and the reconciliation deadlines, on the run's clock. Pure: every function takes dates
// (YYYY-MM-DD) or clock instants (epoch ms of the injected Clock), never Date.now().
//
// What the spec says (no ambiguity row covers it, so the readings are ours, stated here):
//  - seed 003 L2612-2615 (TR-06): "Giorno D: giorno lavorativo in cui è stato eseguito il pagamento",
//    D+1 and D+2 the following working days; "la giornata operativa pagoPA termina alle ore 13" (the
//    cut-off). [SACI-FDR]: the FdR is due "entro, e non oltre, le ore 24 della seconda giornata
//    lavorativa successiva" (D+2, NM-TR-11); [LDS-PSP] 3.2.1: an overwriting flow by 24:00 of the
//    fourth working day (D+4, NM-TR-16).
//  - "Working day" is not defined. Two readings are defensible: the SCT settlement calendar (TARGET2:
//    every weekday except 1 Jan, Good Friday, Easter Monday, 1 May, 25 and 26 Dec) and the Italian
//    banks' calendar (those plus the Italian public holidays). Accepting both means judging against
//    the later deadline: the default calendar is their union (ITALIAN_BANK_CALENDAR); a profile may
//    pass another (extra local holidays, TARGET2 only).
//  - The payment's day D is its operating day: a payment after the 13:00 cut-off, or on a day that is
//    not a working day, belongs to the next working day. This reading gives the later deadline too.
//  - Times of day are Italian (Europe/Rome); a run may compress the day (DayScale `compressedDays`):
//    a "day" then lasts `dayMs` of the clock, so D+2 passes in seconds.

import { isCalendarDate } from './ids.js';

/** A calendar day, YYYY-MM-DD. */
export type Day = string;

const DAY_MS = 86_400_000;

// a 100,000-line flow names a handful of days: each is parsed once
const parsed = new Map<string, number>();

/** Days since 1970-01-01 of a YYYY-MM-DD (throws on anything else). */
export function dayNumber(day: Day): number {
  const known = parsed.get(day);
  if (known !== undefined) return known;
  const n = parseDay(day);
  if (parsed.size > 10_000) parsed.clear();
  parsed.set(day, n);
  return n;
}
function parseDay(day: Day): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`not a day YYYY-MM-DD: ${JSON.stringify(day)}`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(t).toISOString().slice(0, 10) !== day) throw new RangeError(`not a calendar day: ${day}`);
  return t / DAY_MS;
}
const named = new Map<number, Day>();
export function dayOfNumber(n: number): Day {
  let d = named.get(n);
  if (d === undefined) {
    d = new Date(n * DAY_MS).toISOString().slice(0, 10);
    if (named.size > 10_000) named.clear();
    named.set(n, d);
  }
  return d;
}
export const addDays = (day: Day, n: number): Day => dayOfNumber(dayNumber(day) + n);
/** 0 Sunday … 6 Saturday */
export const weekday = (day: Day): number => new Date(dayNumber(day) * DAY_MS).getUTCDay();
/** a YYYY-MM-DD that names a real day (the identifier's rule, ids.ts) */
export const isDay: (s: string) => boolean = isCalendarDate;

/** Easter Sunday (Gregorian, Meeus/Jones/Butcher). */
export function easter(year: number): Day {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** TARGET2 closing days (besides weekends): 1 Jan, Good Friday, Easter Monday, 1 May, 25 and 26 Dec. */
export function target2Holidays(year: number): Day[] {
  const e = easter(year);
  return [`${year}-01-01`, addDays(e, -2), addDays(e, 1), `${year}-05-01`, `${year}-12-25`, `${year}-12-26`];
}

/** Italian public holidays (L. 260/1949 and later): the national ones, Easter Monday included. */
export function italianHolidays(year: number): Day[] {
  const e = easter(year);
  return ['01-01', '01-06', '04-25', '05-01', '06-02', '08-15', '11-01', '12-08', '12-25', '12-26'].map((md) => `${year}-${md}`).concat(addDays(e, 1));
}

/** Which days are working days. */
export interface WorkingCalendar {
  readonly name: string;
  isWorkingDay(day: Day): boolean;
}

/** Weekdays minus the holidays the functions give per year, minus `extra` days (a local patron saint …). */
export function workingCalendar(name: string, holidays: readonly ((year: number) => Day[])[], extra: readonly Day[] = []): WorkingCalendar {
  const byYear = new Map<number, Set<Day>>();
  const off = (day: Day) => {
    const y = Number(day.slice(0, 4));
    let s = byYear.get(y);
    if (!s) byYear.set(y, (s = new Set(holidays.flatMap((h) => h(y)))));
    return s.has(day) || extra.includes(day);
  };
  const memo = new Map<Day, boolean>();
  return {
    name,
    isWorkingDay(day) {
      let w = memo.get(day);
      if (w === undefined) memo.set(day, (w = weekday(day) !== 0 && weekday(day) !== 6 && !off(day)));
      return w;
    },
  };
}

export const TARGET2_CALENDAR = workingCalendar('TARGET2', [target2Holidays]);
/** The default: TARGET2 closing days and Italian public holidays (the later deadline of both readings). */
export const ITALIAN_BANK_CALENDAR = workingCalendar('TARGET2 + Italian public holidays', [target2Holidays, italianHolidays]);

/** The first working day on or after `day`. */
export function workingDayOnOrAfter(cal: WorkingCalendar, day: Day): Day {
  let d = day;
  for (let i = 0; i < 370 && !cal.isWorkingDay(d); i++) d = addDays(d, 1);
  return d;
}

/** The `n`-th working day after `day` (n ≥ 1; n = 0 gives `day` itself). */
export function addWorkingDays(cal: WorkingCalendar, day: Day, n: number): Day {
  let d = day;
  for (let k = 0; k < n; k++) d = workingDayOnOrAfter(cal, addDays(d, 1));
  return d;
}

/** Working days strictly after `from` up to and including `to` (0 when `to` ≤ `from`). */
export function workingDaysBetween(cal: WorkingCalendar, from: Day, to: Day): number {
  let n = 0;
  for (let d = addDays(from, 1); dayNumber(d) <= dayNumber(to); d = addDays(d, 1)) if (cal.isWorkingDay(d)) n++;
  return n;
}

// ---------- days on the clock ----------

/** Where a clock instant falls: its calendar day and how far into it (ms since that day's start). */
export interface DayPosition {
  day: Day;
  sinceStartMs: number;
}

/** How the run's clock maps to calendar days: real Italian days, or days compressed to `dayMs`. */
export interface DayScale {
  readonly name: string;
  /** the length of a day on this clock (real: 24 h; DST days are judged by their wall-clock hours) */
  readonly dayMs: number;
  dayOf(ms: number): DayPosition;
  /** the clock instant `day` starts (its 00:00) */
  startOf(day: Day): number;
  /**
   * The day a date-time written in a message names: with an offset (Z, +01:00) its instant on this
   * scale's days (real scale) or its own date part (compressed scale: the writer used the compressed
   * calendar); without one, its date part.
   */
  dayOfText(text: string): Day | undefined;
}

function zoneParts(ms: number, timeZone: string): { day: Day; sinceStartMs: number } {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return { day: `${p.year}-${p.month}-${p.day}`, sinceStartMs: ((Number(p.hour) * 60 + Number(p.minute)) * 60 + Number(p.second)) * 1000 + (((ms % 1000) + 1000) % 1000) };
}

/**
 * A clock instant as the local date-time of a time zone with its offset (2026-12-05T00:30:00+01:00):
 * what a party in Italy writes in dataOraFlusso, read back as the same instant by SOAP and FdR 3 alike.
 */
export function localDateTime(ms: number, timeZone = 'Europe/Rome'): string {
  const z = zoneParts(ms, timeZone);
  const offsetMin = Math.round((dayNumber(z.day) * DAY_MS + z.sinceStartMs - ms) / 60_000);
  const abs = Math.abs(offsetMin);
  const s = Math.floor(z.sinceStartMs / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${z.day}T${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}${offsetMin < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** Real days in a time zone (default Europe/Rome, the platform's). */
export function realDays(timeZone = 'Europe/Rome'): DayScale {
  // the zone's offset changes only on whole UTC hours (DST): one Intl reading per hour of the clock
  const offsets = new Map<number, number>();
  const offset = (ms: number) => {
    const hour = Math.floor(ms / 3_600_000);
    let o = offsets.get(hour);
    if (o === undefined) {
      const at = hour * 3_600_000;
      const z = zoneParts(at, timeZone);
      o = dayNumber(z.day) * DAY_MS + z.sinceStartMs - at;
      if (offsets.size > 10_000) offsets.clear();
      offsets.set(hour, o);
    }
    return o;
  };
  return {
    name: `real days (${timeZone})`,
    dayMs: DAY_MS,
    dayOf(ms) {
      const local = ms + offset(ms);
      const n = Math.floor(local / DAY_MS);
      return { day: dayOfNumber(n), sinceStartMs: local - n * DAY_MS };
    },
    startOf(day) {
      const utc = dayNumber(day) * DAY_MS;
      const first = utc - offset(utc);
      const o2 = offset(first);
      return utc - o2;
    },
    dayOfText(text) {
      const date = text.slice(0, 10);
      if (!isDay(date)) return undefined;
      if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text.trim())) return date;
      const ms = Date.parse(text);
      return Number.isNaN(ms) ? date : zoneParts(ms, timeZone).day;
    },
  };
}

/**
 * Compressed days: the clock instant `originMs` is the start of `originDay`, and every `dayMs` of the
 * clock is one more day (a self-test passes D+2 in milliseconds; a profile may set a short day for
 * a run at real pace).
 */
export function compressedDays(o: { originMs: number; originDay: Day; dayMs: number }): DayScale {
  if (!(o.dayMs > 0)) throw new RangeError(`dayMs must be > 0, got ${o.dayMs}`);
  const base = dayNumber(o.originDay);
  return {
    name: `compressed days (${o.dayMs} ms from ${o.originDay})`,
    dayMs: o.dayMs,
    dayOf(ms) {
      const n = Math.floor((ms - o.originMs) / o.dayMs);
      return { day: dayOfNumber(base + n), sinceStartMs: ms - o.originMs - n * o.dayMs };
    },
    startOf: (day) => o.originMs + (dayNumber(day) - base) * o.dayMs,
    dayOfText: (text) => (isDay(text.slice(0, 10)) ? text.slice(0, 10) : undefined),
  };
}

/** The pagoPA operating day's cut-off (seed 003 L2615, TR-06): 13:00, as a share of the day. */
export const OPERATING_CUTOFF = 13 / 24;

/**
 * The operating day D of a payment made at clock instant `ms`: its working day, or the next working
 * day when it came at or after the cut-off or on a day that is not a working day.
 */
export function operatingDay(ms: number, scale: DayScale, cal: WorkingCalendar, cutoff = OPERATING_CUTOFF): Day {
  const p = scale.dayOf(ms);
  const after = p.sinceStartMs >= cutoff * scale.dayMs;
  return workingDayOnOrAfter(cal, after ? addDays(p.day, 1) : p.day);
}

/** The instant 24:00 of the `n`-th working day after D: the FdR is due by D+2 (NM-TR-11), a correction by D+4 (NM-TR-16). */
export function deadlineAfter(day: Day, n: number, scale: DayScale, cal: WorkingCalendar): { day: Day; at: number } {
  const last = addWorkingDays(cal, day, n);
  return { day: last, at: scale.startOf(addDays(last, 1)) };
}

/** D+2 and D+4 in working days. */
export const FDR_DUE_WORKING_DAYS = 2;
export const FDR_CORRECTION_WORKING_DAYS = 4;
/** TR-02 / NM-TR-10: the SCT by the working day after D. */
export const SCT_DUE_WORKING_DAYS = 1;
