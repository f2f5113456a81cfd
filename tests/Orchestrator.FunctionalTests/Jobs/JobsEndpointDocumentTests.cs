using System.Net;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Jobs;

/// <summary>Every endpoint's whole document, for data imported from a capture-shaped file.</summary>
[TestFixture]
public sealed class JobsEndpointDocumentTests : ImportedCaptureFixture
{
    [TestCase("/orchestrator/v1/jobs", "list-default.json")]
    [TestCase("/orchestrator/v1/jobs?limit=2&offset=1&order_by=owner&order=desc", "list-owner-desc-page.json")]
    [TestCase("/orchestrator/v1/jobs?type=task&task=package", "list-task-filter.json")]
    [TestCase("/orchestrator/v1/jobs?min_finish_timestamp=2016-05-21T00:00:00Z&max_finish_timestamp=2016-05-24T12:00:09Z&order_by=name", "list-finished-between.json")]
    [TestCase("/orchestrator/v1/jobs?limit=0", "list-limit-zero.json")]
    [TestCase("/orchestrator/v1/jobs?state=running,failed&order_by=name", "list-state-filter.json")]
    [TestCase("/orchestrator/v1/jobs?owner=carol&order=desc", "list-owner-filter.json")]
    [TestCase("/orchestrator/v1/jobs?environment=staging&state=stopped&state=running", "list-environment-filter.json")]
    [TestCase("/orchestrator/v1/jobs?offset=100", "list-offset-past-end.json")]
    [TestCase("/orchestrator/v1/jobs/1234", "job-1234.json")]
    [TestCase("/orchestrator/v1/jobs/1236", "job-1236.json")]
    [TestCase("/orchestrator/v1/jobs/1237", "job-1237.json")]
    [TestCase("/orchestrator/v1/jobs/1234/nodes", "nodes-1234.json")]
    [TestCase("/orchestrator/v1/jobs/1234/nodes?order_by=duration&order=desc&limit=3", "nodes-1234-duration-desc.json")]
    [TestCase("/orchestrator/v1/jobs/1234/nodes?state=finished&offset=1", "nodes-1234-finished-offset.json")]
    [TestCase("/orchestrator/v1/jobs/1236/nodes", "nodes-1236-running.json")]
    [TestCase("/orchestrator/v1/jobs/1237/nodes", "nodes-1237-none.json")]
    [TestCase("/orchestrator/v1/jobs/1234/report", "report-1234.json")]
    [TestCase("/orchestrator/v1/jobs/1237/report", "report-1237.json")]
    [TestCase("/orchestrator/v1/jobs/1234/events", "events-1234.json")]
    [TestCase("/orchestrator/v1/jobs/1234/events?start=106&limit=2", "events-1234-page.json")]
    [TestCase("/orchestrator/v1/jobs/1234/events?start=110", "events-1234-caught-up.json")]
    [TestCase("/orchestrator/v1/jobs/1237/events", "events-1237-none.json")]
    public async Task Serves_the_whole_document(string url, string expectedFile)
    {
        using var response = await Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();

        if (Environment.GetEnvironmentVariable("ORCHESTRATOR_WRITE_EXPECTED") is { Length: > 0 } target)
            await File.WriteAllTextAsync(Path.Combine(target, expectedFile), body);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        }

        JsonAssert.AreEqual(TestData.Expected(expectedFile), body);
    }
}
