import { createHash } from 'node:crypto';
import { accessMatrix, CallerKind } from '../../src/access';
import { readPlan } from '../../src/plan';
import { api, apiPolicy, gate, OTHER_PARTNER, policy, service, terraform } from '../support/terraform-config';
import { row, verdictOf } from './support';

/*
 * The review simulates the unknown certificate as a stand-in and watches what each chain does
 * with its fields: a pinned thumbprint is simulated where a chain compares the thumbprint with
 * it, however the policy writes it; a test anyone can pass (a name, part of a thumbprint)
 * yields a certificate made to pass it. Judged by behaviour, never by what the text mentions.
 */

const NOW = new Date('2030-01-01T00:00:00Z');
const FORWARDED = (name: string) => `forwarded to ${name}.internal.example`;
const REJECTED = (name: string) => `rejected 403 by azurerm_api_management_api_policy.${name}_policy`;

/** A policy that answers 403 unless `condition` (C#, over the presented certificate `c`) holds. */
function admitWhen(condition: string): string {
  return policy(
    `<choose><when condition='@{ var c = context.Request.Certificate; return c == null || !(${condition}); }'><return-response><set-status code="403" reason="no" /></return-response></when></choose>`,
  );
}

function matrix(...blocks: Parameters<typeof terraform>) {
  return accessMatrix(readPlan(terraform(...blocks)), { now: NOW });
}

const keys = (m: ReturnType<typeof matrix>, path: string) => row(m, path, '*').cells.map((cell) => cell.caller.key);

describe('callers found by watching the stand-in', () => {
  test('a thumbprint pinned on one API and compared on another only in two pieces is simulated there, and admitted', () => {
    const m = matrix(
      service(),
      api('orders'),
      api('billing'),
      apiPolicy('orders', policy(gate({ thumbprints: [OTHER_PARTNER] }))),
      apiPolicy('billing', admitWhen(`c.Thumbprint == "${OTHER_PARTNER.slice(0, 20)}" + "${OTHER_PARTNER.slice(20)}"`)),
    );
    expect(verdictOf(m, 'billing', '*', `thumbprint:${OTHER_PARTNER}`)).toBe(FORWARDED('billing'));
    expect(verdictOf(m, 'billing', '*', 'unknown')).toBe(REJECTED('billing'));
  });

  test('a thumbprint compared in lower case is found as the thumbprint it stands for', () => {
    const m = matrix(service(), api('billing'), apiPolicy('billing', admitWhen(`c.Thumbprint.ToLower() == "${OTHER_PARTNER.toLowerCase()}"`)));
    expect(keys(m, 'billing')).toContain(`thumbprint:${OTHER_PARTNER}`);
    expect(verdictOf(m, 'billing', '*', `thumbprint:${OTHER_PARTNER}`)).toBe(FORWARDED('billing'));
  });

  test('a test of part of the thumbprint admits a certificate anyone can make', () => {
    const m = matrix(service(), api('billing'), apiPolicy('billing', admitWhen('c.Thumbprint.StartsWith("0123")')));
    const chosen = row(m, 'billing', '*').cells.filter((cell) => cell.caller.kind === CallerKind.CHOSEN);
    expect(chosen.map((cell) => [cell.caller.chosen, cell.caller.thumbprint?.startsWith('0123'), cell.verdict.kind])).toEqual([
      [[{ field: 'thumbprint', test: 'starts-with', against: '0123' }], true, 'forwarded'],
    ]);
  });

  test('a subject anyone can write admits the certificate made with it', () => {
    const m = matrix(service(), api('billing'), apiPolicy('billing', admitWhen('c.Subject == "CN=letmein"')));
    const chosen = row(m, 'billing', '*').cells.filter((cell) => cell.caller.kind === CallerKind.CHOSEN);
    expect(chosen.map((cell) => [cell.caller.subject, cell.verdict.kind])).toEqual([['CN=letmein', 'forwarded']]);
  });

  test('two names tested one after the other are chosen in two rounds, each test once', () => {
    const m = matrix(service(), api('billing'), apiPolicy('billing', admitWhen('c.Subject == "CN=letmein" && c.Issuer == "CN=Anyone CA"')));
    const admitted = row(m, 'billing', '*').cells.filter((cell) => cell.caller.kind === CallerKind.CHOSEN && cell.verdict.kind === 'forwarded');
    expect(admitted.map((cell) => cell.caller.chosen)).toEqual([
      [
        { field: 'subject', test: 'equals', against: 'CN=letmein' },
        { field: 'issuer', test: 'equals', against: 'CN=Anyone CA' },
      ],
    ]);
  });

  test('a gate that tests nothing anyone can choose yields no made-up callers', () => {
    const m = matrix(service(), api('orders'), apiPolicy('orders', policy(gate({ thumbprints: [OTHER_PARTNER] }))));
    expect(row(m, 'orders', '*').cells.filter((cell) => cell.caller.kind === CallerKind.CHOSEN)).toEqual([]);
  });
});

describe('a pinned thumbprint fares as the stand-in where its chain does not compare it', () => {
  test('a thumbprint used other than in a comparison (Substring) is simulated in that chain', () => {
    const m = matrix(
      service(),
      api('orders'),
      api('billing'),
      apiPolicy('orders', policy(gate({ thumbprints: [OTHER_PARTNER] }))),
      apiPolicy('billing', admitWhen(`c.Thumbprint.Substring(0, 6) == "${OTHER_PARTNER.slice(0, 6)}"`)),
    );
    expect(verdictOf(m, 'billing', '*', `thumbprint:${OTHER_PARTNER}`)).toBe(FORWARDED('billing'));
  });

  test('N APIs each pinning its own thumbprint: each row simulates its own pinned caller, not the others', () => {
    const thumbprintOf = (i: number) => createHash('sha1').update(`partner ${i}`).digest('hex').toUpperCase();
    const n = 12;
    const blocks = Array.from({ length: n }, (_, i) => [api(`api${i}`), apiPolicy(`api${i}`, policy(gate({ thumbprints: [thumbprintOf(i)] })))]).flat();
    const m = matrix(service(), ...blocks);
    for (let i = 0; i < n; i++) {
      const pinned = keys(m, `api${i}`).filter((key) => key.startsWith('thumbprint:'));
      expect(pinned).toEqual([`thumbprint:${thumbprintOf(i)}`]);
      expect(verdictOf(m, `api${i}`, '*', `thumbprint:${thumbprintOf(i)}`)).toBe(FORWARDED(`api${i}`));
    }
    // Rows of a larger plan hold as many cells as rows of a smaller one: the work per API does not grow with N.
    const small = matrix(service(), ...blocks.slice(0, 4));
    expect(row(m, 'api0', '*').cells.length).toBe(row(small, 'api0', '*').cells.length);
  });
});
