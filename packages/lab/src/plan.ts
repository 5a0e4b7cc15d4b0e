// From a fixture to the exact entries to write: DNs, attributes, and links resolved to keys.
// Pure: no LDAP here, so the derivation rules are unit-tested on their own.
import { rdn } from './dn.js';
import {
  generatedKeys,
  LINK_ATTRIBUTES,
  SINGLE_VALUED_LINKS,
  type AttributeValue,
  type ContactSpec,
  type Fixture,
  type LinkAttribute,
  type SeededKind,
} from './fixture.js';
import {
  CONTACT_STAMP,
  DYNAMIC_GROUP_STAMP,
  GROUP_SHAPES,
  legacyExchangeDn,
  ldapValue,
  REMOTE_RECIPIENT_TYPE_MIGRATED,
  samAccountNameFrom,
  stableUuid,
  USER_STAMPS,
  type ExchangeStamp,
} from './recipients.js';

export interface PlannedObject {
  key: string;
  kind: SeededKind;
  dn: string;
  objectClass: string[];
  /** Attributes written with the add (objectClass excluded), values as LDAP strings. */
  attributes: Record<string, string[]>;
  /** Link attributes written after every object exists: attribute → target keys (expanded). */
  links: Partial<Record<LinkAttribute, string[]>>;
  mail?: string;
  alias?: string;
  samAccountName?: string;
}

export interface SeedPlan {
  /** OUs first, parents before children, then every other object. */
  objects: PlannedObject[];
  byKey: Map<string, PlannedObject>;
}

function values(v: AttributeValue): string[] {
  return (Array.isArray(v) ? v : [v]).map(ldapValue);
}

export function buildSeedPlan(fixture: Fixture, baseDn: string): SeedPlan {
  const byKey = new Map<string, PlannedObject>();
  const objects: PlannedObject[] = [];
  const sams = new Set<string>();
  const add = (o: PlannedObject) => {
    if (byKey.has(o.key)) throw new Error(`fixture ${fixture.name}: duplicate key ${o.key}`);
    byKey.set(o.key, o);
    objects.push(o);
  };
  const uniqueSam = (wanted: string, key: string) => {
    let sam = samAccountNameFrom(wanted);
    for (let n = 2; sams.has(sam.toLowerCase()); n++)
      sam = `${samAccountNameFrom(wanted).slice(0, 20 - String(n).length)}${n}`;
    if (sam.length > 20)
      throw new Error(`fixture ${fixture.name}: sAMAccountName of ${key} longer than 20 characters`);
    sams.add(sam.toLowerCase());
    return sam;
  };

  // OUs, parents first whatever order the fixture lists them in
  const ouDn = new Map<string, string>();
  const pending = [...fixture.ous];
  while (pending.length > 0) {
    const index = pending.findIndex((ou) => ou.parent === undefined || ouDn.has(ou.parent));
    if (index < 0) {
      throw new Error(
        `fixture ${fixture.name}: OU parent not found or cyclic: ${pending.map((o) => `${o.key} → ${o.parent}`).join(', ')}`,
      );
    }
    const [ou] = pending.splice(index, 1);
    if (!ou) break;
    const parentDn = ou.parent === undefined ? baseDn : (ouDn.get(ou.parent) as string);
    const dn = `${rdn('OU', ou.name)},${parentDn}`;
    ouDn.set(ou.key, dn);
    const attributes: Record<string, string[]> = { ou: [ou.name] };
    if (ou.description) attributes.description = [ou.description];
    add({ key: ou.key, kind: 'ou', dn, objectClass: ['top', 'organizationalUnit'], attributes, links: {} });
  }
  const parentOf = (key: string, ou: string) => {
    const dn = ouDn.get(ou);
    if (!dn) throw new Error(`fixture ${fixture.name}: ${key} names an unknown OU ${ou}`);
    return dn;
  };
  const synced = new Map(fixture.ous.map((o) => [o.key, o.synced]));

  /** The attributes Exchange stamps on every mail-enabled recipient. */
  const mailEnable = (
    attrs: Record<string, string[]>,
    o: { key: string; alias: string; mail: string; stamp: ExchangeStamp; routing: boolean },
  ) => {
    attrs.mail = [o.mail];
    attrs.mailNickname = [o.alias];
    attrs.proxyAddresses = [`SMTP:${o.mail}`];
    if (o.routing) attrs.proxyAddresses.push(`smtp:${o.alias}@${fixture.routingDomain}`);
    attrs.legacyExchangeDN = [
      legacyExchangeDn(fixture.exchangeOrganization, o.alias, `${fixture.name}/${o.key}`),
    ];
    attrs.msExchRecipientTypeDetails = [String(o.stamp.typeDetails)];
    attrs.msExchRecipientDisplayType = [String(o.stamp.displayType)];
  };
  const finish = (attrs: Record<string, string[]>, extra: Record<string, AttributeValue> | undefined) => {
    for (const [name, value] of Object.entries(extra ?? {})) {
      // proxyAddresses given by the fixture are added to the derived ones; anything else overrides
      if (name === 'proxyAddresses' && attrs.proxyAddresses) attrs.proxyAddresses.push(...values(value));
      else attrs[name] = values(value);
    }
    return attrs;
  };
  const rejectLinksInAttributes = (key: string, extra: Record<string, AttributeValue> | undefined) => {
    for (const name of Object.keys(extra ?? {})) {
      if ((LINK_ATTRIBUTES as readonly string[]).includes(name)) {
        throw new Error(
          `fixture ${fixture.name}: ${key} sets the link ${name} in attributes; put it in links`,
        );
      }
    }
  };

  const userEntries = [
    ...fixture.users,
    ...fixture.generated.flatMap((set) =>
      generatedKeys(set).map((key) => {
        const n = key.slice(set.key.length + 1);
        return {
          key,
          ou: set.ou,
          kind: set.kind,
          cn: `${set.cnPrefix} ${n}`,
          alias: `${set.aliasPrefix}${n}`,
        } as const;
      }),
    ),
  ];
  for (const u of userEntries) {
    const extra = 'attributes' in u ? u.attributes : undefined;
    rejectLinksInAttributes(u.key, extra);
    const alias = u.alias;
    if (u.kind !== 'user' && !alias)
      throw new Error(`fixture ${fixture.name}: mail-enabled user ${u.key} needs an alias`);
    const sam = uniqueSam(('samAccountName' in u && u.samAccountName) || alias || u.cn, u.key);
    const attrs: Record<string, string[]> = {
      cn: [u.cn],
      sAMAccountName: [sam],
      userPrincipalName: [`${sam}@${fixture.mailDomain}`],
      displayName: [('displayName' in u && u.displayName) || u.cn],
    };
    if ('givenName' in u && u.givenName) attrs.givenName = [u.givenName];
    if ('sn' in u && u.sn) attrs.sn = [u.sn];
    if ('description' in u && u.description) attrs.description = [u.description];
    let mail: string | undefined;
    if (u.kind !== 'user' && alias) {
      mail = `${alias}@${fixture.mailDomain}`;
      const isSynced = synced.get(u.ou) === true;
      mailEnable(attrs, { key: u.key, alias, mail, stamp: USER_STAMPS[u.kind], routing: isSynced });
      if (isSynced)
        attrs['msDS-ExternalDirectoryObjectId'] = [`User_${stableUuid(`${fixture.name}/cloud/${u.key}`)}`];
      if (u.kind === 'remoteMailbox') {
        attrs.targetAddress = [`SMTP:${alias}@${fixture.routingDomain}`];
        attrs.msExchRemoteRecipientType = [String(REMOTE_RECIPIENT_TYPE_MIGRATED)];
      } else if (u.kind === 'mailUser') {
        const external =
          ('externalAddress' in u && u.externalAddress) || `${alias}@${fixture.externalDomain}`;
        attrs.targetAddress = [`SMTP:${external}`];
        attrs.proxyAddresses?.push(`smtp:${external}`);
      }
    }
    add({
      key: u.key,
      kind: `user:${u.kind}`,
      dn: `${rdn('CN', u.cn)},${parentOf(u.key, u.ou)}`,
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      attributes: finish(attrs, extra),
      links: 'links' in u ? { ...u.links } : {},
      mail,
      alias,
      samAccountName: sam,
    });
  }

  const contactEntries: ContactSpec[] = [
    ...fixture.contacts,
    ...(fixture.generatedContacts ?? []).flatMap((set) =>
      generatedKeys(set).map((key): ContactSpec => {
        const n = key.slice(set.key.length + 1);
        const alias = `${set.aliasPrefix}${n}`;
        return {
          key,
          ou: set.ou,
          kind: 'mailContact',
          cn: `${set.cnPrefix} ${n}`,
          alias,
          externalAddress: `${alias}@${fixture.externalDomain}`,
        };
      }),
    ),
  ];
  for (const c of contactEntries) {
    rejectLinksInAttributes(c.key, c.attributes);
    const attrs: Record<string, string[]> = { cn: [c.cn], displayName: [c.displayName ?? c.cn] };
    if (c.description) attrs.description = [c.description];
    let mail: string | undefined;
    if (c.kind === 'mailContact') {
      if (!c.alias || !c.externalAddress)
        throw new Error(`fixture ${fixture.name}: mail contact ${c.key} needs alias and externalAddress`);
      mail = c.externalAddress;
      mailEnable(attrs, { key: c.key, alias: c.alias, mail, stamp: CONTACT_STAMP, routing: false });
      attrs.targetAddress = [`SMTP:${mail}`];
    } else if (c.kind === 'mailOnlyContact') {
      if (!c.externalAddress)
        throw new Error(`fixture ${fixture.name}: mail-only contact ${c.key} needs externalAddress`);
      mail = c.externalAddress;
      attrs.mail = [mail];
    }
    add({
      key: c.key,
      kind: `contact:${c.kind}`,
      dn: `${rdn('CN', c.cn)},${parentOf(c.key, c.ou)}`,
      objectClass: ['top', 'person', 'organizationalPerson', 'contact'],
      attributes: finish(attrs, c.attributes),
      links: { ...c.links },
      mail,
      alias: c.alias,
    });
  }

  for (const g of fixture.groups) {
    rejectLinksInAttributes(g.key, g.attributes);
    const shape = GROUP_SHAPES[g.kind];
    const sam = uniqueSam(g.samAccountName ?? g.alias ?? g.cn, g.key);
    const attrs: Record<string, string[]> = {
      cn: [g.cn],
      sAMAccountName: [sam],
      groupType: [String(shape.groupType)],
      displayName: [g.displayName ?? g.cn],
    };
    if (g.description) attrs.description = [g.description];
    let mail: string | undefined;
    if (shape.mail !== 'none') {
      const local = g.alias ?? sam;
      mail = `${local}@${fixture.mailDomain}`;
      if (shape.mail === 'exchange' && shape.stamp) {
        if (!g.alias) throw new Error(`fixture ${fixture.name}: mail-enabled group ${g.key} needs an alias`);
        const isSynced = synced.get(g.ou) === true;
        mailEnable(attrs, { key: g.key, alias: g.alias, mail, stamp: shape.stamp, routing: isSynced });
        if (isSynced)
          attrs['msDS-ExternalDirectoryObjectId'] = [`Group_${stableUuid(`${fixture.name}/cloud/${g.key}`)}`];
      } else {
        attrs.mail = [mail];
      }
    }
    add({
      key: g.key,
      kind: `group:${g.kind}`,
      dn: `${rdn('CN', g.cn)},${parentOf(g.key, g.ou)}`,
      objectClass: ['top', 'group'],
      attributes: finish(attrs, g.attributes),
      links: { ...g.links },
      mail,
      alias: g.alias,
      samAccountName: sam,
    });
  }

  for (const d of fixture.dynamicGroups) {
    rejectLinksInAttributes(d.key, d.attributes);
    const mail = `${d.alias}@${fixture.mailDomain}`;
    const attrs: Record<string, string[]> = { cn: [d.cn], displayName: [d.displayName ?? d.cn] };
    mailEnable(attrs, {
      key: d.key,
      alias: d.alias,
      mail,
      stamp: DYNAMIC_GROUP_STAMP,
      routing: synced.get(d.ou) === true,
    });
    attrs.msExchDynamicDLFilter = [d.ldapFilter];
    attrs.msExchQueryFilter = [d.ldapFilter];
    attrs.msExchDynamicDLBaseDN = [parentOf(d.key, d.baseOu)];
    add({
      key: d.key,
      kind: 'dynamicGroup',
      dn: `${rdn('CN', d.cn)},${parentOf(d.key, d.ou)}`,
      objectClass: ['top', 'msExchDynamicDistributionList'],
      attributes: finish(attrs, d.attributes),
      links: { ...d.links },
      mail,
      alias: d.alias,
    });
  }

  // expand `<set>.*` references and check that every link names a known object
  const setKeys = new Map(
    [...fixture.generated, ...(fixture.generatedContacts ?? [])].map((set) => [set.key, generatedKeys(set)]),
  );
  for (const o of objects) {
    for (const [attr, refs] of Object.entries(o.links) as [LinkAttribute, string[]][]) {
      const expanded = refs.flatMap((ref) => {
        if (ref.endsWith('.*')) {
          const keys = setKeys.get(ref.slice(0, -2));
          if (!keys)
            throw new Error(
              `fixture ${fixture.name}: ${o.key}.${attr} names an unknown generated set ${ref}`,
            );
          return keys;
        }
        if (!byKey.has(ref))
          throw new Error(`fixture ${fixture.name}: ${o.key}.${attr} names an unknown object ${ref}`);
        return [ref];
      });
      if (SINGLE_VALUED_LINKS.has(attr) && expanded.length > 1) {
        throw new Error(
          `fixture ${fixture.name}: ${o.key}.${attr} is single-valued but has ${expanded.length} values`,
        );
      }
      o.links[attr] = expanded;
    }
  }
  return { objects, byKey };
}
