import { Finding } from './finding';
import { planService, subjectOf } from './cell-groups';
import { Rule } from './rule';

/** The claims written per resource and for the whole stack disagree about a certificate: one of them was edited. */
export const conflictingClaims: Rule = ({ matrix }) =>
  matrix.services.flatMap((service) =>
    planService(matrix, service)
      .certificates.filter((certificate) => certificate.conflictingClaims)
      .map((certificate): Finding => ({ code: 'conflicting-claims', subject: subjectOf(service, undefined, certificate.address) })),
  );
