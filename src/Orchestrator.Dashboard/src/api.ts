import { ApiException, ConditionalFetch, OrchestratorClient, isOrchestratorError } from "./client";

const tokenKey = "orchestrator.token";

/**
 * The API token lives in sessionStorage only (gone when the tab closes), travels only in the X-Authentication
 * header, and is never written to the URL or the console.
 */
export const token = {
    get(): string | null {
        try {
            return sessionStorage.getItem(tokenKey);
        } catch {
            return null;
        }
    },
    set(value: string): void {
        sessionStorage.setItem(tokenKey, value);
    },
    clear(): void {
        sessionStorage.removeItem(tokenKey);
    },
};

/** One client with its own conditional cache, so `conditional.notModified` counts only its own answers. */
export interface Channel {
    readonly client: OrchestratorClient;
    readonly conditional: ConditionalFetch;
}

/** Every request to the API goes through the generated client; this adds the token and opens channels. */
export class Api {
    constructor(readonly baseUrl: string) {
    }

    channel(): Channel {
        const conditional = new ConditionalFetch({ fetch: (url, init) => send(url, init) });
        return { conditional, client: new OrchestratorClient(this.baseUrl, conditional) };
    }
}

function send(url: RequestInfo, init?: RequestInit): Promise<Response> {
    const headers = new Headers(init?.headers);
    const value = token.get();
    if (value !== null)
        headers.set("X-Authentication", value);
    // The conditional cache is ours; the browser's own cache would hide the 304s it revalidates.
    return fetch(url, { ...init, headers, credentials: "omit", cache: "no-store" }).catch((error: unknown) => {
        if (error instanceof DOMException && error.name === "AbortError")
            throw error;
        throw new NetworkError(error);
    });
}

/** fetch rejected: no answer at all (network down, server stopped, or a cross-origin call the API refused). */
export class NetworkError extends Error {
    constructor(readonly reason: unknown) {
        super("The API could not be reached");
    }
}

/** What went wrong with a request, in the terms the page acts on. */
export type Failure =
    /** 401 or 403: ask for a token. */
    | { readonly type: "auth"; readonly status: number; readonly kind: string; readonly msg: string }
    /** 503, 429, 502, 504 or no answer at all: show a banner and try again later. */
    | { readonly type: "transient"; readonly status: number | null; readonly kind: string; readonly msg: string }
    /** Anything else: show it; trying again will not help. */
    | { readonly type: "error"; readonly status: number | null; readonly kind: string; readonly msg: string; readonly details: Record<string, string> };

const transientStatuses = new Set([429, 502, 503, 504]);

/** Sorts a thrown value into a Failure; null when the request was cancelled on purpose. */
export function classify(error: unknown): Failure | null {
    if (error instanceof DOMException && error.name === "AbortError")
        return null;
    if (isOrchestratorError(error)) {
        const { status } = error;
        const { kind, msg } = error.result;
        if (status === 401 || status === 403)
            return { type: "auth", status, kind, msg };
        if (transientStatuses.has(status))
            return { type: "transient", status, kind, msg };
        return { type: "error", status, kind, msg, details: error.result.details ?? {} };
    }
    if (error instanceof ApiException) {
        const kind = `HTTP ${error.status}`;
        const msg = "The answer had no orchestrator error body (a proxy in between?).";
        if (error.status === 401 || error.status === 403)
            return { type: "auth", status: error.status, kind, msg };
        if (transientStatuses.has(error.status))
            return { type: "transient", status: error.status, kind, msg };
        return { type: "error", status: error.status, kind, msg, details: {} };
    }
    if (error instanceof NetworkError)
        return { type: "transient", status: null, kind: "network", msg: "The API could not be reached (network down, server stopped, or a cross-origin call the API does not allow)." };
    return { type: "error", status: null, kind: "unexpected", msg: error instanceof Error ? error.message : String(error), details: {} };
}
