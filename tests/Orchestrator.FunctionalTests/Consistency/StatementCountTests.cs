using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Consistency;

/// <summary>
/// How many SQL statements each endpoint sends through its DbContext, counted by a command interceptor (the read
/// transaction's BEGIN and its end are not commands): a first request, a repeat without kept documents (totals
/// are still kept per data version), and a repeat answered from the document cache. A request to a cacheable
/// endpoint also reads the latest version first, on a pooled connection of its own (<c>LatestDataVersion</c>, one
/// statement outside EF Core). The figures are in docs/performance.md; the SQL Server job runs the same assertions.
/// </summary>
[TestFixture]
public sealed class StatementCountTests
{
    private OrchestratorApiFactory _factory = null!;

    [OneTimeSetUp]
    public async Task ImportCapture()
    {
        _factory = new OrchestratorApiFactory();
        await _factory.ImportAsync(TestData.Jobs);
    }

    [OneTimeTearDown]
    public async Task Dispose() => await _factory.DisposeAsync();

    [TestCase("/orchestrator/v1/jobs?limit=20", 5, 4, 0)]
    [TestCase("/orchestrator/v1/jobs?limit=20&order_by=owner&owner=brian", 5, 4, 0)]
    [TestCase("/orchestrator/v1/jobs/1234", 3, 3, 0)]
    [TestCase("/orchestrator/v1/jobs/1234/nodes", 2, 2, 2)]
    [TestCase("/orchestrator/v1/jobs/1234/nodes?limit=100", 2, 2, 2)]
    [TestCase("/orchestrator/v1/jobs/1234/report", 2, 2, 2)]
    [TestCase("/orchestrator/v1/jobs/1234/events?start=105", 2, 2, 0)]
    public async Task Statements_per_request(string url, int first, int repeatedWithoutDocuments, int repeated)
    {
        var uncached = await Count(url, documentCacheMb: "0", requests: 2);
        var cached = await Count(url, documentCacheMb: "64", requests: 2);
        TestContext.Out.WriteLine($"{url}: first {cached[0]} (without documents {uncached[0]}), again {cached[1]}, again without documents {uncached[1]}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cached[0], Is.EqualTo(first), "first request");
            Assert.That(uncached[1], Is.EqualTo(repeatedWithoutDocuments), "repeated, Database:DocumentCacheMb=0");
            Assert.That(cached[1], Is.EqualTo(repeated), "repeated, documents kept");
        }
    }

    private async Task<int[]> Count(string url, string documentCacheMb, int requests)
    {
        var counter = new CountingInterceptor();
        await using var app = _factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Database:DocumentCacheMb", documentCacheMb);
            builder.ConfigureTestServices(services => services.AddSingleton<IInterceptor>(counter));
        });
        using var client = app.CreateClient();
        var counts = new int[requests];
        for (var i = 0; i < requests; i++)
        {
            counter.Statements.Clear();
            using var response = await client.GetAsync(url);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            counts[i] = counter.Statements.Count;
        }

        return counts;
    }

    private sealed class CountingInterceptor : DbCommandInterceptor
    {
        public ConcurrentQueue<string> Statements { get; private set; } = new();

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Statements.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Statements.Enqueue(command.CommandText);
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Statements.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }
}
