// The Exchange configuration that named the group, as the verify step checks it (verify/sources.ts plugs it in): each
// container rewire-config handled must name the new group, read again from the tenant. A value is expected in the
// form the container keeps (an address, a DN or canonical name in a filter, the group's own LegacyExchangeDN, a
// name), and what the container holds now is observed the same way (a filter by its literals).
import { opathLiterals } from '@dlmigrate/exo';
import type { VerifySource } from '../verify/sources.js';
import type { ExpectedValue, ObservedAttribute } from '../verify/values.js';
import { loadReferences } from './capture.js';
import type { ExchangeReference } from './exchange.js';
import type { GroupIdentity } from './identity.js';
import { LiveReader, type LiveValue } from './live.js';
import { onePerContainer } from './rewire.js';

/** The forms in which a container of this kind names `group`. */
function namingForms(reference: ExchangeReference, group: GroupIdentity): string[] {
  switch (reference.storedAs) {
    case 'address':
      return [...group.smtpAddresses, group.name];
    case 'distinguished-name':
      return [group.distinguishedName, ...(group.canonicalName === null ? [] : [group.canonicalName])];
    case 'legacy-dn':
      // Its own only: whether Exchange resolves a stored X500 proxy is not documented (identity.ts).
      return group.legacyExchangeDns.slice(0, 1);
    case 'name':
      return [group.name];
  }
}

function observedValues(live: LiveValue): string[] {
  switch (live.shape) {
    case 'gone':
      return [];
    case 'single':
      return live.value === null ? [] : [live.value];
    case 'list':
      return [...live.values];
    case 'filter':
      return opathLiterals(live.filter).map((l) => l.value);
  }
}

export const configReferencesSource: VerifySource = {
  name: 'Exchange configuration naming the group',
  async read(ctx, results) {
    const rewire = results.get('rewire-config');
    const { config } = await loadReferences(ctx.deps.state, ctx.migration.id);
    if (rewire?.target == null || config === null) return { expected: [], observed: [] };
    const target = rewire.target;
    const reader = new LiveReader(ctx.deps.exchange);
    const expected: ExpectedValue[] = [];
    const observed: ObservedAttribute[] = [];
    for (const reference of onePerContainer(config.references)) {
      const where = {
        side: 'cloud' as const,
        object: reference.container.name,
        attribute: reference.property,
      };
      expected.push({
        ...where,
        value: target.primarySmtpAddress || target.name,
        forms: namingForms(reference, target),
      });
      observed.push({ ...where, values: observedValues(await reader.read(reference)) });
    }
    return { expected, observed };
  },
};
