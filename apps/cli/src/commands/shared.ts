// What the commands share (changesets' commands/shared.ts is the model): every action gets its context (config,
// output, redaction) and hands its exit code to runCli; a command that works in an engine session gets the session
// module loaded on demand (--help stays fast) and the session opened around its work and closed after it.
import type { Command } from 'commander';
import { createContext, type CommandContext } from '../context.js';
import type { ExitCode } from '../exit-codes.js';
import type { ProgramState } from '../program.js';
import type * as session from '../session/index.js';
import type { SecretFlags, Session } from '../session/index.js';

/** The session module (loaded on demand). */
export type SessionModule = typeof session;

/** A commander action: the positional arguments and the options, then the command itself (which commander adds). */
export function commandAction<A extends unknown[]>(
  state: ProgramState,
  run: (context: CommandContext, ...args: A) => Promise<ExitCode | void>,
): (...args: [...A, Command]) => Promise<void> {
  return async (...args) => {
    const command = args[args.length - 1] as Command;
    const context = createContext(command, state.io, state.redactor);
    const exitCode = await run(context, ...(args.slice(0, -1) as A));
    if (exitCode !== undefined) state.exitCode = exitCode;
  };
}

/** An action that runs in an engine session; its options (the last argument before the command) carry the secrets. */
export function sessionAction<A extends [...unknown[], SecretFlags]>(
  state: ProgramState,
  kind: string,
  run: (
    use: { context: CommandContext; session: Session; module: SessionModule },
    ...args: A
  ) => Promise<ExitCode>,
): (...args: [...A, Command]) => Promise<void> {
  return commandAction<A>(state, async (context, ...args) => {
    const module = await import('../session/index.js');
    const flags = args[args.length - 1] as SecretFlags;
    return module.withSession(context, kind, flags, (session) => run({ context, session, module }, ...args));
  });
}
