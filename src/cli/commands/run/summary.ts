/** The one summary at the end of a run, on stderr. */
import { type ExecuteResult } from "../../../node/orchestrator/executor";
import { type CommandIO } from "../../io";

export function printSummary(result: ExecuteResult, io: CommandIO): void {
  const width = Math.max(8, ...result.workstreams.map((w) => w.ws_id.length));
  io.err(`\nrun ${result.run_id}: ${result.final_status}\n`);
  for (const ws of result.workstreams) {
    const failedStep = [...ws.steps].reverse().find((step) => !step.success);
    const why = ws.final_status === "done" ? "" : (ws.reason ?? failedStep?.error_message ?? "");
    io.err(
      `  ${ws.ws_id.padEnd(width)}  ${ws.final_status.padEnd(9)}${why ? `  ${why.split("\n")[0]}` : ""}\n`,
    );
  }
}
