import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { TerraformJson } from '../plan';
import { ReviewInputError } from './review-input-error';

/** A construct annotation recorded in `manifest.json` (a synth warning, error or info). */
export interface SynthAnnotation {
  /** `@cdktf/warn`, `@cdktf/error` or `@cdktf/info` as written by cdktf. */
  readonly level: string;
  readonly constructPath: string;
  readonly message: string;
}

/** One stack of a synthesized directory: its Terraform JSON and its annotations. */
export interface SynthesizedStack {
  readonly name: string;
  /** Where its `cdk.tf.json` was read from, for error messages. */
  readonly path?: string;
  /** The parsed `cdk.tf.json`. */
  readonly config: TerraformJson;
  readonly annotations: readonly SynthAnnotation[];
  /**
   * Other Terraform files next to `cdk.tf.json` (`*.tf`, `*.tf.json`, overrides): Terraform
   * loads them too, but no synth writes them.
   */
  readonly extraConfigurationFiles?: readonly string[];
}

/** A directory written by `cdktf synth` (or `app.synth()`), read without running the app. */
export interface SynthesizedPlan {
  /** Stacks sorted by name. */
  readonly stacks: readonly SynthesizedStack[];
}

export type { TerraformJson };

/**
 * Reads `manifest.json` and every stack's `cdk.tf.json` under `directory`. Throws
 * ReviewInputError, naming the path, for a missing directory or file and for malformed JSON.
 */
export function readSynthesizedPlan(directory: string): SynthesizedPlan {
  const dir = resolve(directory);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    throw new ReviewInputError(`${directory}: no such directory (expected the output directory of cdktf synth, e.g. cdktf.out)`);
  }
  if (!isDirectory) {
    throw new ReviewInputError(`${directory}: not a directory (expected the output directory of cdktf synth, e.g. cdktf.out)`);
  }
  const manifestPath = join(dir, 'manifest.json');
  const manifest = readJsonFile(manifestPath, `${manifestPath} not found: ${directory} is not the output directory of cdktf synth`);
  if (!isObject(manifest) || !isObject(manifest.stacks)) {
    throw new ReviewInputError(`${manifestPath}: no "stacks" object; is this a manifest written by cdktf synth?`);
  }
  const stacks: SynthesizedStack[] = [];
  for (const [key, entry] of Object.entries(manifest.stacks)) {
    if (!isObject(entry)) throw new ReviewInputError(`${manifestPath}: stack ${JSON.stringify(key)} is not an object`);
    const name = typeof entry.name === 'string' ? entry.name : key;
    const relativePath = typeof entry.synthesizedStackPath === 'string' ? entry.synthesizedStackPath : join('stacks', key, 'cdk.tf.json');
    const stackPath = join(dir, relativePath);
    const config = readJsonFile(stackPath, `${stackPath} not found: manifest.json lists stack ${JSON.stringify(name)} there`);
    if (!isObject(config)) throw new ReviewInputError(`${stackPath}: not a Terraform JSON object`);
    const extra = otherConfigurationFiles(stackPath);
    stacks.push({
      name,
      path: stackPath,
      config: config as TerraformJson,
      annotations: annotationsOf(entry.annotations, manifestPath, name),
      ...(extra.length > 0 ? { extraConfigurationFiles: extra } : {}),
    });
  }
  stacks.sort((a, b) => compareText(a.name, b.name));
  return { stacks };
}

function otherConfigurationFiles(stackPath: string): string[] {
  try {
    return readdirSync(dirname(stackPath))
      .filter((file) => /\.tf(\.json)?$/.test(file) && join(dirname(stackPath), file) !== stackPath)
      .sort(compareText);
  } catch {
    return [];
  }
}

function annotationsOf(value: unknown, manifestPath: string, stack: string): SynthAnnotation[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ReviewInputError(`${manifestPath}: annotations of stack ${JSON.stringify(stack)} are not a list`);
  return value.filter(isObject).map((annotation) => ({
    level: String(annotation.level ?? ''),
    constructPath: String(annotation.constructPath ?? ''),
    message: String(annotation.message ?? ''),
  }));
}

function readJsonFile(path: string, notFound: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ReviewInputError(notFound);
    throw new ReviewInputError(`${path}: cannot be read (${code ?? String(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ReviewInputError(`${path}: not valid JSON (${oneLine((error as Error).message)})`);
  }
}

export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Locale-independent ordering, so output is the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
