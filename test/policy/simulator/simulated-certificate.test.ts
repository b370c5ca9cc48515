import { SimulatedCertificate } from '../../../src/policy/simulator';
import { issueCertificate } from '../../support/x509';

describe('SimulatedCertificate: a certificate as .NET shows it to a policy', () => {
  test('Thumbprint is the upper-case SHA-1 of the DER without separators', () => {
    const certificate = issueCertificate({ subject: 'CN=a', keyKind: 'rsa' });
    const view = SimulatedCertificate.of(certificate.x509);
    expect(view.thumbprint).toBe(certificate.x509.fingerprint.replace(/:/g, ''));
    expect(view.thumbprint).toMatch(/^[0-9A-F]{40}$/);
  });

  test('names are most specific first, joined by ", ", as X509Certificate2.Subject/Issuer', () => {
    const ca = issueCertificate({ subject: 'CN=Test Root, O="Contoso, Inc.", C=US', ca: true });
    const leaf = issueCertificate({ subject: 'CN=partner-a, OU=Payments, O=Partner A, L=Zürich, S=ZH, C=CH', issuer: ca });
    // Node prints DER order with backslash escapes; .NET reverses and quotes.
    expect(ca.x509.subject).toBe('C=US\nO=Contoso\\, Inc.\nCN=Test Root');
    expect(SimulatedCertificate.of(ca.x509).subject).toBe('CN=Test Root, O="Contoso, Inc.", C=US');
    expect(SimulatedCertificate.of(leaf.x509).issuer).toBe('CN=Test Root, O="Contoso, Inc.", C=US');
    expect(SimulatedCertificate.of(leaf.x509).subject).toBe('CN=partner-a, OU=Payments, O=Partner A, L=Zürich, S=ZH, C=CH');
  });

  test.each([
    ['CN=a;b', 'CN="a;b"'],
    ['CN=a=b', 'CN="a=b"'],
    ['CN=a+b', 'CN="a+b"'],
    ['CN=#1', 'CN="#1"'],
    ['CN=<x>', 'CN="<x>"'],
    ['CN=say "hi"', 'CN="say ""hi"""'],
    ['CN=" padded "', 'CN=" padded "'],
    ['CN=a\\b', 'CN=a\\b'],
    ["CN=it's & more", "CN=it's & more"],
    ['CN=😀 中文', 'CN=😀 中文'],
    ['E=ops@contoso.example, CN=ops', 'E=ops@contoso.example, CN=ops'],
  ])('%s prints as %s', (written, dotnet) => {
    expect(SimulatedCertificate.of(issueCertificate({ subject: written }).x509).subject).toBe(dotnet);
  });

  test('SerialNumber keeps the leading zero byte of the DER integer, as .NET does', () => {
    const view = SimulatedCertificate.of(issueCertificate({ subject: 'CN=a', serialNumber: '80AB' }).x509);
    expect(view.serialNumber).toBe('0080AB');
    expect(SimulatedCertificate.of(issueCertificate({ subject: 'CN=a', serialNumber: '7F01' }).x509).serialNumber).toBe('7F01');
  });

  test('validity, CA flag, DNS names and common name', () => {
    const notBefore = new Date('2030-01-02T03:04:05Z');
    const notAfter = new Date('2051-06-07T08:09:10Z'); // GeneralizedTime from 2050 on
    const ca = issueCertificate({ subject: 'CN=CA', ca: true, notBefore, notAfter });
    const leaf = issueCertificate({ subject: 'CN=api.contoso.example, O=Contoso', issuer: ca, dnsNames: ['api.contoso.example', 'b.example'] });
    const caView = SimulatedCertificate.of(ca.x509);
    expect([caView.notBefore, caView.notAfter]).toEqual([notBefore, notAfter]);
    expect(caView.isCertificateAuthority).toBe(true);
    expect(caView.isSelfSigned).toBe(true);
    expect(caView.isValidAt(new Date('2030-01-02T03:04:05Z'))).toBe(true);
    expect(caView.isValidAt(new Date('2030-01-02T03:04:04Z'))).toBe(false);
    const leafView = SimulatedCertificate.of(leaf.x509);
    expect(leafView.isCertificateAuthority).toBe(false);
    expect(leafView.isSelfSigned).toBe(false);
    expect(leafView.isIssuedBy(caView)).toBe(true);
    expect(leafView.dnsNames).toEqual(['api.contoso.example', 'b.example']);
    expect(leafView.commonName).toBe('api.contoso.example');
  });

  test('the same X509Certificate object gives the same view', () => {
    const certificate = issueCertificate({ subject: 'CN=a' });
    expect(SimulatedCertificate.of(certificate.x509)).toBe(SimulatedCertificate.of(certificate.x509));
  });
});
