import { ApiException, type ErrorResponse } from "./orchestrator-client";

/** An ApiException whose body is the orchestrator's error document `{ kind, msg, details }`. */
export type OrchestratorApiException = ApiException & { result: ErrorResponse & { kind: string; msg: string } };

/**
 * True when `error` is what the client throws for an orchestrator error answer (4xx/5xx with an ErrorResponse body):
 * then `error.status` is the HTTP status and `error.result.kind`, `.msg` and `.details` say what went wrong.
 */
export function isOrchestratorError(error: unknown): error is OrchestratorApiException {
    if (typeof error !== "object" || error === null || !ApiException.isApiException(error))
        return false;
    const result: unknown = error.result;
    return typeof result === "object" && result !== null
        && typeof (result as ErrorResponse).kind === "string" && typeof (result as ErrorResponse).msg === "string";
}
