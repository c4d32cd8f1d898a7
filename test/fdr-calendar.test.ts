// The working-day calendar and the clock's days (domain/fdr/calendar.ts): Easter, the TARGET2 and
// Italian closing days, D+n in working days, the operating day's 13:00 cut-off, real Italian days
// across DST, and compressed days for self-tests.
import { describe, expect, it } from 'vitest';
import {
  ITALIAN_BANK_CALENDAR,
  TARGET2_CALENDAR,
  addWorkingDays,
  compressedDays,
  deadlineAfter,
  easter,
  italianHolidays,
  localDateTime,
  operatingDay,
  realDays,
  target2Holidays,
  workingCalendar,
  workingDayOnOrAfter,
  workingDaysBetween,
} from '../domain/fdr/calendar.js';

describe('working days', () => {
  it('computes Easter and the closing days from it', () => {
    expect([2024, 2025, 2026, 2027].map(easter)).toEqual(['2024-03-31', '2025-04-20', '2026-04-05', '2027-03-28']);
    expect(target2Holidays(2026)).toEqual(['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-01', '2026-12-25', '2026-12-26']);
    expect(italianHolidays(2026)).toContain('2026-12-08');
    expect(italianHolidays(2026)).not.toContain('2026-04-03'); // Good Friday is a TARGET2 day only
  });

  it('counts D+2 over weekends and holidays, by each calendar', () => {
    // Monday 7 Dec 2026; Tuesday 8 is the Immacolata: an Italian holiday, a TARGET2 working day
    expect(addWorkingDays(ITALIAN_BANK_CALENDAR, '2026-12-07', 2)).toBe('2026-12-10');
    expect(addWorkingDays(TARGET2_CALENDAR, '2026-12-07', 2)).toBe('2026-12-09');
    // Thursday 24 Dec: 25 and 26 closed, then the weekend
    expect(addWorkingDays(ITALIAN_BANK_CALENDAR, '2026-12-24', 2)).toBe('2026-12-29');
    // Friday: D+2 is Tuesday
    expect(addWorkingDays(TARGET2_CALENDAR, '2026-11-20', 2)).toBe('2026-11-24');
    expect(workingDayOnOrAfter(TARGET2_CALENDAR, '2026-11-21')).toBe('2026-11-23');
    expect(workingDaysBetween(TARGET2_CALENDAR, '2026-11-20', '2026-11-24')).toBe(2);
    expect(workingDaysBetween(TARGET2_CALENDAR, '2026-11-24', '2026-11-20')).toBe(0);
    const local = workingCalendar('Rome', [target2Holidays, italianHolidays], ['2026-06-29']);
    expect(local.isWorkingDay('2026-06-29')).toBe(false);
    expect(ITALIAN_BANK_CALENDAR.isWorkingDay('2026-06-29')).toBe(true);
  });
});

describe('days on the clock', () => {
  it('reads real Italian days across DST', () => {
    const rome = realDays();
    expect(rome.dayOf(Date.parse('2026-12-04T23:30:00Z')).day).toBe('2026-12-05');
    expect(rome.dayOf(Date.parse('2026-07-01T21:59:00Z')).day).toBe('2026-07-01');
    expect(rome.startOf('2026-07-01')).toBe(Date.parse('2026-06-30T22:00:00Z'));
    expect(rome.startOf('2026-12-05')).toBe(Date.parse('2026-12-04T23:00:00Z'));
    expect(rome.dayOf(Date.parse('2026-12-05T12:00:00Z')).sinceStartMs).toBe(13 * 3_600_000);
    expect(rome.dayOfText('2026-12-04T23:30:00Z')).toBe('2026-12-05');
    expect(rome.dayOfText('2026-12-04T23:30:00')).toBe('2026-12-04');
    expect(rome.dayOfText('not a date')).toBeUndefined();
  });

  it('compresses days to dayMs', () => {
    const d = compressedDays({ originMs: 5000, originDay: '2026-11-16', dayMs: 24_000 });
    expect(d.dayOf(5000)).toEqual({ day: '2026-11-16', sinceStartMs: 0 });
    expect(d.dayOf(5000 + 24_000 * 3 + 13_000)).toEqual({ day: '2026-11-19', sinceStartMs: 13_000 });
    expect(d.dayOf(4999).day).toBe('2026-11-15');
    expect(d.startOf('2026-11-18')).toBe(5000 + 48_000);
    expect(() => compressedDays({ originMs: 0, originDay: '2026-11-16', dayMs: 0 })).toThrow(/dayMs/);
  });

  it('puts a payment after the 13:00 cut-off, or on a closed day, on the next operating day', () => {
    const d = compressedDays({ originMs: 0, originDay: '2026-11-16', dayMs: 24_000 });
    const h = (day: number, hour: number) => day * 24_000 + hour * 1000;
    expect(operatingDay(h(0, 12.9), d, TARGET2_CALENDAR)).toBe('2026-11-16');
    expect(operatingDay(h(0, 13), d, TARGET2_CALENDAR)).toBe('2026-11-17');
    expect(operatingDay(h(4, 14), d, TARGET2_CALENDAR)).toBe('2026-11-23'); // Friday afternoon → Monday
    expect(operatingDay(h(5, 9), d, TARGET2_CALENDAR)).toBe('2026-11-23'); // Saturday → Monday
    const due = deadlineAfter('2026-11-16', 2, d, TARGET2_CALENDAR);
    expect(due).toEqual({ day: '2026-11-18', at: h(3, 0) });
  });
});

describe('localDateTime: what a party in Italy writes in dataOraFlusso', () => {
  it('is the Rome local time with its offset, the same instant as the clock, across midnight and DST', () => {
    // 23:30 UTC in winter is 00:30 of the next day in Rome (+01:00); 22:30 UTC in summer is 00:30 (+02:00)
    expect(localDateTime(Date.parse('2026-12-04T23:30:00Z'))).toBe('2026-12-05T00:30:00+01:00');
    expect(localDateTime(Date.parse('2026-07-04T22:30:05Z'))).toBe('2026-07-05T00:30:05+02:00');
    for (const iso of ['2026-03-29T00:59:59Z', '2026-03-29T01:00:00Z', '2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z']) {
      const ms = Date.parse(iso);
      expect(Date.parse(localDateTime(ms)), iso).toBe(ms);
      expect(realDays().dayOfText(localDateTime(ms)), iso).toBe(realDays().dayOf(ms).day);
    }
  });
});
