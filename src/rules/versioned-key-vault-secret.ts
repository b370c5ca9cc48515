import { Finding } from './finding';
import { planService, subjectOf } from './cell-groups';
import { Rule } from './rule';

const VERSIONED = /\/secrets\/[^/]+\/[0-9a-fA-F]{32}\/?$/;

/** A Key Vault certificate named by a versioned secret id: APIM does not follow its rotations. */
export const versionedKeyVaultSecret: Rule = ({ matrix }) =>
  matrix.services.flatMap((service) =>
    planService(matrix, service).certificates.flatMap((certificate): Finding[] =>
      certificate.source.kind === 'key-vault' && VERSIONED.test(certificate.source.secretId)
        ? [{ code: 'versioned-key-vault-secret', subject: subjectOf(service, undefined, certificate.address), secretId: certificate.source.secretId }]
        : [],
    ),
  );
