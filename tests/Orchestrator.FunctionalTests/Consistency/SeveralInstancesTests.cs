using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Consistency;

/// <summary>
/// Several API instances over one database, as behind a load balancer: a write committed by any other process
/// reaches each instance's next request, with a new ETag, although each keeps documents and totals in memory.
/// </summary>
[TestFixture]
public sealed class SeveralInstancesTests
{
    private const string Job = "/orchestrator/v1/jobs/1234";
    private const string Newest = "/orchestrator/v1/jobs?order_by=name&order=desc&limit=2";

    [Test]
    public async Task An_import_by_a_third_process_reaches_both_instances_at_their_next_request()
    {
        await using var first = new OrchestratorApiFactory();
        await first.ImportAsync(TestData.Jobs);
        await using var second = new OrchestratorApiFactory(first);
        using var one = first.CreateClient();
        using var two = second.CreateClient();
        // Each instance answers twice, so the second answer comes from its own memory.
        var before = new Dictionary<(HttpClient, string), EntityTagHeaderValue>();
        foreach (var client in new[] { one, two })
        {
            foreach (var url in new[] { Job, Newest })
            {
                await Get(client, url);
                before[(client, url)] = (await Get(client, url)).Tag;
            }
        }

        var capture = Path.Combine(Path.GetTempPath(), $"orchestrator-instances-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(capture, ChangedCapture());
        try
        {
            var (exit, output, error) = await ApiProcess.RunAsync(first.Database, Path.GetTempPath(), "import", capture);
            Assert.That(exit, Is.Zero, error + output);
        }
        finally
        {
            File.Delete(capture);
        }

        foreach (var client in new[] { one, two })
        {
            var job = await Get(client, Job, before[(client, Job)]);
            var newest = await Get(client, Newest, before[(client, Newest)]);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(job.Status, Is.EqualTo(HttpStatusCode.OK), "the old tag no longer matches");
                Assert.That(job.Document["description"]!.GetValue<string>(), Is.EqualTo("redeployed by another process"));
                Assert.That(job.Tag, Is.Not.EqualTo(before[(client, Job)]));
                Assert.That(newest.Status, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(newest.Document["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "9999", "1239" }));
                Assert.That(newest.Document["pagination"]!["total"]!.GetValue<int>(), Is.EqualTo(7));
                Assert.That(newest.Tag, Is.Not.EqualTo(before[(client, Newest)]));
            }
        }

        Assert.That((await Get(one, Job)).Tag, Is.EqualTo((await Get(two, Job)).Tag), "both instances serve the same bytes");
    }

    /// <summary>Job 1234 with a new description, and a new job 9999 (a copy of 1235 without its events, whose ids are taken).</summary>
    private static string ChangedCapture()
    {
        var jobs = JsonNode.Parse(File.ReadAllText(TestData.PathOf(TestData.Jobs)))!["jobs"]!.AsArray();
        var changed = jobs.Single(j => j!["job"]!["name"]?.GetValue<string>() == "1234")!.DeepClone();
        changed["job"]!["description"] = "redeployed by another process";
        var added = jobs.Single(j => j!["job"]!["name"]?.GetValue<string>() == "1235")!.DeepClone();
        added["job"]!["name"] = "9999";
        added["job"]!.AsObject().Remove("id");
        added["events"] = new JsonArray();
        return new JsonObject { ["jobs"] = new JsonArray(changed, added) }.ToJsonString();
    }

    private static async Task<(HttpStatusCode Status, JsonNode Document, EntityTagHeaderValue Tag)> Get(
        HttpClient client, string url, EntityTagHeaderValue? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (ifNoneMatch is not null)
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!, response.Headers.ETag!);
    }
}
