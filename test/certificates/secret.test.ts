import { TerraformVariable } from 'cdktf';
import { CertificateSource, Secret, UploadedCertificate } from '../../src';
import { writePfx } from '../support/pfx';
import { newService, newStack, onlyResource, synthJson } from '../support/stack';
import { issueCertificate } from '../support/x509';

const PASSWORD = 'secret-test-password';
const file = writePfx(issueCertificate({ subject: 'CN=secret-test' }), { password: PASSWORD });

function uploadWith(...passwords: Secret[]) {
  const stack = newStack();
  const apim = newService(stack);
  passwords.forEach(
    (password, i) => new UploadedCertificate(stack, `Cert${i}`, { apiManagement: apim, source: CertificateSource.fromPfxFile(file, { password }) }),
  );
  return stack;
}

afterEach(() => {
  for (const name of ['PARTNER_PFX_PASSWORD', 'PFXPW', 'pfxpw']) delete process.env[name];
});

describe('Secret.fromEnvironment', () => {
  test('reads the variable at synth and hands Terraform the lower-case sensitive variable', () => {
    process.env.PARTNER_PFX_PASSWORD = PASSWORD;
    const json = synthJson(uploadWith(Secret.fromEnvironment('PARTNER_PFX_PASSWORD')));
    expect(onlyResource(json, 'azurerm_api_management_certificate').password).toBe('${var.partner_pfx_password}');
    expect(json.variable.partner_pfx_password).toEqual({
      type: 'string',
      sensitive: true,
      nullable: false,
      description: 'Secret for cdktf-apim-mtls, read from PARTNER_PFX_PASSWORD at synth; set TF_VAR_partner_pfx_password when running terraform.',
    });
  });

  test('a TF_VAR_ name is refused: cdktf synth removes it from the app\'s environment', () => {
    process.env.TF_VAR_partner_pfx_password = PASSWORD;
    try {
      expect(() => uploadWith(Secret.fromEnvironment('TF_VAR_partner_pfx_password'))).toThrow(
        'test/Cert0: Secret.fromEnvironment("TF_VAR_partner_pfx_password") can never be read under cdktf synth: the CLI removes every TF_VAR_* variable ' +
          "from the app's environment, so what the secret protects would go unchecked. Read it from a name without the prefix, " +
          'Secret.fromEnvironment("PARTNER_PFX_PASSWORD"); Terraform still gets it as the sensitive variable partner_pfx_password ' +
          '(set TF_VAR_partner_pfx_password for terraform apply or cdktf deploy).',
      );
    } finally {
      delete process.env.TF_VAR_partner_pfx_password;
    }
  });

  test('one name used by several certificates is one variable', () => {
    process.env.PARTNER_PFX_PASSWORD = PASSWORD;
    const json = synthJson(uploadWith(Secret.fromEnvironment('PARTNER_PFX_PASSWORD'), Secret.fromEnvironment('PARTNER_PFX_PASSWORD')));
    expect(Object.keys(json.variable)).toEqual(['partner_pfx_password']);
  });

  test('two names that become one Terraform variable are an error naming both constructs', () => {
    process.env.PFXPW = PASSWORD;
    process.env.pfxpw = PASSWORD;
    expect(() => uploadWith(Secret.fromEnvironment('PFXPW'), Secret.fromEnvironment('pfxpw'))).toThrow(
      'test/Cert1: Secret.fromEnvironment("pfxpw") and Secret.fromEnvironment("PFXPW") (used by test/Cert0) both become the Terraform variable "pfxpw", ' +
        'so Terraform would give both the same value. Use one name for both, or names that differ by more than case.',
    );
  });

  test('a variable of the user\'s with the same name is never shared silently', () => {
    process.env.PFXPW = PASSWORD;
    const stack = newStack();
    new TerraformVariable(stack, 'pfxpw', { type: 'string', sensitive: true });
    expect(() => new UploadedCertificate(stack, 'Cert', { apiManagement: newService(stack), source: CertificateSource.fromPfxFile(file, { password: Secret.fromEnvironment('PFXPW') }) })).toThrow(
      'test/Cert: Secret.fromEnvironment("PFXPW") declares the Terraform variable "pfxpw", but test/pfxpw already has that id. Rename that construct, or pass your variable with Secret.fromTerraformVariable(...).',
    );
  });

  test.each([
    ['a hyphen', 'PFX-PASSWORD', /not a usable environment variable name/],
    ['a leading digit', '1PASSWORD', /not a usable environment variable name/],
    ['an empty name', '', /not a usable environment variable name/],
    ['a name Terraform reserves', 'VERSION', /Terraform reserves the variable name "version"/],
  ])('%s is refused with the construct path', (_label, name, message) => {
    expect(() => uploadWith(Secret.fromEnvironment(name))).toThrow(new RegExp(`^test/Cert0: Secret\\.fromEnvironment\\(${JSON.stringify(name)}\\)[: ].*${message.source}`));
  });
});

describe('Secret.unsafePlainText', () => {
  test.each([
    ['an interpolation', 'pa${ss}word', 'pa$${ss}word'],
    ['a directive', 'pa%{ss}word', 'pa%%{ss}word'],
    ['an escaped interpolation', 'pa$${ss}', 'pa$$${ss}'],
    ['plain text', 'pa$s%s{word}', 'pa$s%s{word}'],
  ])('writes %s so that Terraform reads it literally', (_label, value, written) => {
    const stack = newStack();
    const withThatPassword = writePfx(issueCertificate({ subject: 'CN=plain' }), { password: value });
    new UploadedCertificate(stack, 'Cert', { apiManagement: newService(stack), source: CertificateSource.fromPfxFile(withThatPassword, { password: Secret.unsafePlainText(value) }) });
    const json = synthJson(stack);
    expect(onlyResource(json, 'azurerm_api_management_certificate').password).toBe(written);
  });
});
