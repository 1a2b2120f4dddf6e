import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { processRunning } from "../../src/node/process/processAlive";
import {
  descendantsOf,
  killProcessTree,
  processTree,
  runTagVariable,
  stopProcessGroup,
} from "../../src/node/process/processTree";

/** A node process that starts one child and prints the child's pid; both run until killed. */
function startParentAndChild(env: NodeJS.ProcessEnv = process.env) {
  const script =
    "const c=require('child_process').spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'ignore'});console.log(c.pid);setInterval(()=>{},1000)";
  const parent = spawn(process.execPath, ["-e", script], {
    detached: true,
    stdio: ["ignore", "pipe", "ignore"],
    env,
  });
  const grandchild = new Promise<number>((resolve) =>
    parent.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
  );
  return { parent, grandchild };
}

describe("process trees @slow", () => {
  it("finds a root's descendants and a tagged run's processes, and kills them all", async () => {
    const { parent, grandchild } = startParentAndChild({ ...process.env, [runTagVariable]: "tree-test" });
    const child = await grandchild;
    assert.deepEqual(descendantsOf(parent.pid!), [child]);
    assert.deepEqual(processTree(parent.pid, "none").sort(), [parent.pid, child].sort());
    assert.deepEqual(processTree(undefined, "tree-test").sort(), [parent.pid, child].sort());
    await killProcessTree(parent.pid, "tree-test", 200);
    assert.deepEqual(processTree(undefined, "tree-test"), []);
    assert.equal(processRunning(child), false);
  });

  it("stops a group leader and the descendants it leaves behind", async () => {
    const { parent, grandchild } = startParentAndChild();
    const child = await grandchild;
    assert.equal(await stopProcessGroup(parent.pid!, 200), true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual([parent.pid!, child].filter(processRunning), []);
  });
});
