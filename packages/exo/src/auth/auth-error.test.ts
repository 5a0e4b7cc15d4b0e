import { describe, expect, it } from 'vitest';
import { toCloudAuthError } from './auth-error.js';

const context = {
  tenantId: 'contoso.onmicrosoft.com',
  clientId: '11111111-2222-3333-4444-555555555555',
  thumbprint: 'ABCDEF',
  certificateNotAfter: new Date('2027-01-01T00:00:00Z'),
};
// The shape msal-node's ServerError has (errorCode, errorNo, errorMessage, status, correlationId).
const serverError = (errorNo: string, errorMessage: string, status = 400) => ({
  errorCode: 'invalid_client',
  errorNo,
  errorMessage,
  status,
  correlationId: 'corr-1',
  message: errorMessage,
});

describe('toCloudAuthError', () => {
  it.each([
    [
      '90002',
      "AADSTS90002: Tenant 'x' not found.",
      'AUTH_WRONG_TENANT',
      /Tenant "contoso.onmicrosoft.com" was not found/,
    ],
    [
      '700016',
      "AADSTS700016: Application with identifier 'x' was not found",
      'AUTH_APP_NOT_FOUND',
      /was not found or is disabled/,
    ],
    [
      '65001',
      'AADSTS65001: The user or administrator has not consented',
      'AUTH_NOT_CONSENTED',
      /admin consent/,
    ],
    [
      '500011',
      'AADSTS500011: The resource principal named x was not found',
      'AUTH_NOT_CONSENTED',
      /admin consent/,
    ],
    [
      '700027',
      'AADSTS700027: The certificate ... [Reason - The key was not found.]',
      'AUTH_CERTIFICATE_NOT_REGISTERED',
      /ABCDEF is not registered/,
    ],
    [
      '700027',
      'AADSTS700027: Client assertion contains an invalid signature. [Reason - The key used is expired.]',
      'AUTH_CERTIFICATE_EXPIRED',
      /expired on 2027-01-01/,
    ],
  ])('AADSTS%s → %s', (no, text, code, message) => {
    const e = toCloudAuthError(serverError(no, text), context);
    expect(e.code).toBe(code);
    expect(e.aadsts).toBe(Number(no));
    expect(e.message).toMatch(message);
    expect(e.correlationId).toBe('corr-1');
  });

  it('reads the number from the text when errorNo is missing', () => {
    const e = toCloudAuthError(
      { errorCode: 'invalid_request', errorMessage: 'AADSTS90002: Tenant not found' },
      context,
    );
    expect(e.code).toBe('AUTH_WRONG_TENANT');
  });

  it('token endpoint throttling and outages', () => {
    expect(toCloudAuthError({ errorCode: 'x', errorMessage: 'slow down', status: 429 }, context).code).toBe(
      'AUTH_TOKEN_ENDPOINT_THROTTLED',
    );
    expect(toCloudAuthError({ errorCode: 'x', errorMessage: 'down', status: 503 }, context).code).toBe(
      'AUTH_TOKEN_ENDPOINT_UNAVAILABLE',
    );
  });

  it('anything else keeps its first line', () => {
    const e = toCloudAuthError(new Error('socket hang up\nstack...'), context);
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toMatch(/socket hang up$/);
  });
});
