import { parseToolVersion } from "../../core/aim/registry";
import { type AiToolRegistry, type DetectedTool } from "../../core/aim/types";
import { runCommandSpec } from "../process/toolProcess";

/**
 * Generous: the Node-bundled CLIs (Gemini CLI, Qwen Code) load ~100 MB of JavaScript just to print a
 * version, 5-9 s when five probes share a busy 2-core machine, and a missed detection reroutes silently.
 */
const DETECT_TIMEOUT_MS = 30_000;

/** Runs every tool's detect command (exit 0 = installed) and, for installed ones, its version command. */
export async function detectTools(
  registry: AiToolRegistry,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<DetectedTool[]> {
  return Promise.all(
    registry.tools.map(async (tool): Promise<DetectedTool> => {
      const probe = await runCommandSpec(tool.detect, cwd, env, DETECT_TIMEOUT_MS);
      if (probe.notFound || probe.timedOut || probe.exitCode !== 0) return { id: tool.id, installed: false };
      const sameCommand =
        tool.version.command === tool.detect.command &&
        tool.version.args.join("\0") === tool.detect.args.join("\0");
      const output = sameCommand ? probe : await runCommandSpec(tool.version, cwd, env, DETECT_TIMEOUT_MS);
      const text = `${output.stdout}\n${output.stderr}`;
      const version = parseToolVersion(text, tool.version.pattern);
      const rawVersion = text.trim().split(/\r?\n/)[0]?.trim();
      return {
        id: tool.id,
        installed: true,
        ...(version ? { version } : {}),
        ...(rawVersion ? { rawVersion } : {}),
      };
    }),
  );
}
