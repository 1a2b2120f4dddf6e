/**
 * Ports reserved for running workstreams: each gets free ones from the system, and no two running
 * workstreams of this process get the same one, so their dev servers and test databases never collide.
 */
import { createServer } from "node:net";

const reserved = new Set<number>();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `count` ports free now and not handed to another running workstream. */
export async function reservePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  // The system may hand the same free port out twice in a row; a bounded number of tries skips those.
  for (let tries = 0; ports.length < count && tries < count * 20; tries++) {
    const port = await freePort();
    if (port === 0 || reserved.has(port)) continue;
    reserved.add(port);
    ports.push(port);
  }
  if (ports.length < count) {
    releasePorts(ports);
    throw new Error(`could not reserve ${count} free ports`);
  }
  return ports;
}

export function releasePorts(ports: readonly number[]): void {
  for (const port of ports) reserved.delete(port);
}
