// A Microsoft Graph error answer: {"error":{"code","message","innerError":{…}}} (Microsoft Graph error responses,
// microsoft-graph-docs-contrib concepts/errors.md), optionally with headers (Retry-After, Location).

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Extra members of innerError (the throttling answer carries code/status/message there). */
    readonly innerError: Record<string, string> = {},
  ) {
    super(message);
  }
}
