import { describe, expect, it } from 'vitest';
import { run } from './run.js';

describe('run', () => {
  it('reports a failing tool with the tail of its output, secrets masked', async () => {
    await expect(
      run('sh', ['-c', 'echo "using password Sup3r-Secret"; echo boom >&2; exit 3'], {
        step: 'demo step',
        secrets: ['Sup3r-Secret'],
      }),
    ).rejects.toThrow(/^demo step failed \(sh exited 3\):\nusing password \*\*\*\nboom$/);
  });

  it('returns the output of a tool that succeeds', async () => {
    await expect(run('sh', ['-c', 'echo ok'], { step: 'demo' })).resolves.toEqual({
      stdout: 'ok\n',
      stderr: '',
    });
  });
});
