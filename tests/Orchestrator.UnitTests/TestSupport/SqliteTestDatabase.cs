using Orchestrator.Application.Jobs.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Moq;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;
using Orchestrator.Infrastructure;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.UnitTests.TestSupport;

/// <summary>
/// A migrated SQLite database in memory, alive as long as this object: the real provider, so ordering,
/// filtering and SQL functions behave as they do in production's embedded mode.
/// </summary>
public sealed class SqliteTestDatabase : IDisposable
{
    public const string BaseUrl = "https://orchestrator.example.com:8143/orchestrator/v1/jobs/";

    private readonly SqliteConnection _connection;

    public SqliteTestDatabase()
    {
        _connection = new SqliteConnection("Data Source=:memory:");
        _connection.Open();
        Context = NewContext();
        Context.Database.Migrate();
    }

    public SqliteOrchestratorDbContext Context { get; }

    /// <summary>A fresh context over the same database, so reads never see the change tracker of the writes.</summary>
    public SqliteOrchestratorDbContext NewContext(Action<DbContextOptionsBuilder<SqliteOrchestratorDbContext>>? configure = null)
    {
        var options = new DbContextOptionsBuilder<SqliteOrchestratorDbContext>()
            .UseSqlite(_connection, sql => sql.UseParameterizedCollectionMode(DependencyInjection.CollectionMode));
        configure?.Invoke(options);
        return new(options.Options);
    }

    public void Add(params object[] entities)
    {
        using var context = NewContext();
        context.AddRange(entities);
        context.SaveChanges();
    }

    /// <summary>The request's mapper, with the test links and, unless given, the system clock.</summary>
    public static JobMapper Mapper(TimeProvider? clock = null) => new(Links(), clock ?? TimeProvider.System);

    public static IJobLinks Links()
    {
        var links = new Mock<IJobLinks>();
        links.Setup(l => l.Job(It.IsAny<long>())).Returns((long id) => $"{BaseUrl}{id}");
        links.Setup(l => l.Nodes(It.IsAny<long>())).Returns((long id) => $"{BaseUrl}{id}/nodes");
        links.Setup(l => l.Report(It.IsAny<long>())).Returns((long id) => $"{BaseUrl}{id}/report");
        links.Setup(l => l.Events(It.IsAny<long>(), It.IsAny<long?>()))
            .Returns((long id, long? start) => $"{BaseUrl}{id}/events" + (start is null ? "" : $"?start={start}"));
        return links.Object;
    }

    public static DateTime Utc(int day, int hour = 0, int minute = 0, int second = 0) =>
        new(2016, 5, day, hour, minute, second, DateTimeKind.Utc);

    public static Job Job(long id, Action<Job>? configure = null)
    {
        var job = new Job
        {
            Id = id,
            Type = JobType.Deploy,
            State = JobState.Finished,
            Command = "deploy",
            OwnerJson = $$"""{"id":"owner-{{id}}","login":"user{{id}}"}""",
            OptionsJson = """{"noop":false}""",
            OwnerLogin = $"user{id}",
            Timestamp = Utc(20, 16, 45, 31),
        };
        configure?.Invoke(job);
        return job;
    }

    public static JobNode Node(long id, long jobId, string name, Action<JobNode>? configure = null)
    {
        var node = new JobNode { Id = id, JobId = jobId, Name = name, State = NodeState.Finished };
        configure?.Invoke(node);
        return node;
    }

    public static NodeEvent Event(long id, long jobId, long? nodeId, Action<NodeEvent>? configure = null)
    {
        var nodeEvent = new NodeEvent
        {
            Id = id,
            JobId = jobId,
            NodeId = nodeId,
            Type = EventType.NodeRunning,
            Timestamp = Utc(20, 16, 0, (int)(id % 60)),
            DetailsJson = $$"""{"event":{{id}}}""",
        };
        configure?.Invoke(nodeEvent);
        return nodeEvent;
    }

    public void Dispose()
    {
        Context.Dispose();
        _connection.Dispose();
    }
}
