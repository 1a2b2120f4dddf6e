import { type JsonObject, type Store } from "../../core/store";

/** One use of an AI tool through the registry, as recorded in the store. */
export interface AimInvocation {
  runId?: string;
  wsId?: string;
  toolId: string;
  capability: string;
  /** Where in the route the tool stood: 0 = primary. */
  routeIndex: number;
  success: boolean;
  exitCode?: number;
  durationMs: number;
  message?: string;
}

export const AIM_INVOCATION_EVENT = "aim_invocation";

/** Records an AI tool invocation as an `aim_invocation` event in the store (the audit trail). */
export async function auditAimInvocation(store: Store, invocation: AimInvocation): Promise<void> {
  const payload: JsonObject = {
    tool_id: invocation.toolId,
    capability: invocation.capability,
    route_index: invocation.routeIndex,
    success: invocation.success,
    duration_ms: invocation.durationMs,
    actor: "pipeline",
  };
  if (invocation.exitCode !== undefined) payload.exit_code = invocation.exitCode;
  if (invocation.message !== undefined) payload.message = invocation.message;
  await store.recordEvent({
    runId: invocation.runId ?? null,
    wsId: invocation.wsId ?? null,
    type: AIM_INVOCATION_EVENT,
    payload,
  });
}
