using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Api.Http;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Jobs;

/// <summary>Every GET answers with a strong ETag; an unchanged document revalidates to 304, any change gives a new tag.</summary>
[TestFixture]
public sealed class ConditionalGetTests
{
    private static readonly string[] Urls =
    [
        "/orchestrator/v1/jobs",
        "/orchestrator/v1/jobs/1234",
        "/orchestrator/v1/jobs/1234/nodes",
        "/orchestrator/v1/jobs/1234/report",
        "/orchestrator/v1/jobs/1234/events",
    ];

    private OrchestratorApiFactory _factory = null!;
    private HttpClient _client = null!;

    [SetUp]
    public async Task ImportCapture()
    {
        _factory = new OrchestratorApiFactory();
        await _factory.ImportAsync(TestData.Jobs);
        _client = _factory.CreateClient();
    }

    [TearDown]
    public async Task Dispose()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Test]
    public async Task Same_data_revalidates_to_304_without_a_body()
    {
        foreach (var url in Urls)
        {
            var etag = await ETagOf(url);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.IfNoneMatch.Add(etag);
            using var response = await _client.SendAsync(request);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotModified), url);
                Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.Empty, url);
                Assert.That(response.Headers.ETag, Is.EqualTo(etag), url);
                Assert.That(response.Headers.CacheControl?.NoCache, Is.True, url);
            }
        }
    }

    [Test]
    public async Task A_weak_or_listed_or_wildcard_match_also_revalidates()
    {
        var etag = await ETagOf("/orchestrator/v1/jobs/1234");
        foreach (var header in new[] { $"W/{etag.Tag}", $"\"other\", {etag.Tag}", "*" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/orchestrator/v1/jobs/1234");
            request.Headers.TryAddWithoutValidation("If-None-Match", header);
            using var response = await _client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotModified), header);
        }
    }

    [Test]
    public async Task A_stale_tag_gets_the_whole_document()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orchestrator/v1/jobs/1234");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"stale\""));
        using var response = await _client.SendAsync(request);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            JsonAssert.AreEqual(TestData.Expected("job-1234.json"), await response.Content.ReadAsStringAsync());
        }
    }

    [Test]
    public async Task Errors_carry_no_etag()
    {
        using var response = await _client.GetAsync("/orchestrator/v1/jobs/999");
        Assert.That(response.Headers.ETag, Is.Null);
    }

    [TestCase("job", "/orchestrator/v1/jobs/1234")]
    [TestCase("job", "/orchestrator/v1/jobs")]
    [TestCase("node", "/orchestrator/v1/jobs/1234/nodes")]
    [TestCase("node", "/orchestrator/v1/jobs/1234")]
    [TestCase("event", "/orchestrator/v1/jobs/1234/events")]
    [TestCase("event", "/orchestrator/v1/jobs/1234/report")]
    [TestCase("status", "/orchestrator/v1/jobs/1234")]
    public async Task Any_change_gives_200_and_a_new_tag(string change, string url)
    {
        var before = await ETagOf(url);
        await _factory.ImportAsync(Changed(change));

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(before);
        using var response = await _client.SendAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.ETag, Is.Not.Null.And.Not.EqualTo(before));
        }
    }

    [Test]
    public async Task Totals_follow_what_is_imported_while_the_api_runs()
    {
        // The first answers fill the count cache; the import commits on another connection and must be seen.
        var before = await Totals();
        await _factory.ImportAsync(Changed("new job"));
        var after = await Totals();

        Assert.That(after, Is.EqualTo(before.Select(total => total + 1)));
    }

    private async Task<int[]> Totals()
    {
        var totals = new List<int>();
        foreach (var url in new[] { "/orchestrator/v1/jobs", "/orchestrator/v1/jobs?owner=brian", "/orchestrator/v1/jobs?type=deploy&limit=0" })
        {
            var page = JsonNode.Parse(await _client.GetStringAsync(url))!;
            totals.Add(page["pagination"]!["total"]!.GetValue<int>());
        }

        return [.. totals];
    }

    // Above the middleware's memory threshold the body is buffered in a temporary file: the tag must still be
    // the hash of exactly the bytes sent, and a match must still answer 304 with nothing after the headers.
    [TestCase("/orchestrator/v1/jobs/4321/nodes")]
    [TestCase("/orchestrator/v1/jobs/4321/report")]
    public async Task A_document_larger_than_the_memory_buffer_is_tagged_with_the_sha256_of_its_bytes(string url)
    {
        await _factory.ImportAsync(LargeJob(4321, nodes: 1000));

        using var response = await _client.GetAsync(url);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var sha256 = Convert.ToBase64String(SHA256.HashData(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(bytes, Has.Length.GreaterThan(2 * ConditionalGetMiddleware.MemoryThreshold));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(bytes.Length));
            Assert.That(response.Headers.ETag, Is.EqualTo(new EntityTagHeaderValue($"\"{sha256}\"")));
            Assert.That(JsonNode.Parse(bytes)!["items"]!.AsArray(), Has.Count.EqualTo(1000));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var revalidated = await _client.SendAsync(request);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(revalidated.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(await revalidated.Content.ReadAsByteArrayAsync(), Is.Empty);
            Assert.That(revalidated.Headers.ETag, Is.EqualTo(response.Headers.ETag));
        }
    }

    /// <summary>A job shaped like the capture's first, with many nodes (its first node's documents) and two events each.</summary>
    private static MemoryStream LargeJob(long id, int nodes)
    {
        var capture = JsonNode.Parse(File.ReadAllText(TestData.PathOf(TestData.Jobs)))!;
        var job = capture["jobs"]![0]!.DeepClone();
        job["job"]!["name"] = id.ToString(CultureInfo.InvariantCulture);
        var template = job["nodes"]![0]!;
        var items = new JsonArray();
        var events = new JsonArray();
        for (var i = 0; i < nodes; i++)
        {
            var name = $"node-{i:D4}.example.com";
            var node = template.DeepClone();
            node["name"] = name;
            items.Add(node);
            foreach (var (offset, type) in new[] { (0, "node_running"), (nodes, "node_finished") })
            {
                events.Add(new JsonObject
                {
                    ["id"] = (100_000 + offset + i).ToString(CultureInfo.InvariantCulture),
                    ["type"] = type,
                    ["timestamp"] = "2016-05-20T16:45:10Z",
                    ["details"] = new JsonObject { ["node"] = name },
                    ["message"] = $"{type} on {name}",
                });
            }
        }

        job["nodes"] = items;
        job["events"] = events;
        return new MemoryStream(Encoding.UTF8.GetBytes(new JsonObject { ["jobs"] = new JsonArray(job) }.ToJsonString()));
    }

    /// <summary>The capture with job 1234 changed in one place, to be re-imported over the original.</summary>
    private static MemoryStream Changed(string change)
    {
        var capture = JsonNode.Parse(File.ReadAllText(TestData.PathOf(TestData.Jobs)))!;
        var job = capture["jobs"]![0]!;
        switch (change)
        {
            case "new job":
                var copy = job.DeepClone();
                copy["job"]!["name"] = "1300";
                copy["job"]!["id"] = "https://orchestrator.example.com:8143/orchestrator/v1/jobs/1300";
                foreach (var (e, i) in copy["events"]!.AsArray().Select((e, i) => (e!, i)))
                    e["id"] = $"{5000 + i}"; // event ids are unique across jobs
                capture["jobs"] = new JsonArray(copy);
                break;
            case "job":
                job["job"]!["description"] = "deploy the web app, again";
                break;
            case "node":
                job["nodes"]![0]!["result"]!["status"] = "changed";
                break;
            case "event":
                job["events"]!.AsArray().Insert(8, JsonNode.Parse(
                    """{"id":"150","type":"node_finished","timestamp":"2016-05-20T16:45:30Z","details":{"node":"web-01.example.com"},"message":"again"}"""));
                break;
            case "status":
                job["job"]!["status"]!.AsArray()[^1]!["enter_time"] = "2016-05-20T16:45:32Z";
                break;
        }

        return new MemoryStream(Encoding.UTF8.GetBytes(capture.ToJsonString()));
    }

    private async Task<EntityTagHeaderValue> ETagOf(string url)
    {
        using var response = await _client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
        var etag = response.Headers.ETag;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(etag, Is.Not.Null, url);
            Assert.That(etag!.IsWeak, Is.False, url);
        }

        return etag!;
    }
}
