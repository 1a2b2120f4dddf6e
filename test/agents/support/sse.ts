import { type ServerResponse } from "node:http";

/** Starts a server-sent-events answer; the CLIs stream every turn. */
export function startEventStream(response: ServerResponse): void {
  response.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
}

/** Writes one event; named events (`event: x`) for Responses and Messages, bare `data:` for the others. */
export function writeEvent(response: ServerResponse, data: unknown, eventName?: string): void {
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  response.write(`${eventName === undefined ? "" : `event: ${eventName}\n`}data: ${payload}\n\n`);
}

export function writeJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
