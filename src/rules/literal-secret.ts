import { Finding } from './finding';
import { planService, subjectOf } from './cell-groups';
import { Rule } from './rule';

/** A PFX or its password written as literal text into the configuration (and so into cdk.tf.json and state). */
export const literalSecret: Rule = ({ matrix }) =>
  matrix.services.flatMap((service) =>
    planService(matrix, service).certificates.flatMap((certificate) =>
      (certificate.literalSecrets ?? []).map((attribute): Finding => ({ code: 'literal-secret', subject: { ...subjectOf(service, undefined, certificate.address), item: attribute }, attribute })),
    ),
  );
