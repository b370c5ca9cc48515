import { Finding } from './finding';
import { planService, subjectOf } from './cell-groups';
import { Rule } from './rule';

/**
 * A service the plan attaches things to but does not manage: whether it asks for client
 * certificates, and any policy set on it elsewhere, cannot be seen here.
 */
export const unmanagedService: Rule = ({ matrix }) =>
  matrix.services.flatMap((service): Finding[] =>
    planService(matrix, service).managed ? [] : [{ code: 'unmanaged-service', subject: subjectOf(service), reason: service.asksForCertificates.known ? '' : service.asksForCertificates.reason }],
  );
