// LDAP_SERVER_SD_FLAGS_OID: ask only for the DACL part of nTSecurityDescriptor. Without it AD
// returns the whole SD (owner, group, DACL, SACL), which needs SeSecurityPrivilege for the SACL —
// so an ordinary migration account would get no nTSecurityDescriptor at all.
import { BerWriter, Control } from 'ldapts';

const SD_FLAGS_OID = '1.2.840.113556.1.4.801';
const SD_FLAGS = { OWNER: 0x1, GROUP: 0x2, DACL: 0x4, SACL: 0x8 } as const;

export class SdFlagsControl extends Control {
  readonly flags: number;

  constructor(flags: number = SD_FLAGS.DACL) {
    super(SD_FLAGS_OID, { critical: true });
    this.flags = flags;
  }

  protected override writeControl(writer: BerWriter): void {
    const value = new BerWriter();
    value.startSequence();
    value.writeInt(this.flags);
    value.endSequence();
    writer.writeBuffer(value.buffer, 4);
  }
}
