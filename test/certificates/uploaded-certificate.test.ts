import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { ApiManagementService, CertificateSource, Secret, UploadedCertificate } from '../../src';
import { SYNTH_WITHOUT_SECRETS } from '../../src/certificates/synth-secrets';
import { newService, newStack, onlyResource, synthJson, warningsOf } from '../support/stack';
import { writePfx } from '../support/pfx';
import { issueCertificate } from '../support/x509';

const ENV = 'TEST_PFX_PASSWORD';
const PASSWORD = 'S3cret-pfx-password!';
const DAY = 24 * 60 * 60 * 1000;

beforeEach(() => {
  process.env[ENV] = PASSWORD;
});
afterEach(() => {
  delete process.env[ENV];
});

function pfxSource(file: string, password = Secret.fromEnvironment(ENV)) {
  return CertificateSource.fromPfxFile(file, { password });
}

function upload(file: string, overrides: { name?: string; expiryWarningDays?: number; password?: Secret } = {}) {
  const stack = newStack();
  const apim = newService(stack);
  const certificate = new UploadedCertificate(stack, 'PartnerClient', {
    apiManagement: apim,
    source: pfxSource(file, overrides.password),
    name: overrides.name,
    expiryWarningDays: overrides.expiryWarningDays,
  });
  return { stack, apim, certificate };
}

describe('UploadedCertificate from a PFX file', () => {
  test('is inspected at synth: literal thumbprint, subject, expiry, self-signed', () => {
    const cert = issueCertificate({ subject: 'CN=partner-client, O=Contoso', keyKind: 'rsa' });
    const { stack, certificate } = upload(writePfx(cert, { password: PASSWORD }));
    expect(certificate.thumbprint).toBe(cert.thumbprint);
    expect(certificate.subject).toBe('CN=partner-client, O=Contoso');
    expect(certificate.notAfter?.getTime()).toBe(cert.notAfter.getTime());
    expect(certificate.selfSigned).toBe(true);
    expect(certificate.rotatesOutsideTerraform).toBe(false);
    expect(certificate.certificateId).toMatch(/^partner-client-[0-9a-f]{8}$/);
    synthJson(stack);
    expect(warningsOf(stack)).toEqual([]);
  });

  test('reaches Terraform through filebase64() of an asset and a sensitive variable', () => {
    const { stack, certificate } = upload(writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD }));
    const json = synthJson(stack);
    const resource = onlyResource(json, 'azurerm_api_management_certificate');
    expect(resource.name).toBe(certificate.certificateId);
    expect(resource.data).toMatch(/^\$\{filebase64\("assets\/[^"]+\/certificate\.pfx"\)\}$/);
    expect(resource.password).toBe('${var.test_pfx_password}');
    expect(resource.lifecycle).toEqual({ create_before_destroy: true });
    expect(json.variable.test_pfx_password).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    expect(json.variable.test_pfx_password.description).toContain('TEST_PFX_PASSWORD');
  });

  test('neither the password nor any base64 of the PFX appears in the synthesized output directory', () => {
    const cert = issueCertificate({ subject: 'CN=secret-check', keyKind: 'rsa' });
    const file = writePfx(cert, { password: PASSWORD });
    const pfxBase64 = readFileSync(file).toString('base64');
    const outdir = mkdtempSync(join(tmpdir(), 'apim-mtls-secret-'));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'secrets');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    const apim = newService(stack);
    new UploadedCertificate(stack, 'PartnerClient', { apiManagement: apim, source: pfxSource(file) });
    new UploadedCertificate(stack, 'SameFileAgain', { apiManagement: apim, source: pfxSource(file) });
    app.synth();

    const textFiles = listFiles(outdir).filter((f) => !f.endsWith('.pfx'));
    expect(textFiles.some((f) => f.endsWith('cdk.tf.json'))).toBe(true);
    const snapshots = listFiles(join(__dirname, '..')).filter((f) => f.includes('__snapshots__'));
    expect(snapshots.length).toBeGreaterThan(0);
    for (const f of [...textFiles, ...snapshots]) {
      const text = readFileSync(f, 'latin1');
      expect({ f, password: text.includes(PASSWORD) }).toEqual({ f, password: false });
      // The whole file and any 32-character run of its base64.
      for (let i = 0; i + 32 <= pfxBase64.length; i += 97) {
        expect({ f, base64: text.includes(pfxBase64.slice(i, i + 32)) }).toEqual({ f, base64: false });
      }
    }
    // The review metadata carries the public facts only.
    const synthesized = JSON.parse(readFileSync(join(outdir, 'stacks', 'secrets', 'cdk.tf.json'), 'utf8'));
    const metadata = Object.values<any>(synthesized.resource.azurerm_api_management_certificate).map((r) => r['//']['cdktf-apim-mtls']);
    expect(metadata[0]).toEqual({
      kind: 'certificate', source: 'pfx-file', fileName: 'certificate.pfx', inspected: true, thumbprint: cert.thumbprint,
      subject: 'CN=secret-check', issuer: 'CN=secret-check', notBefore: cert.notBefore.toISOString(), notAfter: cert.notAfter.toISOString(), selfSigned: true,
    });
    // The PFX itself is handed to Terraform as a file next to cdk.tf.json, one per certificate.
    expect(listFiles(outdir).filter((f) => f.endsWith('.pfx'))).toHaveLength(2);
  });

  test('without the password at synth, synth fails naming the variable and both ways out', () => {
    delete process.env[ENV];
    const { stack } = upload(writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD }));
    expect(() => synthJson(stack)).toThrow(
      '[test/PartnerClient] PFX file "certificate.pfx" cannot be inspected: environment variable TEST_PFX_PASSWORD is not set. ' +
        'Export it before running cdktf synth (which passes every variable except TF_VAR_* to the app); ' +
        'for a synth without secrets on purpose (a CI job that only reviews the plan), set APIM_MTLS_SYNTH_WITHOUT_SECRETS=1.',
    );
  });

  describe('in a synth without secrets on purpose (APIM_MTLS_SYNTH_WITHOUT_SECRETS=1)', () => {
    beforeEach(() => {
      delete process.env[ENV];
      process.env[SYNTH_WITHOUT_SECRETS] = '1';
    });
    afterEach(() => {
      delete process.env[SYNTH_WITHOUT_SECRETS];
    });

    test('the file is not opened: a warning, and the thumbprint is the resource attribute', () => {
      const { stack, certificate } = upload(writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD }));
      new TerraformOutput(stack, 'thumbprint', { value: certificate.thumbprint });
      const json = synthJson(stack);
      const key = Object.keys(json.resource.azurerm_api_management_certificate)[0];
      expect(json.output.thumbprint.value).toBe(`\${azurerm_api_management_certificate.${key}.thumbprint}`);
      expect(certificate.notAfter).toBeUndefined();
      // The file is outside the app's directory: the warning names it without the machine path.
      expect(warningsOf(stack)).toEqual([
        'PFX file "certificate.pfx" was not inspected: APIM_MTLS_SYNTH_WITHOUT_SECRETS is set and environment variable TEST_PFX_PASSWORD is not. ' +
          'The thumbprint then comes from the uploaded certificate at apply, and expiry, key and password are not checked before then.',
      ]);
    });

    test('a private key readable without the password still fails synth', () => {
      const { stack } = upload(writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD, unencryptedKey: true }));
      expect(() => synthJson(stack)).toThrow(/\[test\/PartnerClient\] PFX file "certificate.pfx" stores its private key unencrypted/);
    });

    test('the synthesized stack is the one a synth with the password writes, but for the thumbprint facts', () => {
      const file = writePfx(issueCertificate({ subject: 'CN=same' }), { password: PASSWORD });
      const without = synthJson(upload(file).stack);
      process.env[ENV] = PASSWORD;
      const withPassword = synthJson(upload(file).stack);
      const resource = (json: any) => {
        const { ['//']: _metadata, ...rest } = onlyResource(json, 'azurerm_api_management_certificate');
        return rest;
      };
      expect(resource(without)).toEqual(resource(withPassword));
      expect(without.variable).toEqual(withPassword.variable);
    });
  });

  test('a password from a Terraform variable is used as is; a non-sensitive one is warned about', () => {
    const stack = newStack();
    const sensitive = new TerraformVariable(stack, 'pfx_password', { type: 'string', sensitive: true });
    const plain = new TerraformVariable(stack, 'visible_password', { type: 'string' });
    const apim = newService(stack);
    const file = writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD });
    new UploadedCertificate(stack, 'A', { apiManagement: apim, source: pfxSource(file, Secret.fromTerraformVariable(sensitive)) });
    new UploadedCertificate(stack, 'B', { apiManagement: apim, source: pfxSource(file, Secret.fromTerraformVariable(plain)) });
    const json = synthJson(stack);
    const passwords = Object.values<any>(json.resource.azurerm_api_management_certificate).map((r) => r.password).sort();
    expect(passwords).toEqual(['${var.pfx_password}', '${var.visible_password}']);
    const warnings = warningsOf(stack);
    expect(warnings.filter((w) => w.includes('not marked sensitive'))).toEqual([expect.stringContaining('visible_password')]);
  });

  test('Secret.unsafePlainText works and is warned about', () => {
    const { stack } = upload(writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD }), { password: Secret.unsafePlainText(PASSWORD) });
    expect(onlyResource(synthJson(stack), 'azurerm_api_management_certificate').password).toBe(PASSWORD);
    expect(warningsOf(stack)).toEqual([expect.stringContaining('written into cdk.tf.json in plain text')]);
  });

  test('expiring within expiryWarningDays is a warning; the threshold is configurable', () => {
    const file = writePfx(issueCertificate({ subject: 'CN=soon', notAfter: new Date(Date.now() + 10 * DAY) }), { password: PASSWORD });
    const { stack } = upload(file);
    // A date, not a day count: the warning (in manifest.json) must not change from day to day.
    expect(warningsOf(stack)).toEqual([expect.stringMatching(/\(CN=soon, thumbprint [0-9A-F]{40}\) expires on \d{4}-\d\d-\d\dT[\d:.]+Z, within expiryWarningDays \(30\)/)]);
    expect(warningsOf(upload(file, { expiryWarningDays: 5 }).stack)).toEqual([]);
  });

  test('a missing file fails at once, naming the construct and the path', () => {
    expect(() => upload('/nonexistent/partner.pfx')).toThrow(/^test\/PartnerClient: PFX file "\/nonexistent\/partner.pfx" does not exist/);
  });

  // Each fails synth (all certificates of a stack are reported together) with the fix to apply.
  test.each<[string, () => string, RegExp]>([
    ['a file that is not a PFX', () => textFile('not a pfx'), /is not a PKCS#12 \(.pfx\/.p12\) file: it is not a PKCS#12 structure.*Export the certificate with its private key as .pfx/],
    ['a wrong password', () => writePfx(issueCertificate({ subject: 'CN=a' }), { password: 'other' }), /cannot be opened with the given password.*Check environment variable TEST_PFX_PASSWORD\./],
    ['no private key', () => writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD, withoutKey: true }), /contains no private key\. Export the certificate together with its private key/],
    ['a key without its certificate', () => writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD, withoutCertificate: true }), /holds a private key but not the certificate that belongs to it/],
    ['legacy RC2', () => writePfx(issueCertificate({ subject: 'CN=a', keyKind: 'rsa' }), { password: PASSWORD, encryption: 'rc2' }),
      /uses legacy RC2\/RC4 encryption.*Re-export it with AES-256 \(the key stays encrypted throughout\): openssl pkcs12 -legacy -in certificate.pfx -passin env:TEST_PFX_PASSWORD -passout env:TEST_PFX_PASSWORD -out certificate-bundle.pem && /],
    ['a private key in clear', () => writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD, unencryptedKey: true }),
      /stores its private key unencrypted .* anyone with the file, such as a CI artifact of cdktf.out, can read the key without the password\. Re-export it with an encrypted key and a MAC: openssl pkcs12 -in certificate.pfx/],
    ['an empty password', () => writePfx(issueCertificate({ subject: 'CN=a' }), { password: '' }),
      /has an empty password: .*Re-export it with a password \(set TEST_PFX_PASSWORD first\): openssl pkcs12 -in certificate.pfx -passin pass: -passout env:TEST_PFX_PASSWORD/],
    ['no MAC', () => writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD, withoutMac: true }), /has no integrity MAC.*Re-export it with an encrypted key and a MAC/],
    ['an expired certificate', () => writePfx(issueCertificate({ subject: 'CN=old', notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) }), { password: PASSWORD }), /\(CN=old, thumbprint [0-9A-F]{40}\) expired on/],
    ['a not yet valid certificate', () => writePfx(issueCertificate({ subject: 'CN=future', notBefore: new Date(Date.now() + 2 * DAY) }), { password: PASSWORD }), /\(CN=future, thumbprint [0-9A-F]{40}\) is not valid before/],
  ])('%s fails synth naming the construct, the file and the fix', (_label, makeFile, message) => {
    const { stack } = upload(makeFile());
    let error: Error | undefined;
    try {
      synthJson(stack);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.message).toMatch(new RegExp(`\\[test/PartnerClient\\] PFX file "[^"]+\\.pfx" .*${message.source}`));
    expect(error?.message).not.toContain(PASSWORD);
    // A fix never writes a private key in clear.
    expect(error?.message).not.toMatch(/-nodes|-noenc/);
  });

  test('every broken certificate of a stack is reported at once', () => {
    const stack = newStack();
    const apim = newService(stack);
    const expired = issueCertificate({ subject: 'CN=old', notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) });
    new UploadedCertificate(stack, 'Expired', { apiManagement: apim, source: pfxSource(writePfx(expired, { password: PASSWORD })) });
    new UploadedCertificate(stack, 'WrongPassword', { apiManagement: apim, source: pfxSource(writePfx(issueCertificate({ subject: 'CN=a' }), { password: 'x' })) });
    expect(() => synthJson(stack)).toThrow(/\[test\/Expired\] PFX file .* expired on .*\n\s*\[test\/WrongPassword\] PFX file .* cannot be opened with the given password/);
  });

  test('a source without a path or a password is refused naming the construct', () => {
    const stack = newStack();
    const apim = newService(stack);
    const noPassword = CertificateSource.fromPfxFile('certs/partner.pfx', {} as any);
    expect(() => new UploadedCertificate(stack, 'NoPassword', { apiManagement: apim, source: noPassword })).toThrow(
      "test/NoPassword: source has no password. Give one: CertificateSource.fromPfxFile(path, { password: Secret.fromEnvironment('PARTNER_PFX_PASSWORD') }).",
    );
    expect(() => new UploadedCertificate(stack, 'NoPath', { apiManagement: apim, source: pfxSource(' ') })).toThrow('test/NoPath: source needs the path of a .pfx file, got " ".');
  });

  test('bad names and thresholds are refused', () => {
    const file = writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD });
    expect(() => upload(file, { name: 'partner_client' })).toThrow(/^test\/PartnerClient: name "partner_client" is not a valid certificate name/);
    expect(() => upload(file, { expiryWarningDays: -1 })).toThrow(/expiryWarningDays -1 must be a whole number/);
    expect(() => upload(file, { password: Secret.fromEnvironment('MY-VAR') })).toThrow(
      /^test\/PartnerClient: Secret.fromEnvironment\("MY-VAR"\): not a usable environment variable name/,
    );
  });
});

describe('rotation', () => {
  test('a new PFX file is a new certificate name, created before the old one is destroyed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apim-mtls-rotation-'));
    const path = join(dir, 'partner.pfx');
    const synthWith = (source: string) => {
      copyFileSync(source, path);
      const { stack, certificate } = upload(path);
      return { json: synthJson(stack), certificate };
    };
    const before = synthWith(writePfx(issueCertificate({ subject: 'CN=partner' }), { password: PASSWORD }));
    const after = synthWith(writePfx(issueCertificate({ subject: 'CN=partner' }), { password: PASSWORD }));
    const [oldResource] = Object.entries<any>(before.json.resource.azurerm_api_management_certificate);
    const [newResource] = Object.entries<any>(after.json.resource.azurerm_api_management_certificate);
    // Same Terraform address, new APIM name: "name" is ForceNew, so Terraform replaces it...
    expect(newResource[0]).toBe(oldResource[0]);
    expect(newResource[1].name).not.toBe(oldResource[1].name);
    expect(newResource[1].name.startsWith('partner-client-')).toBe(true);
    // ...creating the new certificate before destroying the old one, which is still referenced.
    expect(newResource[1].lifecycle).toEqual({ create_before_destroy: true });
    expect(after.certificate.thumbprint).not.toBe(before.certificate.thumbprint);
  });

  test('the same file keeps its name across synths', () => {
    const file = writePfx(issueCertificate({ subject: 'CN=stable' }), { password: PASSWORD });
    expect(upload(file).certificate.certificateId).toBe(upload(file).certificate.certificateId);
  });
});

describe('UploadedCertificate from Key Vault', () => {
  const SECRET_ID = 'https://contoso-kv.vault.azure.net/secrets/partner-client';

  function fromKeyVault(secretId: string, identityClientId?: string, service?: (s: TerraformStack) => any) {
    const stack = newStack();
    const apim = service ? service(stack) : newService(stack, 'Developer_1');
    const certificate = new UploadedCertificate(stack, 'KvClient', {
      apiManagement: apim,
      source: CertificateSource.fromKeyVaultSecret(secretId, { identityClientId }),
    });
    return { stack, certificate };
  }

  test('uploads by versionless secret id and turns on the service\'s system-assigned identity', () => {
    const { stack, certificate } = fromKeyVault(SECRET_ID);
    const json = synthJson(stack);
    expect(onlyResource(json, 'azurerm_api_management_certificate')).toEqual({
      api_management_name: expect.stringMatching(/^\$\{azurerm_api_management\.\w+\.name\}$/),
      key_vault_secret_id: SECRET_ID,
      // Renaming it must not delete a certificate that policies still name.
      lifecycle: { create_before_destroy: true },
      name: 'kv-client',
      resource_group_name: expect.stringMatching(/^\$\{azurerm_api_management\.\w+\.resource_group_name\}$/),
    });
    expect(onlyResource(json, 'azurerm_api_management').identity).toEqual({ type: 'SystemAssigned' });
    expect(certificate.rotatesOutsideTerraform).toBe(true);
    expect(certificate.certificateId).toBe('kv-client');
    expect(warningsOf(stack)).toEqual([]);
    expect(onlyResource(json, 'azurerm_api_management_certificate')).toMatchSnapshot();
  });

  test('a user-assigned identity is passed through and the service identity is left alone', () => {
    const clientId = '0b7f2c1e-3d4a-4e5f-8a9b-0c1d2e3f4a5b';
    const { stack } = fromKeyVault(SECRET_ID, clientId);
    const json = synthJson(stack);
    expect(onlyResource(json, 'azurerm_api_management_certificate').key_vault_identity_client_id).toBe(clientId);
    expect(onlyResource(json, 'azurerm_api_management').identity).toBeUndefined();
  });

  test('a versioned id is accepted with a warning that it will not rotate', () => {
    const { stack } = fromKeyVault(`${SECRET_ID}/0123456789abcdef0123456789abcdef`);
    expect(warningsOf(stack)).toEqual([expect.stringContaining('names one version, so API Management will not pick up rotations')]);
  });

  test('an existing service is told what identity it needs', () => {
    const { stack } = fromKeyVault(SECRET_ID, undefined, (s) => ApiManagementService.fromExisting(s, 'Shared', { name: 'shared', resourceGroupName: 'rg', skuName: 'Developer_1' }));
    expect(warningsOf(stack)).toContainEqual(expect.stringContaining('"shared" must have a system-assigned identity allowed to Get and List secrets'));
  });

  test.each<[string, string, string | undefined, RegExp]>([
    ['a non-URL', 'partner-client', undefined, /^test\/KvClient: Key Vault secret id "partner-client" is not a Key Vault secret identifier/],
    ['http', 'http://contoso-kv.vault.azure.net/secrets/x', undefined, /is not a Key Vault secret identifier/],
    ['another host', 'https://contoso-kv.example.com/secrets/x', undefined, /is not a Key Vault secret identifier/],
    ['a certificate id instead of its secret', 'https://contoso-kv.vault.azure.net/certificates/partner-client', undefined, /points at \/certificates\/.*Use "...\/secrets\/partner-client"/],
    ['a bad identity client id', SECRET_ID, 'my-identity', /^test\/KvClient: identityClientId "my-identity" is not a client id \(a GUID\)/],
  ])('%s is refused', (_label, secretId, clientId, message) => {
    expect(() => fromKeyVault(secretId, clientId)).toThrow(message);
  });
});

function textFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'apim-mtls-text-'));
  const file = join(dir, 'not.pfx');
  writeFileSync(file, content);
  return file;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
