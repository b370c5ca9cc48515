import { Finding } from './finding';
import { apiSubjectOf, firstRowPerApi, planService } from './cell-groups';
import { Rule } from './rule';

/** An API callable without a subscription key: the client certificate is the only check. */
export const subscriptionNotRequired: Rule = ({ matrix }) =>
  matrix.services.flatMap((service) => {
    const apis = new Map(planService(matrix, service).apis.map((api) => [api.key, api]));
    return firstRowPerApi(service).flatMap((operation): Finding[] => {
        const api = apis.get(operation.ref.api)!;
        return api.subscriptionRequired.known && !api.subscriptionRequired.value ? [{ code: 'subscription-not-required', subject: apiSubjectOf(service, operation) }] : [];
      });
  });
