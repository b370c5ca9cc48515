import { Finding } from './finding';
import { planService, subjectOf } from './cell-groups';
import { Rule } from './rule';

/**
 * A service this plan manages never asks callers for a certificate (the SKU's mechanism is not
 * turned on), so `context.Request.Certificate` is always null.
 */
export const serviceDoesNotAsk: Rule = ({ matrix }) =>
  matrix.services.flatMap((service): Finding[] => {
    const facts = planService(matrix, service);
    if (!facts.managed || !service.asksForCertificates.known || service.asksForCertificates.value) return [];
    return [{ code: 'service-does-not-ask', subject: subjectOf(service, undefined, facts.address), ...(facts.requiredMechanism ? { required: facts.requiredMechanism } : {}) }];
  });
