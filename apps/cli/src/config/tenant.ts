// The tenant section of the configuration turned into what @dlmigrate/exo takes: the cloud's endpoints and where
// the app certificate comes from. Shared by the engine session and doctor's cloud checks.
import { cloudByName, customCloud, type CertificateSource, type CloudEndpoints } from '@dlmigrate/exo';
import { readFileSync } from 'node:fs';
import type { TenantConfig } from './schema.js';

export function cloudOf(tenant: TenantConfig): CloudEndpoints {
  if (tenant.cloud !== 'custom') return cloudByName(tenant.cloud);
  const endpoints = tenant.endpoints!;
  return customCloud({
    url: endpoints.url,
    ...(endpoints.authorityHost !== undefined ? { authorityHost: endpoints.authorityHost } : {}),
    ...(endpoints.tokenEndpoint !== undefined ? { tokenEndpoint: endpoints.tokenEndpoint } : {}),
    ...(tenant.caFile !== undefined ? { caPem: readFileSync(tenant.caFile, 'utf8') } : {}),
  });
}

export function certificateSource(
  tenant: TenantConfig,
  pfxPassphrase: string | undefined,
): CertificateSource {
  const cert = tenant.certificate;
  return cert.pfxFile !== undefined
    ? {
        kind: 'pfx',
        pfxPath: cert.pfxFile,
        ...(pfxPassphrase !== undefined ? { passphrase: pfxPassphrase } : {}),
      }
    : { kind: 'pem', certificatePath: cert.pemCertFile!, keyPath: cert.pemKeyFile! };
}
