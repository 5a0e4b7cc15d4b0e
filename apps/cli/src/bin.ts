#!/usr/bin/env node
import { boundHeapGrowth } from '@dlmigrate/core';
import { runCli } from './program.js';

// A migration's garbage is collected near what is alive, not at four times it (packages/core/src/runner/heap-growth.ts).
boundHeapGrowth();

// `dlmigrate status | head` closes the pipe early: that is the reader's choice, not a failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await runCli(process.argv.slice(2));
