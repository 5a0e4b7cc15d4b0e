// Everything the command line prints goes through Output, which picks the form by where it goes:
// a terminal gets symbols and colour, a pipe gets one tab-separated line per event, and --json gets
// exactly one JSON document on stdout (errors included) so automation never parses prose.
import type { Writable } from 'node:stream';
import type { CliError } from '../errors.js';
import type { Redactor } from './redact.js';

export type OutputMode = 'human' | 'plain' | 'json';
export type Status = 'ok' | 'warn' | 'fail' | 'skip' | 'info';

export interface OutputOptions {
  readonly mode: OutputMode;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly redactor: Redactor;
  readonly color: boolean;
  readonly verbose: boolean;
}

/**
 * Text from outside (directory values, tenant answers, report files) shown as text: every control character except
 * line feed and tab — escape sequences, carriage returns, backspaces, C1 controls — becomes a visible \\xNN, so
 * nothing a directory object holds can move the cursor, recolour or rewrite what the administrator reads.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const SYMBOL: Record<Status, string> = { ok: '✔', warn: '!', fail: '✘', skip: '-', info: '•' };
const COLOUR: Record<Status, number> = { ok: 32, warn: 33, fail: 31, skip: 90, info: 36 };

export class Output {
  /** The live line at the bottom of a terminal (batch progress), redrawn below every other line. */
  #live: string | undefined;

  constructor(private readonly options: OutputOptions) {}

  /** Whether a live line can be shown: only people at a terminal get one. */
  get canShowLive(): boolean {
    return this.options.mode === 'human';
  }

  /** Replaces the live line (undefined removes it). Ignored unless the output is a terminal. */
  live(text: string | undefined): void {
    if (!this.canShowLive) return;
    if (this.#live !== undefined) this.options.stdout.write('\r\u001b[2K');
    this.#live = text === undefined ? undefined : printable(text);
    if (this.#live !== undefined) this.options.stdout.write(this.options.redactor.redact(this.#live));
  }

  get mode(): OutputMode {
    return this.options.mode;
  }

  /** Free text for people; dropped in --json mode (the JSON document carries the same facts). */
  line(text = ''): void {
    if (this.options.mode !== 'json') this.write(this.options.stdout, printable(text));
  }

  /** One step, check or item with its status. */
  status(status: Status, rawLabel: string, rawDetail?: string): void {
    if (this.options.mode === 'json') return;
    const label = printable(rawLabel);
    const detail = rawDetail === undefined ? undefined : printable(rawDetail);
    if (this.options.mode === 'plain') {
      this.write(this.options.stdout, [status, label, detail ?? ''].join('\t').trimEnd());
      return;
    }
    const symbol = this.paint(status, SYMBOL[status]);
    this.write(this.options.stdout, `${symbol} ${label}${detail ? `  ${this.dim(detail)}` : ''}`);
  }

  /** A warning about how the tool is used (never dropped, always on stderr). */
  warn(text: string): void {
    this.write(this.options.stderr, `${this.paint('warn', 'warning:')} ${printable(text)}`);
  }

  debug(text: string): void {
    if (this.options.verbose) this.write(this.options.stderr, this.dim(printable(text)));
  }

  /** The result document of a command in --json mode. */
  json(value: unknown): void {
    if (this.options.mode === 'json') this.write(this.options.stdout, JSON.stringify(value, null, 2));
  }

  error(error: CliError): void {
    if (this.options.mode === 'json') {
      this.json({
        ok: false,
        exitCode: error.exitCode,
        error: error.message,
        ...(error.code !== undefined ? { code: error.code } : {}),
        problems: error.problems,
      });
      return;
    }
    const code = error.code !== undefined ? ` [${error.code}]` : '';
    this.write(this.options.stderr, `${this.paint('fail', 'error:')} ${printable(error.message)}${code}`);
    for (const problem of error.problems) this.write(this.options.stderr, `  - ${printable(problem)}`);
  }

  private write(stream: Writable, text: string): void {
    if (this.#live !== undefined) this.options.stdout.write('\r\u001b[2K');
    stream.write(`${this.options.redactor.redact(text)}\n`);
    if (this.#live !== undefined) this.options.stdout.write(this.options.redactor.redact(this.#live));
  }

  private paint(status: Status, text: string): string {
    return this.options.color ? `\u001b[${COLOUR[status]}m${text}\u001b[0m` : text;
  }

  private dim(text: string): string {
    return this.options.color ? `\u001b[2m${text}\u001b[0m` : text;
  }
}
