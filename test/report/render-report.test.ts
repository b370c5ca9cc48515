import { CallerRole, Destination } from '../../src/access';
import { known } from '../../src/plan';
import { renderReport, StackReport } from '../../src/report';
import { judge } from '../../src/rules';
import { expectGoldenFile } from '../support/golden-file';
import { FORWARDED, handMadeMatrix, HandMade, PARTNER, UNDECIDED } from '../rules/hand-made-matrix';

const NOW = new Date('2030-01-01T00:00:00Z');

function stack(made: HandMade, annotations: StackReport['annotations'] = []): StackReport {
  const matrix = handMadeMatrix(made);
  return { name: 'gateway', matrix, findings: judge(matrix, { now: NOW }), annotations };
}

function tableRows(markdown: string): string[] {
  return markdown.split('\n').filter((line) => line.startsWith('| API `'));
}

describe('the full report', () => {
  test('leads with findings, then the who-may-call matrix of each service', () => {
    const report = renderReport(
      [
        stack(
          {
            verdicts: { [PARTNER]: { ...FORWARDED, destination: Destination.BACKEND, backend: 'azurerm_api_management_backend.orders', presents: ['azurerm_api_management_certificate.partner'] }, none: UNDECIDED },
            roles: { [PARTNER]: [CallerRole.CLIENT, CallerRole.BACKEND_CLIENT] },
            service: { backends: [{ address: 'azurerm_api_management_backend.orders', name: known('orders'), url: known('https://orders.internal.example'), validateCertificateChain: known(true), validateCertificateName: known(true), clientCertificates: [] }] },
          },
          [{ level: 'warning', constructPath: 'gateway/Orders', message: 'something to <look> at' }],
        ),
      ],
      { now: NOW },
    );
    expectGoldenFile(__dirname, 'report-hand-made.md', report);
    expect(report.split('\n')[2]).toBe('1 stack · 1 service · 1 API · 1 backend · 1 certificate · 2 findings · 1 synth warning');
    expect(report.indexOf('## Findings')).toBeLessThan(report.indexOf('#### Who may call'));
    expect(tableRows(report)).toEqual([
      '| API `/orders` | `GET /orders` | no product | certificate `partner` → `orders.internal.example` (backend `orders`), presenting certificate `partner` | rejected `401`: an unknown certificate, certificate `partner` after it expired, an impostor of certificate `partner`; undecided: ${var.extra} (a variable): no certificate |',
    ]);
    expect(report).toContain('something to &lt;look&gt; at');
  });

  test('operations and routes whose callers fare alike share one row; "everyone else" when one verdict remains', () => {
    const matrix = handMadeMatrix({ verdicts: { [PARTNER]: FORWARDED } });
    const [service] = matrix.services;
    const [row] = service.operations;
    const rows = [row, { ...row, ref: { ...row.ref, operation: 'POST /orders' } }, { ...row, ref: { ...row.ref, route: 'product:partners' } }];
    const wide = { ...matrix, services: [{ ...service, operations: rows }] };
    const report = renderReport([{ name: 'gateway', matrix: wide, findings: [], annotations: [] }], { now: NOW });
    expect(tableRows(report)).toEqual([
      '| API `/orders` | all 2 operations | every route | certificate `partner` → `orders.internal.example` (the API\'s service URL) | everyone else: rejected `401` |',
    ]);
  });

  test('callers that share a thumbprint are one row of the callers table', () => {
    const matrix = handMadeMatrix();
    const [service] = matrix.services;
    const twin = { ...service.callers[0], key: 'certificate:azurerm_api_management_certificate.twin', certificate: 'azurerm_api_management_certificate.twin' };
    const report = renderReport([{ name: 'gateway', matrix: { ...matrix, services: [{ ...service, callers: [...service.callers, twin] }] }, findings: [], annotations: [] }], { now: NOW });
    expect(report).toContain(`| certificate \`partner\`, certificate \`azurerm_api_management_certificate.twin\` | \`${'A'.repeat(40)}\` | \`CN=partner\` | \`CN=Partner CA\` |`);
  });

  test('display names cannot inject Markdown, HTML, mentions or table cells', () => {
    const report = renderReport([stack({ api: { displayName: 'Orders <img src=x> [link](https://evil.example) @team *bold* | cell' } })], { now: NOW });
    expect(tableRows(report)[0]).toMatch(/^\| API `\/orders` Orders &lt;img src=x&gt; \\\[link\\\]\(https&#58;\/\/evil\.example\) &#64;team \\\*bold\\\* \\\| cell \| /);
  });

  test('certificates show their claims and expiry; secrets never appear', () => {
    const report = renderReport([stack({ certificate: { literalSecrets: ['password'] } })], { now: NOW });
    expect(report).toContain(`- Certificate \`partner\`: PFX file \`partner.pfx\`; thumbprint \`${'A'.repeat(40)}\`; subject \`CN=partner\`, issuer \`CN=Partner CA\`; expires \`2031-01-01T00:00:00.000Z\` (365 days left)`);
    expect(report).toContain('has its PFX password written in plain text in the configuration (value not shown)');
  });
});
