import { cpSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { App } from 'cdktf';
import { ClientCertGatedApi, ClientCertificateTrust } from '../../../src';
import { ATTACKER, buildBase, PARTNER_A, PARTNER_B, STACK } from '../adversarial/base-stack';
import { cli, reviewStack, service, synthesize } from '../support';
import { NOW, stackDirOf, synthAttempt } from './harness';

/*
 * The command as CI runs it: what it compares when the directories, the manifest or the set of
 * stacks are not what a plain `cdktf synth` writes. The expected exit code of each attempt is
 * written before it is run.
 */

const NOW_ARG = `--now=${NOW.toISOString()}`;
const gate = (head: string, base: string) => cli('review', head, '--base', base, '--fail-on', 'weakened', NOW_ARG);

function manifestOf(dir: string): any {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
}
function writeManifest(dir: string, manifest: unknown): void {
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

/** A head that adds the attacker's thumbprint to /orders: weakened, whatever stack it is in. */
const WEAKENED_HEAD = { options: { ordersThumbprints: [PARTNER_A, PARTNER_B, ATTACKER] } };

let base: string;
beforeAll(() => {
  base = synthAttempt({}, 'base');
}, 60000);

describe('directories', () => {
  test('--base naming the directory under review is refused: it proves nothing', () => {
    const result = gate(base, base);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--base .* is the directory under review/);
  });

  test('--base reached through a symbolic link to the directory under review is refused too', () => {
    const link = `${base}-link`;
    symlinkSync(base, link);
    expect(gate(link, base).code).toBe(2);
  });

  test('a copy of the base compared with the base has no changes', () => {
    const copy = `${base}-copy`;
    cpSync(base, copy, { recursive: true });
    expect(gate(copy, base)).toMatchObject({ code: 0, stdout: '# Client-certificate review: changes\n\nNo security-relevant changes.\n' });
  });

  test("a head whose cdk.tf.json is a symbolic link to the base's passes: it is the same configuration", () => {
    const head = synthAttempt(WEAKENED_HEAD, 'head', base);
    const file = join(stackDirOf(head), 'cdk.tf.json');
    renameSync(file, `${file}.orig`);
    symlinkSync(join(stackDirOf(base), 'cdk.tf.json'), file);
    expect(gate(head, base).code).toBe(0);
  });
});

describe('the manifest', () => {
  test('a manifest that points the review at a decoy while Terraform runs in the stack directory is refused', () => {
    const head = synthAttempt(WEAKENED_HEAD, 'head', base);
    const decoy = join(head, 'stacks', 'decoy');
    mkdirSync(decoy, { recursive: true });
    cpSync(join(stackDirOf(base), 'cdk.tf.json'), join(decoy, 'cdk.tf.json'));
    const manifest = manifestOf(head);
    manifest.stacks[STACK].synthesizedStackPath = 'stacks/decoy/cdk.tf.json';
    writeManifest(head, manifest);
    const result = gate(head, base);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/synthesizedStackPath .* is not in its workingDirectory/);
  });

  test('a synthesizedStackPath that leaves the directory is refused', () => {
    const head = synthAttempt(WEAKENED_HEAD, 'head', base);
    const manifest = manifestOf(head);
    manifest.stacks[STACK].synthesizedStackPath = `../${base.split('/').pop()}/stacks/${STACK}/cdk.tf.json`;
    manifest.stacks[STACK].workingDirectory = `../${base.split('/').pop()}/stacks/${STACK}`;
    writeManifest(head, manifest);
    const result = gate(head, base);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/outside/);
  });

  test('a stack missing from the head manifest counts as removed: nothing in it is deployed (strengthened, exit 0)', () => {
    const head = synthAttempt(WEAKENED_HEAD, 'head', base);
    const manifest = manifestOf(head);
    delete manifest.stacks[STACK];
    writeManifest(head, manifest);
    const result = gate(head, base);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/## Strengthened/);
  });
});

describe('stacks renamed, added and removed', () => {
  const renamed = (weakened: boolean) =>
    synthesize((app: App) => {
      const built = buildBase(app, weakened ? WEAKENED_HEAD.options : {});
      void built;
    });

  test('the stack renamed while /orders admits one more thumbprint is weakened', () => {
    process.env.ADVERSARIAL_PFX_PASSWORD = 'adversarial-password';
    let head: string;
    try {
      head = renamed(true);
    } finally {
      delete process.env.ADVERSARIAL_PFX_PASSWORD;
    }
    const manifest = manifestOf(head);
    manifest.stacks['gateway-v2'] = { ...manifest.stacks[STACK], name: 'gateway-v2' };
    delete manifest.stacks[STACK];
    writeManifest(head, manifest);
    const result = gate(head, base);
    expect(result.stdout).toMatch(new RegExp(`thumbprint \`${ATTACKER.slice(0, 8)}…\`: rejected`));
    expect(result.code).toBe(1);
  });

  test('the stack renamed, nothing else, has no security-relevant changes', () => {
    const head = `${base}-renamed`;
    cpSync(base, head, { recursive: true });
    const manifest = manifestOf(head);
    manifest.stacks['gateway-v2'] = { ...manifest.stacks[STACK], name: 'gateway-v2' };
    delete manifest.stacks[STACK];
    writeManifest(head, manifest);
    expect(gate(head, base)).toMatchObject({ code: 0, stdout: '# Client-certificate review: changes\n\nNo security-relevant changes.\n' });
  });

  test('a new stack with an API that admits everyone is weakened', () => {
    const head = synthesize((app) => {
      process.env.ADVERSARIAL_PFX_PASSWORD = 'adversarial-password';
      try {
        buildBase(app);
      } finally {
        delete process.env.ADVERSARIAL_PFX_PASSWORD;
      }
      const stack = reviewStack(app, 'sandbox');
      const apim = service(stack);
      new ApiManagementApi(stack, 'Open', { name: 'open', apiManagementName: apim.name, resourceGroupName: 'rg-gateway', revision: '1', displayName: 'Open', path: 'open', protocols: ['https'], serviceUrl: 'https://open.internal.contoso.example' });
      new ClientCertGatedApi(stack, 'Gated', { apiManagement: apim, displayName: 'Gated', path: 'gated', serviceUrl: 'https://gated.internal.contoso.example', trust: ClientCertificateTrust.thumbprints([PARTNER_A]) });
    });
    const result = gate(head, base);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/API `\/open` on service `contoso-gateway` in stack `sandbox`/);
  });

  test('a stack removed is not weakened', () => {
    const head = synthesize((app) => {
      const stack = reviewStack(app, 'other');
      service(stack);
    });
    const result = gate(head, base);
    expect(result.code).toBe(0);
  });
});
