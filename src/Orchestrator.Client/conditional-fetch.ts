/** What the generated client calls: an object with a fetch method. */
export interface FetchLike {
    fetch(url: RequestInfo, init?: RequestInit): Promise<Response>;
}

interface Remembered {
    etag: string;
    body: string;
    headers: [string, string][];
}

/**
 * A fetch for the generated client that revalidates instead of downloading again: it remembers the ETag and body
 * of each GET answered 200, sends `If-None-Match` the next time the same URL is fetched, and turns the server's
 * `304 Not Modified` back into the remembered 200, so the client's methods see a document either way.
 * `notModified` counts the answers that came back 304 (a dashboard can skip re-rendering on those).
 */
export class ConditionalFetch implements FetchLike {
    notModified = 0;
    private readonly remembered = new Map<string, Remembered>();

    /**
     * @param inner the fetch to send requests with; by default the global fetch, looked up on each call
     * @param maxEntries how many URLs to remember; the least recently used is forgotten first
     */
    constructor(
        private readonly inner: FetchLike = { fetch: (url, init) => globalThis.fetch(url, init) },
        private readonly maxEntries = 100) {
    }

    async fetch(url: RequestInfo, init?: RequestInit): Promise<Response> {
        const method = (init?.method ?? "GET").toUpperCase();
        if (typeof url !== "string" || method !== "GET")
            return this.inner.fetch(url, init);

        const known = this.remembered.get(url);
        const headers = new Headers(init?.headers);
        if (known !== undefined && !headers.has("If-None-Match"))
            headers.set("If-None-Match", known.etag);
        const response = await this.inner.fetch(url, { ...init, headers });

        if (response.status === 304 && known !== undefined) {
            this.notModified++;
            this.remember(url, known);
            return new Response(known.body, { status: 200, headers: known.headers });
        }

        const etag = response.headers.get("ETag");
        if (response.status === 200 && etag !== null) {
            const body = await response.clone().text();
            this.remember(url, { etag, body, headers: [...response.headers] });
        }

        return response;
    }

    private remember(url: string, entry: Remembered): void {
        this.remembered.delete(url);
        this.remembered.set(url, entry);
        if (this.remembered.size > this.maxEntries)
            this.remembered.delete(this.remembered.keys().next().value!);
    }
}
