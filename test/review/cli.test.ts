import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildExampleStacks } from '../../examples/partner-gateway-stack';
import { cli, NOW_ARG, synthesize } from './support';

const ROOT = resolve(__dirname, '../..');

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'apim-mtls-review-input-'));
}

/** Exit 2 with a one-line message on stderr that names `path`, no stack trace, nothing on stdout. */
function expectInputError(result: { code: number; stdout: string; stderr: string }, path: string, says: string | RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(result.stderr).toContain(path);
  expect(result.stderr).toMatch(says);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('input errors exit 2 with a clear one-line message', () => {
  let good: string;
  beforeAll(() => {
    good = synthesize((app) => buildExampleStacks(app));
  });

  test('a missing directory', () => {
    const missing = join(scratch(), 'cdktf.out');
    expectInputError(cli('review', missing), missing, /no such directory/);
    expectInputError(cli('review', good, '--base', missing), missing, /no such directory/);
  });

  test('a file instead of a directory', () => {
    const file = join(scratch(), 'cdk.tf.json');
    writeFileSync(file, '{}');
    expectInputError(cli('review', file), file, /not a directory/);
  });

  test('a directory without manifest.json', () => {
    const dir = scratch();
    expectInputError(cli('review', dir), join(dir, 'manifest.json'), /not found: .* is not the output directory of cdktf synth/);
  });

  test('malformed JSON in manifest.json or in a stack', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'manifest.json'), '{"stacks": {');
    expectInputError(cli('review', dir), join(dir, 'manifest.json'), /not valid JSON/);

    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: { app: { name: 'app', synthesizedStackPath: 'stacks/app/cdk.tf.json' } } }));
    expectInputError(cli('review', dir), join(dir, 'stacks/app/cdk.tf.json'), /not found: manifest.json lists stack "app" there/);

    mkdirSync(join(dir, 'stacks', 'app'), { recursive: true });
    writeFileSync(join(dir, 'stacks', 'app', 'cdk.tf.json'), '{"resource": ');
    expectInputError(cli('review', dir), join(dir, 'stacks/app/cdk.tf.json'), /not valid JSON/);
    // The base directory is checked the same way.
    expectInputError(cli('review', good, '--base', dir), join(dir, 'stacks/app/cdk.tf.json'), /not valid JSON/);
  });

  test('a manifest that is not a cdktf manifest', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'manifest.json'), '[1, 2]');
    expectInputError(cli('review', dir), join(dir, 'manifest.json'), /no "stacks" object/);
  });
});

describe('usage errors exit 2 and print the usage', () => {
  test.each([
    [[], /missing command/],
    [['plan', 'cdktf.out'], /unknown command "plan"/],
    [['review'], /missing the synthesized directory/],
    [['review', 'a', 'b'], /unexpected argument "b"/],
    [['review', 'a', '--colour'], /unknown option --colour/],
    [['review', 'a', '--base'], /--base needs a value/],
    [['review', 'a', '--base', 'b', '--fail-on', 'anything'], /--fail-on takes "weakened", not "anything"/],
    [['review', 'a', '--fail-on', 'weakened'], /--fail-on weakened needs --base/],
    [['review', 'a', '--now', 'yesterday'], /--now "yesterday" is not an ISO date/],
  ])('%j', (argv, message) => {
    const result = cli(...(argv as string[]));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Usage: cdktf-apim-mtls review <cdktf.out dir>');
  });

  test('--help prints the usage and exits 0', () => {
    const result = cli('review', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--fail-on weakened');
  });
});

describe('the installed command', () => {
  const bin = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin['cdktf-apim-mtls'];
  const script = join(ROOT, bin);

  test('is declared in package.json and compiled with its #! line', () => {
    expect(bin).toBe('lib/cli/cdktf-apim-mtls.js');
    // `npm test` builds lib/ before jest runs.
    expect(existsSync(script)).toBe(true);
    expect(readFileSync(script, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  test('runs end to end with node: report, diff with --fail-on, and an input error', () => {
    const base = synthesize((app) => buildExampleStacks(app));
    const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', cwd: scratch() });

    const report = run('review', base, NOW_ARG);
    expect(report.status).toBe(0);
    expect(report.stderr).toBe('');
    expect(report.stdout).toBe(cli('review', base, NOW_ARG).stdout);
    expect(report.stdout).toContain('| API `/partners/orders` Orders (partners) | all 7 operations | no product |');

    // Another synth of the same app (comparing a directory with itself is refused as a misconfigured gate).
    const same = run('review', synthesize((app) => buildExampleStacks(app)), '--base', base, '--fail-on', 'weakened');
    expect([same.status, same.stdout]).toEqual([0, '# Client-certificate review: changes\n\nNo security-relevant changes.\n']);

    // A head where the orders backend no longer validates the server certificate chain.
    const head = scratch();
    for (const file of ['manifest.json', 'stacks/partner-gateway/cdk.tf.json']) {
      mkdirSync(join(head, file, '..'), { recursive: true });
      writeFileSync(join(head, file), readFileSync(join(base, file)));
    }
    const stackFile = join(head, 'stacks/partner-gateway/cdk.tf.json');
    const stack = JSON.parse(readFileSync(stackFile, 'utf8'));
    stack.resource.azurerm_api_management_backend.OrdersBackend_EF2E3982.tls.validate_certificate_chain = false;
    writeFileSync(stackFile, JSON.stringify(stack));
    const weakened = run('review', head, '--base', base, '--fail-on', 'weakened');
    expect(weakened.status).toBe(1);
    expect(weakened.stdout).toContain('- Backend `orders-backend` on service `contoso-partner-gateway` in stack `partner-gateway`: server certificate chain validation on → off');
    expect(run('review', head, '--base', base).status).toBe(0);

    const missing = run('review', join(head, 'nope'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`cdktf-apim-mtls: ${join(head, 'nope')}: no such directory (expected the output directory of cdktf synth, e.g. cdktf.out)\n`);
  });
});
