import { CallerKind } from '../access';
import { Finding } from './finding';
import { subjectOf } from './cell-groups';
import { Rule } from './rule';

/** A policy pins a thumbprint that no certificate of the plan has (a partner's certificate, or a stale pin). */
export const pinnedThumbprintUnmatched: Rule = ({ matrix }) =>
  matrix.services.flatMap((service) =>
    service.callers
      .filter((caller) => caller.kind === CallerKind.PINNED_THUMBPRINT)
      .map((caller): Finding => ({ code: 'pinned-thumbprint-unmatched', subject: { ...subjectOf(service), item: caller.thumbprint }, thumbprint: caller.thumbprint! })),
  );
