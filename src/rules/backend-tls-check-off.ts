import { Finding } from './finding';
import { planService, subjectOf } from './cell-groups';
import { Rule } from './rule';

/**
 * A backend that does not validate its server certificate's chain or name (`tls` off, or not
 * written: the service default is undocumented): APIM would talk to an impostor backend, and
 * present its client certificate to it.
 */
export const backendTlsCheckOff: Rule = ({ matrix }) =>
  matrix.services.flatMap((service) =>
    planService(matrix, service).backends.flatMap((backend) =>
      (
        [
          ['chain', backend.validateCertificateChain],
          ['name', backend.validateCertificateName],
        ] as const
      ).flatMap(([check, value]): Finding[] =>
        value === undefined || (value.known && !value.value)
          ? [{ code: 'backend-tls-check-off', subject: { ...subjectOf(service, undefined, backend.address), item: check }, check, written: value !== undefined }]
          : [],
      ),
    ),
  );
