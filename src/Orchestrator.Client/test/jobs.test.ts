import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { JobOrderBy, SortOrder } from "../index";
import { client, publicBaseUrl } from "../test-support/server";

const allJobs = ["1234", "1235", "1236", "1237", "1238", "1239"];

// The same orders as tests/Orchestrator.FunctionalTests/Jobs/PagingTests.cs: ties broken by job id.
const orders: [JobOrderBy, SortOrder, string[]][] = [
    ["timestamp", "asc", ["1234", "1239", "1235", "1236", "1237", "1238"]],
    ["timestamp", "desc", ["1238", "1237", "1236", "1235", "1239", "1234"]],
    ["owner", "asc", ["1235", "1239", "1234", "1237", "1236", "1238"]],
    ["owner", "desc", ["1238", "1236", "1237", "1234", "1239", "1235"]],
    ["environment", "asc", ["1237", "1234", "1235", "1238", "1236", "1239"]],
    ["environment", "desc", ["1239", "1236", "1238", "1235", "1234", "1237"]],
    ["name", "asc", ["1234", "1235", "1236", "1237", "1238", "1239"]],
    ["name", "desc", ["1239", "1238", "1237", "1236", "1235", "1234"]],
    ["state", "asc", ["1238", "1234", "1235", "1237", "1236", "1239"]],
    ["state", "desc", ["1239", "1236", "1237", "1235", "1234", "1238"]],
];

describe("GET /jobs", () => {
    test("defaults to every job by timestamp ascending, and says what it used", async () => {
        const page = await client().list();
        assert.deepEqual(page.items?.map(job => job.name), ["1234", "1239", "1235", "1236", "1237", "1238"]);
        assert.deepEqual(page.pagination, { limit: 1000, offset: 0, order_by: "timestamp", order: "asc", total: 6 });
    });

    for (const [orderBy, order, expected] of orders) {
        test(`pages through every job once by ${orderBy} ${order}`, async () => {
            const api = client();
            const seen: string[] = [];
            for (let offset = 0; ; offset += 4) {
                const page = await api.list(4, offset, orderBy, order);
                assert.equal(page.pagination?.total, allJobs.length);
                assert.equal(page.pagination?.limit, 4);
                assert.equal(page.pagination?.offset, offset);
                seen.push(...(page.items ?? []).map(job => job.name));
                if (offset + 4 >= (page.pagination?.total ?? 0))
                    break;
            }
            assert.deepEqual(seen, expected);
        });
    }

    test("limit 0 returns no items and the true total", async () => {
        const page = await client().list(0);
        assert.deepEqual(page.items, []);
        assert.equal(page.pagination?.total, 6);
    });

    test("filters on several states (extension) and echoes them", async () => {
        const page = await client().list(undefined, undefined, "name", "asc", undefined, undefined, undefined, undefined, ["finished", "failed"]);
        assert.deepEqual(page.items?.map(job => job.name), ["1234", "1235", "1238"]);
        assert.deepEqual(page.pagination?.state, ["finished", "failed"]);
        assert.equal(page.pagination?.total, 3);
    });

    test("filters on the owner's login (extension) and echoes it", async () => {
        const page = await client().list(undefined, undefined, "name", undefined, undefined, undefined, undefined, undefined, undefined, "brian");
        assert.deepEqual(page.items?.map(job => job.name), ["1234", "1237"]);
        assert.ok(page.items?.every(job => job.owner.login === "brian"));
        assert.equal(page.pagination?.owner, "brian");
    });

    test("filters on the environment (extension) and echoes it", async () => {
        const page = await client().list(undefined, undefined, "name", undefined, undefined, undefined, undefined, undefined, undefined, undefined, "staging");
        assert.deepEqual(page.items?.map(job => job.name), ["1236", "1239"]);
        assert.ok(page.items?.every(job => job.environment?.name === "staging"));
        assert.equal(page.pagination?.environment, "staging");
    });

    test("combines the extension filters with the published ones", async () => {
        const page = await client().list(undefined, undefined, undefined, undefined, "deploy", undefined, undefined, undefined, ["finished", "stopped"], "admin", "staging");
        assert.deepEqual(page.items?.map(job => job.name), ["1239"]);
        assert.equal(page.pagination?.type, "deploy");
    });

    test("filters on finish time with UTC timestamps", async () => {
        const page = await client().list(undefined, undefined, "name", undefined, undefined, undefined,
            new Date(Date.UTC(2016, 4, 20, 0, 0, 0)).toISOString(), "2016-05-20T23:59:59Z");
        assert.ok(page.items?.some(job => job.name === "1234"));
        assert.ok(page.items?.every(job => Date.parse(job.timestamp) < Date.UTC(2016, 4, 21)));
    });
});

describe("GET /jobs/{job-id}", () => {
    test("reads job 1234 with its node counts, history and links", async () => {
        const job = await client().get(1234);
        assert.equal(job.id, `${publicBaseUrl}/orchestrator/v1/jobs/1234`);
        assert.equal(job.name, "1234");
        assert.equal(job.type, "deploy");
        assert.equal(job.state, "finished");
        assert.equal(job.command, "deploy");
        assert.equal(job.owner.login, "brian");
        assert.equal(job.options.environment, "production");
        assert.equal(job.environment?.name, "production");
        assert.equal(job.node_count, 5);
        assert.deepEqual(job.node_states, { finished: 2, failed: 1, errored: 1, skipped: 1 });
        assert.equal(job.userdata, null);
        assert.deepEqual(job.status.map(s => s.state), ["new", "ready", "running", "finished"]);
        assert.equal(job.status[3]?.exit_time, null);
        assert.equal(job.nodes.id, `${publicBaseUrl}/orchestrator/v1/jobs/1234/nodes`);
        assert.equal(job.report.id, `${publicBaseUrl}/orchestrator/v1/jobs/1234/report`);
        assert.equal(job.events.id, `${publicBaseUrl}/orchestrator/v1/jobs/1234/events`);
    });

    test("timestamps are UTC instants", async () => {
        const job = await client().get(1234);
        assert.equal(job.timestamp, "2016-05-20T16:45:31Z");
        assert.equal(new Date(job.timestamp).getTime(), Date.UTC(2016, 4, 20, 16, 45, 31));
        assert.equal(new Date(job.status[0]!.enter_time).getTime(), Date.UTC(2016, 4, 20, 16, 44, 31));
        assert.equal(new Date(job.status[2]!.exit_time!).getTime(), Date.UTC(2016, 4, 20, 16, 45, 31));
    });

    test("a job without nodes has node_states null", async () => {
        const job = await client().get(1237);
        assert.equal(job.node_count, 0);
        assert.equal(job.node_states, null);
        assert.equal(job.environment, null);
    });
});
