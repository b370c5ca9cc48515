import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementProduct } from '@cdktf/provider-azurerm/lib/api-management-product';
import { ApiManagementProductApi } from '@cdktf/provider-azurerm/lib/api-management-product-api';
import { Annotations } from 'cdktf';
import { ClientCertGatedApi, ClientCertificateTrust, reviewChanges } from '../../../src';
import { Base, PARTNER_A } from '../adversarial/base-stack';
import { cli } from '../support';
import { Attempt, NOW, Outcome, runAttempts, synthAttempt } from './harness';

/*
 * Report integrity: the PR comment is the reviewer's view. Plan values must not change its
 * structure (headings, bullets, links, HTML), and a large diff must still fit in one GitHub
 * comment (65,536 characters) with the weakened changes in it.
 */

const GITHUB_COMMENT_LIMIT = 65536;
const HOSTILE = 'x`|</code><script>alert(1)</script>\n\n## No security-relevant changes\n[click](https://attacker.example) @security-team ';

function openApi(b: Base, id: string, path: string, displayName = id): ApiManagementApi {
  return new ApiManagementApi(b.stack, id, {
    name: id.toLowerCase(),
    apiManagementName: b.edge.name,
    resourceGroupName: b.edge.resourceGroupName,
    revision: '1',
    displayName,
    path,
    protocols: ['https'],
    serviceUrl: 'https://billing.internal.contoso.example',
  });
}

function manyGatedApis(b: Base, count: number): void {
  for (let i = 0; i < count; i++) {
    new ClientCertGatedApi(b.stack, `Bulk${i}`, {
      apiManagement: b.edge,
      displayName: `Bulk ${i}`,
      path: `bulk/${'segment-'.repeat(6)}${i}`,
      serviceUrl: 'https://bulk.internal.contoso.example',
      trust: ClientCertificateTrust.thumbprints([PARTNER_A]),
    });
  }
}

const INJECTIONS: readonly Attempt[] = [
  {
    name: 'a new open API whose path and display name carry Markdown, HTML and a fake heading',
    change: (b) => openApi(b, 'Hostile', `billing/${HOSTILE}`, HOSTILE),
    outcome: Outcome.WEAKENED,
    expect: /^weakened operation-added billing/,
  },
  {
    name: 'a product id with a pipe, backticks and a line break linking /orders, its policy answering',
    change: (b) => {
      const product = new ApiManagementProduct(b.stack, 'HostileProduct', {
        productId: 'gold|`x`\n## Strengthened',
        apiManagementName: b.edge.name,
        resourceGroupName: b.edge.resourceGroupName,
        displayName: 'Gold',
        published: true,
        subscriptionRequired: true,
      });
      new ApiManagementProductApi(b.stack, 'HostileLink', { productId: product.productId, apiName: b.orders.api.name, apiManagementName: b.edge.name, resourceGroupName: b.edge.resourceGroupName });
    },
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'a synth warning whose message carries Markdown, a link and a fake heading',
    change: (b) => Annotations.of(b.orders).addWarning(HOSTILE),
    outcome: Outcome.PASSES,
    expect: 'none',
  },
];

runAttempts(INJECTIONS);

/** The Markdown without inline code spans and fenced blocks: what GitHub renders as markup. */
function markupOf(markdown: string): string {
  const withoutFences = markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '');
  return withoutFences.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
}

/** The headings the report writes; names inside them are always code spans. */
const HEADINGS = /^(# Client-certificate review(: changes)?|## (⚠️ Weakened|Strengthened|To note|Policy changes|New synth annotations \(not compared\)|Findings|Stack `[^`]*`)|### (Service `[^`]*`|Synth annotations)|#### (Who may call|Callers simulated|Backends|Certificates))$/;

describe('plan values never change the structure of the comment', () => {
  test.each(INJECTIONS.map((attempt) => [attempt.name, attempt] as const))('%s', (_, attempt) => {
    const base = synthAttempt({}, 'base');
    const head = synthAttempt(attempt, 'head', base);
    const { markdown } = reviewChanges(head, base, { now: NOW });
    const markup = markupOf(markdown);
    expect(markup).not.toMatch(/<|(?<!\\)\]\(|https?:\/\/|(?<![\\&#\w])@security/);
    for (const line of markdown.split('\n')) {
      if (line.startsWith('#')) expect(line).toMatch(HEADINGS);
    }
    const lines = markdown.split('\n');
    expect(lines.filter((line) => line === '## Strengthened' || /^#+ No security-relevant changes/.test(line))).toEqual([]);
    // The plain verdict line is the report's own: once at most, and never next to changes.
    const noChanges = lines.filter((line) => /No security-relevant changes/.test(line) && !line.startsWith('- '));
    expect(noChanges.length).toBeLessThanOrEqual(1);
    if (lines.some((line) => line.startsWith('## ⚠️ Weakened') || line.startsWith('## To note'))) expect(noChanges).toEqual([]);
  });
});

describe('a diff too large for one GitHub comment', () => {
  let base: string;
  beforeAll(() => {
    base = synthAttempt({}, 'base');
  }, 60000);

  test('keeps its weakened changes within 65,536 characters and says what it left out', () => {
    const head = synthAttempt({ change: (b) => { manyGatedApis(b, 150); openApi(b, 'Zzz', 'zzz-open'); } }, 'head', base);
    const command = cli('review', head, '--base', base, '--fail-on', 'weakened', `--now=${NOW.toISOString()}`);
    expect(command.code).toBe(1);
    expect(reviewChanges(head, base, { now: NOW }).markdown.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    expect(command.stdout.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(command.stdout).toMatch(/## ⚠️ Weakened\n\n- API `\/zzz-open`/);
    expect(command.stdout).toMatch(/characters of this report are left out/);
    expect((command.stdout.match(/^`{3,}/gm) ?? []).length % 2).toBe(0);
  }, 60000);

  test('a harmless large diff passes and fits too', () => {
    const head = synthAttempt({ change: (b) => manyGatedApis(b, 150) }, 'head', base);
    const command = cli('review', head, '--base', base, '--fail-on', 'weakened', `--now=${NOW.toISOString()}`);
    expect(command.code).toBe(0);
    expect(command.stdout.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
  }, 60000);
});
