export * from "./orchestrator-client";
export * from "./conditional-fetch";
export * from "./errors";
