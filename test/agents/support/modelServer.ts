/**
 * A scripted model server for the real agent CLIs: one HTTP server on 127.0.0.1 (port 0) that speaks
 * OpenAI Responses (Codex), Anthropic Messages (Claude Code), Gemini generateContent (Gemini CLI) and
 * OpenAI Chat Completions (Qwen Code, opencode). Tool-bearing requests advance the script; side
 * requests get a canned answer. Every request is logged for assertions.
 *
 * One server serves a whole test file: `setScript` replaces the script between tests. Several CLIs can
 * talk to it at once, each on a channel of its own: a base URL under `/s/<channel>` answers from that
 * channel's script with its own step counter (a DAG run with a different CLI per workstream).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo, type Socket } from "node:net";
import { type Answer, answerError, answerGeminiJson, streamAnswer, type WireProtocol } from "./protocols";
import { defaultUsage, type ModelScript, type ScriptStep } from "./script";
import { writeJson } from "./sse";

export interface LoggedRequest {
  method: string;
  path: string;
  /** The channel (`/s/<channel>/...`), or undefined for the default script. */
  channel?: string;
  protocol?: WireProtocol;
  /** Whether the request offered tools, i.e. was a main agent turn that consumed a script step. */
  withTools: boolean;
  /** Index of the script step answered (undefined for side requests and probes). */
  step?: number;
  /** What was answered: "tools", "text", "stall", "http_error", "side" or "probe". */
  answered: string;
  body: unknown;
}

export interface ModelServer {
  port: number;
  /** `http://127.0.0.1:<port>`; each CLI adds its own API prefix. */
  origin: string;
  /** Requests since the last `setScript` of the default script. */
  requests: LoggedRequest[];
  /** Requests that consumed script steps (of `channel`, else of the default script). */
  mainRequests(channel?: string): LoggedRequest[];
  /** Answers from `script` from now on: the default script (clearing the log), or a channel's. */
  setScript(script: ModelScript, channel?: string): void;
  /** `origin` plus the channel prefix: the base URL root for a CLI on `channel`. */
  channelOrigin(channel: string): string;
  close(): Promise<void>;
}

const sideAnswerText = "Scripted side answer.";

interface Route {
  protocol: WireProtocol;
  streaming: boolean;
  model: string;
}

function routeOf(method: string, path: string): Route | undefined {
  if (method !== "POST") return undefined;
  if (/\/v1\/responses$/.test(path)) return { protocol: "responses", streaming: true, model: "scripted" };
  if (/\/v1\/messages$/.test(path)) return { protocol: "messages", streaming: true, model: "scripted" };
  if (/\/v1\/chat\/completions$/.test(path)) return { protocol: "chat", streaming: true, model: "scripted" };
  const gemini = /\/v1beta\/models\/([^/:]+):(streamGenerateContent|generateContent)$/.exec(path);
  if (gemini)
    return { protocol: "gemini", streaming: gemini[2] === "streamGenerateContent", model: gemini[1] ?? "" };
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function offersTools(protocol: WireProtocol, body: unknown): boolean {
  if (!isRecord(body) || !Array.isArray(body.tools)) return false;
  if (protocol !== "gemini") return body.tools.length > 0;
  return body.tools.some(
    (tool) =>
      isRecord(tool) && Array.isArray(tool.functionDeclarations) && tool.functionDeclarations.length > 0,
  );
}

/** Schema-valid JSON for structured side calls (Gemini's model-routing classifier asks for one). */
function fabricate(schema: unknown): unknown {
  if (!isRecord(schema)) return sideAnswerText;
  const type = typeof schema.type === "string" ? schema.type.toLowerCase() : "";
  if (type === "object" || isRecord(schema.properties)) {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, fabricate(value)]));
  }
  if (type === "array") return [];
  if (type === "integer" || type === "number")
    return typeof schema.minimum === "number" ? Math.max(schema.minimum, 10) : 10;
  if (type === "boolean") return false;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  return "simple";
}

function sideAnswer(body: unknown): Answer {
  const config = isRecord(body) && isRecord(body.generationConfig) ? body.generationConfig : undefined;
  const schema = config?.responseJsonSchema ?? config?.responseSchema;
  return { kind: "text", text: schema === undefined ? sideAnswerText : JSON.stringify(fabricate(schema)) };
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

interface Channel {
  script: ModelScript;
  nextStep: number;
}

/** Starts a server answering `script` (an empty one when omitted); resolves once it listens. */
export async function startModelServer(script: ModelScript = { steps: [] }): Promise<ModelServer> {
  const requests: LoggedRequest[] = [];
  const sockets = new Set<Socket>();
  const channels = new Map<string, Channel>([["", { script, nextStep: 0 }]]);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? "GET";
    const fullPath = (request.url ?? "/").split("?")[0] ?? "/";
    const prefixed = /^\/s\/([^/]+)(\/.*)?$/.exec(fullPath);
    const channelName = prefixed?.[1];
    const path = prefixed ? (prefixed[2] ?? "/") : fullPath;
    const channel = channels.get(channelName ?? "");
    const body = await readBody(request);
    if (channel === undefined) {
      requests.push({ method, path: fullPath, withTools: false, answered: "probe", body });
      writeJson(response, 404, { error: { message: `no script for channel ${channelName ?? ""}` } });
      return;
    }
    const { script } = channel;
    const usage = script.usage ?? defaultUsage;
    const log = (entry: Omit<LoggedRequest, "method" | "path" | "channel">): void => {
      requests.push({
        method,
        path,
        ...(channelName !== undefined ? { channel: channelName } : {}),
        ...entry,
      });
    };
    const route = routeOf(method, path);
    if (route === undefined) {
      // Connectivity probes (claude's HEAD /) and anything unknown: a plain 404 is what a real API says.
      log({ withTools: false, answered: "probe", body });
      writeJson(response, 404, { error: { message: `no route ${method} ${path}` } });
      return;
    }
    const withTools = offersTools(route.protocol, body);
    if (!withTools) {
      log({ protocol: route.protocol, withTools, answered: "side", body });
      const answer = sideAnswer(body);
      if (route.streaming) streamAnswer(route.protocol, response, answer, usage, route.model);
      else answerGeminiJson(response, answer, usage, route.model);
      return;
    }
    const index = channel.nextStep++;
    const step: ScriptStep | undefined = script.steps[index] ?? script.afterLast ?? script.steps.at(-1);
    if (step === undefined) throw new Error("the script has no steps");
    log({ protocol: route.protocol, withTools, step: index, answered: step.kind, body });
    switch (step.kind) {
      case "stall":
        return; // left open on purpose: the CLI must be stopped by its caller's timeout
      case "http_error":
        return answerError(route.protocol, response, step.status, step.message);
      case "tools":
      case "text":
        if (route.streaming) return streamAnswer(route.protocol, response, step, usage, route.model);
        return answerGeminiJson(response, step, usage, route.model);
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) writeJson(response, 500, { error: { message: String(error) } });
      else response.end();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    requests,
    mainRequests: (channel?: string) =>
      requests.filter((entry) => entry.withTools && entry.channel === channel),
    setScript: (next: ModelScript, channel?: string) => {
      channels.set(channel ?? "", { script: next, nextStep: 0 });
      if (channel === undefined) requests.length = 0;
      else
        for (let i = requests.length - 1; i >= 0; i--)
          if (requests[i]?.channel === channel) requests.splice(i, 1);
    },
    channelOrigin: (channel: string) => `${origin}/s/${encodeURIComponent(channel)}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
