import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { TerraformJson } from '../plan';
import { firstDuplicateJsonKey } from './duplicate-json-key';
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
  /** A digest of each of `extraConfigurationFiles` by name, so a changed file is a new finding. */
  readonly extraConfigurationDigests?: Readonly<Record<string, string>>;
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
    const stackPath = stackFileOf(dir, manifestPath, key, name, entry);
    const config = readJsonFile(stackPath, `${stackPath} not found: manifest.json lists stack ${JSON.stringify(name)} there`, true);
    if (!isObject(config)) throw new ReviewInputError(`${stackPath}: not a Terraform JSON object`);
    const extra = otherConfigurationFiles(stackPath);
    stacks.push({
      name,
      path: stackPath,
      config: config as TerraformJson,
      annotations: annotationsOf(entry.annotations, manifestPath, name),
      ...(extra.length > 0 ? { extraConfigurationFiles: extra, extraConfigurationDigests: digestsOf(dirname(stackPath), extra) } : {}),
    });
  }
  stacks.sort((a, b) => compareText(a.name, b.name));
  return { stacks };
}

/**
 * The file the review reads for a stack. cdktf deploys a stack by running Terraform in its
 * `workingDirectory`, which loads every configuration file there: the file read must be in that
 * directory, and both inside the synthesized directory.
 */
function stackFileOf(dir: string, manifestPath: string, key: string, name: string, entry: Record<string, any>): string {
  const relativePath = typeof entry.synthesizedStackPath === 'string' ? entry.synthesizedStackPath : join('stacks', key, 'cdk.tf.json');
  const stackPath = resolve(dir, relativePath);
  const workingDirectory = typeof entry.workingDirectory === 'string' ? resolve(dir, entry.workingDirectory) : dirname(stackPath);
  for (const path of [stackPath, workingDirectory]) {
    const inside = relative(dir, path);
    if (inside.startsWith('..') || isAbsolute(inside)) {
      throw new ReviewInputError(`${manifestPath}: stack ${JSON.stringify(name)} points outside ${dir} (${path}); cdktf synth writes every stack inside its output directory`);
    }
  }
  if (dirname(stackPath) !== workingDirectory) {
    throw new ReviewInputError(
      `${manifestPath}: the synthesizedStackPath of stack ${JSON.stringify(name)} (${stackPath}) is not in its workingDirectory (${workingDirectory}), where Terraform runs; cdktf synth writes both together`,
    );
  }
  return stackPath;
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

/** Larger files are no certificate a stack uploads: their digest is not taken. */
const MAX_DIGESTED_FILE_BYTES = 1024 * 1024;

/**
 * The content digest of a file a stack's configuration reads (`filebase64("assets/...")`), found
 * from the stack's directory where Terraform runs; undefined where it cannot be read. The path
 * comes from the plan under review, so only regular files inside the stack's directory (where
 * cdktf writes its assets) and of certificate size are read: never a device, nor a file of the
 * machine running the review.
 */
export function fileDigestOf(stack: SynthesizedStack): (file: string) => string | undefined {
  const digests = new Map<string, string | undefined>();
  const dir = stack.path === undefined ? undefined : dirname(stack.path);
  return (file) => {
    if (dir === undefined) return undefined;
    if (!digests.has(file)) {
      try {
        const path = resolve(dir, file);
        const inside = relative(dir, path);
        const readable = !inside.startsWith('..') && !isAbsolute(inside) && statSync(path).isFile() && statSync(path).size <= MAX_DIGESTED_FILE_BYTES;
        digests.set(file, readable ? createHash('sha256').update(readFileSync(path)).digest('hex').toUpperCase() : undefined);
      } catch {
        digests.set(file, undefined);
      }
    }
    return digests.get(file);
  };
}

function digestsOf(dir: string, files: readonly string[]): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const file of files) {
    try {
      digests[file] = createHash('sha256').update(readFileSync(join(dir, file))).digest('hex').slice(0, 16);
    } catch {
      digests[file] = 'unreadable';
    }
  }
  return digests;
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

/** Parsed JSON; `unique` refuses an object with a key twice (Terraform would read both). */
function readJsonFile(path: string, notFound: string, unique = false): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ReviewInputError(notFound);
    throw new ReviewInputError(`${path}: cannot be read (${code ?? String(error)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReviewInputError(`${path}: not valid JSON (${oneLine((error as Error).message)})`);
  }
  const duplicate = unique ? firstDuplicateJsonKey(text) : undefined;
  if (duplicate) {
    throw new ReviewInputError(
      `${path}: key ${JSON.stringify(duplicate.key)} appears more than once in ${duplicate.path}; Terraform reads every occurrence, this review only the last, and no synth writes that`,
    );
  }
  return value;
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
