/**
 * Runs the scripted model server by hand: `npx tsx test/agents/support/main.ts <script.json>` prints
 * `LISTENING <port>` and, on Ctrl-C, the request log as JSON on stderr.
 */
import { readFileSync } from "node:fs";
import { startModelServer } from "./modelServer";
import { type ModelScript } from "./script";

const scriptPath = process.argv[2];
if (scriptPath === undefined) {
  process.stderr.write("usage: main.ts <script.json>\n");
  process.exit(2);
}
const server = await startModelServer(JSON.parse(readFileSync(scriptPath, "utf8")) as ModelScript);
process.stdout.write(`LISTENING ${server.port}\n`);
process.on("SIGINT", () => {
  process.stderr.write(JSON.stringify(server.requests, null, 2) + "\n");
  void server.close().then(() => process.exit(0));
});
