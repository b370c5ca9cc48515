import { relativeNames, sameNamesInOtherOrder } from '../../src/policy/distinguished-name';

describe('distinguished names as gates compare them', () => {
  test.each([
    ['CN=partner, O="Contoso, Inc.", C=US', ['CN=partner', 'O="Contoso, Inc."', 'C=US']],
    ['CN = partner, O = Contoso', ['CN=partner', 'O=Contoso']],
    ['/CN=partner/O=Contoso', ['CN=partner', 'O=Contoso']],
    ['CN=a\\, b, O=c', ['CN=a\\, b', 'O=c']],
  ])('%j has the names %j', (dn, names) => {
    expect(relativeNames(dn)).toEqual(names);
  });

  test.each<[string, string, boolean]>([
    ['CN=partner, O=Contoso', 'O=Contoso, CN=partner', true],
    ['CN = partner, O = Contoso', 'O=Contoso, CN=partner', true],
    ['/O=Contoso/CN=partner', 'O=Contoso, CN=partner', false],
    ['O=Contoso, CN=partner', 'O=Contoso, CN=partner', false],
    ['CN=other, O=Contoso', 'O=Contoso, CN=partner', false],
  ])('%j is %j in another order: %s', (written, dotnet, expected) => {
    expect(sameNamesInOtherOrder(written, dotnet)).toBe(expected);
  });
});
