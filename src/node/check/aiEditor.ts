/**
 * Runs an AI editor for the error pipeline from the workspace's tool profile
 * (`config/tool_profiles.json`, or `$PIPELINE_TOOL_PROFILES_PATH`): its command and args with
 * {prompt}, {prompt_file}, {model_name} and {cwd} filled in, no shell. Success is exit code 0.
 * Deliberately small: the orchestrator's own profile runner can be passed in its place.
 */
import { existsSync } from "node:fs";
import { readConfigText } from "../files/configText";
import path from "node:path";
import { messageOf } from "../../core/errors";
import { isRecord } from "../../core/check/parsers/common";
import { writeFileAtomic } from "../files/atomicFile";
import { runCommandSpec } from "../process/toolProcess";

export interface AiEditorRequest {
  toolId: string;
  /** The tool profile id (the registry's `profile`, usually the tool id). */
  profile: string;
  prompt: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where to write the prompt for profiles that read a file. */
  promptFile: string;
}

export interface AiEditorResult {
  success: boolean;
  exitCode?: number;
  message?: string;
}

/** The port the error pipeline invokes AI editors through. */
export type AiEditor = (request: AiEditorRequest) => Promise<AiEditorResult>;

interface Profile {
  command: string;
  args: string[];
  env: Record<string, string>;
  defaults: Record<string, string>;
  timeoutSec: number;
}

export const profileEditor: AiEditor = async (request) => {
  const profile = readProfile(request.cwd, request.env, request.profile);
  if (typeof profile === "string") return { success: false, message: profile };
  writeFileAtomic(request.promptFile, request.prompt, { durable: false });
  const values: Record<string, string> = {
    ...profile.defaults,
    prompt: request.prompt,
    prompt_file: request.promptFile,
    cwd: request.cwd,
  };
  const unknown = new Set<string>();
  const fill = (text: string) =>
    text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      if (name in values) return values[name];
      unknown.add(name);
      return whole;
    });
  const args = profile.args.map(fill);
  if (unknown.size > 0) {
    return {
      success: false,
      message: `profile ${request.profile} needs ${[...unknown].map((name) => `{${name}}`).join(", ")}`,
    };
  }
  const run = await runCommandSpec(
    { command: fill(profile.command), args },
    request.cwd,
    { ...request.env, ...profile.env },
    profile.timeoutSec * 1000,
  );
  if (run.notFound) return { success: false, message: `${profile.command} is not installed` };
  if (run.timedOut) return { success: false, message: `timed out after ${profile.timeoutSec} s` };
  const tail = (run.stderr || run.stdout).trim().split(/\r?\n/).slice(-3).join(" | ");
  return {
    success: run.exitCode === 0,
    exitCode: run.exitCode,
    ...(run.exitCode === 0 ? {} : { message: `exit code ${run.exitCode}${tail ? `: ${tail}` : ""}` }),
  };
};

function readProfile(cwd: string, env: NodeJS.ProcessEnv, id: string): Profile | string {
  const file = env.PIPELINE_TOOL_PROFILES_PATH
    ? path.resolve(cwd, env.PIPELINE_TOOL_PROFILES_PATH)
    : path.join(cwd, "config", "tool_profiles.json");
  if (!existsSync(file)) return `no tool profiles at ${file}`;
  let data: unknown;
  try {
    data = JSON.parse(readConfigText(file));
  } catch (error) {
    return `${file}: not valid JSON: ${messageOf(error)}`;
  }
  const raw = isRecord(data) ? data[id] : undefined;
  if (!isRecord(raw) || typeof raw.command !== "string")
    return `${file} has no profile "${id}" with a command`;
  const strings = (value: unknown): Record<string, string> =>
    isRecord(value)
      ? Object.fromEntries(
          Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
        )
      : {};
  return {
    command: raw.command,
    args: Array.isArray(raw.args) ? raw.args.filter((arg): arg is string => typeof arg === "string") : [],
    env: strings(raw.env),
    defaults: strings(raw.defaults),
    timeoutSec: typeof raw.timeout_sec === "number" ? raw.timeout_sec : 1800,
  };
}
