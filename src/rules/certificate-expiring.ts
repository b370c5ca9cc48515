import { Finding } from './finding';
import { planService, subjectOf } from './cell-groups';
import { Rule } from './rule';

const DAY = 24 * 60 * 60 * 1000;
/** Within this many days of its end of validity, a certificate is reported. */
export const EXPIRY_WARNING_DAYS = 30;

/** A certificate whose claimed end of validity is near or past. */
export const certificateExpiring: Rule = ({ matrix, now }) =>
  matrix.services.flatMap((service) =>
    planService(matrix, service).certificates.flatMap((certificate): Finding[] => {
      const notAfter = certificate.claims?.notAfter;
      const end = notAfter === undefined ? NaN : new Date(notAfter).getTime();
      if (Number.isNaN(end)) return [];
      const daysLeft = Math.floor((end - now.getTime()) / DAY);
      return daysLeft < EXPIRY_WARNING_DAYS ? [{ code: 'certificate-expiring', subject: subjectOf(service, undefined, certificate.address), notAfter: notAfter!, daysLeft }] : [];
    }),
  );
