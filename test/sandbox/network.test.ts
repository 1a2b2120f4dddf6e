/**
 * `network: none` cuts a workstream's checks off the host's network, while the edit tool keeps its
 * profile's; the default keeps the host's network (agents must reach their model). An acceptance test
 * that connects to a server of this test on 127.0.0.1 tells which network it had.
 */
import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:net";
import { run } from "../../src/cli/commands/run";
import { bundle, createWorkspace, type Workspace } from "../orchestrator/support";

function connectTest(port: number): string {
  return `node -e "require('net').connect(${port}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(3))"`;
}

describe("the sandbox's network @slow", function () {
  this.timeout(60_000);
  let server: Server;
  let port: number;
  let ws: Workspace | undefined;

  before(async function () {
    if (process.platform !== "linux") this.skip();
    server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  after(() => server?.close());
  afterEach(() => ws?.remove());

  for (const [network, expected] of [
    [undefined, "done"],
    ["none", "failed"],
  ] as const)
    it(`${network === undefined ? "keeps the host's network by default" : "cuts it with network: none"}`, async () => {
      ws = createWorkspace(
        [
          bundle("ws-net", {
            acceptance_tests: [connectTest(port)],
            circuit_breaker: { max_fix_attempts: 0 },
            ...(network !== undefined ? { network } : {}),
          }),
        ],
        {},
        { STANDIN_SCENARIO: "succeed", PIPELINE_SANDBOX: "required" },
      );
      const io = ws.io();
      await run("ws-net", { runId: "r-net" }, io);
      const output = JSON.parse(io.stdout) as {
        final_status: string;
        steps: { step_name: string; success: boolean }[];
      };
      assert.equal(output.final_status, expected, io.stderr);
      assert.equal(output.steps[0]?.step_name, "edit");
      assert.equal(output.steps[0]?.success, true, "the edit tool ran either way");
    });
});
