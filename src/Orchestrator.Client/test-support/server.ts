import { OrchestratorClient } from "../index";

const variable = "ORCHESTRATOR_BASE_URL";

/** The base URL of the live API the tests run against (the functional test TypeScriptClientTests sets it). */
export function baseUrl(): string {
    const value = process.env[variable];
    if (value === undefined || value.trim() === "")
        throw new Error(`${variable} is not set: these tests need a running orchestrator API loaded with `
            + "tests/Orchestrator.FunctionalTests/TestData/jobs.json. `dotnet test` starts one and sets it; by hand: "
            + `${variable}=http://127.0.0.1:5080 npm test`);
    return value.replace(/\/+$/, "");
}

export function client(): OrchestratorClient {
    return new OrchestratorClient(baseUrl());
}

/** The links in documents use the PublicBaseUrl the functional tests configure, not the address the tests call. */
export const publicBaseUrl = "https://orchestrator.example.com:8143";
