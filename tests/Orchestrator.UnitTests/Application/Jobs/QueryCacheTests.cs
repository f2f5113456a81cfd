using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Jobs.Queries.GetJob;
using Orchestrator.Application.Jobs.Queries.GetJobEvents;
using Orchestrator.Application.Jobs.Queries.GetJobNodes;
using Orchestrator.Application.Jobs.Queries.GetJobReport;
using Orchestrator.Application.Jobs.Queries.ListJobs;
using Orchestrator.Domain.Enums;
using Orchestrator.Infrastructure.Persistence;
using Orchestrator.UnitTests.TestSupport;
using static Orchestrator.UnitTests.TestSupport.SqliteTestDatabase;

namespace Orchestrator.UnitTests.Application.Jobs;

/// <summary>
/// Handlers are plain LINQ, so every request hands EF Core an expression to look up in its query cache. A request
/// value that reaches the expression as a constant (a number passed to Take, an object a projection calls into)
/// makes each request a new query, compiled anew: correct answers at a fraction of the speed.
/// </summary>
public sealed class QueryCacheTests
{
    [Test]
    public async Task Later_requests_with_other_values_compile_no_statement()
    {
        using var database = new SqliteTestDatabase();
        database.Add(
            Job(1, j => j.OwnerLogin = "a"), Job(2, j => j.OwnerLogin = "b"),
            Node(10, 1, "web1", n => n.State = NodeState.Running), Node(11, 1, "web2"),
            Event(100, 1, 10), Event(101, 1, 11));
        var compilations = 0;
        Action<string> log = _ => Interlocked.Increment(ref compilations);
        Action<DbContextOptionsBuilder<SqliteOrchestratorDbContext>> counted = options => options.LogTo(log, [CoreEventId.QueryCompilationStarting]);
        var clock = new FakeTimeProvider(new DateTimeOffset(Utc(20, 17)));

        async Task Request(int n)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await using var db = database.NewContext(counted);
            var mapper = Mapper(clock);
            var paging = Options.Create(new PagingOptions());
            var owner = n % 2 == 0 ? "a" : "b";
            await new ListJobsQueryHandler(db, new UncachedRowCounts(), mapper, paging)
                .Handle(new ListJobsQuery { Limit = n, Offset = n - 1, OrderBy = JobOrderBy.Owner, Owner = owner }, default);
            await new GetJobQueryHandler(db, mapper).Handle(new GetJobQuery(n % 2 + 1), default);
            var nodes = await new GetJobNodesQueryHandler(db, mapper)
                .Handle(new GetJobNodesQuery(1) { Limit = n, Offset = n, OrderBy = NodeOrderBy.Duration }, default);
            await nodes.Items.ToListAsync();
            await new GetJobEventsQueryHandler(db, mapper, paging).Handle(new GetJobEventsQuery(1) { Start = 99 + n, Limit = n }, default);
            var report = await new GetJobReportQueryHandler(db, mapper).Handle(new GetJobReportQuery(n % 2 + 1), default);
            await report.Items.ToListAsync();
        }

        await Request(1);
        var first = compilations;
        await Request(2);
        await Request(3);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.GreaterThan(0), "the first request compiles its statements");
            Assert.That(compilations, Is.EqualTo(first), "later requests find every statement in EF Core's query cache");
        }
    }
}
