import { Finding } from './finding';
import { apiSubjectOf, firstRowPerApi, planService } from './cell-groups';
import { Rule } from './rule';

/** An API that accepts plain http, where no client certificate is ever presented. */
export const plainHttpAccepted: Rule = ({ matrix }) =>
  matrix.services.flatMap((service) => {
    const apis = planService(matrix, service).apis;
    return firstRowPerApi(service).flatMap((operation): Finding[] => {
        const protocols = apis.find((candidate) => candidate.key === operation.ref.api)!.protocols;
        return protocols.known && protocols.value.some((protocol) => protocol === 'http' || protocol === 'ws')
          ? [{ code: 'plain-http-accepted', subject: apiSubjectOf(service, operation) }]
          : [];
      });
  });
