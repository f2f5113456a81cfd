export class OrchestratorClient {
    // NSwag splices this class's body into the generated OrchestratorClient (nswag.json: extendedClasses,
    // extensionCode) in place of the template's constructor, whose `http ? http : window` fails in Node.
    // This file is not compiled on its own (tsconfig.json leaves it out): it sets the generated class's fields.

    /**
     * @param baseUrl scheme, host and port of the orchestrator, e.g. https://orchestrator.example.com:8143
     * @param http an object with a fetch method; by default the global fetch (browsers, Node 18+), looked up on each call
     */
    constructor(baseUrl?: string, http?: { fetch(url: RequestInfo, init?: RequestInit): Promise<Response> }) {
        this.http = http ?? { fetch: (url: RequestInfo, init?: RequestInit) => globalThis.fetch(url, init) };
        this.baseUrl = baseUrl ?? "";
    }
}
