import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConditionalFetch, OrchestratorClient, type EventDto } from "../index";
import { baseUrl, client, publicBaseUrl } from "../test-support/server";

describe("GET /jobs/{job-id}/nodes", () => {
    test("lists the nodes of job 1234 by name with durations in seconds and where events continue", async () => {
        const nodes = await client().getNodes(1234);
        assert.deepEqual(nodes.items?.map(node => node.name),
            ["app-01.example.com", "cache-01.example.com", "db-01.example.com", "web-01.example.com", "web-02.example.com"]);
        assert.deepEqual(nodes.items?.map(node => node.duration), [56, null, null, 37, 46.5]);
        assert.deepEqual(nodes["next-events"], { id: `${publicBaseUrl}/orchestrator/v1/jobs/1234/events?start=110`, event: "110" });

        const web01 = nodes.items?.find(node => node.name === "web-01.example.com");
        assert.equal(web01?.state, "finished");
        assert.equal(web01?.transport, "pcp");
        assert.equal(web01?.["latest-event-id"], 106);
        assert.equal(web01?.result.metrics.total, 347);
        assert.equal(new Date(web01!.start_timestamp!).getTime(), Date.UTC(2016, 4, 20, 16, 44, 33));
        assert.equal(new Date(web01!.finish_timestamp!).getTime(), Date.UTC(2016, 4, 20, 16, 45, 10));
    });

    test("orders, pages and filters nodes", async () => {
        const longest = await client().getNodes(1234, 2, 0, "duration", "desc");
        assert.deepEqual(longest.items?.map(node => node.duration), [56, 46.5]);
        const failed = await client().getNodes(1234, undefined, undefined, undefined, undefined, "failed");
        assert.deepEqual(failed.items?.map(node => node.name), ["app-01.example.com"]);
    });
});

describe("GET /jobs/{job-id}/report", () => {
    test("gives each node of job 1234 with its events, oldest first", async () => {
        const report = await client().getReport(1234);
        assert.equal(report.items?.length, 5);
        const app01 = report.items?.find(item => item.node === "app-01.example.com");
        assert.equal(app01?.state, "failed");
        assert.equal(new Date(app01!.timestamp!).getTime(), Date.UTC(2016, 4, 20, 16, 45, 30));
        assert.deepEqual(app01?.events?.map(event => [event.id, event.type]), [["103", "node_running"], ["108", "node_failed"]]);
    });
});

describe("GET /jobs/{job-id}/events", () => {
    test("polling from next-events a few at a time reaches job_finished, then stays caught up", async () => {
        const api = client();
        const seen: EventDto[] = [];
        let start: number | undefined = undefined;
        for (let polls = 0; !seen.some(event => event.type === "job_finished"); polls++) {
            assert.ok(polls < 10, "job_finished should arrive within 10 polls");
            const page = await api.getEvents(1234, start, 2);
            assert.ok((page.items?.length ?? 0) <= 2);
            seen.push(...(page.items ?? []));
            start = Number(page["next-events"]?.event);
            assert.equal(page["next-events"]?.id, `${publicBaseUrl}/orchestrator/v1/jobs/1234/events?start=${start}`);
        }

        assert.deepEqual(seen.map(event => event.id), ["101", "102", "103", "104", "105", "106", "107", "108", "109"]);
        const finished = seen.at(-1)!;
        assert.equal(finished.type, "job_finished");
        assert.equal(finished.message, "Finished job 1234");
        assert.equal(new Date(finished.timestamp).getTime(), Date.UTC(2016, 4, 20, 16, 45, 31));
        assert.equal(seen[0]?.details.node, "web-01.example.com");

        const caughtUp = await api.getEvents(1234, start, 2);
        assert.deepEqual(caughtUp.items, []);
        assert.equal(caughtUp["next-events"]?.event, "110");
    });
});

describe("conditional GET", () => {
    test("ConditionalFetch revalidates with If-None-Match and replays the document on 304", async () => {
        const fetch = new ConditionalFetch();
        const api = new OrchestratorClient(baseUrl(), fetch);
        const first = await api.get(1234);
        const second = await api.get(1234);
        assert.equal(fetch.notModified, 1);
        assert.deepEqual(second, first);

        const other = await api.get(1235);
        assert.equal(other.name, "1235");
        assert.equal(fetch.notModified, 1);
    });

    test("the server answers with a strong ETag, private, no-cache, and 304 when it matches", async () => {
        const url = `${baseUrl()}/orchestrator/v1/jobs/1234/events`;
        const first = await fetch(url);
        const etag = first.headers.get("ETag");
        assert.match(etag ?? "", /^"[^"]+"$/);
        assert.equal(first.headers.get("Cache-Control"), "private, no-cache");
        const again = await fetch(url, { headers: { "If-None-Match": etag! } });
        assert.equal(again.status, 304);
        assert.equal(await again.text(), "");
    });
});
