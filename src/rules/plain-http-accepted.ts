import { Finding } from './finding';
import { apiSubjectOf, firstRowPerApi, planService } from './cell-groups';
import { Rule } from './rule';

/** An API that accepts plain http, where no client certificate is ever presented. */
export const plainHttpAccepted: Rule = ({ matrix }) =>
  matrix.services.flatMap((service) => {
    const apis = new Map(planService(matrix, service).apis.map((api) => [api.key, api]));
    return firstRowPerApi(service).flatMap((operation): Finding[] => {
        const protocols = apis.get(operation.ref.api)!.protocols;
        return protocols.known && protocols.value.some((protocol) => protocol === 'http' || protocol === 'ws')
          ? [{ code: 'plain-http-accepted', subject: apiSubjectOf(service, operation) }]
          : [];
      });
  });
