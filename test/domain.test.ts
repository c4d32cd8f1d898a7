// Value types of the new model (src/domain.ts): wire amounts, IBANs, notice numbers, EC fiscal codes.
// Check digits are cross-checked against an independent BigInt computation, not against the code itself.
import { describe, expect, it } from 'vitest';
import {
  checkDigit,
  formatAmount,
  isFiscalCodePA,
  isNoticeNumber,
  isPostalIban,
  isValidIban,
  makeIban,
  noticeAux3,
  noticeCheckDigitOk,
  parseAmount,
  parseNotice,
} from '../domain/common.js';
import { NOTICE_STATE_FAULTS, noticeStateFault } from '../domain/notice-state.js';

/** mod 93 of a digit string, two digits: the oracle for the notice check digit. */
const mod93 = (digits: string) => String(BigInt(digits) % 93n).padStart(2, '0');

describe('formatAmount', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [29, '0.29'],
    [100, '1.00'],
    [1050, '10.50'],
    [123456, '1234.56'],
    [99_999_999_999, '999999999.99'],
  ])('%i cents → %s', (cents, wire) => {
    expect(formatAmount(cents)).toBe(wire);
  });

  it.each([[-1], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY]])('refuses %s (not a non-negative integer)', (c) => {
    expect(() => formatAmount(c)).toThrow(RangeError);
  });
});

describe('parseAmount', () => {
  it.each([
    ['0.00', 0],
    ['0.05', 5],
    ['0.29', 29],
    ['1.00', 100],
    ['10.50', 1050],
    ['999999999.99', 99_999_999_999],
    ['007.10', 710],
  ])('%s → %i cents (exact, no float drift)', (wire, cents) => {
    expect(parseAmount(wire)).toBe(cents);
  });

  it.each([['10'], ['10.5'], ['10.505'], ['+10.00'], ['-10.00'], ['1e3'], ['1e3.00'], ['10,00'], [' 10.00'], ['10.00 '], ['.50'], [''], ['abc']])(
    '%j is not the wire form → undefined',
    (wire) => {
      expect(parseAmount(wire)).toBeUndefined();
    },
  );

  it('undefined → undefined', () => {
    expect(parseAmount(undefined)).toBeUndefined();
  });

  it('round trip for every cent value of a range', () => {
    for (let c = 0; c < 2000; c += 7) expect(parseAmount(formatAmount(c))).toBe(c);
  });
});

describe('IBAN', () => {
  const VALID = [
    'IT60X0542811101000000123456',
    'IT15V0306901783100000300001',
    'IT30N0103076271000001823603',
    'GB82WEST12345698765432',
    'DE89370400440532013000',
  ];
  it.each(VALID)('%s is valid', (iban) => {
    expect(isValidIban(iban)).toBe(true);
  });

  it.each([
    ['IT61X0542811101000000123456', 'wrong check digits'],
    ['IT60X0542811101000000123457', 'one BBAN digit changed'],
    ['it60x0542811101000000123456', 'lower case'],
    ['IT60 X054 2811 1010 0000 0123 456', 'spaces'],
    ['ITXX0542811101000000123456', 'letters as check digits'],
    ['IT60', 'no BBAN'],
    ['', 'empty'],
  ])('%s is invalid (%s)', (iban) => {
    expect(isValidIban(iban)).toBe(false);
  });

  it('undefined is invalid', () => {
    expect(isValidIban(undefined)).toBe(false);
  });

  it.each([
    ['IT', 'X0542811101000000123456', 'IT60X0542811101000000123456'],
    ['GB', 'WEST12345698765432', 'GB82WEST12345698765432'],
    ['DE', '370400440532013000', 'DE89370400440532013000'],
  ])('makeIban(%s, %s) computes the published check digits', (country, bban, iban) => {
    expect(makeIban(country, bban)).toBe(iban);
  });

  it('makeIban always yields a valid IBAN, with two-digit (zero-padded) check digits', () => {
    for (let i = 0; i < 200; i++) {
      const bban = `X03069096061${String(i * 7919).padStart(11, '0')}`;
      const iban = makeIban('IT', bban);
      expect(iban).toMatch(/^IT\d{2}X/);
      expect(isValidIban(iban), iban).toBe(true);
    }
  });
});

describe('notice numbers (NM-X-NAV-01)', () => {
  it('checkDigit is the prefix mod 93 on two digits', () => {
    for (const p of ['3', '0', '92', '93', '3010000000000000', '0120000000004242', '2123456789012345']) expect(checkDigit(p)).toBe(mod93(p));
    expect(checkDigit('3')).toBe('03');
    expect(checkDigit('93')).toBe('00');
  });

  it('noticeAux3 = 3 ‖ segregation code ‖ base13 ‖ check digit', () => {
    const n = noticeAux3('01', '0000000000042');
    expect(n).toHaveLength(18);
    expect(n.slice(0, 16)).toBe('3010000000000042');
    expect(n.slice(16)).toBe(mod93('3010000000000042'));
    expect(isNoticeNumber(n)).toBe(true);
  });

  it.each([
    ['1', '0000000000042'],
    ['001', '0000000000042'],
    ['0a', '0000000000042'],
    ['01', '000000000042'],
    ['01', '00000000000042'],
  ])('noticeAux3(%j, %j) refuses bad parts', (seg, base) => {
    expect(() => noticeAux3(seg, base)).toThrow(RangeError);
  });

  // one notice per aux digit, built independently of the code under test
  const aux0 = (() => {
    const p = '0' + '12' + '4242424242424';
    return p + mod93(p);
  })();
  const aux1 = '1' + '12345678901234567';
  const aux2 = (() => {
    const p = '2' + '123456789012345';
    return p + mod93(p);
  })();
  const aux3 = (() => {
    const p = '3' + '07' + '1234567890123';
    return p + mod93(p);
  })();

  it.each([
    [aux0, { auxDigit: 0, code: '12', iuv: aux0.slice(3) }],
    [aux1, { auxDigit: 1, iuv: aux1.slice(1) }],
    [aux2, { auxDigit: 2, iuv: aux2.slice(1) }],
    [aux3, { auxDigit: 3, code: '07', iuv: aux3.slice(1) }],
  ])('parseNotice(%s)', (n, parts) => {
    expect(parseNotice(n)).toEqual(parts);
    expect(noticeCheckDigitOk(n)).toBe(true);
  });

  it('IUV lengths: 15 for aux 0, 17 for aux 1, 2, 3', () => {
    expect(parseNotice(aux0)?.iuv).toHaveLength(15);
    for (const n of [aux1, aux2, aux3]) expect(parseNotice(n)?.iuv).toHaveLength(17);
  });

  it('a wrong check digit is detected for aux 0, 2 and 3; aux 1 has none to check', () => {
    const bump = (n: string) => n.slice(0, 16) + String((Number(n.slice(16)) + 1) % 100).padStart(2, '0');
    for (const n of [aux0, aux2, aux3]) expect(noticeCheckDigitOk(bump(n)), bump(n)).toBe(false);
    expect(noticeCheckDigitOk(bump(aux1))).toBe(true);
  });

  it('noticeAux3 output passes noticeCheckDigitOk and parses as aux 3', () => {
    for (let i = 0; i < 100; i++) {
      const n = noticeAux3('42', String(i * 104729).padStart(13, '0'));
      expect(noticeCheckDigitOk(n), n).toBe(true);
      expect(parseNotice(n)).toMatchObject({ auxDigit: 3, code: '42' });
    }
  });

  it.each([['30100000000000004'], ['3010000000000000420'], ['30100000000000004a'], [''], ['401000000000000042'], ['901000000000000042']])(
    '%j is not a parsable notice',
    (n) => {
      expect(parseNotice(n)).toBeUndefined();
      expect(noticeCheckDigitOk(n)).toBe(false);
    },
  );
});

describe('isFiscalCodePA', () => {
  it.each([
    ['77777777777', true],
    ['00000000018', true],
    ['7777777777', false],
    ['777777777777', false],
    ['7777777777a', false],
    ['RSSMRA80A01H501U', false],
    ['', false],
    [' 77777777777', false],
  ])('%j → %s', (s, ok) => {
    expect(isFiscalCodePA(s)).toBe(ok);
  });
  it('undefined → false', () => {
    expect(isFiscalCodePA(undefined)).toBe(false);
  });
});

describe('isPostalIban', () => {
  it.each([
    [makeIban('IT', 'X0760101600000000012345'), true],
    [makeIban('IT', 'X0306909606100000012345'), false],
    // ABI 07601 elsewhere in the BBAN is not a postal account
    [makeIban('IT', 'X0306907601100000012345'), false],
    // only Italian IBANs carry an ABI
    [makeIban('SM', 'X0760101600000000012345'), false],
  ])('%s → %s', (iban, postal) => {
    expect(isPostalIban(iban)).toBe(postal);
  });
});

describe('notice state → PAA_PAGAMENTO_* fault', () => {
  it('every state but payable has its own code, each state listed once', () => {
    expect(noticeStateFault('payable')).toBeUndefined();
    expect(NOTICE_STATE_FAULTS.map((r) => r.state).sort()).toEqual(['cancelled', 'expired', 'in-progress', 'paid', 'unknown']);
    expect(new Set(NOTICE_STATE_FAULTS.map((r) => r.code)).size).toBe(NOTICE_STATE_FAULTS.length);
    expect(noticeStateFault('expired')).toBe('PAA_PAGAMENTO_SCADUTO');
    expect(noticeStateFault('unknown')).toBe('PAA_PAGAMENTO_SCONOSCIUTO');
  });
});
