#!/usr/bin/env python3
"""Generate exchange-schema.ldif (copied from the research notes, extended for dlmigrate): a minimal Exchange-like schema extension for a Samba AD DC lab.
Official attributeID/schemaIDGUID/linkID values are used where known (see comments);
lab-only OIDs live under 1.3.6.1.4.1.32473 (RFC 5612 documentation enterprise number)."""
import sys, uuid, base64
SCHEMA = sys.argv[1] if len(sys.argv) > 1 else "CN=Schema,CN=Configuration,DC=lab,DC=test"
DN_OMOC = "KwwCh3McAIVK"      # 1.3.12.2.1011.28.0.714  Object(DS-DN)
ORNAME_OMOC = "VgYBAgULHQ=="  # 2.6.6.1.2.5.11.29       Object(OR-Name)
LAB = "1.3.6.1.4.1.32473.1"   # lab arc, NOT Microsoft's

def b64guid(g):  # schemaIDGUID must be the 16 raw bytes (little-endian GUID) for ldapmodify; ldbmodify accepts both
    return base64.b64encode(uuid.UUID(g).bytes_le).decode()

SYN = {  # name: (attributeSyntax, oMSyntax, oMObjectClass)
    "unicode": ("2.5.5.12", 64, None),
    "printable": ("2.5.5.5", 19, None),
    "int": ("2.5.5.9", 2, None),
    "large": ("2.5.5.16", 65, None),
    "bool": ("2.5.5.8", 1, None),
    "dn": ("2.5.5.1", 127, DN_OMOC),
    "sid": ("2.5.5.17", 4, None),
    "orname": ("2.5.5.7", 127, ORNAME_OMOC),
    "sd": ("2.5.5.15", 66, None),   # NT-Sec-Desc (a self-relative security descriptor)
}
# (cn, lDAPDisplayName, attributeID, syntax, single, schemaIDGUID or None, linkID or None, searchFlags, rangeLower, rangeUpper, source)
A = [
 ("ms-Exch-Mail-Nickname", "mailNickname", "1.2.840.113556.1.2.447", "unicode", True, "bf9679b3-0de6-11d0-a285-00aa003049e2", None, 5, 1, 64, "Exchange"),
 ("ms-Exch-Target-Address", "targetAddress", "1.2.840.113556.1.2.352", "unicode", True, "f0f8ff9f-1191-11d0-a060-00aa006c33ed", None, 1, 1, 1123, "Exchange"),
 ("ms-Exch-Auth-Orig", "authOrig", "1.2.840.113556.1.2.129", "dn", False, "a8df7397-c5ea-11d1-bbcb-0080c76670c0", 110, 16, None, None, "Exchange"),
 ("ms-Exch-Unauth-Orig", "unauthOrig", "1.2.840.113556.1.2.221", "dn", False, "a8df7495-c5ea-11d1-bbcb-0080c76670c0", 114, 16, None, None, "Exchange"),
 ("ms-Exch-DL-Mem-Submit-Perms", "dLMemSubmitPerms", "1.2.840.113556.1.2.144", "dn", False, "a8df73c4-c5ea-11d1-bbcb-0080c76670c0", 112, 16, None, None, "Exchange"),
 ("ms-Exch-DL-Mem-Reject-Perms", "dLMemRejectPerms", "1.2.840.113556.1.2.47", "dn", False, "a8df73c2-c5ea-11d1-bbcb-0080c76670c0", 116, 16, None, None, "Exchange"),
 ("ms-Exch-Public-Delegates", "publicDelegates", "1.2.840.113556.1.2.238", "dn", False, "f0f8ff9a-1191-11d0-a060-00aa006c33ed", 14, 16, None, None, "Exchange"),
 ("ms-Exch-Alt-Recipient", "altRecipient", "1.2.840.113556.1.2.126", "dn", True, "bf96791e-0de6-11d0-a285-00aa003049e2", 12, 16, None, None, "Exchange"),
 ("ms-Exch-Report-To-Originator", "reportToOriginator", "1.2.840.113556.1.2.206", "bool", True, "a8df745e-c5ea-11d1-bbcb-0080c76670c0", None, 0, None, None, "Exchange"),
 ("ms-Exch-Report-To-Owner", "reportToOwner", "1.2.840.113556.1.2.207", "bool", True, "a8df745f-c5ea-11d1-bbcb-0080c76670c0", None, 0, None, None, "Exchange"),
 ("ms-Exch-OOF-Reply-To-Originator", "oOFReplyToOriginator", "1.2.840.113556.1.2.438", "bool", True, "a8df7440-c5ea-11d1-bbcb-0080c76670c0", None, 0, None, None, "Exchange"),
 ("ms-Exch-Recipient-Display-Type", "msExchRecipientDisplayType", "1.2.840.113556.1.4.7000.102.50730", "int", True, "b893abb0-767e-4f20-915f-3857bbc96afe", None, 1, None, None, "Exchange"),
 ("ms-Exch-Recipient-Type-Details", "msExchRecipientTypeDetails", "1.2.840.113556.1.4.7000.102.50855", "large", True, "069ba1f8-540a-42a9-bf26-a7dd35475346", None, 1, None, None, "Exchange"),
 ("ms-Exch-Require-Auth-To-Send-To", "msExchRequireAuthToSendTo", "1.2.840.113556.1.4.5062", "bool", True, "f533eb3b-f75b-4fb3-b2fb-08cd537a84d1", None, 0, None, None, "Exchange"),
 ("ms-Exch-Hide-From-Address-Lists", "msExchHideFromAddressLists", "1.2.840.113556.1.4.7000.102.73", "bool", True, "a21c0b96-b093-11d2-aa06-00c04f8eedd8", None, 16, None, None, "Exchange"),
 ("ms-Exch-Dynamic-DL-Filter", "msExchDynamicDLFilter", "1.2.840.113556.1.4.7000.102.12544", "unicode", True, "e1b6d32c-6bac-48da-a313-2b58ae1c45ce", None, 0, None, None, "Exchange"),
 ("ms-Exch-Dynamic-DL-BaseDN", "msExchDynamicDLBaseDN", "1.2.840.113556.1.4.7000.102.12543", "dn", True, "763d0ef9-bd92-41f9-ab34-7e329db76ee3", None, 0, None, None, "Exchange"),
 # FullAccess and the other mailbox rights of an on-premises mailbox (an SD whose ACE masks are Exchange mailbox rights)
 ("ms-Exch-Mailbox-Security-Descriptor", "msExchMailboxSecurityDescriptor", "1.2.840.113556.1.4.7000.102.80", "sd", True, "934de926-b09e-11d2-aa06-00c04f8eedd8", None, 0, None, None, "Exchange"),
 ("ms-DS-External-Directory-Object-Id", "msDS-ExternalDirectoryObjectId", "1.2.840.113556.1.4.2310", "unicode", True, "bd29bf90-66ad-40e1-887b-10df070419a6", None, 9, None, 256, "Windows Server 2016 schema"),
]
# extensionAttribute1-10: .423-.432, 11-15: .599-.603 (GUIDs from the Exchange schema; 14 follows the 11..15 series)
ea_guid = {1:"bf967967-0de6-11d0-a285-00aa003049e2",2:"bf967969-0de6-11d0-a285-00aa003049e2",3:"bf96796a-0de6-11d0-a285-00aa003049e2",
 4:"bf96796b-0de6-11d0-a285-00aa003049e2",5:"bf96796c-0de6-11d0-a285-00aa003049e2",6:"bf96796d-0de6-11d0-a285-00aa003049e2",
 7:"bf96796e-0de6-11d0-a285-00aa003049e2",8:"bf96796f-0de6-11d0-a285-00aa003049e2",9:"bf967970-0de6-11d0-a285-00aa003049e2",
 10:"bf967968-0de6-11d0-a285-00aa003049e2",11:"167757f6-47f3-11d1-a9c3-0000f80367c1",12:"167757f7-47f3-11d1-a9c3-0000f80367c1",
 13:"167757f8-47f3-11d1-a9c3-0000f80367c1",14:"167757f9-47f3-11d1-a9c3-0000f80367c1",15:"167757fa-47f3-11d1-a9c3-0000f80367c1"}
for i in range(1, 16):
    oid = "1.2.840.113556.1.2.%d" % (422 + i if i <= 10 else 588 + i)
    A.append(("ms-Exch-Extension-Attribute-%d" % i, "extensionAttribute%d" % i, oid, "unicode", True, ea_guid[i], None, 16, 1, 1024 if i <= 10 else 2048, "Exchange" if i != 14 else "Exchange OID; GUID inferred from the 11-15 series"))
# Exchange 2007/2010 attributes whose official OIDs/GUIDs/linkIDs were not found: lab OIDs, generated GUIDs and linkIDs.
LABA = [
 ("ms-Exch-Co-Managed-By-Link", "msExchCoManagedByLink", "dn", False, 1073741826),
 ("ms-Exch-Moderated-By-Link", "msExchModeratedByLink", "dn", False, 1073741828),
 ("ms-Exch-Bypass-Moderation-From-DL-Members-Link", "msExchBypassModerationFromDLMembersLink", "dn", False, 1073741830),
 ("ms-Exch-Enable-Moderation", "msExchEnableModeration", "bool", True, None),
 ("ms-Exch-Moderation-Flags", "msExchModerationFlags", "int", True, None),
 ("ms-Exch-Group-Join-Restriction", "msExchGroupJoinRestriction", "int", True, None),
 ("ms-Exch-Group-Depart-Restriction", "msExchGroupDepartRestriction", "int", True, None),
 ("ms-Exch-Sender-Hint-Translations", "msExchSenderHintTranslations", "unicode", False, None),
 ("ms-Exch-Query-Filter", "msExchQueryFilter", "unicode", True, None),
 ("ms-Exch-Recipient-Filter-Flags", "msExchRecipientFilterFlags", "int", True, None),
] + [("ms-Exch-Extension-Custom-Attribute-%d" % i, "msExchExtensionCustomAttribute%d" % i, "unicode", False, None) for i in range(1, 6)] + [
 # added for dlmigrate: the per-sender half of BypassModerationFromSendersOrMembers, and what a routing contact carries
 ("ms-Exch-Bypass-Moderation-Link", "msExchBypassModerationLink", "dn", False, 1073741832),
 ("ms-Exch-Policies-Excluded", "msExchPoliciesExcluded", "unicode", False, None),
 ("ms-Exch-Policies-Included", "msExchPoliciesIncluded", "unicode", False, None),
 ("ms-Exch-Master-Account-Sid", "msExchMasterAccountSid", "sid", True, None),
 ("ms-Exch-Remote-Recipient-Type", "msExchRemoteRecipientType", "large", True, None),
 # the Exchange object version every recipient Exchange creates carries (routing contact, hybrid dynamic DL)
 ("ms-Exch-Version", "msExchVersion", "large", True, None),
]
for n, (cn, ldn, syn, single, link) in enumerate(LABA, start=1):
    oid = "%s.1.%d" % (LAB, n)
    A.append((cn, ldn, oid, syn, single, str(uuid.uuid5(uuid.NAMESPACE_OID, oid)), link, 1 if syn != "dn" else 0, None, None, "lab OID"))
# The Exchange schema version marker: tools read its rangeUpper (15317 = Exchange 2016 RTM; 17003 = Exchange 2019
# CU12+/SE). Lab OID; it is not allowed on any class (like the real one, it only carries rangeUpper).
SCHEMA_VERSION = ("ms-Exch-Schema-Version-Pt", "msExchSchemaVersionPt", LAB + ".3.1", "int", True,
                  str(uuid.uuid5(uuid.NAMESPACE_OID, LAB + ".3.1")), None, 0, None, 17003, "lab OID; rangeUpper 17003 = Exchange 2019 CU12+/SE")
A.append(SCHEMA_VERSION)
# back links: (cn, lDAPDisplayName, attributeID, schemaIDGUID, linkID (int = official, str = forward attribute to pair with))
BL = [
 ("ms-Exch-Auth-Orig-BL", "authOrigBL", "1.2.840.113556.1.2.290", "a8df7398-c5ea-11d1-bbcb-0080c76670c0", 111),
 ("ms-Exch-Unauth-Orig-BL", "unauthOrigBL", "1.2.840.113556.1.2.292", "a8df7496-c5ea-11d1-bbcb-0080c76670c0", 115),
 ("ms-Exch-DL-Mem-Submit-Perms-BL", "dLMemSubmitPermsBL", "1.2.840.113556.1.2.291", "a8df73c5-c5ea-11d1-bbcb-0080c76670c0", 113),
 ("ms-Exch-DL-Mem-Reject-Perms-BL", "dLMemRejectPermsBL", "1.2.840.113556.1.2.293", "a8df73c3-c5ea-11d1-bbcb-0080c76670c0", 117),
 ("ms-Exch-Public-Delegates-BL", "publicDelegatesBL", "1.2.840.113556.1.2.295", "bf967a08-0de6-11d0-a285-00aa003049e2", 15),
 ("ms-Exch-Alt-Recipient-BL", "altRecipientBL", "1.2.840.113556.1.2.294", "bf96791f-0de6-11d0-a285-00aa003049e2", 13),
 ("ms-Exch-Co-Managed-Objects-BL", "msExchCoManagedObjectsBL", LAB + ".2.1", "LABGUID", 1073741827),
 ("ms-Exch-Moderated-Objects-BL", "msExchModeratedObjectsBL", LAB + ".2.2", "LABGUID", 1073741829),
 ("ms-Exch-Bypass-Moderation-From-DL-Members-BL", "msExchBypassModerationFromDLMembersBL", LAB + ".2.3", "LABGUID", 1073741831),
 ("ms-Exch-Bypass-Moderation-BL", "msExchBypassModerationBL", LAB + ".2.4", "LABGUID", 1073741833),
]
out = []
w = out.append
w("# Exchange-like schema extension for a Samba 4 AD DC test lab (generated by make_ldif.py).")
w("# Apply with:  ldbmodify -H <private>/sam.ldb --option='dsdb:schema update allowed=true' exchange-schema.ldif")
w("#   (offline, before 'samba' starts; or over LDAP as a Schema Admin with ldapmodify against a running DC")
w("#    whose smb.conf has 'dsdb:schema update allowed = true').")
w("# Schema DN: %s  (sed it for another domain)." % SCHEMA)
w("# Values marked 'Exchange' are the official attributeID/schemaIDGUID/linkID of the Exchange schema;")
w("# values marked 'lab OID' are NOT official: OIDs under 1.3.6.1.4.1.32473 (RFC 5612 example arc),")
w("# schemaIDGUID = uuid5(NAMESPACE_OID, attributeID) (deterministic), linkIDs 1073741826..1073741831")
w("# (the values Samba itself hands out for 'linkID: 1.2.840.113556.1.2.50'; set explicitly so that the")
w("# whole file applies in ONE ldbmodify transaction; back link = forward linkID + 1).")
w("# Deviation: Exchange defines authOrig, unauthOrig, dLMemSubmitPerms and dLMemRejectPerms as Object(OR-Name)")
w("# (2.5.5.7 + oMObjectClass 2.6.6.1.2.5.11.29); Samba 4.17 then fails to delete an object that such a link")
w("# points to ('Failed to remove backlink of unauthOrigBL'), so they are Object(DS-DN) here. Over LDAP both")
w("# syntaxes carry the same plain DN strings.")
w("# Everything is allowed on user, group and contact through their system auxiliary class mailRecipient.")
w("")
def update_now(tag):
    w("# --- %s: reload the schema cache" % tag)
    w("dn:\nchangetype: modify\nadd: schemaUpdateNow\nschemaUpdateNow: 1\n-\n")
w("# ===== 1. attributes =====")
for cn, ldn, oid, syn, single, guid, link, sf, lo, hi, src in A:
    asyn, oms, omoc = SYN[syn]
    w("# %s (%s)" % (ldn, src))
    w("dn: CN=%s,%s" % (cn, SCHEMA))
    w("changetype: add\nobjectClass: top\nobjectClass: attributeSchema")
    w("cn: %s" % cn)
    w("attributeID: %s" % oid)
    w("attributeSyntax: %s" % asyn)
    w("oMSyntax: %d" % oms)
    if omoc: w("oMObjectClass:: %s" % omoc)
    w("isSingleValued: %s" % ("TRUE" if single else "FALSE"))
    w("lDAPDisplayName: %s" % ldn)
    w("adminDisplayName: %s" % cn)
    if guid: w("# schemaIDGUID {%s}\nschemaIDGUID:: %s" % (guid, b64guid(guid)))
    if link == "AUTO": w("linkID: 1.2.840.113556.1.2.50")
    elif link is not None: w("linkID: %d" % link)
    w("searchFlags: %d" % sf)
    if lo is not None: w("rangeLower: %d" % lo)
    if hi is not None: w("rangeUpper: %d" % hi)
    w("isMemberOfPartialAttributeSet: TRUE")
    w("showInAdvancedViewOnly: TRUE")
    w("")
update_now("after attributes")
w("# ===== 2. back links (need their forward links in the schema cache) =====")
for cn, ldn, oid, guid, link in BL:
    w("# %s" % ldn)
    w("dn: CN=%s,%s" % (cn, SCHEMA))
    w("changetype: add\nobjectClass: top\nobjectClass: attributeSchema")
    w("cn: %s" % cn)
    w("attributeID: %s" % oid)
    w("attributeSyntax: 2.5.5.1\noMSyntax: 127\noMObjectClass:: %s" % DN_OMOC)
    w("isSingleValued: FALSE")
    w("lDAPDisplayName: %s" % ldn)
    w("adminDisplayName: %s" % cn)
    if guid == "LABGUID": guid = str(uuid.uuid5(uuid.NAMESPACE_OID, oid))
    w("# schemaIDGUID {%s}\nschemaIDGUID:: %s" % (guid, b64guid(guid)))
    w("linkID: %s" % link)
    w("searchFlags: 0\nsystemOnly: TRUE\nshowInAdvancedViewOnly: TRUE")
    w("")
update_now("after back links")
w("# ===== 3. allow the attributes on user, group and contact =====")
w("# user, group and contact all carry the auxiliary class mailRecipient (systemAuxiliaryClass),")
w("# so adding mayContain there (as Exchange's own schema update does) covers all three.")
w("dn: CN=Mail-Recipient,%s" % SCHEMA)
w("changetype: modify\nadd: mayContain")
for a in A:
    if a is not SCHEMA_VERSION: w("mayContain: %s" % a[1])
# the back links too: a link can only point at an object whose classes allow the matching back link
for b in BL: w("mayContain: %s" % b[1])
w("-\n")
w("# ===== 4. msExchDynamicDistributionList (official governsID/schemaIDGUID) =====")
w("dn: CN=ms-Exch-Dynamic-Distribution-List,%s" % SCHEMA)
w("changetype: add\nobjectClass: top\nobjectClass: classSchema")
w("cn: ms-Exch-Dynamic-Distribution-List")
w("governsID: 1.2.840.113556.1.5.7000.62.12006")
w("# schemaIDGUID {018849b0-a981-11d2-a9ff-00c04f8eedd8}\nschemaIDGUID:: %s" % b64guid("018849b0-a981-11d2-a9ff-00c04f8eedd8"))
w("lDAPDisplayName: msExchDynamicDistributionList")
w("adminDisplayName: ms-Exch-Dynamic-Distribution-List")
w("subClassOf: top\nobjectClassCategory: 1\nrDNAttID: cn")
w("possSuperiors: organizationalUnit\npossSuperiors: container\npossSuperiors: domainDNS")
w("auxiliaryClass: mailRecipient")
for m in ["msExchDynamicDLFilter", "msExchDynamicDLBaseDN", "msExchQueryFilter", "msExchRecipientFilterFlags",
          "managedBy", "mail", "proxyAddresses", "displayName", "mailNickname", "description",
          "reportToOwner", "reportToOriginator", "oOFReplyToOriginator"]:
    w("mayContain: %s" % m)
w("defaultSecurityDescriptor: D:(A;;RPWPCRCCDCLCLORCWOWDSDDTSW;;;DA)(A;;RPWPCRCCDCLCLORCWOWDSDDTSW;;;SY)(A;;RPLCLORC;;;AU)")
w("defaultHidingValue: FALSE\nsystemOnly: FALSE\nshowInAdvancedViewOnly: TRUE")
w("")
update_now("after classes")
print("\n".join(out))
