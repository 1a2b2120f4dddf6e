import { type Logger } from "../../../core/logger";
import { type CommandIO } from "../../io";

/** A logger that writes info and above to the command's stderr; debug only with WSP_DEBUG set. */
export function stderrLogger(io: CommandIO): Logger {
  return {
    debug: (message) => {
      if (io.env.WSP_DEBUG) io.err(`${message}\n`);
    },
    info: (message) => io.err(`${message}\n`),
    warn: (message) => io.err(`warning: ${message}\n`),
    error: (message) => io.err(`error: ${message}\n`),
  };
}
