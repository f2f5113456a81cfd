using Orchestrator.Application.Jobs.Common;
using System.Data.Common;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Jobs.Queries.GetJob;
using Orchestrator.Application.Jobs.Queries.GetJobEvents;
using Orchestrator.Application.Jobs.Queries.GetJobNodes;
using Orchestrator.Application.Jobs.Queries.GetJobReport;
using Orchestrator.Application.Jobs.Queries.ListJobs;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Benchmarks;

public enum Scenario
{
    JobsFirstPage,
    JobsOwnerDesc,
    JobsFilterOwner,
    JobsDeepPage,
    JobById,
    Nodes100,
    NodesUnpaged,
    EventsPoll,
    Report,
}

/// <summary>
/// Each page through its handler as the API runs it (EF Core, mapping, document assembly; no HTTP, no JSON), for
/// allocations and for what the request's snapshot costs (SnapshotCost). The figure we steer by is end to end:
/// the load test, side by side against an earlier commit (tests/Benchmarks/compare.sh).
/// </summary>
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 8)]
[GcServer(true)] // as the API runs (the Web SDK's default)
[MemoryDiagnoser]
public class PageBenchmarks
{
    private const int DeepOffset = 500_000;

    private PooledDbContextFactory<SqliteOrchestratorDbContext> _contexts = null!;
    private string _connectionString = null!;
    private long _bigJob;
    private long _pollStart;
    private string _owner = null!;
    private int _deepOffset;
    private long _jobCount;
    private readonly VersionedCache<int> _counts = new(10_000); // one per process, as in the API

    [ParamsAllValues]
    public Scenario Scenario { get; set; }

    /// <summary>False runs the handler on a plain open connection: no read transaction, no version read (SnapshotCost).</summary>
    public bool WithSnapshot { get; set; } = true;

    [GlobalSetup]
    public void Setup()
    {
        var path = Environment.GetEnvironmentVariable("ORCHESTRATOR_BENCH_DB") ?? FindDefaultDatabase();
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString();
        // The API's request contexts: pooled, read-only, with its connection interceptors.
        _contexts = new PooledDbContextFactory<SqliteOrchestratorDbContext>(
            Infrastructure.DependencyInjection.ReadOnlySqliteOptions(_connectionString, new DatabaseOptions(), loggerFactory: null));

        using var connection = Open();
        _bigJob = Scalar<long>(connection, "SELECT JobId FROM JobNodes GROUP BY JobId ORDER BY COUNT(*) DESC LIMIT 1");
        _pollStart = Scalar<long>(connection, $"SELECT MAX(Id) - 20 FROM NodeEvents WHERE JobId = {_bigJob}");
        _owner = Scalar<string>(connection, "SELECT OwnerLogin FROM Jobs GROUP BY OwnerLogin ORDER BY COUNT(*) DESC LIMIT 1");
        _jobCount = Scalar<long>(connection, "SELECT COUNT(*) FROM Jobs");
        _deepOffset = (int)Math.Min(DeepOffset, _jobCount / 2);
    }

    [Benchmark(Baseline = true)]
    public async Task<int> Handler()
    {
        await using var db = _contexts.CreateDbContext();
        // As the API does for each request: one read transaction, the data version read first.
        await using var snapshot = new RequestSnapshot(new RequestDbContext(db), Options.Create(new DatabaseOptions()));
        if (WithSnapshot)
            await snapshot.VersionAsync(default);
        else
            await db.Database.OpenConnectionAsync();
        var mapper = new JobMapper(new Links(), TimeProvider.System);
        var paging = Options.Create(new PagingOptions());
        // The list handler counts once per data version, as in the API.
        async Task<int> List(ListJobsQuery query) =>
            (await new ListJobsQueryHandler(db, new VersionedRowCounts(snapshot, _counts), mapper, paging)
                .Handle(query, default)).Items.Count;
        return Scenario switch
        {
            Scenario.JobsFirstPage => await List(new ListJobsQuery { Limit = 20 }),
            Scenario.JobsOwnerDesc => await List(new ListJobsQuery { Limit = 20, OrderBy = JobOrderBy.Owner, Order = SortOrder.Desc }),
            Scenario.JobsFilterOwner => await List(new ListJobsQuery { Limit = 20, Owner = _owner }),
            Scenario.JobsDeepPage => await List(new ListJobsQuery { Limit = 20, Offset = _deepOffset }),
            Scenario.JobById => (await new GetJobQueryHandler(db, mapper).Handle(
                new GetJobQuery(1 + (Environment.TickCount64 & 0x7fffffff) % _jobCount), default)).Status.Count,
            Scenario.Nodes100 => await (await new GetJobNodesQueryHandler(db, mapper).Handle(
                new GetJobNodesQuery(_bigJob) { Limit = 100 }, default)).Items.CountAsync(),
            Scenario.NodesUnpaged => await (await new GetJobNodesQueryHandler(db, mapper).Handle(
                new GetJobNodesQuery(_bigJob), default)).Items.CountAsync(),
            Scenario.EventsPoll => (await new GetJobEventsQueryHandler(db, mapper, paging).Handle(
                new GetJobEventsQuery(_bigJob) { Start = _pollStart }, default)).Items.Count,
            Scenario.Report => await (await new GetJobReportQueryHandler(db, mapper).Handle(new GetJobReportQuery(_bigJob), default)).Items.CountAsync(),
            _ => throw new InvalidOperationException(),
        };
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Settings(connection);
        return connection;
    }

    // What SqliteConnectionSettings applies in the API with its defaults (Database:SqliteCacheSizeMb=64).
    private static void Settings(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA cache_size=-65536";
        command.ExecuteNonQuery();
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string FindDefaultDatabase()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "artifacts", "perf", "jobs-100000.db");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException("Set ORCHESTRATOR_BENCH_DB to a seeded database (tests/Benchmarks/run.sh seeds them).");
    }

    // Built as the API's RequestJobLinks builds them: one prefix, the id, a suffix.
    private sealed class Links : IJobLinks
    {
        private const string Jobs = "http://127.0.0.1/orchestrator/v1/jobs/";

        public string Job(long jobId) => Jobs + Id(jobId);

        public string Nodes(long jobId) => Jobs + Id(jobId) + "/nodes";

        public string Report(long jobId) => Jobs + Id(jobId) + "/report";

        public string Events(long jobId, long? start = null) => Jobs + Id(jobId) + "/events" + (start is { } s ? "?start=" + Id(s) : "");

        private static string Id(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
