using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.FunctionalTests.Infrastructure;
using Orchestrator.Infrastructure.Persistence;
using Orchestrator.Infrastructure.Sync;

namespace Orchestrator.FunctionalTests.Sync;

/// <summary>
/// The sync engine between two instances of the service: fidelity of every document, incremental runs, and each
/// fault the upstream can throw at it (through <see cref="FaultInjector"/>, in front of the real upstream).
/// </summary>
[TestFixture]
public sealed class SyncTests
{
    private const string UnknownJob = """{"kind":"puppetlabs.orchestrator/unknown-job","msg":"No job exists for id 1235","details":{"job_id":"1235"}}""";

    [Test]
    public async Task Mirrors_the_captured_documents_field_for_field()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.ImportCaptureAsync();

        var summary = await harness.SyncAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(summary, Is.EqualTo(summary with { New = 6, Updated = 0, Unchanged = 0, Skipped = 0, Failed = 0, Stop = SyncStop.None }));
            Assert.That(summary.ExitCode, Is.Zero);
            Assert.That(harness.Problems, Is.Empty);
        }
        await harness.AssertMirrorEqualsUpstreamAsync();
    }

    [Test]
    public async Task Mirrors_a_seeded_set_field_for_field()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.SeedUpstreamAsync(40);

        var summary = await harness.SyncAsync();

        Assert.That((summary.New, summary.Failed, summary.Stop), Is.EqualTo((40, 0, SyncStop.None)), string.Join('\n', harness.Problems));
        await harness.AssertMirrorEqualsUpstreamAsync();
    }

    [Test]
    public async Task A_second_run_writes_nothing_and_says_so()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.ImportCaptureAsync();
        await harness.SyncAsync();
        var listTag = await harness.MirrorEtagAsync("/orchestrator/v1/jobs");
        var runningTag = await harness.MirrorEtagAsync("/orchestrator/v1/jobs/1236/events");
        var rows = await harness.MirrorRowIdsAsync();

        var second = await harness.SyncAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.WroteNothing, Is.True);
            Assert.That((second.New, second.Updated, second.Failed), Is.EqualTo((0, 0, 0)));
            Assert.That(second.Unchanged, Is.EqualTo(4), "the two unfinished jobs read again, and the two others of the first page");
            Assert.That(await harness.MirrorEtagAsync("/orchestrator/v1/jobs"), Is.EqualTo(listTag));
            Assert.That(await harness.MirrorEtagAsync("/orchestrator/v1/jobs/1236/events"), Is.EqualTo(runningTag));
            Assert.That(await harness.MirrorRowIdsAsync(), Is.EqualTo(rows), "no job was written again");
        }
    }

    [Test]
    public async Task Within_one_process_later_runs_send_If_None_Match_and_read_only_the_unfinished_jobs()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.ImportCaptureAsync();
        var faults = new FaultInjector((_, next) => next());
        var options = harness.Options();
        using var client = new UpstreamClient(options, faults.Wrap);
        await harness.SyncAsync(client, options);
        await harness.SyncAsync(client, options);
        faults.Seen.Clear();

        var second = await harness.SyncAsync(client, options);

        var seen = faults.Seen.ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.WroteNothing, Is.True);
            Assert.That(seen.Where(s => s.PathAndQuery.Contains("/jobs?", StringComparison.Ordinal)).Select(s => (s.PathAndQuery, s.Conditional, s.Status)),
                Is.EqualTo(new[] { ("/orchestrator/v1/jobs?order_by=timestamp&order=desc&limit=4&offset=0", true, (HttpStatusCode?)HttpStatusCode.NotModified) }),
                "one page listed, and not sent again");
            Assert.That(seen.Select(s => s.PathAndQuery).Where(p => p.Contains("/jobs/", StringComparison.Ordinal)).Select(p => p.Split('/')[4].Split('?')[0]).Distinct(),
                Is.EquivalentTo(new[] { "1236", "1237" }), "only the unfinished jobs are read again");
            Assert.That(seen.Where(s => s.PathAndQuery.StartsWith("/orchestrator/v1/jobs/1236/events", StringComparison.Ordinal)).Select(s => (s.PathAndQuery, s.Conditional, s.Status)),
                Is.EqualTo(new[] { ("/orchestrator/v1/jobs/1236/events?start=304&limit=3", true, (HttpStatusCode?)HttpStatusCode.NotModified) }),
                "events from where the mirror's copy stops");
        }
    }

    [Test]
    public async Task A_new_process_sends_If_None_Match_for_the_documents_read_before_gets_304s_and_writes_nothing()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.ImportCaptureAsync();
        await harness.SyncAsync();
        var listTag = await harness.MirrorEtagAsync("/orchestrator/v1/jobs");
        var runningTag = await harness.MirrorEtagAsync("/orchestrator/v1/jobs/1236");
        var rows = await harness.MirrorRowIdsAsync();

        // Each SyncAsync has a new UpstreamClient and engine, as a new process has: only the database remembers.
        var secondFaults = new FaultInjector((_, next) => next());
        var second = await harness.SyncAsync(faults: secondFaults);
        var thirdFaults = new FaultInjector((_, next) => next());
        var third = await harness.SyncAsync(faults: thirdFaults);

        var secondSeen = secondFaults.Seen.ToArray();
        var thirdSeen = thirdFaults.Seen.ToArray();
        var notModified = (true, (HttpStatusCode?)HttpStatusCode.NotModified);
        using (Assert.EnterMultipleScope())
        {
            foreach (var run in new[] { second, third })
            {
                Assert.That(run.WroteNothing, Is.True);
                Assert.That((run.New, run.Updated, run.Unchanged, run.Failed), Is.EqualTo((0, 0, 4, 0)), string.Join('\n', harness.Problems));
            }
            Assert.That(secondSeen.Where(s => s.PathAndQuery.Contains("/jobs?", StringComparison.Ordinal)).Select(s => (s.PathAndQuery, s.Conditional, s.Status)),
                Is.EqualTo(new[] { ("/orchestrator/v1/jobs?order_by=timestamp&order=desc&limit=4&offset=0", true, (HttpStatusCode?)HttpStatusCode.NotModified) }),
                "the first listing page, revalidated");
            Assert.That(secondSeen.Select(s => s.PathAndQuery).Where(p => p.Contains("/jobs/", StringComparison.Ordinal)).Select(p => p.Split('/')[4].Split('?')[0]).Distinct(),
                Is.EquivalentTo(new[] { "1236", "1237" }), "only the unfinished jobs are read again");
            Assert.That(secondSeen.Where(s => s.PathAndQuery.Contains("/jobs/", StringComparison.Ordinal) && !s.PathAndQuery.Contains("/events", StringComparison.Ordinal))
                .Select(s => (s.Conditional, s.Status)).Distinct(), Is.EqualTo(new[] { notModified }), "every job document and node page the first run read answers 304");
            Assert.That(secondSeen.Where(s => s.PathAndQuery == "/orchestrator/v1/jobs/1236").Select(s => (s.Conditional, s.Status)), Is.EqualTo(new[] { notModified }));
            Assert.That(secondSeen.Where(s => s.PathAndQuery.StartsWith("/orchestrator/v1/jobs/1236/events", StringComparison.Ordinal)).Select(s => (s.PathAndQuery, s.Conditional, s.Status)),
                Is.EqualTo(new[] { ("/orchestrator/v1/jobs/1236/events?start=304&limit=3", false, (HttpStatusCode?)HttpStatusCode.OK) }),
                "the page after the newest held event was never asked for before: it is read, found empty, and its ETag stored");
            Assert.That(second.Revalidated, Is.EqualTo(secondSeen.Count(s => s.Status == HttpStatusCode.NotModified)).And.GreaterThan(4));
            Assert.That(thirdSeen.Select(s => (s.Conditional, s.Status)).Distinct(), Is.EqualTo(new[] { notModified }), "the third run downloads nothing");
            Assert.That((third.Revalidated, third.Requests), Is.EqualTo((thirdSeen.Length, thirdSeen.Length)));
            Assert.That(await harness.MirrorEtagAsync("/orchestrator/v1/jobs"), Is.EqualTo(listTag));
            Assert.That(await harness.MirrorEtagAsync("/orchestrator/v1/jobs/1236"), Is.EqualTo(runningTag));
            Assert.That(await harness.MirrorRowIdsAsync(), Is.EqualTo(rows), "no job was written again");
        }
    }

    [Test]
    public async Task After_runs_answered_304_an_upstream_change_still_arrives_and_a_finished_job_keeps_no_ETags()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.ImportCaptureAsync();
        await harness.SyncAsync();
        var revalidated = await harness.SyncAsync();
        var capture = JsonNode.Parse(await File.ReadAllTextAsync(TestData.PathOf(TestData.Jobs)))!;
        var running = capture["jobs"]![2]!.DeepClone();
        running["job"]!["state"] = "finished";
        running["job"]!["timestamp"] = "2016-05-22T10:05:00Z";
        running["job"]!["status"]![2]!["exit_time"] = "2016-05-22T10:05:00Z";
        running["job"]!["status"]!.AsArray().Add(JsonNode.Parse("""{"state": "finished", "enter_time": "2016-05-22T10:05:00Z", "exit_time": null}"""));
        running["events"]!.AsArray().Add(JsonNode.Parse("""{"id": "305", "type": "job_finished", "timestamp": "2016-05-22T10:05:00Z", "details": {}, "message": "Finished"}"""));
        var added = capture["jobs"]![3]!.DeepClone();
        added["job"]!["name"] = "1300";
        added["job"]!["timestamp"] = "2016-06-01T00:00:00Z";
        await harness.UpstreamData.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(new JsonObject { ["jobs"] = new JsonArray(running, added) }.ToJsonString())));

        var summary = await harness.SyncAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(revalidated.Revalidated, Is.GreaterThan(0));
            Assert.That((summary.New, summary.Updated, summary.Failed), Is.EqualTo((1, 1, 0)), string.Join('\n', harness.Problems));
            Assert.That(await StoredETagJobsAsync(harness), Is.EqualTo(new long[] { 1237, 1300 }),
                "1236, now finished, is not read again: its ETags are dropped; the new unfinished 1300's are stored");
        }
        await harness.AssertMirrorEqualsUpstreamAsync();
    }

    [Test]
    public async Task A_job_replaced_in_the_mirror_since_its_ETags_were_stored_is_read_again_whole()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.ImportCaptureAsync();
        await harness.SyncAsync();
        await harness.SyncAsync();
        var capture = JsonNode.Parse(await File.ReadAllTextAsync(TestData.PathOf(TestData.Jobs)))!;
        var running = capture["jobs"]![2]!.DeepClone();
        running["job"]!["description"] = "replaced in the mirror by hand";
        await harness.Mirror.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(new JsonObject { ["jobs"] = new JsonArray(running) }.ToJsonString())));
        var faults = new FaultInjector((_, next) => next());

        var summary = await harness.SyncAsync(faults: faults);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((summary.New, summary.Updated, summary.Unchanged, summary.Failed), Is.EqualTo((0, 1, 3, 0)), string.Join('\n', harness.Problems));
            Assert.That(faults.Seen.Where(s => s.PathAndQuery == "/orchestrator/v1/jobs/1236").Select(s => (s.Conditional, s.Status)),
                Is.EqualTo(new[] { (true, (HttpStatusCode?)HttpStatusCode.NotModified), (false, (HttpStatusCode?)HttpStatusCode.OK) }),
                "the upstream's 304 vouches for the copy that was replaced, so the job is read again");
            Assert.That(faults.Seen.Where(s => s.PathAndQuery == "/orchestrator/v1/jobs/1237").Select(s => (s.Conditional, s.Status)),
                Is.EqualTo(new[] { (true, (HttpStatusCode?)HttpStatusCode.NotModified) }));
        }
        await harness.AssertMirrorEqualsUpstreamAsync();
    }

    [Test]
    public async Task Within_one_process_a_new_event_of_an_unchanged_job_arrives_beside_its_kept_document()
    {
        await using var harness = await SyncHarness.StartAsync();
        // Compact, as the change below is written: stored documents are served as they were imported.
        var capture = JsonNode.Parse(await File.ReadAllTextAsync(TestData.PathOf(TestData.Jobs)))!;
        await harness.UpstreamData.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(capture.ToJsonString())));
        var faults = new FaultInjector((_, next) => next());
        var options = harness.Options();
        using var client = new UpstreamClient(options, faults.Wrap);
        await harness.SyncAsync(client, options);
        await harness.SyncAsync(client, options);
        var running = capture["jobs"]![2]!.DeepClone();
        running["events"]!.AsArray().Add(JsonNode.Parse("""
            {"id": "304", "type": "node_running", "timestamp": "2016-05-22T10:00:36Z",
             "details": {"node": "web-01.example.com", "detail": {"run-time": 30}}, "message": "Still running on web-01.example.com"}
            """));
        await harness.UpstreamData.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(new JsonObject { ["jobs"] = new JsonArray(running) }.ToJsonString())));
        faults.Seen.Clear();

        var summary = await harness.SyncAsync(client, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((summary.New, summary.Updated, summary.Failed), Is.EqualTo((0, 1, 0)), string.Join('\n', harness.Problems));
            Assert.That(faults.Seen.Where(s => s.PathAndQuery == "/orchestrator/v1/jobs/1236").Select(s => (s.Conditional, s.Status)),
                Is.EqualTo(new[] { (true, (HttpStatusCode?)HttpStatusCode.NotModified) }), "the job's document did not change");
        }
        await harness.AssertMirrorEqualsUpstreamAsync();
    }

    [Test]
    public async Task An_upstream_change_arrives_and_nothing_else_is_written()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.ImportCaptureAsync();
        await harness.SyncAsync();

        var capture = JsonNode.Parse(await File.ReadAllTextAsync(TestData.PathOf(TestData.Jobs)))!;
        var running = capture["jobs"]![2]!.DeepClone();
        running["job"]!["state"] = "finished";
        running["job"]!["timestamp"] = "2016-05-22T10:05:00Z";
        running["job"]!["status"]![2]!["exit_time"] = "2016-05-22T10:05:00Z";
        running["job"]!["status"]!.AsArray().Add(JsonNode.Parse("""{"state": "finished", "enter_time": "2016-05-22T10:05:00Z", "exit_time": null}"""));
        running["events"]!.AsArray().Add(JsonNode.Parse("""{"id": "305", "type": "job_finished", "timestamp": "2016-05-22T10:05:00Z", "details": {}, "message": "Finished"}"""));
        var added = capture["jobs"]![3]!.DeepClone();
        added["job"]!["name"] = "1300";
        added["job"]!["timestamp"] = "2016-06-01T00:00:00Z";
        var change = new JsonObject { ["jobs"] = new JsonArray(running, added) };
        await harness.UpstreamData.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(change.ToJsonString())));

        var summary = await harness.SyncAsync();

        Assert.That((summary.New, summary.Updated, summary.Failed), Is.EqualTo((1, 1, 0)), string.Join('\n', harness.Problems));
        await harness.AssertMirrorEqualsUpstreamAsync();
    }

    /// <summary>The jobs whose documents' ETags the mirror's database holds.</summary>
    private static async Task<long[]> StoredETagJobsAsync(SyncHarness harness)
    {
        await using var scope = harness.Mirror.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>();
        return [.. (await db.SyncETags.Where(e => e.JobId != null).Select(e => e.JobId!.Value).Distinct().ToListAsync()).Order()];
    }

    [Test]
    public async Task A_refused_token_stops_at_once_exits_3_and_writes_nothing()
    {
        const string token = "sync-reader-7d1f0a";
        await using var harness = await SyncHarness.StartAsync(builder =>
        {
            builder.UseSetting("Auth:Mode", "");
            builder.UseSetting("Auth:Tokens:0:Name", "sync");
            builder.UseSetting("Auth:Tokens:0:Sha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))));
            builder.UseSetting("Auth:Tokens:0:Permissions:0", "orchestrator:view");
        });
        await harness.ImportCaptureAsync();

        var refused = await harness.SyncAsync(harness.Options(token: "not-the-token"));
        var mirrorAfterRefusal = await harness.MirrorJobIdsAsync();
        var accepted = await harness.SyncAsync(harness.Options(token: token));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((refused.Stop, refused.ExitCode, refused.New), Is.EqualTo((SyncStop.Refused, 3, 0)));
            Assert.That(refused.StopReason, Does.Contain("401 puppetlabs.rbac/invalid-token").And.Contain("orchestrator:view"));
            Assert.That(refused.StopReason, Does.Not.Contain("not-the-token"));
            Assert.That(mirrorAfterRefusal, Is.Empty);
            Assert.That((accepted.New, accepted.ExitCode), Is.EqualTo((6, 0)));
        }
    }

    [Test]
    public async Task A_token_revoked_mid_run_stops_it_with_only_whole_jobs_written()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.SeedUpstreamAsync(30);
        var requests = 0;
        var faults = new FaultInjector((_, next) => Interlocked.Increment(ref requests) > 25
            ? Task.FromResult(FaultInjector.Answer(HttpStatusCode.Forbidden,
                """{"kind":"puppetlabs.orchestrator/not-permitted","msg":"Viewing jobs requires the orchestrator:view permission","details":{}}"""))
            : next());

        var summary = await harness.SyncAsync(faults: faults);

        Assert.That((summary.Stop, summary.ExitCode), Is.EqualTo((SyncStop.Refused, 3)));
        var mirrored = await harness.MirrorJobIdsAsync();
        Assert.That(mirrored, Has.Length.LessThan(30));
        foreach (var id in mirrored)
            await harness.AssertJobSameAsync(id);
    }

    [Test]
    public async Task Rate_limited_requests_wait_for_Retry_After_then_succeed()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.ImportCaptureAsync();
        var limited = 0;
        var faults = new FaultInjector((request, next) =>
            request.RequestUri!.AbsolutePath == "/orchestrator/v1/jobs/1234" && Interlocked.Increment(ref limited) <= 2
                ? Task.FromResult(FaultInjector.Answer(HttpStatusCode.TooManyRequests, """{"kind":"puppetlabs.orchestrator/rate-limited","msg":"Too many requests","details":{}}""",
                    r => r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1))))
                : next());
        var clock = Stopwatch.StartNew();

        var summary = await harness.SyncAsync(faults: faults);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((summary.New, summary.Failed, summary.ExitCode), Is.EqualTo((6, 0, 0)));
            Assert.That(faults.Count("/orchestrator/v1/jobs/1234"), Is.EqualTo(3));
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2)), "each Retry-After of 1 s was waited out");
        }
        await harness.AssertMirrorEqualsUpstreamAsync();
    }

    [Test]
    public async Task A_503_is_retried_and_a_job_that_keeps_failing_is_completed_by_the_next_run()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.ImportCaptureAsync();
        var transient = 0;
        var faults = new FaultInjector((request, next) =>
        {
            var path = request.RequestUri!.AbsolutePath;
            var unavailable = path == "/orchestrator/v1/jobs/1238/nodes"
                || (path == "/orchestrator/v1/jobs/1234" && Interlocked.Increment(ref transient) <= 2);
            return unavailable
                ? Task.FromResult(FaultInjector.Answer(HttpStatusCode.ServiceUnavailable,
                    """{"kind":"puppetlabs.orchestrator/database-unavailable","msg":"The database is unavailable","details":{}}"""))
                : next();
        });

        var first = await harness.SyncAsync(faults: faults);
        var afterFirst = await harness.MirrorJobIdsAsync();
        var second = await harness.SyncAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((first.New, first.Failed, first.ExitCode), Is.EqualTo((5, 1, 5)));
            Assert.That(harness.Problems, Has.One.Contains("job 1238: GET /orchestrator/v1/jobs/1238/nodes?limit=2&offset=0: 503 puppetlabs.orchestrator/database-unavailable"));
            Assert.That(afterFirst, Is.EqualTo(new long[] { 1234, 1235, 1236, 1237, 1239 }));
            Assert.That((second.New, second.Failed, second.ExitCode), Is.EqualTo((1, 0, 0)));
        }
        await harness.AssertMirrorEqualsUpstreamAsync();
    }

    [Test]
    public async Task A_job_purged_between_listing_and_reading_is_skipped_and_counted()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.ImportCaptureAsync();
        var faults = new FaultInjector((request, next) => request.RequestUri!.AbsolutePath == "/orchestrator/v1/jobs/1235/nodes"
            ? Task.FromResult(FaultInjector.Answer(HttpStatusCode.NotFound, UnknownJob))
            : next());

        var summary = await harness.SyncAsync(faults: faults);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((summary.New, summary.Skipped, summary.Failed, summary.ExitCode), Is.EqualTo((5, 1, 0, 0)));
            Assert.That(harness.Problems, Is.EqualTo(new[] { "job 1235: gone from the upstream (404) between listing and reading; skipped" }));
            Assert.That(await harness.MirrorJobIdsAsync(), Is.EqualTo(new long[] { 1234, 1236, 1237, 1238, 1239 }));
        }
    }

    [Test]
    public async Task A_malformed_document_is_reported_with_job_id_and_path_and_nothing_of_the_job_is_written()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.ImportCaptureAsync();
        var faults = new FaultInjector(async (request, next) =>
        {
            var response = await next();
            if (request.RequestUri!.PathAndQuery != "/orchestrator/v1/jobs/1234/nodes?limit=2&offset=2")
                return response;
            var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            document["items"]![1]!["start_timestamp"] = "yesterday";
            response.Dispose();
            return FaultInjector.Answer(HttpStatusCode.OK, document.ToJsonString());
        });

        var summary = await harness.SyncAsync(faults: faults);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((summary.New, summary.Failed, summary.ExitCode, summary.Stop), Is.EqualTo((5, 1, 5, SyncStop.None)));
            Assert.That(harness.Problems, Is.EqualTo(new[]
            {
                "job 1234: GET /orchestrator/v1/jobs/1234/nodes?limit=2&offset=2 $.items[1].start_timestamp: not a timestamp: \"yesterday\"",
            }));
            Assert.That(await harness.MirrorJobIdsAsync(), Does.Not.Contain(1234L));
        }
        await using var scope = harness.Mirror.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>();
        Assert.That(db.JobNodes.Count(n => n.JobId == 1234) + db.NodeEvents.Count(e => e.JobId == 1234) + db.JobStatuses.Count(s => s.JobId == 1234), Is.Zero);
    }

    [Test]
    public async Task A_dead_upstream_exits_4_within_the_connect_timeout()
    {
        await using var harness = await SyncHarness.StartAsync();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = harness.Options(root: new Uri($"http://127.0.0.1:{port}/orchestrator/v1/"));
        var clock = Stopwatch.StartNew();

        var summary = await harness.SyncAsync(options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((summary.Stop, summary.ExitCode), Is.EqualTo((SyncStop.Unreachable, 4)));
            Assert.That(summary.StopReason, Does.StartWith($"GET /orchestrator/v1/jobs?order_by=timestamp&order=desc&limit=4&offset=0: the upstream cannot be reached"));
            Assert.That(clock.Elapsed, Is.LessThan(options.ConnectTimeout));
        }
    }

    [Test]
    public async Task An_interrupted_run_leaves_only_whole_jobs_and_the_next_run_completes_it()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.SeedUpstreamAsync(40);
        var requests = 0;
        var faults = new FaultInjector((_, next) => Interlocked.Increment(ref requests) > 150
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (network cut)")
            : next());

        var first = await harness.SyncAsync(faults: faults);
        var afterFirst = await harness.MirrorJobIdsAsync();
        foreach (var id in afterFirst)
            await harness.AssertJobSameAsync(id);
        var second = await harness.SyncAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((first.Stop, first.ExitCode), Is.EqualTo((SyncStop.Unreachable, 4)));
            Assert.That(afterFirst, Has.Length.InRange(1, 39));
            Assert.That((second.New, second.Failed, second.ExitCode), Is.EqualTo((40 - afterFirst.Length, 0, 0)));
        }
        await harness.AssertMirrorEqualsUpstreamAsync();
    }

    [Test]
    public async Task Prune_removes_jobs_the_upstream_no_longer_has_only_when_asked()
    {
        await using var harness = await SyncHarness.StartAsync();
        await harness.ImportCaptureAsync();
        await harness.SyncAsync();
        await using (var scope = harness.UpstreamData.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>();
            await JobWriter.RunAsync(db, async (writer, ct) =>
            {
                await writer.DeleteAsync([1235L, 1236L], ct);
                return true;
            }, _ => true, CancellationToken.None);
        }

        var kept = await harness.SyncAsync();
        var stillThere = await harness.MirrorJobIdsAsync();
        var etagsKept = await StoredETagJobsAsync(harness);
        var pruned = await harness.SyncAsync(harness.Options(prune: true));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((kept.Pruned, stillThere.Contains(1235L), stillThere.Contains(1236L)), Is.EqualTo((0, true, true)));
            Assert.That(etagsKept, Is.EqualTo(new long[] { 1236, 1237 }), "the unfinished jobs' ETags, kept without --prune");
            Assert.That((pruned.Pruned, pruned.ExitCode), Is.EqualTo((2, 0)));
            Assert.That(await StoredETagJobsAsync(harness), Is.EqualTo(new long[] { 1237 }), "a pruned job's ETags go with it");
        }
        await harness.AssertMirrorEqualsUpstreamAsync();
    }
}
