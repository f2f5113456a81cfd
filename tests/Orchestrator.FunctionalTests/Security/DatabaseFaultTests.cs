using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Infrastructure.Persistence;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Security;

/// <summary>
/// Real faults, not mocks: another process holding SQLite's exclusive lock, the database file taken away and
/// given back (those two on SQLite only), a SQL Server port with nothing listening. Requests answer 503 within the
/// command timeout, readiness fails while liveness holds, and service resumes without a restart. One injected
/// fault, on either provider: a read that fails after the first rows, while a streamed document is being written.
/// </summary>
[TestFixture]
public sealed class DatabaseFaultTests
{
    private const string Unavailable = """{"kind":"puppetlabs.orchestrator/database-unavailable","msg":"The job database is unavailable; try again shortly."}""";

    // Generous against a 2-second command timeout: this checks that a fault cannot hang a request, not speed.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private OrchestratorApiFactory _factory = null!;
    private WebApplicationFactoryClient _app = null!;

    [SetUp]
    public async Task ImportCapture()
    {
        _factory = new OrchestratorApiFactory();
        await _factory.ImportAsync(TestData.Jobs);
        _app = new WebApplicationFactoryClient(_factory, builder => builder.UseSetting("Database:CommandTimeoutSeconds", "2"));
    }

    [TearDown]
    public async Task Dispose()
    {
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }

    // SQLite's exclusive file lock, taken by another process; on SQL Server a writer's locks do not stop readers
    // at SNAPSHOT isolation, so there is no such fault to show.
    [Test]
    [Category(TestCategories.SqliteOnly)]
    public async Task A_writer_holding_the_lock_gives_503_then_service_resumes()
    {
        using (var holder = LockHolder.Start(_factory.DatabasePath))
        {
            await AssertUnavailable();
            holder.Release();
        }

        await AssertServing();
    }

    // Moves the SQLite file and its WAL aside; a SQL Server database is not a file the API can lose (the
    // unreachable server below is its counterpart).
    [Test]
    [Category(TestCategories.SqliteOnly)]
    public async Task A_missing_database_file_gives_503_until_it_is_restored()
    {
        await AssertServing();
        var moved = MoveDatabaseAside(_factory.DatabasePath);
        // The guard looks at the file once per Recheck; a request sooner may still be served by a pooled handle.
        await Task.Delay(SqliteFileGuard.Recheck * 3);

        await AssertUnavailable();

        foreach (var (from, to) in moved)
            File.Move(to, from);
        await AssertServing();
    }

    [Test]
    public async Task An_unreachable_sql_server_gives_503_within_the_timeout()
    {
        await using var sqlServer = new WebApplicationFactoryClient(_factory, builder =>
        {
            builder.UseSetting("Database:Provider", "SqlServer");
            builder.UseSetting("Database:CommandTimeoutSeconds", "2");
            builder.UseSetting("ConnectionStrings:Orchestrator",
                "Server=127.0.0.1,1;Database=orchestrator;User ID=reader;Password=unused;Connect Timeout=2;TrustServerCertificate=true");
        });

        await AssertUnavailable(sqlServer);
    }

    [TestCase("/orchestrator/v1/jobs/1234/nodes")]
    [TestCase("/orchestrator/v1/jobs/1234/report")]
    public async Task A_failure_while_the_items_stream_gives_503_and_no_part_of_the_document(string url)
    {
        var interceptor = new FailingReadInterceptor(rowsBeforeFailure: 1);
        await using var app = new WebApplicationFactoryClient(_factory, builder => builder.ConfigureTestServices(services =>
        {
            if (_factory.UsesSqlServer)
            {
                // Requests read through the provider's registered context; the interceptor joins its options.
                services.ConfigureDbContext<SqlServerOrchestratorDbContext>(options => options.AddInterceptors(interceptor));
                return;
            }

            // SQLite requests read through a pool of read-only contexts built apart from the registered one.
            var failing = new DbContextOptionsBuilder<SqliteOrchestratorDbContext>()
                .UseSqlite($"Data Source={_factory.DatabasePath};Mode=ReadOnly")
                .AddInterceptors(interceptor)
                .Options;
            services.Replace(ServiceDescriptor.Scoped<IOrchestratorDbContext>(_ => new SqliteOrchestratorDbContext(failing)));
        }));

        using var response = await app.Client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        var body = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), text);
            Assert.That(response.Headers.ETag, Is.Null);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(body["kind"]!.GetValue<string>(), Is.EqualTo("puppetlabs.orchestrator/database-unavailable"));
            Assert.That(body["msg"]!.GetValue<string>(), Is.EqualTo("The job database is unavailable; try again shortly."));
            Assert.That(body["details"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "trace_id" }));
            Assert.That(body.Select(p => p.Key), Is.EqualTo(new[] { "kind", "msg", "details" }));
        }
    }

    private Task AssertServing() => AssertServing(_app);

    private Task AssertUnavailable() => AssertUnavailable(_app);

    private static async Task AssertServing(WebApplicationFactoryClient app)
    {
        using var jobs = await app.Client.GetAsync("/orchestrator/v1/jobs/1234");
        using var ready = await app.Client.GetAsync("/readyz");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(jobs.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    private static async Task AssertUnavailable(WebApplicationFactoryClient app)
    {
        var clock = Stopwatch.StartNew();
        using var jobs = await app.Client.GetAsync("/orchestrator/v1/jobs/1234");
        var elapsed = clock.Elapsed;
        var body = System.Text.Json.Nodes.JsonNode.Parse(await jobs.Content.ReadAsStringAsync())!.AsObject();
        using var ready = await app.Client.GetAsync("/readyz");
        using var live = await app.Client.GetAsync("/healthz");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(jobs.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(elapsed, Is.LessThan(Bound));
            Assert.That(body["kind"]!.GetValue<string>(), Is.EqualTo("puppetlabs.orchestrator/database-unavailable"));
            Assert.That(body["details"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "trace_id" }));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            JsonAssert.AreEqual(
                """{"kind":"puppetlabs.orchestrator/database-unavailable","msg":"The job database is unavailable.","details":{"database":"unhealthy"}}""",
                await ready.Content.ReadAsStringAsync());
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    private static List<(string From, string To)> MoveDatabaseAside(string path)
    {
        SqliteConnection.ClearAllPools();
        var moved = new List<(string, string)>();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists))
        {
            File.Move(file, file + ".aside");
            moved.Add((file, file + ".aside"));
        }

        return moved;
    }

    /// <summary>A second process (python3's sqlite3) that takes SQLite's exclusive lock and holds it until released.</summary>
    private sealed class LockHolder : IDisposable
    {
        private const string Script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("PRAGMA locking_mode=EXCLUSIVE")
            db.execute("BEGIN EXCLUSIVE")
            db.execute("UPDATE Jobs SET Description = Description WHERE Id = 1234")
            print("locked", flush=True)
            sys.stdin.read()
            db.execute("ROLLBACK")
            db.close()
            """;

        private readonly Process _process;

        private LockHolder(Process process) => _process = process;

        public static LockHolder Start(string database)
        {
            // An exclusive lock needs every other connection closed first, idle pooled ones included.
            SqliteConnection.ClearAllPools();
            var start = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(Script);
            start.ArgumentList.Add(database);
            var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
            var line = process.StandardOutput.ReadLine();
            if (line != "locked")
                Assert.Fail($"python3 could not take the lock: {process.StandardError.ReadToEnd()}");
            return new LockHolder(process);
        }

        public void Release()
        {
            _process.StandardInput.Close();
            _process.WaitForExit(10_000);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
                _process.Kill();
            _process.Dispose();
        }
    }
}

/// <summary>A configured copy of the factory and a client of it, disposed together.</summary>
internal sealed class WebApplicationFactoryClient : IAsyncDisposable
{
    private readonly Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _app;

    public WebApplicationFactoryClient(OrchestratorApiFactory factory, Action<IWebHostBuilder> configure)
    {
        _app = factory.WithWebHostBuilder(configure);
        Client = _app.CreateClient();
    }

    public HttpClient Client { get; }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
