using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Jobs;

/// <summary>
/// A document is answered again without touching the jobs tables while the database is unchanged, byte for byte
/// the same. Whether SQL ran is read from EF Core's command log. (Invalidation by imports is covered by
/// <see cref="ConditionalGetTests"/>: each of its "any change" cases reads the document before the change.)
/// </summary>
[TestFixture]
public sealed class DocumentCacheTests
{
    private readonly CapturingLoggerProvider _logs = new();
    private OrchestratorApiFactory _factory = null!;

    [SetUp]
    public async Task ImportCapture()
    {
        _factory = new OrchestratorApiFactory();
        await _factory.ImportAsync(TestData.Jobs);
    }

    [TearDown]
    public async Task Dispose() => await _factory.DisposeAsync();

    [TestCase("/orchestrator/v1/jobs?limit=2&order_by=owner")]
    [TestCase("/orchestrator/v1/jobs/1234")]
    [TestCase("/orchestrator/v1/jobs/1234/events?start=105")]
    public async Task An_unchanged_database_answers_the_same_bytes_without_sql(string url)
    {
        using var client = App().CreateClient();
        var first = await client.GetByteArrayAsync(url);
        _logs.Lines.Clear();

        using var again = await client.GetAsync(url);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await again.Content.ReadAsByteArrayAsync(), Is.EqualTo(first));
            Assert.That(again.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(SqlRun(), Is.Empty);
        }
    }

    // Durations of running nodes follow the clock: whatever spelling routes to /nodes or /report is never kept.
    [TestCase("/orchestrator/v1/jobs/1236/nodes")]
    [TestCase("/orchestrator/v1/jobs/1236/nodes/")]
    [TestCase("/orchestrator/v1/jobs/1236/NODES")]
    [TestCase("/orchestrator/v1/jobs/1236/report")]
    [TestCase("/orchestrator/v1/JOBS/1236/Report/")]
    public async Task Nodes_and_reports_are_always_read(string url)
    {
        using var client = App().CreateClient();
        using var first = await client.GetAsync(url);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the spelling routes");
        _logs.Lines.Clear();

        await client.GetByteArrayAsync(url);

        Assert.That(SqlRun(), Is.Not.Empty);
    }

    // Spellings that bind to the same values share one entry: the second of each pair runs no SQL.
    [TestCase("/orchestrator/v1/jobs?limit=10", "/orchestrator/v1/jobs?limit=0010")]
    [TestCase("/orchestrator/v1/jobs?limit=10", "/orchestrator/v1/jobs?limit=10&junk=1&utm_source=x")]
    [TestCase("/orchestrator/v1/jobs?limit=10", "/orchestrator/v1/jobs?LIMIT=10&order=asc&offset=0&order_by=timestamp")]
    [TestCase("/orchestrator/v1/jobs?state=failed,finished", "/orchestrator/v1/jobs?state=finished&state=failed&state=finished")]
    [TestCase("/orchestrator/v1/jobs?owner=brian&task=", "/orchestrator/v1/jobs?owner=brian")]
    [TestCase("/orchestrator/v1/jobs/1234", "/orchestrator/v1/jobs/01234")]
    [TestCase("/orchestrator/v1/jobs/1234", "/orchestrator/v1/jobs/1234/?x=1")]
    [TestCase("/orchestrator/v1/jobs/1234/events?start=105", "/orchestrator/v1/jobs/1234/events?start=0105&junk")]
    public async Task Spellings_that_mean_the_same_share_one_entry(string url, string sameMeaning)
    {
        using var client = App().CreateClient();
        var first = await client.GetByteArrayAsync(url);
        _logs.Lines.Clear();

        using var again = await client.GetAsync(sameMeaning);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await again.Content.ReadAsByteArrayAsync(), Is.EqualTo(first));
            Assert.That(SqlRun(), Is.Empty);
        }
    }

    [Test]
    public async Task Junk_parameters_cannot_flush_what_dashboards_poll()
    {
        using var client = App(builder => builder.UseSetting("Database:DocumentCacheMb", "1")).CreateClient();
        var first = await client.GetByteArrayAsync("/orchestrator/v1/jobs?limit=2");
        for (var i = 0; i < 500; i++)
            await client.GetByteArrayAsync($"/orchestrator/v1/jobs?limit=2&junk={i}&pad={new string('x', 1000)}");
        _logs.Lines.Clear();

        var again = await client.GetByteArrayAsync("/orchestrator/v1/jobs?limit=2");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again, Is.EqualTo(first));
            Assert.That(SqlRun(), Is.Empty);
        }
    }

    [Test]
    public async Task Responses_are_private_to_the_client()
    {
        using var client = App().CreateClient();

        using var list = await client.GetAsync("/orchestrator/v1/jobs?limit=1");
        using var listAgain = await client.GetAsync("/orchestrator/v1/jobs?limit=1");
        using var nodes = await client.GetAsync("/orchestrator/v1/jobs/1234/nodes");

        using (Assert.EnterMultipleScope())
        {
            foreach (var response in new[] { list, listAgain, nodes })
            {
                Assert.That(response.Headers.CacheControl?.Private, Is.True);
                Assert.That(response.Headers.CacheControl?.NoCache, Is.True);
            }
        }
    }

    [Test]
    public async Task Errors_are_not_kept()
    {
        using var client = App().CreateClient();
        await client.GetAsync("/orchestrator/v1/jobs/999");
        _logs.Lines.Clear();

        using var again = await client.GetAsync("/orchestrator/v1/jobs/999");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(SqlRun(), Is.Not.Empty);
        }
    }

    [Test]
    public async Task Each_host_gets_its_own_links()
    {
        // Links built from the request, as they are without Orchestrator:PublicBaseUrl.
        using var client = App(builder => builder.UseSetting("Orchestrator:PublicBaseUrl", "")).CreateClient();

        var one = await Get(client, "one.example.com");
        var two = await Get(client, "two.example.com");
        var oneAgain = await Get(client, "one.example.com");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(one, Does.Contain("http://one.example.com/orchestrator/v1/jobs/1234").And.Not.Contain("two.example.com"));
            Assert.That(two, Does.Contain("http://two.example.com/orchestrator/v1/jobs/1234").And.Not.Contain("one.example.com"));
            Assert.That(oneAgain, Is.EqualTo(one));
        }
    }

    [Test]
    public async Task Setting_the_size_to_zero_turns_it_off()
    {
        using var client = App(builder => builder.UseSetting("Database:DocumentCacheMb", "0")).CreateClient();
        await client.GetByteArrayAsync("/orchestrator/v1/jobs/1234");
        _logs.Lines.Clear();

        await client.GetByteArrayAsync("/orchestrator/v1/jobs/1234");

        Assert.That(SqlRun(), Is.Not.Empty);
    }

    private static async Task<string> Get(HttpClient client, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orchestrator/v1/jobs/1234");
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    // Statements on the jobs tables, as either provider quotes them; not the data version check.
    private List<string> SqlRun() =>
        [.. _logs.Lines.Where(line => line.Contains("Executed DbCommand", StringComparison.Ordinal)
            && SqlText.Names(line, "Jobs", "JobNodes", "JobStatuses", "NodeEvents"))];

    private WebApplicationFactory<Program> App(Action<IWebHostBuilder>? configure = null) =>
        _factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Information");
            builder.ConfigureLogging(logging => logging.AddProvider(_logs));
            configure?.Invoke(builder);
        });
}
