import { AccessMatrix, Destination, RejectedVerdict, Verdict } from '../../src/access';
import { known, undecided } from '../../src/plan';
import { ChangeImpact, diffAccess, mergedNames, namesOf, renderChanges, verdictImpact } from '../../src/report';
import { expectGoldenFile } from '../support/golden-file';
import { FORWARDED, HandMade, handMadeMatrix, PARTNER, PARTNER_ADDRESS, REJECTED, UNDECIDED } from '../rules/hand-made-matrix';

const ELSEWHERE: Verdict = { ...FORWARDED, url: known('https://elsewhere.example'), host: 'elsewhere.example' };
const ANSWERED: Verdict = { kind: 'answered', status: 200 };
const STEERABLE: Verdict = { ...(REJECTED as RejectedVerdict), steerableBy: ['x-key'] };

describe('how a verdict change counts', () => {
  test.each([
    ['rejected → forwarded', REJECTED, FORWARDED, ChangeImpact.WEAKENED],
    ['rejected → answered', REJECTED, ANSWERED, ChangeImpact.WEAKENED],
    ['rejected → undecided', REJECTED, UNDECIDED, ChangeImpact.WEAKENED],
    ['forwarded → undecided', FORWARDED, UNDECIDED, ChangeImpact.WEAKENED],
    ['undecided → forwarded', UNDECIDED, FORWARDED, ChangeImpact.WEAKENED],
    ['forwarded to another host', FORWARDED, ELSEWHERE, ChangeImpact.WEAKENED],
    ['forwarded → rejected', FORWARDED, REJECTED, ChangeImpact.STRENGTHENED],
    ['undecided → rejected', UNDECIDED, REJECTED, ChangeImpact.STRENGTHENED],
    ['rejected 401 → 403', REJECTED, { ...REJECTED, status: 403 }, ChangeImpact.TO_NOTE],
    ['another undecided reason', UNDECIDED, { kind: 'undecided', reason: 'other' }, ChangeImpact.TO_NOTE],
    ['another client certificate presented', FORWARDED, { ...FORWARDED, presents: ['x'] }, ChangeImpact.TO_NOTE],
    ['forwarded → answered', FORWARDED, ANSWERED, ChangeImpact.TO_NOTE],
    ['the same rejection by another element', REJECTED, { ...REJECTED, by: { scope: 'other', element: '/x' } }, undefined],
    ['a proven rejection → rejected only for the headers sent', REJECTED, STEERABLE, ChangeImpact.WEAKENED],
    ['rejected only for the headers sent → a proven rejection', STEERABLE, REJECTED, ChangeImpact.STRENGTHENED],
    ['forwarded → rejected only for the headers sent (never a strengthening)', FORWARDED, STEERABLE, ChangeImpact.TO_NOTE],
    ['undecided → rejected only for the headers sent', UNDECIDED, STEERABLE, ChangeImpact.TO_NOTE],
    ['rejected only for the same headers sent, before and after', STEERABLE, { ...STEERABLE }, undefined],
  ])('%s', (_, before, after, impact) => {
    expect(verdictImpact(before as Verdict, after as Verdict)).toBe(impact);
  });
});

function diff(base: HandMade, head: HandMade) {
  return diffAccess(handMadeMatrix(base), handMadeMatrix(head));
}

function summary(base: HandMade, head: HandMade): Array<[string, string, string?]> {
  return diff(base, head).map((change) => [change.impact, change.kind, change.kind === 'verdict' ? change.callers.map((c) => c.key).join() : change.kind === 'certificate' ? change.change : undefined]);
}

describe('diffing two matrices', () => {
  test('identical matrices have no changes', () => {
    expect(diff({ verdicts: { [PARTNER]: FORWARDED } }, { verdicts: { [PARTNER]: FORWARDED } })).toEqual([]);
  });

  test('a caller moving from rejected to forwarded is weakened, with the operations and routes', () => {
    const [change] = diff({}, { verdicts: { unknown: FORWARDED } });
    expect(change).toMatchObject({ kind: 'verdict', impact: ChangeImpact.WEAKENED, operations: ['GET /orders'], routes: ['none'], before: REJECTED, after: FORWARDED, subject: { apiPath: 'orders' } });
  });

  test('a certificate renamed (new address, same source) is the same caller', () => {
    const base: HandMade = { verdicts: { [PARTNER]: FORWARDED } };
    const renamed = handMadeMatrix(base);
    const [service] = renamed.services;
    const address = 'azurerm_api_management_certificate.renamed';
    const rekey = (key: string) => key.replace(PARTNER_ADDRESS, address);
    const head: AccessMatrix = {
      plan: { ...renamed.plan, services: [{ ...renamed.plan.services[0], certificates: [{ ...renamed.plan.services[0].certificates[0], address }] }] },
      services: [
        {
          ...service,
          callers: service.callers.map((c) => ({ ...c, key: rekey(c.key), ...(c.copyOf ? { copyOf: rekey(c.copyOf) } : {}), ...(c.certificate ? { certificate: address } : {}) })),
          operations: service.operations.map((row) => ({ ...row, cells: row.cells.map((cell) => ({ ...cell, caller: { ...cell.caller, key: rekey(cell.caller.key), ...(cell.caller.copyOf ? { copyOf: rekey(cell.caller.copyOf) } : {}) } })) })),
        },
      ],
    };
    expect(diffAccess(handMadeMatrix(base), head)).toEqual([]);
  });

  test('a caller the base does not know is compared with the base\'s unknown certificate', () => {
    const head = handMadeMatrix({ verdicts: { [PARTNER]: FORWARDED } });
    const base = handMadeMatrix({ verdicts: { [PARTNER]: FORWARDED } });
    const [headService] = head.services;
    const newcomer = { ...headService.callers[1], key: 'thumbprint:' + 'D'.repeat(40), thumbprint: 'D'.repeat(40), kind: 'pinned-thumbprint' as never };
    const withNewcomer: AccessMatrix = {
      ...head,
      services: [{ ...headService, callers: [...headService.callers, newcomer], operations: headService.operations.map((row) => ({ ...row, cells: [...row.cells, { caller: newcomer, verdict: FORWARDED, scopesRun: [], inboundScopesRun: [] }] })) }],
    };
    expect(diffAccess(base, withNewcomer).map((c) => [c.impact, c.kind === 'verdict' && c.callers.map((caller) => caller.key).join()])).toEqual([[ChangeImpact.WEAKENED, newcomer.key]]);
  });

  test('subscription no longer required is weakened; required again is strengthened', () => {
    expect(summary({}, { api: { subscriptionRequired: known(false) } })).toEqual([
      [ChangeImpact.WEAKENED, 'subscription', undefined],
    ]);
    expect(summary({ api: { subscriptionRequired: known(false) } }, {})).toEqual([[ChangeImpact.STRENGTHENED, 'subscription', undefined]]);
  });

  test('a backend TLS check turned off or left unset is weakened', () => {
    const backend = (chain?: boolean) => ({
      service: { backends: [{ address: 'b', name: known('b'), url: known('https://b.example'), ...(chain === undefined ? {} : { validateCertificateChain: known(chain) }), validateCertificateName: known(true), clientCertificates: [] }] },
    });
    expect(summary(backend(true), backend(false))).toEqual([[ChangeImpact.WEAKENED, 'backend-tls', undefined]]);
    expect(summary(backend(true), backend(undefined))).toEqual([[ChangeImpact.WEAKENED, 'backend-tls', undefined]]);
    expect(summary(backend(false), backend(true))).toEqual([[ChangeImpact.STRENGTHENED, 'backend-tls', undefined]]);
  });

  describe('certificates are matched by address, then by source; claims describe, the source identifies', () => {
    const claims = (thumbprint: string, subject = 'CN=partner', issuer = 'CN=Partner CA') => ({ kind: 'certificate' as const, source: 'pfx-file' as const, inspected: true, thumbprint, subject, issuer });
    const otherFile = { kind: 'pfx-file' as const, file: 'assets/partner/FEDCBA9876543210FEDCBA9876543210/partner.pfx', contentHash: 'FEDCBA9876543210FEDCBA9876543210' };

    test.each([
      ['the same file, another claimed thumbprint', { claims: claims('E'.repeat(40)) }, ChangeImpact.WEAKENED, 'claims-changed'],
      ['a new file with the same subject and issuer: a rotation', { source: otherFile, claims: claims('E'.repeat(40)) }, ChangeImpact.TO_NOTE, 'rotated'],
      ['a new file with another subject', { source: otherFile, claims: claims('E'.repeat(40), 'CN=attacker') }, ChangeImpact.WEAKENED, 'replaced'],
      ['a new file without claims', { source: otherFile, claims: undefined }, ChangeImpact.WEAKENED, 'replaced-unverified'],
    ])('%s', (_, certificate, impact, change) => {
      expect(diff({}, { certificate }).filter((c) => c.kind === 'certificate')).toEqual([expect.objectContaining({ impact, change })]);
    });
  });

  test('a new API that admits an unknown certificate is weakened; one that rejects it is to note', () => {
    const empty = handMadeMatrix();
    const none: AccessMatrix = { ...empty, services: [{ ...empty.services[0], operations: [] }] };
    expect(diffAccess(none, handMadeMatrix({ verdicts: { unknown: FORWARDED } })).filter((c) => c.kind === 'operation-added')).toEqual([
      expect.objectContaining({ impact: ChangeImpact.WEAKENED, admitsUnknown: true, admitsNone: false }),
    ]);
    expect(diffAccess(none, handMadeMatrix({ verdicts: { [PARTNER]: FORWARDED } })).filter((c) => c.kind === 'operation-added')).toEqual([
      expect.objectContaining({ impact: ChangeImpact.TO_NOTE, admitsUnknown: false }),
    ]);
    expect(diffAccess(handMadeMatrix(), none).map((c) => [c.impact, c.kind])).toEqual([[ChangeImpact.STRENGTHENED, 'operation-removed']]);
  });

  test('the rendered changes show the verdicts and the changed policy lines before and after', () => {
    const base = handMadeMatrix();
    const head = handMadeMatrix({ verdicts: { unknown: { ...FORWARDED, destination: Destination.BASE_URL } } });
    const withPolicy = (matrix: AccessMatrix, text: string): AccessMatrix => ({
      ...matrix,
      services: matrix.services.map((service) => ({ ...service, operations: service.operations.map((row) => ({ ...row, chain: [{ ...row.chain[0], text: known(text), written: text }] })) })),
    });
    const before = '<policies>\n  <inbound>\n    <base />\n    <validate-client-certificate />\n  </inbound>\n</policies>';
    const after = '<policies>\n  <inbound>\n    <base />\n    <authentication-certificate body="x" password="s3cret" />\n  </inbound>\n</policies>';
    const b = withPolicy(base, before);
    const h = withPolicy(head, after);
    const markdown = renderChanges([{ name: 'gateway', changes: diffAccess(b, h), names: mergedNames(namesOf(b), namesOf(h)) }]);
    expectGoldenFile(__dirname, 'changes-hand-made.md', markdown);
    expect(markdown).toContain('an unknown certificate: rejected `401` → forwarded to `orders.internal.example`');
    expect(markdown).toContain('-    <validate-client-certificate />\n+    <authentication-certificate body="x" password="(not shown)" />');
    expect(markdown).not.toContain('s3cret');
  });

  test('no changes read "No security-relevant changes."', () => {
    expect(renderChanges([{ name: 'gateway', changes: [], names: namesOf(handMadeMatrix()) }])).toBe('# Client-certificate review: changes\n\nNo security-relevant changes.\n');
  });

  test('an undecided service is not a change in what it asks', () => {
    expect(diff({ service: { asksForCertificates: undecided('x') }, verdicts: { [PARTNER]: FORWARDED } }, { verdicts: { [PARTNER]: FORWARDED } })).toEqual([]);
  });
});
