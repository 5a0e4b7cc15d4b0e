#!/usr/bin/python3
# The lab's stand-in for global-catalog replication between the domains of a lab forest (src/forest/).
#
# Samba cannot host two domains of one forest (the subdomain join was removed in 4.11; see README.md "Several
# domains"), so every domain of a lab forest is its own Samba DC, and this helper gives each DC what a GC of a real
# forest holds: a read-only partial replica of every other domain's naming context, kept in step by `sync`. With it
# the DC's global catalog port answers for the whole forest, and the DC resolves (and accepts) DN values naming
# objects of the other domains, as a real DC does through its GC.
#
# It works on the DCs' databases directly, as root, through Samba's own Python bindings (the same access
# `samba-tool` and `dbcheck` use): `create-replica` and `crossref` while the DC is stopped, `sync` and `inject`
# while it runs. One JSON request on stdin, one JSON answer on stdout.
import json
import os
import sys

import ldb
from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB

# Lets a trusted (local) request write a read-only replica object; Samba's dbcheck uses it (source4/dsdb/samdb/samdb.h).
MODIFY_RO_REPLICA = 'local_oid:1.3.6.1.4.1.7165.4.3.19.1:0'
WRITE_CONTROLS = ['relax:0', 'provision:0', MODIFY_RO_REPLICA]
# With relax, a local delete removes the object outright instead of leaving a tombstone (what dbcheck does with an
# object beyond repair; repl_meta_data.c, replmd_delete): a replica has no Deleted Objects container to move it to.
HARD_DELETE_CONTROLS = ['relax:0', 'local_oid:1.3.6.1.4.1.7165.4.3.19:0']

# The lab's partial attribute set: what a replica holds of each object. Wider than AD's (which leaves out e.g.
# non-universal group membership), so tests never depend on the GC lacking an attribute.
PLAIN_ATTRIBUTES = [
    'objectClass', 'cn', 'ou', 'name', 'displayName', 'description', 'sAMAccountName', 'userPrincipalName',
    'groupType', 'givenName', 'sn', 'mail', 'mailNickname', 'proxyAddresses', 'targetAddress', 'legacyExchangeDN',
    'textEncodedORAddress', 'msDS-ExternalDirectoryObjectId', 'reportToOriginator', 'reportToOwner',
    'oOFReplyToOriginator', 'msExchRecipientDisplayType', 'msExchRecipientTypeDetails', 'msExchRequireAuthToSendTo',
    'msExchHideFromAddressLists', 'msExchEnableModeration', 'msExchModerationFlags', 'msExchGroupJoinRestriction',
    'msExchGroupDepartRestriction', 'msExchSenderHintTranslations', 'msExchRemoteRecipientType',
    'msExchDynamicDLFilter', 'msExchQueryFilter', 'msExchRecipientFilterFlags',
] + ['extensionAttribute%d' % i for i in range(1, 16)] + ['msExchExtensionCustomAttribute%d' % i for i in range(1, 6)]
LINK_ATTRIBUTES = [
    'member', 'managedBy', 'msExchCoManagedByLink', 'msExchModeratedByLink', 'msExchBypassModerationLink',
    'msExchBypassModerationFromDLMembersLink', 'authOrig', 'dLMemSubmitPerms', 'unauthOrig', 'dLMemRejectPerms',
    'publicDelegates', 'altRecipient', 'msExchDynamicDLBaseDN',
]
# What a replica holds: OUs and the recipients in them (no computers).
CLASSES = '(|(objectClass=organizationalUnit)(&(objectClass=user)(!(objectClass=computer)))' \
          '(objectClass=group)(objectClass=contact)(objectClass=msExchDynamicDistributionList))'


def open_samdb(dc):
    lp = LoadParm()
    lp.load(os.path.join(dc, 'etc', 'smb.conf'))
    return SamDB(url=os.path.join(dc, 'private', 'sam.ldb'), session_info=system_session(), lp=lp)


def raw(path, create=False):
    """The database file itself, without Samba's modules (the partition records, a partition's own file)."""
    return ldb.Ldb(path, flags=0 if create else ldb.FLG_DONT_CREATE_DB, options=['modules:'])


def partition_file(dc, nc):
    return os.path.join(dc, 'private', 'sam.ldb.d', '%s.ldb' % nc.upper())


def guid_of(value):
    """The GUID component of an extended DN (`<GUID=...>;<SID=...>;CN=...`), lower-cased."""
    text = value.decode('utf8') if isinstance(value, bytes) else str(value)
    if text.startswith('<GUID='):
        return text[6:text.index('>')].lower()
    return text.lower()


def crossref(req):
    """A crossRef for another domain in the configuration NC, so CN=Partitions lists every domain of the forest."""
    samdb = open_samdb(req['dc'])
    dn = 'CN=%s,CN=Partitions,%s' % (req['netbios'], samdb.get_config_basedn())
    if samdb.search(base=samdb.get_config_basedn(), scope=ldb.SCOPE_SUBTREE, expression='(nCName=%s)' %
                    ldb.binary_encode(req['nc']), attrs=['dn']):
        return {'created': False}
    samdb.add({'dn': dn, 'objectClass': 'crossRef', 'nCName': req['nc'], 'dnsRoot': req['dnsRoot'],
               'nETBIOSName': req['netbios'], 'systemFlags': '3'}, controls=['relax:0'])
    return {'created': True, 'dn': dn}


def create_replica(req):
    """
    A partial-replica partition for `nc` on the (stopped) DC `dc`: the partition record, its database file (with the
    same @ATTRIBUTES/@INDEXLIST as the DC's own domain partition) and the NC head, which has to exist before the
    partition module can search (and so add) anything below it.
    """
    dc, nc = req['dc'], req['nc']
    sam = raw(os.path.join(dc, 'private', 'sam.ldb'))
    record = sam.search(base='@PARTITION', scope=ldb.SCOPE_BASE, attrs=['partition'])[0]
    wanted = '%s:sam.ldb.d/%s.ldb' % (nc.upper(), nc.upper())
    if wanted in [str(v) for v in record['partition']]:
        return {'created': False}
    target = raw(partition_file(dc, nc), create=True)
    own = raw(partition_file(dc, req['ownNc']))
    for special in ['@ATTRIBUTES', '@INDEXLIST', '@OPTIONS']:
        found = own.search(base=special, scope=ldb.SCOPE_BASE)
        if len(found) > 0:
            target.add(found[0])
    head = ldb.Message(ldb.Dn(target, nc))
    head['objectClass'] = ldb.MessageElement([b'top', b'domain', b'domainDNS'], ldb.FLAG_MOD_ADD, 'objectClass')
    head['objectGUID'] = ldb.MessageElement([bytes.fromhex(req['headGuidHex'])], ldb.FLAG_MOD_ADD, 'objectGUID')
    head['objectSid'] = ldb.MessageElement([bytes.fromhex(req['headSidHex'])], ldb.FLAG_MOD_ADD, 'objectSid')
    first = ldb.Dn(target, nc).get_rdn_value()
    head['dc'] = ldb.MessageElement([first.encode()], ldb.FLAG_MOD_ADD, 'dc')
    head['name'] = ldb.MessageElement([first.encode()], ldb.FLAG_MOD_ADD, 'name')
    # 1 = NC head; without 4 (writable) the DC refuses LDAP writes to it, as to every object below it.
    head['instanceType'] = ldb.MessageElement([b'1'], ldb.FLAG_MOD_ADD, 'instanceType')
    # the destination's own schema: replica objects are described by the schema of the DC that holds them
    head['objectCategory'] = ldb.MessageElement([req['headCategory'].encode()], ldb.FLAG_MOD_ADD, 'objectCategory')
    target.add(head)
    change = ldb.Message(ldb.Dn(sam, '@PARTITION'))
    change['partition'] = ldb.MessageElement([wanted.encode()], ldb.FLAG_MOD_ADD, 'partition')
    change['partialReplica'] = ldb.MessageElement([nc.upper().encode()], ldb.FLAG_MOD_ADD, 'partialReplica')
    sam.modify(change)
    return {'created': True}


def read_nc(samdb, nc):
    """Every replicable object of `nc` by GUID: its DN, plain attributes and link values (extended DNs)."""
    found = samdb.search(base=nc, scope=ldb.SCOPE_SUBTREE, expression=CLASSES,
                         attrs=['objectGUID', 'objectSid'] + PLAIN_ATTRIBUTES + LINK_ATTRIBUTES,
                         controls=['extended_dn:1:1'])
    objects = {}
    for msg in found:
        dn = msg.dn
        if str(dn).lower() == nc.lower():
            continue
        # Only the OU subtrees, where a lab's fixtures put everything: the default containers (Users, Builtin,
        # System, ...) hold each DC's own well-known objects, whose names clash between domains.
        if not any(dn.get_component_name(i).upper() == 'OU' for i in range(len(dn))):
            continue
        guid = bytes(msg['objectGUID'][0]).hex()
        attrs = {}
        for name in PLAIN_ATTRIBUTES + ['objectSid']:
            if name in msg:
                attrs[name] = sorted(bytes(v) for v in msg[name])
        links = {}
        for name in LINK_ATTRIBUTES:
            if name in msg:
                links[name] = sorted(bytes(v) for v in msg[name])
        objects[guid] = {'dn': str(dn), 'depth': len(dn), 'attrs': attrs, 'links': links}
    return objects


def same_values(a, b):
    return sorted(a or []) == sorted(b or [])


def same_links(a, b):
    return sorted(guid_of(v) for v in (a or [])) == sorted(guid_of(v) for v in (b or []))


def delete_object(samdb, dn):
    """
    Remove a replica object as a replicated deletion would: its own links go (and with them the back links they
    gave other objects), every link naming it goes (as the DCs holding those links drop a deleted target), then the
    object itself.
    """
    found = samdb.search(base=dn, scope=ldb.SCOPE_BASE, attrs=LINK_ATTRIBUTES)[0]
    own = ldb.Message(ldb.Dn(samdb, dn))
    for name in LINK_ATTRIBUTES:
        if name in found:
            own[name] = ldb.MessageElement([], ldb.FLAG_MOD_REPLACE, name)
    if len(own) > 0:
        samdb.modify(own, controls=WRITE_CONTROLS)
    for name in LINK_ATTRIBUTES:
        # every partition this DC holds (the search options' "phantom root", as a global catalog search)
        holders = samdb.search(base='', scope=ldb.SCOPE_SUBTREE, expression='(%s=%s)' % (name, ldb.binary_encode(dn)),
                               attrs=['dn'], controls=['search_options:1:2'])
        for holder in holders:
            change = ldb.Message(holder.dn)
            change[name] = ldb.MessageElement([dn.encode()], ldb.FLAG_MOD_DELETE, name)
            samdb.modify(change, controls=WRITE_CONTROLS)
    samdb.delete(dn, controls=HARD_DELETE_CONTROLS)


def sync(req):
    """One replication pass over every pair of the request, in order, each in its own transaction."""
    opened = {}

    def samdb(dc):
        if dc not in opened:
            opened[dc] = open_samdb(dc)
        return opened[dc]

    total = {'added': 0, 'moved': 0, 'modified': 0, 'linked': 0, 'deleted': 0}
    for pair in req['pairs']:
        counts = sync_pair(samdb(pair['from']), samdb(pair['to']), pair['nc'])
        for k in total:
            total[k] += counts[k]
    return total


def sync_pair(source, target, nc):
    """
    Bring the partial replica of `nc` on `target` in step with the domain's own DC `source`: adds, moves and renames,
    attribute and link changes, deletions. What a replication cycle of a GC would do, on demand.
    """
    want = read_nc(source, nc)
    have = read_nc(target, nc)
    counts = {'added': 0, 'moved': 0, 'modified': 0, 'linked': 0, 'deleted': 0}
    target.transaction_start()
    try:
        # deletions first, deepest first, so a container goes after what it holds
        for guid in sorted((g for g in have if g not in want), key=lambda g: -have[g]['depth']):
            delete_object(target, have[guid]['dn'])
            counts['deleted'] += 1
        # adds and moves, parents before children
        for guid in sorted(want, key=lambda g: want[g]['depth']):
            obj = want[guid]
            if guid not in have:
                msg = ldb.Message(ldb.Dn(target, obj['dn']))
                msg['objectGUID'] = ldb.MessageElement([bytes.fromhex(guid)], ldb.FLAG_MOD_ADD, 'objectGUID')
                for name, values in obj['attrs'].items():
                    msg[name] = ldb.MessageElement(values, ldb.FLAG_MOD_ADD, name)
                # 0: an ordinary object of a replica that is not writable here
                msg['instanceType'] = ldb.MessageElement([b'0'], ldb.FLAG_MOD_ADD, 'instanceType')
                target.add(msg, controls=WRITE_CONTROLS)
                counts['added'] += 1
                have[guid] = {'dn': obj['dn'], 'depth': obj['depth'], 'attrs': dict(obj['attrs']), 'links': {}}
            elif have[guid]['dn'].lower() != obj['dn'].lower() or have[guid]['dn'] != obj['dn']:
                target.rename(have[guid]['dn'], obj['dn'], controls=WRITE_CONTROLS)
                counts['moved'] += 1
        # attribute changes
        for guid, obj in want.items():
            current = have[guid]
            change = ldb.Message(ldb.Dn(target, obj['dn']))
            for name in PLAIN_ATTRIBUTES:
                if name in ('objectClass', 'cn', 'name', 'ou'):
                    continue  # set at creation, follow renames
                if not same_values(obj['attrs'].get(name), current['attrs'].get(name)):
                    values = obj['attrs'].get(name)
                    change[name] = ldb.MessageElement(values or [], ldb.FLAG_MOD_REPLACE, name)
            if len(change) > 0:
                target.modify(change, controls=WRITE_CONTROLS)
                counts['modified'] += 1
        # links last: every target that is replicated exists by now
        for guid, obj in want.items():
            current = have[guid]
            change = ldb.Message(ldb.Dn(target, obj['dn']))
            for name in LINK_ATTRIBUTES:
                if not same_links(obj['links'].get(name), current['links'].get(name)):
                    change[name] = ldb.MessageElement(obj['links'].get(name) or [], ldb.FLAG_MOD_REPLACE, name)
            if len(change) > 0:
                target.modify(change, controls=WRITE_CONTROLS)
                counts['linked'] += 1
        target.transaction_commit()
    except Exception:
        target.transaction_cancel()
        raise
    return counts


def inject(req):
    """Objects written straight into a replica (a domain without a DC: its objects linger in this GC only)."""
    samdb = open_samdb(req['dc'])
    samdb.transaction_start()
    try:
        for obj in req['objects']:
            msg = ldb.Message(ldb.Dn(samdb, obj['dn']))
            msg['objectGUID'] = ldb.MessageElement([bytes.fromhex(obj['guidHex'])], ldb.FLAG_MOD_ADD, 'objectGUID')
            if 'sidHex' in obj:
                msg['objectSid'] = ldb.MessageElement([bytes.fromhex(obj['sidHex'])], ldb.FLAG_MOD_ADD, 'objectSid')
            for name, values in obj['attributes'].items():
                msg[name] = ldb.MessageElement([v.encode() for v in values], ldb.FLAG_MOD_ADD, name)
            msg['instanceType'] = ldb.MessageElement([b'0'], ldb.FLAG_MOD_ADD, 'instanceType')
            samdb.add(msg, controls=WRITE_CONTROLS)
        samdb.transaction_commit()
    except Exception:
        samdb.transaction_cancel()
        raise
    return {'added': len(req['objects'])}


OPERATIONS = {'crossref': crossref, 'create-replica': create_replica, 'sync': sync, 'inject': inject}

if __name__ == '__main__':
    request = json.load(sys.stdin)
    answer = OPERATIONS[request['op']](request)
    json.dump(answer, sys.stdout)
