import assert from "node:assert/strict";
import { load } from "js-yaml";
import { buildWorkflow, renderWorkflow, type ExportedWorkstream, type WorkflowSettings } from "./workflow";

const settings: WorkflowSettings = {
  wspVersion: "9.9.9",
  runsOn: "ubuntu-24.04",
  nodeVersion: "20",
  install: { run: "install-wsp", env: {} },
  pullRequest: true,
};

const workstreams: ExportedWorkstream[] = [
  {
    id: "ws-core",
    dependsOn: [],
    scope: ["src/a.js"],
    timeoutMinutes: 80,
    agent: { cli: "codex", npmPackage: "@openai/codex@0.169.0", keyEnv: "OPENAI_API_KEY" },
  },
  { id: "ws-ui", dependsOn: ["ws-core"], scope: ["src/ui.js"], timeoutMinutes: 30 },
  { id: "ws-docs", dependsOn: [], scope: ["src/a.js", "docs/"], timeoutMinutes: 30 },
];

interface Step {
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}
interface Job {
  needs?: string[];
  if?: string;
  permissions: Record<string, string>;
  steps: Step[];
}

function jobsOf(yaml: string): Record<string, Job> {
  return (load(yaml) as { jobs: Record<string, Job> }).jobs;
}

describe("buildWorkflow", () => {
  const exported = buildWorkflow(workstreams, settings);
  const yaml = renderWorkflow(exported, settings);
  const jobs = jobsOf(yaml);

  it("writes no expression into any run: script and pins every action with its version beside it", () => {
    for (const job of Object.values(jobs))
      for (const step of job.steps) {
        if (step.run !== undefined) assert.ok(!step.run.includes("${{"), step.run);
        if (step.uses !== undefined) assert.match(step.uses, /^actions\/[a-z-]+@[0-9a-f]{40}$/);
      }
    for (const line of yaml.split("\n").filter((text) => text.includes("uses: ")))
      assert.match(line, /@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it("hands the API key to the run step alone", () => {
    const withKey = jobs["ws-core"].steps.filter((step) => step.env?.OPENAI_API_KEY !== undefined);
    assert.equal(withKey.length, 1);
    assert.equal(withKey[0].env!.OPENAI_API_KEY, "${{ secrets.OPENAI_API_KEY }}");
    assert.match(withKey[0].run!, /wsp run/);
  });

  it("orders overlapping jobs without passing failure on, and asks for no more permission than needed", () => {
    assert.deepEqual(jobs["ws-ui"].needs, ["ws-core"]);
    assert.equal(jobs["ws-ui"].if, undefined);
    // ws-docs overlaps ws-core (src/a.js): it waits for it, whatever its result.
    assert.deepEqual(jobs["ws-docs"].needs, ["ws-core"]);
    assert.equal(jobs["ws-docs"].if, "${{ !cancelled() }}");
    assert.deepEqual(jobs["ws-core"].permissions, { contents: "write" });
    assert.deepEqual(jobs.integrate.permissions, { contents: "write", "pull-requests": "write" });
    assert.deepEqual(jobs.integrate.needs?.sort(), ["ws-core", "ws-docs", "ws-ui"]);
    const pushOnly = jobsOf(
      renderWorkflow(buildWorkflow(workstreams, { ...settings, pullRequest: false }), settings),
    );
    assert.deepEqual(pushOnly.integrate.permissions, { contents: "write" });
    assert.ok(!pushOnly.integrate.steps.some((step) => step.run?.includes("gh pr create")));
  });
});
