import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { runProcess } from "../../src/node/process/runProcess";
import { processTree, runTagVariable } from "../../src/node/process/processTree";
import { runCommandSpec } from "../../src/node/process/toolProcess";

/** Running and not a zombie (a killed orphan may wait for a reaper that this container lacks). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

describe("process runner @slow", () => {
  it("runs without a shell and captures output and exit code", async () => {
    const result = await runProcess(
      process.execPath,
      ["-e", "console.log(process.argv[1]); process.exit(3)", "a; echo $HOME"],
      { cwd: process.cwd(), env: process.env },
    );
    assert.equal(result.exitCode, 3);
    assert.equal(result.stdout.trim(), "a; echo $HOME");
  });

  it("kills the whole process tree on timeout", async () => {
    const script =
      "const c=require('child_process').spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'ignore'});console.log(c.pid);setInterval(()=>{},1000)";
    const result = await runProcess(process.execPath, ["-e", script], {
      cwd: process.cwd(),
      env: process.env,
      timeoutSec: 2,
      killGraceSec: 0.2,
    });
    assert.equal(result.timedOut, true);
    const grandchild = Number(result.stdout.trim());
    assert.ok(grandchild > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(alive(grandchild), false, "grandchild survived");
  });

  it("stops on cancel and streams live output", async () => {
    const controller = new AbortController();
    const chunks: string[] = [];
    const pending = runProcess(process.execPath, ["-e", "console.log('started'); setInterval(()=>{},1000)"], {
      cwd: process.cwd(),
      env: process.env,
      signal: controller.signal,
      onOutput: (_stream, chunk) => {
        chunks.push(chunk);
        controller.abort();
      },
    });
    const result = await pending;
    assert.equal(result.cancelled, true);
    assert.match(chunks.join(""), /started/);
  });

  it("keeps head and tail of huge output", async () => {
    const result = await runProcess(
      process.execPath,
      ["-e", "console.log('HEAD'); for (let i=0;i<20000;i++) console.log('line '+i); console.log('TAIL')"],
      {
        cwd: process.cwd(),
        env: process.env,
        headChars: 100,
        tailChars: 100,
      },
    );
    assert.ok(result.stdout.startsWith("HEAD"));
    assert.match(result.stdout, /characters omitted/);
    assert.ok(result.stdout.trim().endsWith("TAIL"));
    assert.ok(result.stdout.length < 400);
  });

  it("reports a missing executable", async () => {
    const result = await runProcess("definitely-not-a-tool-xyz", [], {
      cwd: process.cwd(),
      env: process.env,
    });
    assert.equal(result.exitCode, null);
    assert.ok(result.spawnError);
  });

  it("tags every process of a tagged run and kills tagged survivors once it exits", async () => {
    // The grandchild leaves the group (a new session, as agent CLIs' helpers do) and outlives its parent.
    const script =
      "const c=require('child_process').spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'ignore',detached:true});" +
      `console.log(c.pid+' '+process.env.${runTagVariable});c.unref()`;
    const result = await runProcess(process.execPath, ["-e", script], {
      cwd: process.cwd(),
      env: process.env,
      runTag: "tag-under-test",
    });
    const [survivor, tag] = result.stdout.trim().split(" ");
    assert.equal(tag, "tag-under-test");
    assert.equal(alive(Number(survivor)), false, "a tagged helper outlived the run");
    assert.deepEqual(processTree(undefined, "tag-under-test"), []);
  });
});

describe("tool commands (wsp check's tools) @slow", () => {
  it("keeps the whole output, and reports a missing tool as not found with no output", async () => {
    const long = await runCommandSpec(
      { command: process.execPath, args: ["-e", "process.stdout.write('x'.repeat(300000))"] },
      process.cwd(),
      process.env,
    );
    assert.equal(long.stdout.length, 300_000);
    assert.equal(long.exitCode, 0);
    const missing = await runCommandSpec(
      { command: "definitely-not-a-tool-xyz", args: [] },
      process.cwd(),
      process.env,
    );
    assert.deepEqual(missing, { stdout: "", stderr: "", exitCode: -1, notFound: true, timedOut: false });
  });

  it("stays in wsp's process group and is killed alone on timeout", async () => {
    const run = await runCommandSpec(
      {
        command: process.execPath,
        args: [
          "-e",
          "console.log(process.pid, require('fs').readFileSync('/proc/self/stat','utf8').split(') ')[1].split(' ')[2]); setInterval(()=>{},1000)",
        ],
      },
      process.cwd(),
      process.env,
      1000,
    );
    assert.equal(run.timedOut, true);
    assert.equal(run.exitCode, -1);
    const [pid, group] = run.stdout.trim().split(" ").map(Number);
    assert.notEqual(pid, group, "the tool led a group of its own");
    assert.equal(alive(pid), false);
  });
});
