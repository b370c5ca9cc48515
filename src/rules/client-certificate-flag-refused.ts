import { ClientCertificateNegotiation } from '../plan';
import { Finding } from './finding';
import { planService, subjectOf } from './cell-groups';
import { Rule } from './rule';

/** `client_certificate_enabled` written on a tier that is not Consumption: azurerm refuses it and the apply fails. */
export const clientCertificateFlagRefused: Rule = ({ matrix }) =>
  matrix.services.flatMap((service): Finding[] => {
    const facts = planService(matrix, service);
    const required = facts.requiredMechanism;
    if (facts.clientCertificateEnabled === undefined || required === undefined || required === ClientCertificateNegotiation.CONSUMPTION_FLAG) return [];
    return [{ code: 'client-certificate-flag-refused', subject: subjectOf(service, undefined, facts.address), sku: facts.skuName?.known ? facts.skuName.value : '' }];
  });
