import { checkKeyVaultSecretId } from '../../src/certificates/key-vault-secret-id';

describe('checkKeyVaultSecretId', () => {
  test.each([
    ['the usual form', 'https://contoso-kv.vault.azure.net/secrets/partner-client', false],
    ['an upper-case host, as the portal sometimes shows it', 'https://Contoso-KV.Vault.Azure.Net/secrets/partner-client', false],
    ['an upper-case scheme', 'HTTPS://contoso-kv.vault.azure.net/secrets/partner-client', false],
    ['the explicit port 443', 'https://contoso-kv.vault.azure.net:443/secrets/partner-client', false],
    ['a sovereign cloud', 'https://contoso-kv.vault.azure.cn/secrets/partner-client', false],
    ['a three-character vault name', 'https://kv1.vault.azure.net/secrets/x', false],
    ['a 24-character vault name', `https://${'k'.repeat(23)}1.vault.azure.net/secrets/x`, false],
    ['a versioned id', 'https://contoso-kv.vault.azure.net/secrets/partner-client/0123456789abcdef0123456789ABCDEF', true],
  ])('accepts %s', (_label, id, versioned) => {
    expect(checkKeyVaultSecretId(id)).toEqual({ versioned });
  });

  test.each([
    ['a name starting with a digit', 'https://1contoso.vault.azure.net/secrets/x', '1contoso'],
    ['a name starting with a hyphen', 'https://-contoso.vault.azure.net/secrets/x', '-contoso'],
    ['a name ending with a hyphen', 'https://contoso-.vault.azure.net/secrets/x', 'contoso-'],
    ['two hyphens in a row', 'https://contoso--kv.vault.azure.net/secrets/x', 'contoso--kv'],
    ['two characters', 'https://kv.vault.azure.net/secrets/x', 'kv'],
    ['25 characters', `https://${'k'.repeat(25)}.vault.azure.net/secrets/x`, 'k'.repeat(25)],
    ['an underscore', 'https://contoso_kv.vault.azure.net/secrets/x', 'contoso_kv'],
    ['a dotted name', 'https://contoso.kv.vault.azure.net/secrets/x', 'contoso.kv'],
  ])('refuses a vault name with %s', (_label, id, vaultName) => {
    expect(checkKeyVaultSecretId(id).problem).toBe(
      `names vault ${JSON.stringify(vaultName)}, which is not a Key Vault name: 3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, without two hyphens in a row`,
    );
  });

  test.each([
    ['another host', 'https://contoso-kv.example.com/secrets/x', /^is not a Key Vault secret identifier: "contoso-kv.example.com" is not a Key Vault host/],
    ['a host that only ends like a vault', 'https://evilvault.azure.net/secrets/x', /is not a Key Vault host/],
    ['http', 'http://contoso-kv.vault.azure.net/secrets/x', /^is not a Key Vault secret identifier\. Use "https:/],
    ['a certificate id', 'https://contoso-kv.vault.azure.net/certificates/x', /^points at \/certificates\/; .*Use "...\/secrets\/x"/],
    ['an upper-case object type', 'https://contoso-kv.vault.azure.net/Secrets/x', /^is not a Key Vault secret identifier/],
    ['a bad version', 'https://contoso-kv.vault.azure.net/secrets/x/latest', /^is not a Key Vault secret identifier/],
    ['a query', 'https://contoso-kv.vault.azure.net/secrets/x?api-version=7.4', /^is not a Key Vault secret identifier/],
  ])('refuses %s', (_label, id, message) => {
    expect(checkKeyVaultSecretId(id).problem).toMatch(message);
  });
});
