import { normalizeThumbprint } from '../../src/policy/thumbprint';

const CANONICAL = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';

describe('normalizeThumbprint', () => {
  test.each([
    ['already canonical', CANONICAL],
    ['lower case', CANONICAL.toLowerCase()],
    ['openssl colons', CANONICAL.match(/../g)!.join(':')],
    ['Windows dialog spaces', CANONICAL.match(/../g)!.join(' ').toLowerCase()],
    ['leading U+200E from the Windows dialog', '\u200e' + CANONICAL],
    ['zero-width space and BOM', '\ufeff' + CANONICAL.slice(0, 10) + '\u200b' + CANONICAL.slice(10)],
    ['surrounding whitespace and a tab', `  ${CANONICAL}\t`],
    ['full-width digits', CANONICAL.replace('1', '\uff11')],
  ])('%s', (_label, input) => {
    expect(normalizeThumbprint(input)).toBe(CANONICAL);
  });

  test.each([
    ['too short', CANONICAL.slice(1)],
    ['too long', CANONICAL + '0'],
    ['SHA-256 fingerprint', 'AB'.repeat(32)],
    ['non-hex', CANONICAL.slice(1) + 'G'],
    ['quote injection', CANONICAL.slice(0, 38) + '")'],
    ['empty', ''],
  ])('rejects %s', (_label, input) => {
    expect(normalizeThumbprint(input)).toBeUndefined();
  });
});
