#!/usr/bin/env node
import { fitComment, ReviewInputError, reviewChanges, reviewDirectory } from '../review';
import { CliEdition, cliEdition } from './cli-edition';

/*
 * The package's command. Loads only the review code (no cdktf, no provider bindings), so it
 * starts fast in CI.
 */

/** The usage text, in the words of the edition it ships in (CDK Terrain keeps the name cdktf.out). */
export function usage({ command, framework }: CliEdition): string {
  return `Usage: ${command} review <cdktf.out dir> [--base <other cdktf.out dir>] [--fail-on weakened] [--now <ISO date>]

Prints a Markdown report of who may call each API Management API operation (every policy scope
composed, a fixed set of callers simulated) and where admitted requests go, read from a
directory written by "${framework} synth" (the app is not run).

  --base <dir>         report only the security changes from <dir> (e.g. the main branch's synth)
  --fail-on weakened   with --base: exit 1 when a change lets more callers in (or can no longer be judged)
  --now <ISO date>     simulate callers and measure certificate expiry at this time instead of now

A report longer than one GitHub comment (65,536 characters) is cut at a line near the end, weakened
changes first, and says how much it left out.

Exit status: 0 report printed, 1 weakened (with --fail-on weakened), 2 usage or input error.`;
}

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

class UsageError extends Error {}

interface Arguments {
  readonly directory: string;
  readonly base?: string;
  readonly failOnWeakened: boolean;
  readonly now?: Date;
}

function parseArguments(argv: readonly string[]): Arguments | 'help' {
  const args = [...argv];
  if (args.length === 0) throw new UsageError('missing command');
  if (args.includes('--help') || args.includes('-h')) return 'help';
  const command = args.shift();
  if (command !== 'review') throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  let directory: string | undefined;
  let base: string | undefined;
  let failOn: string | undefined;
  let now: string | undefined;
  while (args.length > 0) {
    const arg = args.shift()!;
    const option = /^(--[a-z-]+)(?:=(.*))?$/.exec(arg);
    if (option && arg !== '--') {
      const [, name, inline] = option;
      const value = (): string => {
        const v = inline ?? args.shift();
        if (v === undefined || v === '') throw new UsageError(`${name} needs a value`);
        return v;
      };
      switch (name) {
        case '--base':
          base = value();
          break;
        case '--fail-on':
          failOn = value();
          break;
        case '--now':
          now = value();
          break;
        default:
          throw new UsageError(`unknown option ${name}`);
      }
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${arg}`);
    } else if (directory === undefined) {
      directory = arg;
    } else {
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    }
  }
  if (directory === undefined) throw new UsageError('missing the synthesized directory (e.g. cdktf.out)');
  if (failOn !== undefined && failOn !== 'weakened') throw new UsageError(`--fail-on takes "weakened", not ${JSON.stringify(failOn)}`);
  if (failOn !== undefined && base === undefined) throw new UsageError('--fail-on weakened needs --base <dir> to compare with');
  let nowDate: Date | undefined;
  if (now !== undefined) {
    nowDate = new Date(now);
    if (!/^\d{4}-\d{2}-\d{2}/.test(now) || Number.isNaN(nowDate.getTime())) throw new UsageError(`--now ${JSON.stringify(now)} is not an ISO date such as 2025-01-31 or 2025-01-31T12:00:00Z`);
  }
  return { directory, base, failOnWeakened: failOn === 'weakened', now: nowDate };
}

/** Runs the command; returns the exit status. Never throws for bad input. */
export function runCli(argv: readonly string[], io: CliIo, edition: CliEdition = cliEdition()): number {
  let parsed: Arguments | 'help';
  try {
    parsed = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${edition.command}: ${error.message}\n${usage(edition)}\n`);
    return 2;
  }
  if (parsed === 'help') {
    io.stdout(`${usage(edition)}\n`);
    return 0;
  }
  try {
    if (parsed.base === undefined) {
      io.stdout(fitComment(reviewDirectory(parsed.directory, { now: parsed.now }).markdown));
      return 0;
    }
    const result = reviewChanges(parsed.directory, parsed.base, { now: parsed.now });
    io.stdout(fitComment(result.markdown));
    return parsed.failOnWeakened && result.weakened ? 1 : 0;
  } catch (error) {
    if (error instanceof ReviewInputError) {
      io.stderr(`${edition.command}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  const edition = cliEdition();
  try {
    process.exitCode = runCli(
      process.argv.slice(2),
      {
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
      },
      edition,
    );
  } catch (error) {
    // A bug, not bad input: say so in one line, without a stack trace.
    process.stderr.write(`${edition.command}: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    process.exitCode = 3;
  }
}
