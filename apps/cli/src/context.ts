// What every command action gets: where to print, how to ask for secrets, and how to read the
// configuration with the precedence file < environment < flags.
import type { Command } from 'commander';
import type { Writable } from 'node:stream';
import { loadConfig, type LoadedConfig } from './config/load.js';
import { askLine, promptHidden } from './config/secrets.js';
import { Output, type OutputMode } from './output/output.js';
import type { Redactor } from './output/redact.js';

/** The process's surroundings, injectable so that the program can be driven in-process too. */
export interface Io {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly stdinIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly prompt: (question: string) => Promise<string>;
  /** Asks a question on the terminal, the answer echoed (a yes/no confirmation, never a secret). */
  readonly ask: (question: string) => Promise<string>;
}

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: process.stdin.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    prompt: promptHidden,
    ask: askLine,
  };
}

export interface GlobalOptions {
  readonly config?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
  readonly color?: boolean;
}

export interface CommandContext {
  readonly io: Io;
  readonly output: Output;
  readonly redactor: Redactor;
  readonly verbose: boolean;
  /** Whether a person is at the keyboard (prompts allowed). */
  readonly interactive: boolean;
  /** Reads and validates the configuration; throws a UsageError listing every problem. */
  loadConfig(): LoadedConfig;
}

export function createContext(command: Command, io: Io, redactor: Redactor): CommandContext {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const output = createOutput(io, redactor, globals);
  return {
    io,
    output,
    redactor,
    verbose: globals.verbose === true,
    interactive: io.stdinIsTTY && io.stderr.isTTY === true && globals.json !== true,
    loadConfig: () =>
      loadConfig({
        cwd: io.cwd,
        configFile: globals.config,
        env: io.env,
        flags: command.opts(),
        flagGiven: (key) => command.getOptionValueSource(key) === 'cli',
      }),
  };
}

export function createOutput(io: Io, redactor: Redactor, globals: GlobalOptions): Output {
  const mode: OutputMode = globals.json === true ? 'json' : io.stdout.isTTY === true ? 'human' : 'plain';
  const color = mode === 'human' && globals.color !== false && io.env['NO_COLOR'] === undefined;
  return new Output({
    mode,
    stdout: io.stdout,
    stderr: io.stderr,
    redactor,
    color,
    verbose: globals.verbose === true,
  });
}
