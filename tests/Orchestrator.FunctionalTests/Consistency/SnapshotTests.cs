using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Consistency;

/// <summary>
/// Every statement of a request reads one committed state. Imports flip an owner's jobs between two and four,
/// and each job's nodes between two and three, while reads run beside them: every page agrees with its total,
/// and every job's <c>node_count</c> with its <c>node_states</c>, whichever commit a request lands between.
/// </summary>
[TestFixture]
public sealed class SnapshotTests
{
    private static readonly TimeSpan Churn = TimeSpan.FromSeconds(4);

    [TestCase("64", TestName = "Reads_agree_with_themselves_while_imports_churn")]
    [TestCase("0", TestName = "Reads_agree_with_themselves_while_imports_churn_without_kept_documents")]
    public async Task Reads_agree_with_themselves_while_imports_churn(string documentCacheMb)
    {
        await using var factory = new OrchestratorApiFactory();
        await factory.ImportAsync(Capture(many: false));
        await using var app = factory.WithWebHostBuilder(builder => builder.UseSetting("Database:DocumentCacheMb", documentCacheMb));
        var clock = Stopwatch.StartNew();

        var imports = Task.Run(async () =>
        {
            var count = 0;
            while (clock.Elapsed < Churn)
                await factory.ImportAsync(Capture(many: ++count % 2 == 1));
            return count;
        });
        var reads = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            using var client = app.CreateClient();
            var seen = new List<(int Total, List<string> Problems)>();
            while (clock.Elapsed < Churn)
            {
                seen.Add(Check(JsonNode.Parse(await client.GetStringAsync("/orchestrator/v1/jobs?owner=flip&limit=1000"))!));
                var job = JsonNode.Parse(await client.GetStringAsync("/orchestrator/v1/jobs/9001"))!;
                seen.Add((-1, NodeCountProblems(job)));
            }

            return seen;
        })));

        var writes = await imports;
        var lists = reads.SelectMany(r => r).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(writes, Is.GreaterThan(4), "imports committed during the reads");
            Assert.That(lists.Where(r => r.Total >= 0).Select(r => r.Total).Distinct().Order(), Is.EqualTo(new[] { 2, 4 }),
                "reads saw both states of the data");
            Assert.That(lists.SelectMany(r => r.Problems), Is.Empty);
        }
    }

    private static (int Total, List<string> Problems) Check(JsonNode list)
    {
        var items = list["items"]!.AsArray();
        var total = list["pagination"]!["total"]!.GetValue<int>();
        var problems = items.SelectMany(NodeCountProblems!).ToList();
        if (items.Count != total)
            problems.Add($"{items.Count} items, total {total}");
        return (total, problems);
    }

    private static List<string> NodeCountProblems(JsonNode job)
    {
        var states = job["node_states"]!.AsObject().Sum(state => state.Value!.GetValue<int>());
        var count = job["node_count"]!.GetValue<int>();
        return states == count ? [] : [$"job {job["name"]}: node_count {count}, node_states add up to {states}"];
    }

    /// <summary>Jobs 9001-9004: the owner <c>flip</c> has two of them with two nodes each, or all four with three nodes each.</summary>
    private static MemoryStream Capture(bool many)
    {
        var jobs = new JsonArray();
        for (var id = 9001; id <= 9004; id++)
        {
            var nodes = new JsonArray();
            for (var n = 0; n < (many ? 3 : 2); n++)
            {
                nodes.Add(new JsonObject
                {
                    ["name"] = $"node-{n}.example.com",
                    ["state"] = n == 0 ? "failed" : "finished",
                    ["start_timestamp"] = "2016-05-20T16:44:32Z",
                    ["finish_timestamp"] = "2016-05-20T16:45:31Z",
                });
            }

            jobs.Add(new JsonObject
            {
                ["job"] = new JsonObject
                {
                    ["name"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["type"] = "deploy",
                    ["state"] = "finished",
                    ["command"] = "deploy",
                    ["owner"] = new JsonObject { ["id"] = "x", ["login"] = many || id <= 9002 ? "flip" : "other" },
                    ["timestamp"] = "2016-05-20T16:45:31Z",
                },
                ["nodes"] = nodes,
            });
        }

        return new MemoryStream(Encoding.UTF8.GetBytes(new JsonObject { ["jobs"] = jobs }.ToJsonString()));
    }
}
