import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ApiException, isOrchestratorError, OrchestratorClient } from "../index";
import { baseUrl, client } from "../test-support/server";

async function caught(call: () => Promise<unknown>): Promise<unknown> {
    try {
        await call();
    } catch (error) {
        return error;
    }
    assert.fail("the call should have failed");
}

describe("errors", () => {
    test("an unknown job is an ApiException carrying the 404 error document", async () => {
        const error = await caught(() => client().get(999));
        assert.ok(error instanceof ApiException);
        assert.ok(isOrchestratorError(error));
        assert.equal(error.status, 404);
        assert.equal(error.result.kind, "puppetlabs.orchestrator/unknown-job");
        assert.equal(error.result.msg, "No job exists for id 999");
        assert.deepEqual(error.result.details, { job_id: "999" });
    });

    test("every job endpoint reports an unknown job the same way", async () => {
        for (const call of [() => client().getNodes(999), () => client().getReport(999), () => client().getEvents(999)]) {
            const error = await caught(call);
            assert.ok(isOrchestratorError(error));
            assert.equal(error.result.kind, "puppetlabs.orchestrator/unknown-job");
        }
    });

    test("a malformed parameter is a 400 validation error naming it", async () => {
        const error = await caught(() => client().list(-1));
        assert.ok(isOrchestratorError(error));
        assert.equal(error.status, 400);
        assert.equal(error.result.kind, "puppetlabs.orchestrator/validation-error");
        assert.equal(error.result.msg, "limit must be a non-negative integer");
        assert.deepEqual(error.result.details, { limit: "-1" });
    });

    test("a value outside the typed enums still comes back as a validation error", async () => {
        const error = await caught(() => client().list(undefined, undefined, "bogus" as never));
        assert.ok(isOrchestratorError(error));
        assert.equal(error.status, 400);
        assert.equal(error.result.details?.["order_by"], "bogus");
    });

    test("an error without an orchestrator body is an ApiException but not an orchestrator error", async () => {
        const api = new OrchestratorClient(baseUrl(), {
            fetch: () => Promise.resolve(new Response("<html>bad gateway</html>", { status: 502 })),
        });
        const error = await caught(() => api.get(1234));
        assert.ok(ApiException.isApiException(error));
        assert.equal(error.status, 502);
        assert.equal(isOrchestratorError(error), false);
    });
});
