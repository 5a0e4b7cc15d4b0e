// Entra ID (AAD) token endpoint errors in the shape MSAL parses: error, error_description
// ("AADSTSnnnn: …"), error_codes, timestamp, trace_id, correlation_id (docs/reference-behaviour.md#client-assertion).
import { randomUUID } from 'node:crypto';

export class AadError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  body(correlationId: string | undefined): Record<string, unknown> {
    const traceId = randomUUID();
    const correlation = correlationId ?? randomUUID();
    const now = new Date();
    const timestamp = now
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    return {
      error: this.error,
      error_description: `AADSTS${this.code}: ${this.message} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
      error_codes: [this.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${this.code}`,
    };
  }
}

export const aadErrors = {
  tenantNotFound: (tenant: string) =>
    new AadError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  unsupportedGrant: (grant: string) =>
    new AadError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grant}'. This endpoint supports client_credentials only.`,
    ),
  missingParameter: (name: string) =>
    new AadError(
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ),
  appNotFound: (clientId: string, tenantName: string) =>
    new AadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  noCredential: () =>
    new AadError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  secretNotRegistered: () =>
    new AadError(
      401,
      'invalid_client',
      7000215,
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
    ),
  badAssertionType: () =>
    new AadError(
      400,
      'invalid_request',
      70002,
      "The client_assertion_type must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.",
    ),
  malformedAssertion: () => new AadError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.'),
  keyNotFound: (thumbprint: string, clientId: string) =>
    new AadError(
      401,
      'invalid_client',
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`,
    ),
  badSignature: () =>
    new AadError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.'),
  certificateExpired: (thumbprint: string) =>
    new AadError(
      401,
      'invalid_client',
      700027,
      `Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '${thumbprint}']`,
    ),
  wrongAudience: (aud: string) =>
    new AadError(
      401,
      'invalid_client',
      700023,
      `Client assertion audience claim does not match Realm issuer. The audience '${aud}' is not the token endpoint that was called.`,
    ),
  issuerMismatch: () =>
    new AadError(
      401,
      'invalid_client',
      700021,
      "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials .",
    ),
  timeRange: (now: number, nbf: unknown, exp: unknown) =>
    new AadError(
      401,
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${new Date(now * 1000).toISOString()}, assertion valid from ${typeof nbf === 'number' ? new Date(nbf * 1000).toISOString() : 'unset'}, expiry time of assertion ${typeof exp === 'number' ? new Date(exp * 1000).toISOString() : 'unset'}.`,
    ),
  badScope: (scope: string) =>
    new AadError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  resourceNotFound: (resource: string, tenantName: string) =>
    new AadError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  notConsented: (clientId: string, name: string) =>
    new AadError(
      400,
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}' named '${name}'. Send an interactive authorization request for this user and resource.`,
    ),
};
