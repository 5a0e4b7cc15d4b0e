// Every cmdlet the simulated gateway knows, by lower-case name.
import type { CmdletDefinition } from '../cmdlet.js';
import { addressListCmdlets } from './address-lists.js';
import { calendarProcessingCmdlets } from './calendar-processing.js';
import { groupCmdlets } from './groups.js';
import { journalRuleCmdlets } from './journal-rules.js';
import { folderPermissionCmdlets } from './folder-permissions.js';
import { permissionCmdlets } from './permissions.js';
import { readCmdlets } from './read.js';
import { recipientCmdlets } from './recipients.js';
import { transportRuleCmdlets } from './transport-rules.js';

export const allCmdlets: CmdletDefinition[] = [
  ...readCmdlets,
  ...groupCmdlets,
  ...recipientCmdlets,
  ...permissionCmdlets,
  ...folderPermissionCmdlets,
  ...transportRuleCmdlets,
  ...journalRuleCmdlets,
  ...calendarProcessingCmdlets,
  ...addressListCmdlets,
];

export const cmdletRegistry = new Map(allCmdlets.map((c) => [c.name.toLowerCase(), c]));
