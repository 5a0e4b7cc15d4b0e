import { AdError } from '@dlmigrate/ad';
import { CoreError, CsvError, isErrorCode } from '@dlmigrate/core';
import { NotFoundError } from '@dlmigrate/state';
import { describe, expect, it } from 'vitest';
import { fromCodedError } from './errors.js';
import { ExitCode } from './exit-codes.js';

describe('fromCodedError', () => {
  it('reports a refusal of the engine as bad input, with its code and what to do', () => {
    const reported = fromCodedError(
      new CoreError(
        'CORE_NOT_PAST_POINT_OF_NO_RETURN',
        'migration m1 has not reached its point of no return',
        {
          hint: 'abort it instead of restoring',
        },
      ),
      isErrorCode,
    );
    expect(reported?.exitCode).toBe(ExitCode.Usage);
    expect(reported?.code).toBe('CORE_NOT_PAST_POINT_OF_NO_RETURN');
    expect(reported?.problems).toEqual(['abort it instead of restoring']);
  });

  it('reports the coded errors of every package as failures, by code', () => {
    expect(fromCodedError(new CsvError('a quoted field is never closed', 3), isErrorCode)).toMatchObject({
      exitCode: ExitCode.Failed,
      code: 'CSV_MALFORMED',
    });
    expect(fromCodedError(new AdError('AD_UNREACHABLE', 'cannot reach dc1'), isErrorCode)).toMatchObject({
      exitCode: ExitCode.Failed,
      code: 'AD_UNREACHABLE',
      problems: [],
    });
    expect(fromCodedError(new NotFoundError('migration', 'x'), isErrorCode)?.code).toBe('STATE_NOT_FOUND');
  });

  it('leaves errors without a stable code alone (a Node errno is not one of ours)', () => {
    expect(fromCodedError(new Error('boom'), isErrorCode)).toBeUndefined();
    expect(
      fromCodedError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), isErrorCode),
    ).toBeUndefined();
    expect(fromCodedError('text', isErrorCode)).toBeUndefined();
  });
});
