// Every code an error of this package carries (ExoError, ExoNoResultError, ExoUnknownRecipientTypeError,
// CloudAuthError, CertificateError, GraphRequestError, UnknownCloudError, the HTTP errors), with what it means and what to do: docs/errors.md is written from this table. Stable: never rename
// a code, only add.

/** One row of an error-code table: the same shape in every package. */
export interface ExoErrorCodeEntry {
  /** What happened, in one sentence. */
  readonly means: string;
  /** What the administrator should do. */
  readonly action: string;
}

export const EXO_ERROR_CODES = {
  EXO_NOT_FOUND: {
    means: 'Exchange Online has no object with that identity.',
    action: 'Check the identity; a just-created object may need a minute to appear.',
  },
  EXO_AMBIGUOUS: {
    means: 'The identity matched several Exchange Online objects.',
    action: 'Use the ExternalDirectoryObjectId (or Guid) of the object instead of a name.',
  },
  EXO_ALREADY_EXISTS: {
    means: 'An object, or a membership, with that name already exists in Exchange Online.',
    action: 'Nothing to do when the aim was to add it; otherwise choose another name.',
  },
  EXO_ADDRESS_EXISTS: {
    means: 'An e-mail address is already used by another recipient (ProxyAddressExistsException).',
    action: 'Find the holder named in the message (soft-deleted recipients count) and free the address.',
  },
  EXO_SYNCED_OBJECT: {
    means:
      'The object is synchronised from on-premises Active Directory; Exchange Online refuses to change it.',
    action: 'Change it on-premises, or wait until it has left the sync scope.',
  },
  EXO_THROTTLED: {
    means:
      'Exchange Online kept throttling the calls (429 / too many concurrent requests) past the retry budget.',
    action: 'Run again later, or lower the call rate (exchange.* rate settings).',
  },
  EXO_PERMISSION_DENIED: {
    means: "The app's Exchange role does not allow the cmdlet (RBAC or management scope).",
    action: "Assign the app's service principal an Exchange role such as Exchange Recipient Administrator.",
  },
  EXO_MISSING_MANAGE_AS_APP: {
    means:
      "Exchange Online refused the app's token (HTTP 401): no Exchange.ManageAsApp permission or consent.",
    action:
      'Grant the application the Office 365 Exchange Online "Exchange.ManageAsApp" permission and admin consent.',
  },
  EXO_VALIDATION: {
    means: 'The cmdlet rejected its parameters or the state of the object; retrying cannot help.',
    action: 'Read the service message; it names the parameter or rule.',
  },
  EXO_TRANSIENT: {
    means: 'A server-side failure worth retrying (5xx, gateway, back-end hiccup) persisted past the retries.',
    action: 'Run the command again; journaled work continues where it stopped.',
  },
  EXO_TIMEOUT: {
    means: 'No answer in time (or the gateway gave up); the cmdlet may have run, partly or wholly.',
    action: 'Run the command again; every write dlmigrate makes is checked before it is repeated.',
  },
  EXO_OTHER: {
    means: 'Another Exchange Online error.',
    action: 'Read the service message and the request id in the message.',
  },
  EXO_NO_RESULT: {
    means:
      'A cmdlet succeeded but returned no object where it must return one (New-DistributionGroup, Get-CalendarProcessing), and the object could not be read instead.',
    action:
      'Run the command again (a just-created object may need a minute to appear); if it keeps happening, look the object up in Exchange Online.',
  },
  EXO_UNKNOWN_RECIPIENT_TYPE: {
    means:
      'A recipient has a RecipientTypeDetails for which dlmigrate knows no Set-/Get- cmdlet, so it cannot read or change it.',
    action: 'Change the named recipient by hand (the message names its type), then run the command again.',
  },
  CLOUD_UNKNOWN: {
    means: 'The cloud name is not one dlmigrate knows.',
    action: 'Set tenant.cloud to commercial, gcc-high, dod, china or custom (with tenant.endpoints).',
  },
  HTTP_UNSUPPORTED_SCHEME: {
    means: 'A cloud URL (configured, or a next-page link the service returned) is neither https: nor http:.',
    action: 'Check the endpoint URLs in the configuration (tenant.endpoints).',
  },
  AUTH_WRONG_TENANT: {
    means: 'The tenant was not found by the token endpoint.',
    action: 'Check the tenant id (GUID) or the *.onmicrosoft.com name.',
  },
  AUTH_APP_NOT_FOUND: {
    means: 'The application (client) id is not registered, or is disabled, in the tenant.',
    action: 'Check the application id and that the app is registered in this tenant.',
  },
  AUTH_NOT_CONSENTED: {
    means: 'The application has not been granted admin consent (or the API permission is missing).',
    action: 'Grant admin consent for Exchange.ManageAsApp and the Graph permissions.',
  },
  AUTH_CERTIFICATE_NOT_REGISTERED: {
    means: 'The certificate is not registered on the application (or its registration expired).',
    action: "Upload the certificate's public part to the app registration.",
  },
  AUTH_CERTIFICATE_EXPIRED: {
    means: 'The certificate has expired.',
    action:
      'Create a new certificate (dlmigrate auth init), register it on the application and configure it.',
  },
  AUTH_TOKEN_ENDPOINT_THROTTLED: {
    means: 'The token endpoint is throttling this application.',
    action: 'Try again later (after its Retry-After has passed).',
  },
  AUTH_TOKEN_ENDPOINT_UNAVAILABLE: {
    means: 'The token endpoint is temporarily unavailable.',
    action: 'Try again later.',
  },
  AUTH_FAILED: {
    means: 'No token could be had for another reason.',
    action: 'Read the Entra error (AADSTS number) in the message.',
  },
  CERTIFICATE_UNUSABLE: {
    means: 'The certificate or its private key cannot be read, or they do not belong together.',
    action: 'Check tenant.certificate (dlmigrate doctor checks it, dlmigrate auth init creates one).',
  },
  GRAPH_REQUEST_FAILED: {
    means: 'A Microsoft Graph request failed; the HTTP status and Graph error code are in the message.',
    action: 'For 403, grant the Graph permission the message names; otherwise run again later.',
  },
  HTTP_NETWORK_FAILED: {
    means: 'A request to the cloud got no answer (connection refused or reset, DNS, TLS).',
    action: 'Check network access to the Microsoft 365 endpoints (proxy, firewall, DNS).',
  },
  HTTP_TIMEOUT: {
    means: 'A request to the cloud got no answer within the timeout.',
    action: 'Run the command again; check network access if it keeps happening.',
  },
} as const satisfies Record<string, ExoErrorCodeEntry>;
