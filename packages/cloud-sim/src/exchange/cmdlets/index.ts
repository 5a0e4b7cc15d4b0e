// Every cmdlet the simulated gateway knows, by lower-case name.
import type { CmdletDefinition } from '../cmdlet.js';
import { groupCmdlets } from './groups.js';
import { permissionCmdlets } from './permissions.js';
import { readCmdlets } from './read.js';
import { recipientCmdlets } from './recipients.js';

export const allCmdlets: CmdletDefinition[] = [
  ...readCmdlets,
  ...groupCmdlets,
  ...recipientCmdlets,
  ...permissionCmdlets,
];

export const cmdletRegistry = new Map(allCmdlets.map((c) => [c.name.toLowerCase(), c]));
