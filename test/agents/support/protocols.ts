/** How each wire protocol streams a scripted answer: tool calls or a final text, with usage. */
import { type ServerResponse } from "node:http";
import { type ScriptedToolCall, type ScriptedUsage } from "./script";
import { startEventStream, writeEvent, writeJson } from "./sse";

export type WireProtocol = "responses" | "messages" | "gemini" | "chat";

export type Answer = { kind: "tools"; calls: ScriptedToolCall[] } | { kind: "text"; text: string };

let counter = 0;
const nextId = (prefix: string): string => `${prefix}_${Date.now().toString(36)}${(counter++).toString(36)}`;
const argumentsOf = (call: ScriptedToolCall): string =>
  typeof call.input === "string" ? call.input : JSON.stringify(call.input);

/** OpenAI Responses (Codex): named events, the whole item in `output_item.done`. */
function streamResponses(response: ServerResponse, answer: Answer, usage: ScriptedUsage): void {
  const id = nextId("resp");
  startEventStream(response);
  const send = (data: Record<string, unknown>): void => writeEvent(response, data, String(data.type));
  send({ type: "response.created", response: { id } });
  const items: Record<string, unknown>[] =
    answer.kind === "text"
      ? [
          {
            type: "message",
            id: nextId("msg"),
            role: "assistant",
            content: [{ type: "output_text", text: answer.text }],
          },
        ]
      : answer.calls.map((call) =>
          typeof call.input === "string"
            ? {
                type: "custom_tool_call",
                id: nextId("ctc"),
                call_id: nextId("call"),
                name: call.name,
                input: call.input,
              }
            : {
                type: "function_call",
                id: nextId("fc"),
                call_id: nextId("call"),
                name: call.name,
                arguments: argumentsOf(call),
              },
        );
  items.forEach((item, index) => {
    if (item.type === "message" && answer.kind === "text") {
      send({ type: "response.output_item.added", output_index: index, item: { ...item, content: [] } });
      send({ type: "response.output_text.delta", item_id: item.id, output_index: index, delta: answer.text });
    } else {
      send({ type: "response.output_item.added", output_index: index, item });
    }
    send({ type: "response.output_item.done", output_index: index, item });
  });
  send({
    type: "response.completed",
    response: {
      id,
      usage: {
        input_tokens: usage.input,
        input_tokens_details: { cached_tokens: usage.cached },
        output_tokens: usage.output,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: usage.input + usage.output,
      },
    },
  });
  response.end();
}

/** Anthropic Messages (Claude Code): one content block per text or tool_use, `stop_reason` tool_use on tool turns. */
function streamMessages(response: ServerResponse, answer: Answer, usage: ScriptedUsage, model: string): void {
  startEventStream(response);
  const send = (data: Record<string, unknown>): void => writeEvent(response, data, String(data.type));
  send({
    type: "message_start",
    message: {
      id: nextId("msg"),
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      usage: {
        input_tokens: usage.input - usage.cached,
        output_tokens: 1,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: usage.cached,
      },
    },
  });
  const blocks = answer.kind === "text" ? [answer] : answer.calls;
  blocks.forEach((block, index) => {
    if ("text" in block) {
      send({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
      send({ type: "content_block_delta", index, delta: { type: "text_delta", text: block.text } });
    } else {
      send({
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id: nextId("toolu"), name: block.name, input: {} },
      });
      send({
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: argumentsOf(block) },
      });
    }
    send({ type: "content_block_stop", index });
  });
  send({
    type: "message_delta",
    delta: { stop_reason: answer.kind === "text" ? "end_turn" : "tool_use", stop_sequence: null },
    usage: { output_tokens: usage.output },
  });
  send({ type: "message_stop" });
  response.end();
}

function geminiBody(answer: Answer, usage: ScriptedUsage, model: string): Record<string, unknown> {
  const parts =
    answer.kind === "text"
      ? [{ text: answer.text }]
      : answer.calls.map((call) => ({ functionCall: { name: call.name, args: call.input } }));
  return {
    candidates: [{ content: { role: "model", parts }, finishReason: "STOP", index: 0 }],
    usageMetadata: {
      promptTokenCount: usage.input,
      candidatesTokenCount: usage.output,
      cachedContentTokenCount: usage.cached,
      totalTokenCount: usage.input + usage.output,
    },
    modelVersion: model,
  };
}

/** Gemini streamGenerateContent?alt=sse: bare `data:` events, finishReason STOP even for calls. */
function streamGemini(response: ServerResponse, answer: Answer, usage: ScriptedUsage, model: string): void {
  startEventStream(response);
  writeEvent(response, geminiBody(answer, usage, model));
  response.end();
}

/** OpenAI Chat Completions (Qwen Code, opencode): delta chunks, a finish chunk, a usage chunk, [DONE]. */
function streamChat(response: ServerResponse, answer: Answer, usage: ScriptedUsage, model: string): void {
  const id = nextId("chatcmpl");
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    choices,
    ...extra,
  });
  startEventStream(response);
  const delta =
    answer.kind === "text"
      ? { role: "assistant", content: answer.text }
      : {
          role: "assistant",
          content: null,
          tool_calls: answer.calls.map((call, index) => ({
            index,
            id: nextId("call"),
            type: "function",
            function: { name: call.name, arguments: argumentsOf(call) },
          })),
        };
  writeEvent(response, chunk([{ index: 0, delta, finish_reason: null }]));
  writeEvent(
    response,
    chunk([{ index: 0, delta: {}, finish_reason: answer.kind === "text" ? "stop" : "tool_calls" }]),
  );
  writeEvent(
    response,
    chunk([], {
      usage: {
        prompt_tokens: usage.input,
        completion_tokens: usage.output,
        total_tokens: usage.input + usage.output,
        prompt_tokens_details: { cached_tokens: usage.cached },
      },
    }),
  );
  writeEvent(response, "[DONE]");
  response.end();
}

/** Streams a scripted answer in the protocol the request came in. */
export function streamAnswer(
  protocol: WireProtocol,
  response: ServerResponse,
  answer: Answer,
  usage: ScriptedUsage,
  model: string,
): void {
  switch (protocol) {
    case "responses":
      return streamResponses(response, answer, usage);
    case "messages":
      return streamMessages(response, answer, usage, model);
    case "gemini":
      return streamGemini(response, answer, usage, model);
    case "chat":
      return streamChat(response, answer, usage, model);
  }
}

/** The non-streaming Gemini generateContent answer (routing classifier and other side calls). */
export function answerGeminiJson(
  response: ServerResponse,
  answer: Answer,
  usage: ScriptedUsage,
  model: string,
): void {
  writeJson(response, 200, geminiBody(answer, usage, model));
}

/** An HTTP error in the shape each API uses, so the CLI reports the server's message. */
export function answerError(
  protocol: WireProtocol,
  response: ServerResponse,
  status: number,
  message: string,
): void {
  const body =
    protocol === "messages"
      ? { type: "error", error: { type: status < 500 ? "invalid_request_error" : "api_error", message } }
      : protocol === "gemini"
        ? { error: { code: status, message, status: status < 500 ? "INVALID_ARGUMENT" : "INTERNAL" } }
        : { error: { message, type: status < 500 ? "invalid_request_error" : "server_error", code: null } };
  writeJson(response, status, body);
}
