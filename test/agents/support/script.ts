/**
 * The JSON script a scripted model server answers from. A scenario is a list of steps; every request
 * that offers tools consumes the next step, tool-less side requests (titles, routing, probes) do not.
 */

/** One tool call. A string `input` is a freeform tool (Codex `apply_patch`), an object a JSON-argument call. */
export interface ScriptedToolCall {
  name: string;
  input: string | Record<string, unknown>;
}

/** What the model answers to one tool-bearing request. */
export type ScriptStep =
  | { kind: "tools"; calls: ScriptedToolCall[] }
  | { kind: "text"; text: string }
  /** Never answers: the request stays open until the client gives up or the server closes. */
  | { kind: "stall" }
  | { kind: "http_error"; status: number; message: string };

/** Token counts the server reports on every answer, so parsers have real numbers to read. */
export interface ScriptedUsage {
  input: number;
  output: number;
  cached: number;
}

export interface ModelScript {
  steps: ScriptStep[];
  /** Answer once the steps run out (a model that keeps being asked just says it is done). */
  afterLast?: ScriptStep;
  usage?: ScriptedUsage;
}

export const defaultUsage: ScriptedUsage = { input: 1200, output: 80, cached: 200 };
