export * from "./types";
export * from "./stateMachine";
export * from "./signature";
export * from "./notFound";
export * from "./journal";
