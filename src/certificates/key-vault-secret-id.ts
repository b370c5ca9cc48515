export interface KeyVaultSecretIdCheck {
  readonly problem?: string;
  /** A versioned id pins one version: APIM will not pick up rotations. */
  readonly versioned?: boolean;
}

const VAULT_DNS_SUFFIXES = ['vault.azure.net', 'vault.azure.cn', 'vault.usgovcloudapi.net', 'vault.microsoftazure.de'];
// Scheme and host are case-insensitive in a URL; the path is compared as written.
const SECRET_ID = /^https:\/\/([^/:?#]+)(?::443)?\/([^/?#]+)\/([^/?#]+)(?:\/([^/?#]+))?\/?$/i;
// Azure's rule for vault names: 3-24 letters, digits and hyphens, starting with a letter, ending
// with a letter or digit, no two hyphens in a row.
const VAULT_NAME = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{1,22}[A-Za-z0-9]$/;
const ITEM_NAME = /^[A-Za-z0-9-]{1,127}$/;
const VERSION = /^[0-9A-Fa-f]{32}$/;
const SHAPE_HINT =
  'Use "https://<vault>.vault.azure.net/secrets/<certificate-name>" (the versionless_secret_id of an azurerm_key_vault_certificate)';

/** Checks the shape of a Key Vault secret identifier as azurerm's `key_vault_secret_id` needs it. */
export function checkKeyVaultSecretId(secretId: string): KeyVaultSecretIdCheck {
  const match = SECRET_ID.exec(secretId);
  if (!match) return { problem: `is not a Key Vault secret identifier. ${SHAPE_HINT}` };
  const [, host, kind, name, version] = match;
  const lowerHost = host.toLowerCase();
  const suffix = VAULT_DNS_SUFFIXES.find((candidate) => lowerHost.endsWith(`.${candidate}`));
  if (!suffix) {
    return { problem: `is not a Key Vault secret identifier: ${JSON.stringify(host)} is not a Key Vault host (<vault>.${VAULT_DNS_SUFFIXES[0]} or a sovereign cloud's). ${SHAPE_HINT}` };
  }
  const vaultName = host.slice(0, host.length - suffix.length - 1);
  if (!VAULT_NAME.test(vaultName)) {
    return {
      problem:
        `names vault ${JSON.stringify(vaultName)}, which is not a Key Vault name: 3-24 letters, digits and hyphens, ` +
        'starting with a letter, ending with a letter or digit, without two hyphens in a row',
    };
  }
  if (kind === 'certificates' || kind === 'keys') {
    return { problem: `points at /${kind}/; APIM reads the certificate with its private key through the secret. Use ".../secrets/${name}"` };
  }
  if (kind !== 'secrets' || !ITEM_NAME.test(name) || (version !== undefined && !VERSION.test(version))) {
    return { problem: `is not a Key Vault secret identifier. ${SHAPE_HINT}` };
  }
  return { versioned: version !== undefined };
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}
