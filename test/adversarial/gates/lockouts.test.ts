import { TerraformStack } from 'cdktf';
import { ApiManagementService, CaCertificate, CaCertificateStore, CertificateSource, ClientCertificateTrust, Secret, UploadedCertificate } from '../../../src';
import { writePfx } from '../../support/pfx';
import { newStack, warningsOf } from '../../support/stack';
import { issueCertificate, TestCertificate } from '../../support/x509';
import { gatedApi, synthError } from './support';

/*
 * Lockouts: a trusted certificate its own gate would reject, written as a careless platform team
 * would. Expected verdict, decided before each attempt ran: a synth error "locks out ..." naming
 * the certificate and the fix (the .NET form of the name), or a pass when APIM would in fact let
 * the certificate through. Never a silent pass for a gate that rejects its own partner.
 */

const ENV = 'APIM_MTLS_LOCKOUT_PFX_PASSWORD';
const PASSWORD = 'lockout-pfx-password';

let rootCa: TestCertificate;
let intermediate: TestCertificate;
let partner: TestCertificate;
let viaIntermediate: TestCertificate;
let withEmail: TestCertificate;
let expired: TestCertificate;
beforeAll(() => {
  process.env[ENV] = PASSWORD;
  rootCa = issueCertificate({ subject: 'CN=Partner Root, O=Partner', ca: true });
  intermediate = issueCertificate({ subject: 'CN=Partner Issuing, O=Partner', issuer: rootCa, ca: true });
  partner = issueCertificate({ subject: 'CN=partner-a, O=Partner A', issuer: rootCa });
  viaIntermediate = issueCertificate({ subject: 'CN=partner-c, O=Partner C', issuer: intermediate });
  withEmail = issueCertificate({ subject: 'CN=partner-e, E=ops@partner.example' });
  expired = issueCertificate({ subject: 'CN=partner-old', notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
});
afterAll(() => {
  delete process.env[ENV];
});

function service(stack: TerraformStack, skuName = 'Developer_1', caCertificates?: CaCertificate[]): ApiManagementService {
  return new ApiManagementService(stack, 'Apim', {
    name: 'contoso-apim', resourceGroupName: 'rg', location: 'westeurope', publisherName: 'C', publisherEmail: 'c@example.com', skuName, caCertificates,
  });
}

function uploaded(stack: TerraformStack, apim: ApiManagementService, certificate: TestCertificate, id = 'Partner'): UploadedCertificate {
  return new UploadedCertificate(stack, id, {
    apiManagement: apim,
    source: CertificateSource.fromPfxFile(writePfx(certificate, { password: PASSWORD }), { password: Secret.fromEnvironment(ENV) }),
  });
}

/** The synth verdict of a gate trusting `certificate` with `rules`. */
function verdict(certificate: () => TestCertificate, rules: Record<string, unknown>, skuName = 'Developer_1', cas?: () => CaCertificate[]): { error: string; warnings: string[] } {
  const stack = newStack();
  const apim = service(stack, skuName, cas?.());
  gatedApi(stack, apim, { trust: ClientCertificateTrust.certificates([uploaded(stack, apim, certificate())]), ...rules });
  return { error: synthError(stack), warnings: warningsOf(stack) };
}

describe('subject and issuer rules written another way than .NET prints them', () => {
  const lockedOutBySubject = (written: string) =>
    new RegExp(`test/Gated: locks out test/Partner/Certificate \\(azurerm_api_management_certificate\\.Partner_Certificate_[0-9A-F]+\\), which it trusts: its subject is "CN=partner-a, O=Partner A" as \\.NET prints it, not "${written.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\. Write subject: "CN=partner-a, O=Partner A"`);

  test('a subject rule with extra spaces after the comma locks out, and the message gives the .NET form', () => {
    expect(verdict(() => partner, { subject: 'CN=partner-a,   O=Partner A' }).error).toMatch(lockedOutBySubject('CN=partner-a,   O=Partner A'));
  });

  test('a subject rule without the space .NET puts after the comma locks out, naming the .NET form', () => {
    expect(verdict(() => partner, { subject: 'CN=partner-a,O=Partner A' }).error).toMatch(lockedOutBySubject('CN=partner-a,O=Partner A'));
  });

  test('a subject rule in another letter case locks out (the gate compares the text as .NET prints it), naming the .NET form', () => {
    expect(verdict(() => partner, { subject: 'cn=partner-a, o=partner a' }).error).toMatch(lockedOutBySubject('cn=partner-a, o=partner a'));
  });

  test('a quoted value in the subject rule locks out: .NET prints the value without quotes', () => {
    expect(verdict(() => partner, { subject: 'CN="partner-a", O=Partner A' }).error).toMatch(lockedOutBySubject('CN="partner-a", O=Partner A'));
  });

  test('an issuer rule in openssl order locks out, naming the .NET order', () => {
    expect(verdict(() => partner, { issuer: 'O=Partner, CN=Partner Root' }).error).toMatch(/locks out test\/Partner\/Certificate .*openssl's order.*Write issuer: "CN=Partner Root, O=Partner"/);
  });

  test('emailAddress= in the subject rule locks out: .NET prints E=, and the message says so', () => {
    expect(verdict(() => withEmail, { subject: 'CN=partner-e, emailAddress=ops@partner.example' }).error).toMatch(
      /locks out test\/Partner\/Certificate .*: its subject is "CN=partner-e, E=ops@partner\.example" as \.NET prints it, not "CN=partner-e, emailAddress=ops@partner\.example"\. Write subject: "CN=partner-e, E=ops@partner\.example"/,
    );
  });

  test('E= as .NET prints it passes', () => {
    expect(verdict(() => withEmail, { subject: 'CN=partner-e, E=ops@partner.example' }).error).toBe('');
  });
});

describe('chain validation against what the service holds', () => {
  test('verifyChain with the root uploaded to the CertificateAuthority store only locks out: nothing anchors the chain', () => {
    const { error } = verdict(() => partner, { verifyChain: true, checkRevocation: false }, 'Developer_1', () => [CaCertificate.fromPem(rootCa.pem, { store: CaCertificateStore.CERTIFICATE_AUTHORITY })]);
    expect(error).toMatch(/locks out test\/Partner\/Certificate .*: verifyChain needs the chain's root "CN=Partner Root, O=Partner" in the Root store, but it is uploaded to the CertificateAuthority store only.*Upload the root with store CaCertificateStore\.ROOT/);
  });

  test('verifyChain with the root in the Root store passes', () => {
    expect(verdict(() => partner, { verifyChain: true, checkRevocation: false }, 'Developer_1', () => [CaCertificate.fromPem(rootCa.pem)]).error).toBe('');
  });

  test('verifyChain with the root uploaded but the issuing intermediate missing is a warning naming the intermediate: a caller may send it in the handshake', () => {
    const { error, warnings } = verdict(() => viaIntermediate, { verifyChain: true, checkRevocation: false }, 'Developer_1', () => [CaCertificate.fromPem(rootCa.pem)]);
    expect(error).toBe('');
    expect(warnings).toEqual([expect.stringMatching(/could not prove at synth that the gate holds: verifyChain rejects the trusted certificate .* unless "CN=Partner Issuing, O=Partner" chains to a publicly trusted root: no CA certificate uploaded to the service issues it/)]);
  });

  test('verifyChain with root and intermediate uploaded passes', () => {
    const { error } = verdict(() => viaIntermediate, { verifyChain: true, checkRevocation: false }, 'Developer_1', () => [CaCertificate.fromPem(rootCa.pem), CaCertificate.fromPem(intermediate.pem)]);
    expect(error).toBe('');
  });

  test('revocation checks (the default with verifyChain) against a private root lock out, saying to set checkRevocation: false', () => {
    expect(verdict(() => partner, { verifyChain: true }, 'Developer_1', () => [CaCertificate.fromPem(rootCa.pem)]).error).toMatch(
      /locks out test\/Partner\/Certificate .*: checkRevocation fails for chains ending at a private CA \("CN=Partner Root, O=Partner"\).*Set checkRevocation: false\./,
    );
  });
});

describe('validity and tiers', () => {
  test('an expired trusted certificate fails synth at the upload, naming the PFX, the date and the fix', () => {
    expect(verdict(() => expired, { checkValidityPeriod: true }).error).toMatch(/\[test\/Partner\] PFX file "certificate\.pfx" \(CN=partner-old, thumbprint [0-9A-F]{40}\) expired on 2021-01-01T00:00:00\.000Z\. Renew it/);
  });

  test('verifyChain on a Consumption service, which holds no CA certificates, locks out its self-signed partner', () => {
    const stack = newStack();
    const apim = service(stack, 'Consumption_0');
    const certificate = uploaded(stack, apim, issueCertificate({ subject: 'CN=partner-x' }));
    gatedApi(stack, apim, { trust: ClientCertificateTrust.certificates([certificate]), verifyChain: true, checkRevocation: false });
    expect(synthError(stack)).toMatch(
      /test\/Gated: locks out test\/Partner\/Certificate .*: verifyChain needs a CA that issues it uploaded to the service, and the certificate is self-signed \("CN=partner-x"\); a Consumption service holds no CA certificates\. Pin it without verifyChain, or move the service to a tier that takes caCertificates\./,
    );
  });
});
