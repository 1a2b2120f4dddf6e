/**
 * The three kinds of failure the CLI and the extension distinguish. Import these; never redeclare
 * them, or `instanceof` stops matching across modules.
 */

/** A problem the user can fix: print the message only, no stack. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = "UserError";
  }
}

/** Ends the CLI quietly with a given code; whatever needed saying was already printed. */
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = "ExitError";
  }
}

/** A bug in Workstream Pipeline itself: print the stack and where to report it. */
export class InternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InternalError";
  }
}

/** The message of any thrown value, for logs and diagnostics. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
