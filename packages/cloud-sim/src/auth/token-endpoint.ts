// POST /{tenant}/oauth2/v2.0/token — client credentials with a certificate client assertion.
import type { KeyObject } from 'node:crypto';
import type { TenantState } from '../state.js';
import { exchangeDirectoryRoles } from '../state.js';
import { aadErrors, AadError } from './aad-error.js';
import { accessTokenLifetimeSeconds, issueAccessToken } from './access-token.js';
import { verifyClientAssertion } from './client-assertion.js';

const jwtBearer = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface TokenRequest {
  tenant: TenantState | undefined;
  tenantSegment: string;
  form: URLSearchParams;
  /** The URL the client called (without query): the only accepted assertion audience. */
  tokenEndpointUrl: string;
}

export interface TokenSigner {
  key: KeyObject;
  keyId: string;
}

/** Returns the token response body, or throws AadError. */
export function issueToken(req: TokenRequest, signer: TokenSigner): Record<string, unknown> {
  const { tenant, form } = req;
  if (!tenant) throw aadErrors.tenantNotFound(req.tenantSegment);
  const grant = form.get('grant_type');
  if (!grant) throw aadErrors.missingParameter('grant_type');
  if (grant !== 'client_credentials') throw aadErrors.unsupportedGrant(grant);
  const clientId = form.get('client_id');
  if (!clientId) throw aadErrors.missingParameter('client_id');
  const app = tenant.apps[clientId];
  if (!app) throw aadErrors.appNotFound(clientId, tenant.initialDomain);
  if (form.get('client_secret')) throw aadErrors.secretNotRegistered();
  const assertion = form.get('client_assertion');
  if (!assertion) throw aadErrors.noCredential();
  if (form.get('client_assertion_type') !== jwtBearer) throw aadErrors.badAssertionType();
  verifyClientAssertion(assertion, app, req.tokenEndpointUrl);

  const scope = form.get('scope');
  if (!scope) throw aadErrors.missingParameter('scope');
  // MSAL adds openid/profile/offline_access to every request; Entra ignores them for this grant.
  const scopes = scope.split(/\s+/).filter((s) => s && !['openid', 'profile', 'offline_access'].includes(s));
  if (scopes.length !== 1 || !scopes[0]!.endsWith('/.default')) throw aadErrors.badScope(scope);
  const resource = scopes[0]!.slice(0, -'/.default'.length);
  const known = Object.values(tenant.resources).find((r) => r.toLowerCase() === resource.toLowerCase());
  if (!known) throw aadErrors.resourceNotFound(resource, tenant.initialDomain);
  if (!app.consented) throw aadErrors.notConsented(app.clientId, app.displayName);

  // A tenant state from before the setting existed has none: the default hour.
  const lifetime = tenant.behaviour.tokenLifetimeSeconds ?? accessTokenLifetimeSeconds;
  const { token } = issueAccessToken(
    signer.key,
    signer.keyId,
    {
      aud: known,
      tid: tenant.id,
      appid: app.clientId,
      app_displayname: app.displayName,
      oid: app.servicePrincipalId,
      roles: [...(app.roles[known] ?? [])],
      wids: app.directoryRoles.map((r) => exchangeDirectoryRoles[r]),
    },
    lifetime,
  );
  return {
    token_type: 'Bearer',
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: token,
  };
}

export { AadError };
