using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Jobs;

/// <summary>Walking every ordering a page at a time must visit each job exactly once, in order.</summary>
[TestFixture]
public sealed class PagingTests : ImportedCaptureFixture
{
    private static readonly string[] AllJobs = ["1234", "1235", "1236", "1237", "1238", "1239"];

    // Expected orders follow the data in TestData/jobs.json; ties (same owner, environment, state or
    // timestamp) are broken by job id in the direction asked for.
    [TestCase("timestamp", "asc", new[] { "1234", "1239", "1235", "1236", "1237", "1238" })]
    [TestCase("timestamp", "desc", new[] { "1238", "1237", "1236", "1235", "1239", "1234" })]
    [TestCase("owner", "asc", new[] { "1235", "1239", "1234", "1237", "1236", "1238" })]
    [TestCase("owner", "desc", new[] { "1238", "1236", "1237", "1234", "1239", "1235" })]
    [TestCase("environment", "asc", new[] { "1237", "1234", "1235", "1238", "1236", "1239" })]
    [TestCase("environment", "desc", new[] { "1239", "1236", "1238", "1235", "1234", "1237" })]
    [TestCase("name", "asc", new[] { "1234", "1235", "1236", "1237", "1238", "1239" })]
    [TestCase("name", "desc", new[] { "1239", "1238", "1237", "1236", "1235", "1234" })]
    [TestCase("state", "asc", new[] { "1238", "1234", "1235", "1237", "1236", "1239" })]
    [TestCase("state", "desc", new[] { "1239", "1236", "1237", "1235", "1234", "1238" })]
    public async Task Pages_through_every_job_once(string orderBy, string order, string[] expected)
    {
        foreach (var limit in new[] { 1, 2, 4 })
        {
            var seen = new List<string>();
            for (var offset = 0; offset < AllJobs.Length + limit; offset += limit)
            {
                var page = await Client.GetFromJsonAsync<JsonObject>(
                    $"/orchestrator/v1/jobs?limit={limit}&offset={offset}&order_by={orderBy}&order={order}");
                Assert.That(page!["pagination"]!["total"]!.GetValue<int>(), Is.EqualTo(AllJobs.Length));
                seen.AddRange(page["items"]!.AsArray().Select(item => item!["name"]!.GetValue<string>()));
            }

            Assert.That(seen, Is.EqualTo(expected), $"limit={limit}");
        }
    }

    [Test]
    public async Task Order_defaults_to_timestamp_ascending()
    {
        var page = await Client.GetFromJsonAsync<JsonObject>("/orchestrator/v1/jobs");
        var names = page!["items"]!.AsArray().Select(item => item!["name"]!.GetValue<string>());
        Assert.That(names, Is.EqualTo(new[] { "1234", "1239", "1235", "1236", "1237", "1238" }));
    }
}
