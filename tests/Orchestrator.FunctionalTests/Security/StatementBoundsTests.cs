using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.FunctionalTests.Infrastructure;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.FunctionalTests.Security;

/// <summary>
/// A statement that would never end: interrupted when the command timeout passes and when the request is
/// cancelled; a flood of such searches queues or is refused while <c>/healthz</c> and other answers stay fast.
/// </summary>
[TestFixture]
[Category("SqliteOnly")] // sqlite3_interrupt is SQLite's; SQL Server's driver enforces its own command timeout and cancellation.
public sealed class StatementBoundsTests
{
    private const string Endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS \"Value\" FROM c";
    private const string Busy = """{"kind":"puppetlabs.orchestrator/database-unavailable","msg":"The job database is busy with other searches; try again shortly.","details":{}}""";

    private OrchestratorApiFactory _factory = null!;

    [SetUp]
    public async Task ImportCapture()
    {
        _factory = new OrchestratorApiFactory();
        await _factory.ImportAsync(TestData.Jobs);
    }

    [TearDown]
    public async Task Dispose() => await _factory.DisposeAsync();

    [Test]
    public async Task A_running_statement_is_interrupted_when_the_command_timeout_passes()
    {
        await using var app = _factory.WithWebHostBuilder(builder => builder.UseSetting("Database:CommandTimeoutSeconds", "1"));
        await using var scope = app.Services.CreateAsyncScope();
        var db = (DbContext)scope.ServiceProvider.GetRequiredService<IOrchestratorDbContext>();

        var clock = Stopwatch.StartNew();
        var reader = Assert.ThrowsAsync<SqliteException>(() => db.Database.SqlQueryRaw<long>(Endless).ToListAsync());
        var readerTime = clock.Elapsed;
        clock.Restart();
        var nonQuery = Assert.ThrowsAsync<SqliteException>(() => db.Database.ExecuteSqlRawAsync(Endless));
        var nonQueryTime = clock.Elapsed;
        var next = await db.Database.SqlQueryRaw<long>("SELECT 42 AS \"Value\"").ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reader!.SqliteErrorCode, Is.EqualTo(SQLitePCL.raw.SQLITE_INTERRUPT));
            Assert.That(nonQuery!.SqliteErrorCode, Is.EqualTo(SQLitePCL.raw.SQLITE_INTERRUPT));
            Assert.That(readerTime, Is.InRange(TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5)));
            Assert.That(nonQueryTime, Is.InRange(TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5)));
            Assert.That(next, Is.EqualTo(new[] { 42L }), "the connection's next statement is not interrupted");
        }
    }

    [Test]
    public async Task Cancelling_interrupts_a_running_statement()
    {
        await using var app = _factory.WithWebHostBuilder(builder => builder.UseSetting("Database:CommandTimeoutSeconds", "60"));
        await using var scope = app.Services.CreateAsyncScope();
        var db = (DbContext)scope.ServiceProvider.GetRequiredService<IOrchestratorDbContext>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var clock = Stopwatch.StartNew();
        var failure = Assert.CatchAsync(() => db.Database.SqlQueryRaw<long>(Endless).ToListAsync(cancel.Token));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure, Is.InstanceOf<SqliteException>().With.Property(nameof(SqliteException.SqliteErrorCode)).EqualTo(SQLitePCL.raw.SQLITE_INTERRUPT)
                .Or.InstanceOf<OperationCanceledException>());
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        }
    }

    [Test]
    public async Task A_slow_search_is_answered_503_on_time_and_a_cancelled_one_is_interrupted()
    {
        var slow = new EndlessSearches();
        await using var app = _factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.Replace(ServiceDescriptor.Scoped<IOrchestratorDbContext>(_ => Context(commandTimeoutSeconds: 1, slow)))));
        using var client = app.CreateClient();

        var clock = Stopwatch.StartNew();
        using var timedOut = await client.GetAsync("/orchestrator/v1/jobs?task=slow-timeout");
        var elapsed = clock.Elapsed;
        var body = JsonNode.Parse(await timedOut.Content.ReadAsStringAsync())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(timedOut.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(body["kind"]!.GetValue<string>(), Is.EqualTo("puppetlabs.orchestrator/database-unavailable"));
            Assert.That(body["details"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "trace_id" }));
            Assert.That(elapsed, Is.InRange(TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5)));
        }
    }

    [Test]
    public async Task A_search_whose_request_is_cancelled_is_interrupted()
    {
        var slow = new EndlessSearches();
        await using var app = _factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.Replace(ServiceDescriptor.Scoped<IOrchestratorDbContext>(_ => Context(commandTimeoutSeconds: 60, slow)))));
        using var client = app.CreateClient();
        using var cancel = new CancellationTokenSource();

        var request = client.GetAsync("/orchestrator/v1/jobs?task=slow-cancel", cancel.Token);
        await slow.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(200);
        await cancel.CancelAsync();
        Assert.CatchAsync<OperationCanceledException>(() => request);
        var clock = Stopwatch.StartNew();
        while (slow.Failures.IsEmpty && clock.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(50);

        Assert.That(slow.Failures, Has.Count.EqualTo(1));
        var (after, failure) = slow.Failures.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure, Is.InstanceOf<SqliteException>().With.Property(nameof(SqliteException.SqliteErrorCode)).EqualTo(SQLitePCL.raw.SQLITE_INTERRUPT));
            Assert.That(after, Is.LessThan(TimeSpan.FromSeconds(5)), "interrupted with the request (0.2 s in), not after the 60 s timeout");
        }
    }

    [Test]
    public async Task Health_and_other_answers_stay_fast_while_a_flood_of_searches_queues_or_is_refused()
    {
        var slow = new EndlessSearches();
        await using var app = _factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Limits:ListQueryConcurrency", "2");
            builder.UseSetting("Limits:ListQueryQueue", "4");
            builder.ConfigureTestServices(services =>
                services.Replace(ServiceDescriptor.Scoped<IOrchestratorDbContext>(_ => Context(commandTimeoutSeconds: 2, slow))));
        });
        using var client = app.CreateClient();
        using (var warm = await client.GetAsync("/orchestrator/v1/jobs/1234"))
            Assert.That(warm.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var flood = Enumerable.Range(0, 30).Select(i => client.GetAsync($"/orchestrator/v1/jobs?task=slow-{i}")).ToArray();
        var slowest = TimeSpan.Zero;
        var probes = 0;
        while (!flood.All(t => t.IsCompleted))
        {
            var clock = Stopwatch.StartNew();
            using (var health = await client.GetAsync("/healthz"))
                Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            using (var job = await client.GetAsync("/orchestrator/v1/jobs/1234"))
                Assert.That(job.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            probes++;
            await Task.Delay(100);
        }

        var answers = await Task.WhenAll(flood);
        var refused = answers.Where(a => a.Headers.RetryAfter is not null).ToList();
        var interrupted = answers.Except(refused).ToList();
        await TestContext.Out.WriteLineAsync(
            $"flood of 30: {interrupted.Count} interrupted, {refused.Count} refused; {probes} probes, slowest {slowest.TotalMilliseconds:0} ms");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answers.Select(a => a.StatusCode), Is.All.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(interrupted, Has.Count.InRange(2, 12), "at most the running and the queued searches reach the database");
            Assert.That(refused, Has.Count.EqualTo(30 - interrupted.Count));
            Assert.That(slow.Failures.Count, Is.EqualTo(interrupted.Count));
            Assert.That(refused.Select(r => r.Headers.RetryAfter!.Delta), Is.All.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(probes, Is.GreaterThanOrEqualTo(5), "the flood lasted while the probes ran");
            Assert.That(slowest, Is.LessThan(TimeSpan.FromSeconds(1)), "health and a job by id while the searches ran");
        }

        JsonAssert.AreEqual(Busy, await refused[0].Content.ReadAsStringAsync());
        foreach (var answer in answers)
            answer.Dispose();
    }

    /// <summary>A request context built exactly as the API builds it, with a statement that never ends for searches.</summary>
    private SqliteOrchestratorDbContext Context(int commandTimeoutSeconds, EndlessSearches slow)
    {
        var options = Orchestrator.Infrastructure.DependencyInjection.ReadOnlySqliteOptions(
            $"Data Source={_factory.DatabasePath};Mode=ReadOnly", new DatabaseOptions { CommandTimeoutSeconds = commandTimeoutSeconds }, loggerFactory: null);
        return new SqliteOrchestratorDbContext(new DbContextOptionsBuilder<SqliteOrchestratorDbContext>(options).AddInterceptors(slow).Options);
    }

    /// <summary>Turns any statement with a <c>slow-</c> parameter (the <c>task</c> filter) into one that never ends.</summary>
    private sealed class EndlessSearches : DbCommandInterceptor
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public ConcurrentQueue<(TimeSpan After, Exception Failure)> Failures { get; } = new();

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Rewrite(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Rewrite(command);
            return ValueTask.FromResult(result);
        }

        public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            if (command.CommandText == Endless)
                Failures.Enqueue((_clock.Elapsed, eventData.Exception));
            return Task.CompletedTask;
        }

        public override void CommandFailed(DbCommand command, CommandErrorEventData eventData)
        {
            if (command.CommandText == Endless)
                Failures.Enqueue((_clock.Elapsed, eventData.Exception));
        }

        private void Rewrite(DbCommand command)
        {
            if (!command.Parameters.Cast<DbParameter>().Any(p => p.Value is string s && s.Contains("slow-", StringComparison.Ordinal)))
                return;
            _clock.Restart();
            command.Parameters.Clear();
            command.CommandText = Endless;
            Started.TrySetResult();
        }
    }
}
