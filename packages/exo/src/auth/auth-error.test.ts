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
      'wrong-tenant',
      /Tenant "contoso.onmicrosoft.com" was not found/,
    ],
    [
      '700016',
      "AADSTS700016: Application with identifier 'x' was not found",
      'app-not-found',
      /was not found or is disabled/,
    ],
    ['65001', 'AADSTS65001: The user or administrator has not consented', 'not-consented', /admin consent/],
    [
      '500011',
      'AADSTS500011: The resource principal named x was not found',
      'not-consented',
      /admin consent/,
    ],
    [
      '700027',
      'AADSTS700027: The certificate ... [Reason - The key was not found.]',
      'certificate-not-registered',
      /ABCDEF is not registered/,
    ],
    [
      '700027',
      'AADSTS700027: Client assertion contains an invalid signature. [Reason - The key used is expired.]',
      'certificate-expired',
      /expired on 2027-01-01/,
    ],
  ])('AADSTS%s → %s', (no, text, reason, message) => {
    const e = toCloudAuthError(serverError(no, text), context);
    expect(e.reason).toBe(reason);
    expect(e.aadsts).toBe(Number(no));
    expect(e.message).toMatch(message);
    expect(e.correlationId).toBe('corr-1');
  });

  it('reads the number from the text when errorNo is missing', () => {
    const e = toCloudAuthError(
      { errorCode: 'invalid_request', errorMessage: 'AADSTS90002: Tenant not found' },
      context,
    );
    expect(e.reason).toBe('wrong-tenant');
  });

  it('token endpoint throttling and outages', () => {
    expect(toCloudAuthError({ errorCode: 'x', errorMessage: 'slow down', status: 429 }, context).reason).toBe(
      'token-endpoint-throttled',
    );
    expect(toCloudAuthError({ errorCode: 'x', errorMessage: 'down', status: 503 }, context).reason).toBe(
      'token-endpoint-unavailable',
    );
  });

  it('anything else keeps its first line', () => {
    const e = toCloudAuthError(new Error('socket hang up\nstack...'), context);
    expect(e.reason).toBe('other');
    expect(e.message).toMatch(/socket hang up$/);
  });
});
