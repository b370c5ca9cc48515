import { createHash } from 'node:crypto';
import { ObservedTest, ValueObservation, ValueTest } from '../policy/simulator';
import { CallerKind, ChosenFact } from './caller';
import { CallerSetup, ChosenFacts, pinnedCaller, WatchedField, watchedValues, withFacts } from './simulated-callers';

/*
 * Callers found by watching a stand-in's run: the policy compared the presented thumbprint with
 * one no caller has (written in pieces, from a named value, …), or tested a field of the
 * certificate that whoever makes a certificate chooses (its names, part of its thumbprint). Each
 * found caller differs from its stand-in in that one field, so it is simulated only where that
 * field is tested (see `ServiceSimulation`).
 */

const FULL_THUMBPRINT = /^[0-9A-F]{40}$/;
const HEX = /^[0-9A-F]+$/;

/** Whether `value` passes `test` (case ignored unless `exactCase`: ignoring it can only find more callers). */
export function passes(test: ObservedTest, value: string, exactCase = false): boolean {
  const v = exactCase ? value : value.toUpperCase();
  const against = exactCase ? test.against : test.against.toUpperCase();
  switch (test.test) {
    case ValueTest.EQUALS:
      return v === against;
    case ValueTest.STARTS_WITH:
      return v.startsWith(against);
    case ValueTest.ENDS_WITH:
      return v.endsWith(against);
    case ValueTest.CONTAINS:
      return v.includes(against);
  }
}

/** Callers whose runs are watched: the unknown certificate, its expired copy, and chosen certificates. */
export function isStandIn(setup: CallerSetup): boolean {
  return setup.caller.key === 'unknown' || setup.caller.key === 'expired:unknown' || setup.caller.kind === CallerKind.CHOSEN;
}

/**
 * The callers a stand-in's observed run points at. From the unknown certificate only: the holder
 * of each full thumbprint it was compared with. From any stand-in: a certificate made to pass
 * each test of a name, or of part of the thumbprint.
 */
export function derivedCallers(standIn: CallerSetup, observed: ReadonlyMap<WatchedField, ValueObservation> | undefined, fromUnknown: boolean): CallerSetup[] {
  if (!observed || !standIn.presented) return [];
  const found: CallerSetup[] = [];
  const own = watchedValues(standIn.presented);
  for (const [field, observation] of observed) {
    for (const test of observation.tests) {
      const against = test.against;
      // A test the stand-in passes already finds no caller it does not stand for (a chosen caller's own test, found again).
      const current = own.get(field);
      if (current !== undefined && passes(test, current, !test.ignoreCase)) continue;
      if (field === WatchedField.THUMBPRINT) {
        const hex = against.toUpperCase();
        if (!HEX.test(hex) || hex.length > 40) continue; // no thumbprint passes such a test
        if (test.test === ValueTest.EQUALS) {
          if (fromUnknown && FULL_THUMBPRINT.test(hex)) found.push(pinnedCaller(standIn.presented, hex, CallerKind.PINNED_THUMBPRINT, standIn.at));
          continue;
        }
        // The rest comes from the stand-in's own (unpredictable) thumbprint: a policy cannot exclude exactly this caller.
        const own = standIn.presented.thumbprint;
        const thumbprint = test.test === ValueTest.ENDS_WITH ? own.slice(0, 40 - hex.length) + hex : hex + own.slice(hex.length);
        found.push(chosen(standIn, field, test, thumbprint, { thumbprint }));
        continue;
      }
      // A certificate whose name is the tested text passes equals, starts-with, ends-with and contains.
      if (field === WatchedField.SUBJECT) found.push(chosen(standIn, field, test, against, { subject: against }));
      if (field === WatchedField.COMMON_NAME) found.push(chosen(standIn, field, test, against, { subject: `CN=${against}` }));
      // An issuer name that is an uploaded CA's still does not chain to it: only a signature does.
      if (field === WatchedField.ISSUER) found.push(chosen(standIn, field, test, against, { issuer: against }));
      if (field === WatchedField.SERIAL_NUMBER && HEX.test(against.toUpperCase())) found.push(chosen(standIn, field, test, against, { serialNumber: against.toUpperCase() }));
    }
  }
  return found;
}

function chosen(standIn: CallerSetup, field: WatchedField, test: ObservedTest, value: string, facts: ChosenFacts): CallerSetup {
  const fact: ChosenFact = { field, test: test.test, against: test.against };
  const chosenFacts = [...(standIn.caller.chosen ?? []), fact];
  const key = `chosen:${chosenFacts.map((item) => `${item.field} ${item.test} ${item.against}`).join(' & ')}`;
  // Its own thumbprint depends on the stand-in's, which depends on every policy text: never predictable.
  const presented = withFacts(standIn.presented!, { thumbprint: facts.thumbprint ?? digest(`${key} ${standIn.presented!.thumbprint}`), ...facts });
  return {
    caller: {
      key,
      kind: CallerKind.CHOSEN,
      thumbprint: presented.thumbprint,
      subject: presented.subject,
      issuer: presented.issuer,
      chosen: chosenFacts,
      roles: [],
    },
    presented,
    at: standIn.at,
    represents: { standIn: standIn.caller.key, field, value },
  };
}

function digest(text: string): string {
  return createHash('sha1').update(text).digest('hex').toUpperCase();
}
