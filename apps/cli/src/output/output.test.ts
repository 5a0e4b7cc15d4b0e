import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output, printable } from './output.js';
import { Redactor } from './redact.js';

function capture(mode: 'human' | 'plain') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const output = new Output({ mode, stdout, stderr, redactor: new Redactor(), color: true, verbose: true });
  return { output, text: () => ({ out, err }) };
}

describe('control characters from directory data never reach the terminal raw', () => {
  it('escapes escape sequences, carriage returns, backspaces and C1 controls; keeps line feeds and tabs', () => {
    expect(printable('Sales\u001b[2J\u001b]0;owned\u0007\r\bX\u009b1m')).toBe(
      'Sales\\x1b[2J\\x1b]0;owned\\x07\\x0d\\x08X\\x9b1m',
    );
    expect(printable('a\tb\nc')).toBe('a\tb\nc');
  });

  it('applies to every way Output prints: lines, statuses, warnings, debug, errors — its own colours stay', () => {
    const { output, text } = capture('human');
    const hostile = 'CN=Evil\u001b[31m\r,OU=Groups';
    output.line(hostile);
    output.status('ok', hostile, hostile);
    output.warn(hostile);
    output.debug(hostile);
    const { out, err } = text();
    expect(out + err).not.toContain('\u001b[31m');
    expect(out + err).not.toContain('\r');
    expect(out).toContain('CN=Evil\\x1b[31m\\x0d,OU=Groups');
    expect(out).toContain('\u001b[32m✔\u001b[0m'); // the status symbol's own colour
  });
});
