using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.OpenApi;

/// <summary>The NSwag document describes every operation, its parameters with allowed values, and its error body.</summary>
[TestFixture]
public sealed class OpenApiDocumentTests
{
    private OrchestratorApiFactory _factory = null!;
    private JsonObject _document = null!;

    [OneTimeSetUp]
    public async Task FetchDocument()
    {
        _factory = new OrchestratorApiFactory();
        using var client = _factory.CreateClient();
        _document = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!.AsObject();
    }

    [OneTimeTearDown]
    public async Task Dispose() => await _factory.DisposeAsync();

    [TestCase("/orchestrator/v1/jobs", "Jobs_List", "JobListDto")]
    [TestCase("/orchestrator/v1/jobs/{job_id}", "Jobs_Get", "JobDto")]
    [TestCase("/orchestrator/v1/jobs/{job_id}/nodes", "Jobs_GetNodes", "JobNodesDto")]
    [TestCase("/orchestrator/v1/jobs/{job_id}/report", "Jobs_GetReport", "JobReportDto")]
    [TestCase("/orchestrator/v1/jobs/{job_id}/events", "Jobs_GetEvents", "JobEventsDto")]
    public void Describes_each_operation_with_its_document_and_error_body(string path, string operationId, string schema)
    {
        var get = _document["paths"]![path]!["get"]!;
        var responses = get["responses"]!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(get["operationId"]!.GetValue<string>(), Is.EqualTo(operationId));
            Assert.That(Ref(responses["200"]!), Is.EqualTo($"#/components/schemas/{schema}"));
            foreach (var status in new[] { "400", "500", "503" }.Concat(path.Contains("job_id", StringComparison.Ordinal) ? ["404"] : []))
                Assert.That(Ref(responses[status]!), Is.EqualTo("#/components/schemas/ErrorResponse"), status);
        }
    }

    [TestCase("JobOrderBy", new[] { "owner", "timestamp", "environment", "name", "state" })]
    [TestCase("SortOrder", new[] { "asc", "desc" })]
    [TestCase("NodeOrderBy", new[] { "name", "duration", "state", "start_timestamp", "finish_timestamp" })]
    [TestCase("JobType", new[] { "deploy", "task", "plan_task", "plan_script", "plan_upload", "plan_command", "plan_wait", "plan_apply", "plan_apply_prep" })]
    [TestCase("NodeState", new[] { "new", "ready", "running", "stopping", "stopped", "finished", "failed", "errored", "skipped" })]
    public void Lists_the_allowed_values_as_clients_send_them(string schema, string[] values)
    {
        var allowed = _document["components"]!["schemas"]![schema]!["enum"]!.AsArray().Select(v => v!.GetValue<string>());
        Assert.That(allowed, Is.EqualTo(values));
    }

    [Test]
    public void Describes_the_error_body()
    {
        var error = _document["components"]!["schemas"]!["ErrorResponse"]!["properties"]!.AsObject();
        Assert.That(error.Select(p => p.Key), Is.EquivalentTo(new[] { "kind", "msg", "details" }));
    }

    [Test]
    public void Declares_the_token_header_and_bearer_as_the_ways_to_authenticate()
    {
        var expected = JsonNode.Parse("""
            {
              "X-Authentication": {
                "type": "apiKey",
                "description": "An API token with the orchestrator:view permission (the orchestrator's own header).",
                "name": "X-Authentication",
                "in": "header"
              },
              "Bearer": {
                "type": "http",
                "description": "The same API token, or a JWT from the configured issuer, as Authorization: Bearer.",
                "scheme": "bearer"
              }
            }
            """);
        Assert.That(JsonNode.DeepEquals(_document["components"]!["securitySchemes"], expected), Is.True,
            _document["components"]!["securitySchemes"]!.ToJsonString());
    }

    [Test]
    public void Every_orchestrator_operation_requires_either_scheme()
    {
        var either = JsonNode.Parse("""[{ "X-Authentication": [] }, { "Bearer": [] }]""");
        var operations = _document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => (Path: path.Key, Operation: operation.Value!)))
            .ToList();
        Assert.That(operations.Select(o => o.Path), Has.All.StartWith("/orchestrator/"));
        Assert.That(operations, Has.Count.EqualTo(5));
        foreach (var (path, operation) in operations)
            Assert.That(JsonNode.DeepEquals(operation["security"], either), Is.True, path);
    }

    [Test]
    public async Task Serves_swagger_ui()
    {
        using var client = _factory.CreateClient();
        using var response = await client.GetAsync("/swagger/index.html");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static string Ref(JsonNode response) =>
        response["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
}
