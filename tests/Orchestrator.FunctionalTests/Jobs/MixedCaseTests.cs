using System.Net;
using System.Text;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Jobs;

/// <summary>
/// Names compare ordinally (binary, case sensitive) on every provider: filters match exactly, orderings put upper
/// case before lower case, and node names that differ only in case are different nodes. The file order of the
/// nodes of job 3001 (web01, db01, Web01) is neither their ordinal nor their case-insensitive order.
/// </summary>
[TestFixture]
public sealed class MixedCaseTests : ImportedCaptureFixture
{
    protected override string CaptureFile => TestData.MixedCase;

    [TestCase("/orchestrator/v1/jobs?owner=brian", "mixed-owner-filter.json")]
    [TestCase("/orchestrator/v1/jobs?owner=ALICE", "mixed-owner-filter-upper.json")]
    [TestCase("/orchestrator/v1/jobs?environment=Production", "mixed-environment-filter.json")]
    [TestCase("/orchestrator/v1/jobs?task=package", "mixed-task-filter.json")]
    [TestCase("/orchestrator/v1/jobs?task=Package%3A%3AS", "mixed-task-filter-upper.json")]
    [TestCase("/orchestrator/v1/jobs?order_by=owner", "mixed-order-by-owner.json")]
    [TestCase("/orchestrator/v1/jobs?order_by=environment&order=desc", "mixed-order-by-environment-desc.json")]
    [TestCase("/orchestrator/v1/jobs/3001/nodes", "mixed-nodes-3001.json")]
    [TestCase("/orchestrator/v1/jobs/3001/nodes?order=desc&limit=2", "mixed-nodes-3001-desc-page.json")]
    [TestCase("/orchestrator/v1/jobs/3001/report", "mixed-report-3001.json")]
    public async Task Serves_the_whole_document(string url, string expectedFile)
    {
        using var response = await Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();

        if (Environment.GetEnvironmentVariable("ORCHESTRATOR_WRITE_EXPECTED") is { Length: > 0 } target)
            await File.WriteAllTextAsync(Path.Combine(target, expectedFile), body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        JsonAssert.AreEqual(TestData.Expected(expectedFile), body);
    }

    [TestCase("Web01", "$.jobs[0].nodes[1].name: duplicate node name \"Web01\" (also at $.jobs[0].nodes[0].name)")]
    [TestCase("Web01 ", "$.jobs[0].nodes[1].name: duplicate node name \"Web01 \" (\"Web01\" at $.jobs[0].nodes[0].name; trailing spaces do not make a name distinct)")]
    public async Task A_true_duplicate_node_name_is_a_problem_report_and_changes_nothing(string second, string problem)
    {
        var before = await Client.GetStringAsync("/orchestrator/v1/jobs/3001/nodes");
        var file = $$"""
            { "jobs": [ { "job": { "name": "3001", "state": "finished", "command": "task", "timestamp": "2016-05-11T10:00:15Z" },
              "nodes": [ { "name": "Web01", "state": "finished" }, { "name": "{{second}}", "state": "finished" } ] } ] }
            """;

        var result = await Factory.TryImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(file)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Problems, Is.EqualTo(new[] { problem }));
            Assert.That(await Client.GetStringAsync("/orchestrator/v1/jobs/3001/nodes"), Is.EqualTo(before));
        }
    }
}
