import { X509Certificate } from 'node:crypto';
import { dotnetDistinguishedName } from '../../src';
import { issueCertificate } from '../support/x509';

describe('dotnetDistinguishedName', () => {
  test.each([
    ['CN=partner-a', 'CN=partner-a'],
    ['CN=Test Root, O="Contoso, Inc.", C=US', 'CN=Test Root, O="Contoso, Inc.", C=US'],
    ['CN=a, OU=Ops, O=Contoso, L=Zurich, ST=ZH, C=CH', 'CN=a, OU=Ops, O=Contoso, L=Zurich, S=ZH, C=CH'],
    ['CN=x+y', 'CN="x+y"'],
    ['CN=Zoë', 'CN=Zoë'],
  ])('%s → %s (the .NET X509Certificate2.Subject form)', (subject, expected) => {
    const certificate = new X509Certificate(issueCertificate({ subject: subject.replace('CN=x+y', 'CN="x+y"') }).der);
    expect(dotnetDistinguishedName(certificate.subject)).toBe(expected);
  });

  test('an empty name stays empty', () => {
    expect(dotnetDistinguishedName('')).toBe('');
  });
});
