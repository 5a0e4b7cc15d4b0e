// Cmdlet failures as Exchange Online returns them over InvokeCommand: an OData error whose
// details[0].message is "ErrorId|ExceptionType|Message" (docs/reference-behaviour.md#errors).

export class CmdletError extends Error {
  constructor(
    readonly errorId: string,
    readonly exceptionType: string,
    message: string,
    /** HTTP status of the InvokeCommand response. */
    readonly status: number,
    /** OData error.code: "NotFound", "BadRequest", "Forbidden", … */
    readonly code: string,
  ) {
    super(message);
  }

  get detail(): string {
    return `${this.errorId}|${this.exceptionType}|${this.message}`;
  }
}

/** The datacenter name EXO puts into its not-found messages. */
const domainControllerName = 'NAMPR01A001DC01.NAMPR01A001.PROD.OUTLOOK.COM';

const T = {
  notFound: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
  ambiguous: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException',
  proxyExists: 'Microsoft.Exchange.Data.Directory.ProxyAddressExistsException',
  recipientTask: 'Microsoft.Exchange.Management.Tasks.RecipientTaskException',
  invalidOperation: 'System.InvalidOperationException',
  memberExists: 'Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException',
  memberNotFound: 'Microsoft.Exchange.Management.Tasks.MemberNotFoundException',
  parameterBinding: 'System.Management.Automation.ParameterBindingException',
  validation: 'System.Management.Automation.ParameterBindingValidationException',
  commandNotFound: 'System.Management.Automation.CommandNotFoundException',
  alreadyExists: 'Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException',
  dataValidation: 'Microsoft.Exchange.Data.DataValidationException',
  folderUserExists: 'Microsoft.Exchange.Management.StoreTasks.UserAlreadyExistsInPermissionEntryException',
  folderUserMissing: 'Microsoft.Exchange.Management.StoreTasks.UserNotFoundInPermissionEntryException',
} as const;

// Error ids: the two not-found/ambiguous ids are the ones seen in captured traffic; the others are
// fixed per error kind here (real ids are opaque hashes; clients must classify on the exception type).
export const cmdletErrors = {
  notFound: (identity: string) =>
    new CmdletError(
      'Ex6F9304',
      T.notFound,
      `The operation couldn't be performed because object '${identity}' couldn't be found on '${domainControllerName}'.`,
      404,
      'NotFound',
    ),
  recipientNotFound: (identity: string) =>
    new CmdletError(
      'Ex94914C',
      T.notFound,
      `Couldn't find object "${identity}". Please make sure that it was spelled correctly or specify a different object.`,
      404,
      'NotFound',
    ),
  ambiguous: (identity: string) =>
    new CmdletError(
      'Ex9E65A2',
      T.ambiguous,
      `The operation couldn't be performed because '${identity}' matches multiple entries.`,
      400,
      'BadRequest',
    ),
  proxyExists: (address: string, holderPath: string) =>
    new CmdletError(
      'Ex1A3C7F',
      T.proxyExists,
      `The proxy address "${address}" is already being used by the proxy addresses or LegacyExchangeDN of "${holderPath}". Please choose another proxy address.`,
      400,
      'BadRequest',
    ),
  dirSynced: (cmdlet: string, parameter: string, name: string) =>
    new CmdletError(
      'Ex5D8B21',
      T.invalidOperation,
      `The operation on mailbox "${name}" failed because it's out of the current user's write scope. The action '${cmdlet}', '${parameter}', can't be performed on the object '${name}' because the object is being synchronized from your on-premises organization. This action should be performed on the object in your on-premises organization.`,
      400,
      'BadRequest',
    ),
  unknownParameter: (parameter: string) =>
    new CmdletError(
      'NamedParameterNotFound',
      T.parameterBinding,
      `A parameter cannot be found that matches parameter name '${parameter}'.`,
      400,
      'BadRequest',
    ),
  missingParameter: (cmdlet: string, parameter: string) =>
    new CmdletError(
      'MissingMandatoryParameter',
      T.parameterBinding,
      `Cannot process command because of one or more missing mandatory parameters: ${parameter}. (${cmdlet})`,
      400,
      'BadRequest',
    ),
  invalidArgument: (parameter: string, reason: string) =>
    new CmdletError(
      'ParameterArgumentTransformationError',
      T.parameterBinding,
      `Cannot bind parameter '${parameter}'. ${reason}`,
      400,
      'BadRequest',
    ),
  tooLong: (parameter: string, max: number) =>
    new CmdletError(
      'ParameterArgumentValidationError',
      T.validation,
      `Cannot validate argument on parameter '${parameter}'. The length of the argument is too long. Shorten the length of the argument to less than or equal to "${max}" and then try the command again.`,
      400,
      'BadRequest',
    ),
  tooManyValues: (parameter: string, max: number) =>
    new CmdletError(
      'Ex3B6E90',
      T.recipientTask,
      `You can't specify more than ${max} values for the ${parameter} parameter in a single command. Split the list and run the command again, or use Add-DistributionGroupMember for the rest.`,
      400,
      'BadRequest',
    ),
  conflictingParameters: (a: string, b: string) =>
    new CmdletError(
      'Ex7C2D45',
      T.recipientTask,
      `The parameters "${a}" and "${b}" can't be used at the same time.`,
      400,
      'BadRequest',
    ),
  notSecurityPrincipal: (name: string, parameter: string) =>
    new CmdletError(
      'Ex2F4A18',
      T.recipientTask,
      `The recipient "${name}" can't be used in ${parameter} because it isn't a security principal. Only mailboxes, mail users and mail-enabled security groups can be specified.`,
      400,
      'BadRequest',
    ),
  notGroupManager: () =>
    new CmdletError(
      'Ex8E1B0C',
      T.recipientTask,
      "You don't have sufficient permissions. This operation can only be performed by a manager of the group.",
      403,
      'Forbidden',
    ),
  memberExists: (member: string, group: string) =>
    new CmdletError(
      'Ex6B2D4F',
      T.memberExists,
      `The recipient "${member}" is already a member of the group "${group}".`,
      400,
      'BadRequest',
    ),
  memberNotFound: (member: string, group: string) =>
    new CmdletError(
      'Ex4C9E71',
      T.memberNotFound,
      `The recipient "${member}" isn't a member of the group "${group}".`,
      400,
      'BadRequest',
    ),
  nameExists: (name: string) =>
    new CmdletError(
      'Ex0D5F83',
      T.alreadyExists,
      `The name "${name}" is already being used. Please try another name.`,
      400,
      'BadRequest',
    ),
  folderUserExists: (user: string) =>
    new CmdletError(
      'Ex6A1B52',
      T.folderUserExists,
      `An existing permission entry was found for user: ${user}.`,
      400,
      'BadRequest',
    ),
  folderUserMissing: (user: string) =>
    new CmdletError(
      'Ex6A1B53',
      T.folderUserMissing,
      `There is no existing permission entry found for user: ${user}.`,
      400,
      'BadRequest',
    ),
  invalidValue: (parameter: string, message: string) =>
    new CmdletError('Ex9A7C10', T.dataValidation, `${parameter}: ${message}`, 400, 'BadRequest'),
  emptyArgument: (parameter: string) =>
    new CmdletError(
      'ParameterArgumentValidationError',
      T.validation,
      `Cannot validate argument on parameter '${parameter}'. The argument is null, empty, or an element of the argument collection contains a null value. Supply a collection that does not contain any null values and then try the command again.`,
      400,
      'BadRequest',
    ),
  wrongRecipientKind: (name: string, parameter: string, allowed: string) =>
    new CmdletError(
      'Ex2F4A18',
      T.recipientTask,
      `The recipient "${name}" can't be used in ${parameter}. Only ${allowed} can be specified.`,
      400,
      'BadRequest',
    ),
  ownerRequired: () =>
    new CmdletError('Ex5E0A62', T.recipientTask, 'A group must have at least one owner.', 400, 'BadRequest'),
  commandNotFound: (cmdlet: string) =>
    new CmdletError(
      'CommandNotFoundException',
      T.commandNotFound,
      `The term '${cmdlet}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
      400,
      'BadRequest',
    ),
  wrongRecipientType: (identity: string, cmdlet: string) =>
    new CmdletError(
      'Ex6F9304',
      T.notFound,
      `The operation couldn't be performed because object '${identity}' couldn't be found on '${domainControllerName}'. (${cmdlet} works on a different recipient type.)`,
      404,
      'NotFound',
    ),
};

/** Renders the InvokeCommand error body for a cmdlet failure. */
export function cmdletErrorBody(err: CmdletError): unknown {
  return {
    error: {
      code: err.code,
      message: 'Error executing cmdlet',
      details: [{ code: 'Client', target: '', message: err.detail }],
      innererror: {
        message: 'Error executing cmdlet',
        type: 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException',
        internalexception: { message: err.message },
      },
    },
  };
}

/** Exchange refuses a name another object of the kind already has, whatever its case (New-* and a rename by Set-*). */
export function refuseTakenName(named: readonly { readonly Name: string }[], name: string): void {
  if (named.some((o) => o.Name.toLowerCase() === name.toLowerCase())) throw cmdletErrors.nameExists(name);
}
