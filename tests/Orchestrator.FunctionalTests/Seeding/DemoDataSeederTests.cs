using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Domain.Enums;
using Orchestrator.FunctionalTests.Common;
using Orchestrator.FunctionalTests.Infrastructure;
using Orchestrator.Infrastructure.Seeding;

namespace Orchestrator.FunctionalTests.Seeding;

public sealed class DemoDataSeederTests
{
    private readonly List<TestDatabase> _databases = [];

    [TearDown]
    public async Task TearDown()
    {
        foreach (var database in _databases)
            await database.DisposeAsync();
        _databases.Clear();
    }

    [Test]
    public async Task Same_options_give_identical_rows()
    {
        var first = await NewDatabaseAsync();
        var second = await NewDatabaseAsync();

        var a = await SeedAsync(first, new SeedOptions());
        var b = await SeedAsync(second, new SeedOptions());

        Assert.That(a, Is.EqualTo(b));
        Assert.That(await second.DumpAsync(), Is.EqualTo(await first.DumpAsync()));
    }

    [Test]
    public async Task Another_seed_gives_other_rows()
    {
        var first = await NewDatabaseAsync();
        var second = await NewDatabaseAsync();

        await SeedAsync(first, new SeedOptions { Jobs = 60 });
        await SeedAsync(second, new SeedOptions { Jobs = 60, Seed = 7 });

        Assert.That(await second.DumpAsync(), Is.Not.EqualTo(await first.DumpAsync()));
    }

    [Test]
    public async Task Two_hundred_jobs_cover_every_state_type_and_shape()
    {
        var database = await NewDatabaseAsync();

        var result = await SeedAsync(database, new SeedOptions());

        await using var db = database.CreateContext();
        var jobs = await db.Jobs.AsNoTracking().Include(j => j.Statuses).ToListAsync();
        var nodes = await db.JobNodes.AsNoTracking().ToListAsync();
        var events = await db.NodeEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        var nodesPerJob = jobs.ToDictionary(j => j.Id, j => nodes.Count(n => n.JobId == j.Id));

        Assert.Multiple(() =>
        {
            Assert.That((result.Jobs, result.Nodes, result.Events), Is.EqualTo((200, nodes.Count, events.Count)));
            Assert.That(result.Refused, Is.False);
            Assert.That(jobs.Select(j => j.Id).Order(), Is.EqualTo(Enumerable.Range(1, 200).Select(i => (long)i)));
            Assert.That(jobs.Select(j => j.State).Distinct(), Is.EquivalentTo(Enum.GetValues<JobState>()));
            Assert.That(nodes.Select(n => n.State).Distinct(), Is.EquivalentTo(Enum.GetValues<NodeState>()));
            Assert.That(jobs.Select(j => j.Type).Distinct(), Is.SupersetOf(new[] { JobType.Deploy, JobType.Task, JobType.PlanTask }));
            Assert.That(jobs.Select(j => j.EnvironmentName).Distinct(), Is.SupersetOf(new string?[] { "production", "staging", "development", null }));
            Assert.That(jobs.Select(j => j.OwnerLogin).Distinct().Count(), Is.EqualTo(10));
            Assert.That(nodesPerJob.Values, Has.Some.EqualTo(0));
            Assert.That(nodesPerJob.Values, Has.Some.GreaterThanOrEqualTo(50));
            Assert.That(nodesPerJob.Values.Count(c => c is >= 1 and <= 20), Is.GreaterThan(150));
            Assert.That(nodes.Select(n => n.Name), Has.All.Match(@"^[a-z]+-\d{2}\.example\.com$"));
            Assert.That(events.Select(e => e.Id), Is.EqualTo(Enumerable.Range(1, events.Count).Select(i => (long)i)));
            Assert.That(events.Select(e => e.Timestamp), Is.Ordered, "event ids increase with time");
        });

        foreach (var job in jobs)
        {
            var statuses = job.Statuses.OrderBy(s => s.EnterTime).ThenBy(s => s.Id).ToList();
            var jobEvents = events.Where(e => e.JobId == job.Id).ToList();
            var done = job.State is JobState.Stopped or JobState.Finished or JobState.Failed;
            Assert.Multiple(() =>
            {
                Assert.That(statuses[0].State, Is.EqualTo(JobState.New), $"job {job.Id}");
                Assert.That(statuses[^1].State, Is.EqualTo(job.State), $"job {job.Id}");
                Assert.That(statuses[^1].ExitTime, Is.Null, $"job {job.Id}");
                Assert.That(statuses.SkipLast(1).Select(s => s.ExitTime), Has.None.Null, $"job {job.Id}");
                Assert.That(job.Timestamp, Is.EqualTo(statuses[^1].EnterTime), $"job {job.Id}");
                Assert.That(job.FinishedAt, done ? Is.EqualTo(job.Timestamp) : Is.Null, $"job {job.Id}");
                Assert.That(job.Timestamp.Kind, Is.EqualTo(DateTimeKind.Utc));
                Assert.That(job.OwnerJson, Is.EqualTo($$"""{"id":"{{job.OwnerId}}","login":"{{job.OwnerLogin}}"}"""));
                Assert.That(() => JsonDocument.Parse(job.OptionsJson).Dispose(), Throws.Nothing);
                if (job.Type == JobType.Task)
                    Assert.That(job.TaskName, Is.Not.Null, $"job {job.Id}");
                if (done)
                {
                    Assert.That(jobEvents.Last().Type,
                        Is.AnyOf(EventType.JobFinished, EventType.JobAborted, EventType.JobStopping), $"job {job.Id}");
                }
            });
        }

        Assert.Multiple(() =>
        {
            foreach (var node in nodes)
            {
                var nodeEvents = events.Where(e => e.NodeId == node.Id).ToList();
                switch (node.State)
                {
                    case NodeState.Running:
                        Assert.That(node.StartTimestamp, Is.Not.Null);
                        Assert.That(node.FinishTimestamp, Is.Null);
                        Assert.That(node.DetailsJson, Does.Contain("run-time"));
                        break;
                    case NodeState.Finished or NodeState.Failed or NodeState.Errored:
                        Assert.That(node.StartTimestamp, Is.Not.Null);
                        Assert.That(node.FinishTimestamp, Is.GreaterThanOrEqualTo(node.StartTimestamp ?? DateTime.MaxValue));
                        Assert.That(node.ResultJson, Is.Not.Null);
                        Assert.That(nodeEvents.Select(e => e.Type).First(), Is.EqualTo(EventType.NodeRunning));
                        Assert.That(nodeEvents.Last().DetailsJson, Does.StartWith($$"""{"node":"{{node.Name}}","detail":"""));
                        break;
                    case NodeState.Skipped:
                        Assert.That(node.StartTimestamp, Is.Null);
                        Assert.That(nodeEvents.Select(e => e.Type), Is.EqualTo(new[] { EventType.NodeSkipped }));
                        break;
                }
                if (node.State == NodeState.Errored)
                    Assert.That(node.ResultJson, Does.Contain("\"msg\"").And.Contain("\"kind\"").And.Contain("\"details\""));
            }
        });
    }

    // SQLite's own bulk writer, compared with EF Core's; on SQL Server every seed goes through EF Core.
    [Test]
    [Category(TestCategories.SqliteOnly)]
    public async Task The_sqlite_bulk_path_writes_the_rows_ef_core_writes()
    {
        var bulk = await NewDatabaseAsync();
        var tracked = await NewDatabaseAsync();
        var options = new SeedOptions { Jobs = 120, NodesPerJob = 6, EventsPerNode = 3 };

        await using (var db = bulk.CreateContext())
            await new DemoDataSeeder(db).SeedAsync(options, bulk: true, CancellationToken.None);
        await using (var db = tracked.CreateContext())
            await new DemoDataSeeder(db).SeedAsync(options, bulk: false, CancellationToken.None);

        Assert.That(await bulk.DumpAsync(), Is.EqualTo(await tracked.DumpAsync()));
    }

    [Test]
    public async Task Scale_options_give_big_jobs_many_owners_and_more_events()
    {
        var database = await NewDatabaseAsync();

        var result = await SeedAsync(database, new SeedOptions { Jobs = 10_000, NodesPerJob = 5, EventsPerNode = 4 });

        await using var db = database.CreateContext();
        var nodesPerJob = await db.JobNodes.GroupBy(n => n.JobId).Select(g => g.Count()).ToListAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(result.Nodes / 10_000.0, Is.InRange(4.0, 6.0));
            Assert.That(nodesPerJob.Max(), Is.GreaterThanOrEqualTo(10_000));
            Assert.That(nodesPerJob.Count(c => c is >= 1 and <= 20), Is.GreaterThan(9_000));
            Assert.That(await db.Jobs.Select(j => j.OwnerLogin).Distinct().CountAsync(), Is.GreaterThanOrEqualTo(100));
            Assert.That(await db.Jobs.Select(j => j.EnvironmentName).Distinct().CountAsync(), Is.GreaterThanOrEqualTo(12));
            Assert.That(await db.Jobs.Select(j => j.State).Distinct().CountAsync(), Is.EqualTo(Enum.GetValues<JobState>().Length));
            Assert.That((double)result.Events / result.Nodes, Is.GreaterThan(2.5));
            Assert.That(await db.NodeEvents.Where(e => e.NodeId != null).Join(db.JobNodes, e => e.NodeId, n => n.Id, (e, n) => e.JobId == n.JobId).AllAsync(same => same), Is.True);
        });
    }

    [Test]
    public async Task A_database_that_holds_jobs_is_refused_without_replace()
    {
        var database = await NewDatabaseAsync();
        await SeedAsync(database, new SeedOptions { Jobs = 20 });
        var before = await database.DumpAsync();

        var result = await SeedAsync(database, new SeedOptions { Jobs = 30, Seed = 1 });

        Assert.That(result.Refused, Is.True);
        Assert.That(result.Refusal, Is.Not.Empty);
        Assert.That(await database.DumpAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Replace_deletes_every_existing_job_first()
    {
        var database = await NewDatabaseAsync();
        await SeedAsync(database, new SeedOptions { Jobs = 80 });
        var fresh = await NewDatabaseAsync();
        await SeedAsync(fresh, new SeedOptions { Jobs = 30, Seed = 5 });

        var result = await SeedAsync(database, new SeedOptions { Jobs = 30, Seed = 5, Replace = true });

        Assert.That(result.Refused, Is.False);
        await using var db = database.CreateContext();
        Assert.Multiple(async () =>
        {
            Assert.That(await db.Jobs.CountAsync(), Is.EqualTo(30));
            Assert.That(await db.NodeEvents.CountAsync(), Is.EqualTo(result.Events));
            Assert.That(await db.JobNodes.CountAsync(), Is.EqualTo(result.Nodes));
            Assert.That(await db.JobStatuses.MaxAsync(s => s.JobId), Is.EqualTo(30));
        });
        // Node ids keep counting in the replaced database; everything else matches a fresh seed.
        await using var freshDb = fresh.CreateContext();
        Assert.That(await db.NodeEvents.AsNoTracking().OrderBy(e => e.Id).Select(e => e.DetailsJson).ToListAsync(),
            Is.EqualTo(await freshDb.NodeEvents.AsNoTracking().OrderBy(e => e.Id).Select(e => e.DetailsJson).ToListAsync()));
    }

    [Test]
    public async Task Epoch_sets_the_first_job_time()
    {
        var database = await NewDatabaseAsync();
        var epoch = new DateTime(2020, 2, 3, 4, 5, 6, DateTimeKind.Utc);

        await SeedAsync(database, new SeedOptions { Jobs = 5, Epoch = epoch });

        await using var db = database.CreateContext();
        Assert.That(await db.JobStatuses.MinAsync(s => s.EnterTime), Is.EqualTo(epoch));
    }

    private async Task<TestDatabase> NewDatabaseAsync()
    {
        var database = await TestDatabase.CreateAsync();
        _databases.Add(database);
        return database;
    }

    private static async Task<SeedResult> SeedAsync(TestDatabase database, SeedOptions options)
    {
        await using var db = database.CreateContext();
        return await new DemoDataSeeder(db).SeedAsync(options, CancellationToken.None);
    }
}
