/**
 * Reads `gemini -p --output-format json`: one object with the response and per-model token stats, no
 * cost. On an API error the JSON goes to stderr and the exit code is the HTTP status modulo 256.
 */
import { exitFailure, processFailure } from "./failures";
import { isObject, jsonDocument, jsonLines, numberAt, objectAt, stringAt } from "./jsonOutput";
import { type AgentProcessOutcome, type AgentRunResult } from "./types";

/** Exit codes Gemini CLI gives its own fatal errors (not HTTP statuses). */
const ownExitCodes: Record<number, string> = {
  41: "authentication is not set up (for a base URL, settings must select the gemini-api-key auth type)",
  42: "the input was rejected",
  52: "the configuration is invalid",
  53: "the session turn limit was reached",
  55: "the folder is not trusted (the profile must pass --skip-trust)",
};

/** An HTTP status that `exitCode` may encode (exit = status mod 256, 4xx/5xx only). */
function httpStatusOf(exitCode: number | null): number | undefined {
  if (exitCode === null || exitCode < 144 || exitCode > 255) return undefined;
  return exitCode + 256;
}

export function parseGemini(outcome: AgentProcessOutcome): AgentRunResult {
  const document = jsonDocument(outcome.stdout);
  const output = isObject(document) ? document : {};
  const models = objectAt(objectAt(output.stats).models);
  const tokens = { input: 0, output: 0, cached: 0 };
  for (const stats of Object.values(models)) {
    const counts = objectAt(objectAt(stats).tokens);
    tokens.input += numberAt(counts.prompt);
    tokens.output += numberAt(counts.candidates) + numberAt(counts.thoughts);
    tokens.cached += numberAt(counts.cached);
  }
  const modelNames = Object.keys(models);
  const reported = {
    finalMessage: stringAt(output.response),
    tokens,
    costIsEstimate: false,
    ...(modelNames.length > 0 ? { model: modelNames.join(", ") } : {}),
  };
  const errorObject = [output, ...jsonLines(outcome.stderr)].map((entry) => entry.error).find(isObject);
  const status = typeof errorObject?.code === "number" ? errorObject.code : httpStatusOf(outcome.exitCode);
  const message = stringAt(errorObject?.message);
  const reason =
    processFailure(outcome) ??
    (outcome.exitCode !== 0 && status !== undefined && status >= 400
      ? `gemini failed: model API answered HTTP ${status}${message === "" ? "" : `: ${message}`}`
      : undefined) ??
    (outcome.exitCode !== 0 && outcome.exitCode !== null && ownExitCodes[outcome.exitCode] !== undefined
      ? `gemini exited with code ${outcome.exitCode}: ${ownExitCodes[outcome.exitCode]}`
      : undefined) ??
    (outcome.exitCode !== 0 ? exitFailure("gemini", outcome) : undefined) ??
    (errorObject !== undefined ? `gemini reported an error: ${message}` : undefined);
  return reason === undefined ? { success: true, ...reported } : { success: false, reason, ...reported };
}
