import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';

/*
 * The README's certificate block as the whole app of a scratch directory that uses the built
 * library (lib/) as a user's app would, synthesized by `npm run synth`: the real `cdktf synth`
 * CLI, which removes every TF_VAR_* variable from the app's environment.
 */

const ROOT = resolve(__dirname, '../..');

/** The first TypeScript block of a README section, whose heading is `section` at level 2 or 3. */
export function readmeCode(section: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = Math.max(readme.indexOf(`\n## ${section}\n`), readme.indexOf(`\n### ${section}\n`));
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(start));
  if (start < 0 || !block) throw new Error(`README has no TypeScript block under the heading "${section}"`);
  return block[1];
}

/** A directory that holds a user's app: cdktf.json, the library with its peers in node_modules, and an empty certs/. */
export function scratchApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'apim-mtls-readme-'));
  mkdirSync(join(dir, 'node_modules', '@cdktf'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'cdktf-apim-mtls'));
  for (const peer of ['cdktf', 'constructs', '@cdktf/provider-azurerm']) symlinkSync(join(ROOT, 'node_modules', peer), join(dir, 'node_modules', peer));
  mkdirSync(join(dir, 'node_modules', '.bin'));
  symlinkSync(join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf'), join(dir, 'node_modules', '.bin', 'cdktf'));
  writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node main.js', projectId: 'readme-pfx', sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {} }));
  // The synth script of this repository's package.json, without its build step.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-pfx-app', private: true, scripts: { synth: 'CI=true CHECKPOINT_DISABLE=1 cdktf synth' } }));
  mkdirSync(join(dir, 'certs'));
  return dir;
}

/** The README certificate block as the app, with `extra` code before its final `app.synth();`. */
export function writeReadmeApp(dir: string, extra = ''): void {
  const readme = readmeCode('`UploadedCertificate`');
  const end = readme.lastIndexOf('app.synth();');
  if (end < 0) throw new Error('the README block no longer ends with app.synth()');
  const source = `${readme.slice(0, end)}${extra}\n${readme.slice(end)}`;
  writeFileSync(join(dir, 'main.js'), ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText);
}

/**
 * Runs `npm run synth` (the real `cdktf synth`) in `dir` with `env` over this process's
 * environment (an undefined value removes the variable); returns its exit status and everything
 * it printed, stdout and stderr.
 */
export function npmRunSynth(dir: string, env: Readonly<Record<string, string | undefined>>): { status: number; output: string } {
  const environment: Record<string, string | undefined> = { ...process.env, ...env };
  for (const [name, value] of Object.entries(environment)) if (value === undefined) delete environment[name];
  const run = spawnSync('npm', ['run', '--silent', 'synth'], { cwd: dir, env: environment, encoding: 'utf8', timeout: 120000 });
  return { status: run.status ?? -1, output: `${run.stdout}\n${run.stderr}` };
}
