/**
 * The `wsp` entry point: the only place that calls process.exit. Usage errors exit 2, a
 * UserError prints its message only, and anything unexpected prints its stack.
 */
import { CommanderError } from "commander";
import { buildProgram } from "./cli";
import { processIO } from "./io";
import { ExitError, InternalError, UserError } from "../core/errors";

async function main(argv: string[]): Promise<number> {
  const io = processIO();
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0 through here; real usage errors are configuration errors.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof ExitError) return error.exitCode;
    if (error instanceof UserError) {
      io.err(`wsp: ${error.message}\n`);
      return error.exitCode;
    }
    const internal =
      error instanceof InternalError ? error : new InternalError(String(error), { cause: error });
    io.err(
      `wsp: internal error: ${error instanceof Error ? (error.stack ?? error.message) : internal.message}\n`,
    );
    io.err("This is a bug in Workstream Pipeline; please report it with the command you ran.\n");
    return 70;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`wsp: fatal: ${String(error)}\n`);
    process.exitCode = 70;
  },
);
