import { describe, expect, it } from 'vitest';
import {
  classifyErrorResponse,
  ExoAddressExistsError,
  ExoAlreadyExistsError,
  ExoAmbiguousError,
  ExoMissingManageAsAppError,
  ExoNotFoundError,
  ExoPermissionDeniedError,
  ExoSyncedObjectError,
  ExoThrottledError,
  ExoTimeoutError,
  ExoTransientError,
  ExoValidationError,
  parseAddressHolder,
  parseErrorBody,
  retryAfterMs,
  splitExoMessage,
} from './errors.js';

function body(detail: string, code = 'BadRequest'): string {
  return JSON.stringify({
    error: {
      code,
      message: 'Error executing cmdlet',
      details: [{ code: 'Client', target: '', message: detail }],
      innererror: {
        message: 'Error executing cmdlet',
        type: 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException',
      },
    },
  });
}

const res = (status: number, b: string, headers: Record<string, string> = {}) =>
  classifyErrorResponse({
    cmdlet: 'Set-DistributionGroup',
    status,
    headers,
    body: b,
    clientRequestId: 'c-1',
  });

describe('splitExoMessage', () => {
  it('splits ErrorId|ExceptionType|Message and keeps pipes inside the message', () => {
    expect(
      splitExoMessage(
        'Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|a | b',
      ),
    ).toEqual({
      errorId: 'Ex6F9304',
      exceptionType: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
      message: 'a | b',
    });
  });
  it('reads the JSON variant (ClassName/Message/stringId)', () => {
    const parsed = splitExoMessage(
      JSON.stringify({ ClassName: 'X.FooException', Message: 'boom', localizedString: { stringId: 'Id1' } }),
    );
    expect(parsed).toEqual({ errorId: 'Id1', exceptionType: 'X.FooException', message: 'boom' });
  });
  it('leaves text that merely contains pipes alone', () => {
    expect(splitExoMessage('a b|c d|e')).toEqual({ message: 'a b|c d|e' });
  });
});

describe('parseErrorBody', () => {
  it('falls back to internalexception, then error.message, then raw text', () => {
    expect(
      parseErrorBody(
        JSON.stringify({
          error: { message: 'm', innererror: { internalexception: { message: 'E1|A.BException|inner' } } },
        }),
      ),
    ).toMatchObject({
      errorId: 'E1',
      exceptionType: 'A.BException',
      message: 'inner',
    });
    expect(parseErrorBody(JSON.stringify({ error: { code: 'X', message: 'plain' } }))).toEqual({
      code: 'X',
      message: 'plain',
    });
    expect(parseErrorBody('<html>bad gateway</html>')).toEqual({ message: '<html>bad gateway</html>' });
  });
});

describe('classifyErrorResponse', () => {
  it('classifies by exception type and keeps ids', () => {
    const e = res(
      404,
      body(
        "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'x' couldn't be found",
        'NotFound',
      ),
      { 'request-id': 'r-9' },
    );
    expect(e).toBeInstanceOf(ExoNotFoundError);
    expect(e.errorId).toBe('Ex6F9304');
    expect(e.requestId).toBe('r-9');
    expect(e.clientRequestId).toBe('c-1');
    expect(e.status).toBe(404);
    expect(e.code).toBe('EXO_NOT_FOUND');
  });
  it('does not depend on the message language', () => {
    const e = res(
      400,
      body(
        'Ex1|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|Objekt nicht gefunden',
      ),
    );
    expect(e).toBeInstanceOf(ExoNotFoundError);
  });
  it('parses the holder of a taken address', () => {
    const e = res(
      400,
      body(
        'Ex1A3C7F|Microsoft.Exchange.Data.Directory.ProxyAddressExistsException|The proxy address "SMTP:sales@contoso.com" is already being used by the proxy addresses or LegacyExchangeDN of "Sales Team". Please choose another proxy address.',
      ),
    );
    expect(e).toBeInstanceOf(ExoAddressExistsError);
    expect((e as ExoAddressExistsError).holder).toBe('Sales Team');
    expect((e as ExoAddressExistsError).address).toBe('SMTP:sales@contoso.com');
  });
  it('recognises the synced-object refusal', () => {
    const e = res(
      400,
      body(
        "Ex5D8B21|System.InvalidOperationException|The action 'Set-DistributionGroup', 'DisplayName', can't be performed on the object 'G' because the object is being synchronized from your on-premises organization.",
      ),
    );
    expect(e).toBeInstanceOf(ExoSyncedObjectError);
  });
  it('throttling: 429 with Retry-After, and the plain-text concurrency refusal', () => {
    const e = res(429, 'Too many requests', { 'retry-after': '2' });
    expect(e).toBeInstanceOf(ExoThrottledError);
    expect(e.retryAfterMs).toBe(2000);
    expect(
      res(
        503,
        'You have reached the maximum number of concurrent requests per tenant. Please wait and try again',
      ),
    ).toBeInstanceOf(ExoThrottledError);
  });
  it('auth and RBAC failures', () => {
    expect(res(401, '')).toBeInstanceOf(ExoMissingManageAsAppError);
    expect(res(401, '').message).toMatch(/Exchange\.ManageAsApp/);
    expect(res(403, '')).toBeInstanceOf(ExoPermissionDeniedError);
    const notRecognised = res(
      400,
      body(
        "CommandNotFoundException|System.Management.Automation.CommandNotFoundException|The term 'New-DistributionGroup' is not recognized",
      ),
    );
    expect(notRecognised).toBeInstanceOf(ExoPermissionDeniedError);
    expect(notRecognised.message).toMatch(/Exchange Recipient Administrator/);
    expect(
      res(
        403,
        body(
          "Ex8E1B0C|Microsoft.Exchange.Management.Tasks.RecipientTaskException|You don't have sufficient permissions.",
        ),
      ),
    ).toBeInstanceOf(ExoPermissionDeniedError);
  });
  it('validation, ambiguity, already-exists and transient failures', () => {
    expect(
      res(
        400,
        body(
          "NamedParameterNotFound|System.Management.Automation.ParameterBindingException|A parameter cannot be found that matches parameter name 'Foo'.",
        ),
      ),
    ).toBeInstanceOf(ExoValidationError);
    expect(
      res(
        400,
        body(
          'Ex9E65A2|Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException|matches multiple entries',
        ),
      ),
    ).toBeInstanceOf(ExoAmbiguousError);
    expect(
      res(
        400,
        body('Ex6B2D4F|Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException|already a member'),
      ),
    ).toBeInstanceOf(ExoAlreadyExistsError);
    expect(res(503, 'Service Unavailable')).toBeInstanceOf(ExoTransientError);
    // A 504 leaves the outcome unknown: retried only where a re-send is safe (reads).
    expect(res(504, '')).toBeInstanceOf(ExoTimeoutError);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds (fractional too) and HTTP dates', () => {
    expect(retryAfterMs('1.5')).toBe(1500);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('parseAddressHolder', () => {
  it('returns undefined parts when the text names nobody', () => {
    expect(parseAddressHolder('something else')).toEqual({ address: undefined, holder: undefined });
  });
});
