export interface KeyVaultSecretIdCheck {
  readonly problem?: string;
  /** A versioned id pins one version: APIM will not pick up rotations. */
  readonly versioned?: boolean;
}

const VAULT_HOSTS = ['vault.azure.net', 'vault.azure.cn', 'vault.usgovcloudapi.net', 'vault.microsoftazure.de'];
const SECRET_ID = new RegExp(
  `^https://[A-Za-z0-9-]{3,24}\\.(?:${VAULT_HOSTS.map((h) => h.replace(/\./g, '\\.')).join('|')})(?::443)?/(secrets|certificates|keys)/([A-Za-z0-9-]{1,127})(?:/([0-9A-Fa-f]{32}))?/?$`,
);

/** Checks the shape of a Key Vault secret identifier as azurerm's `key_vault_secret_id` needs it. */
export function checkKeyVaultSecretId(secretId: string): KeyVaultSecretIdCheck {
  const match = SECRET_ID.exec(secretId);
  if (!match) {
    return {
      problem:
        'is not a Key Vault secret identifier. Use "https://<vault>.vault.azure.net/secrets/<certificate-name>" ' +
        '(the versionless_secret_id of an azurerm_key_vault_certificate)',
    };
  }
  if (match[1] !== 'secrets') {
    return {
      problem: `points at /${match[1]}/; APIM reads the certificate with its private key through the secret. Use ".../secrets/${match[2]}"`,
    };
  }
  return { versioned: match[3] !== undefined };
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}
