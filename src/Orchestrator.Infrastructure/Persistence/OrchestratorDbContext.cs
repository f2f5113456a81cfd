using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;
using Orchestrator.Infrastructure.Persistence.Configurations;
using Orchestrator.Infrastructure.Persistence.Converters;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// The model both providers share. Each provider has a subclass (<see cref="SqliteOrchestratorDbContext"/>,
/// <see cref="SqlServerOrchestratorDbContext"/>) so that each keeps its own migrations and SQL functions (and SQL
/// Server its collations and clustering).
/// </summary>
public abstract class OrchestratorDbContext(DbContextOptions options) : DbContext(options), IOrchestratorDbContext
{
    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<JobStatus> JobStatuses => Set<JobStatus>();

    public DbSet<JobNode> JobNodes => Set<JobNode>();

    public DbSet<NodeEvent> NodeEvents => Set<NodeEvent>();

    public DbSet<DataVersion> DataVersions => Set<DataVersion>();

    public DbSet<SyncETag> SyncETags => Set<SyncETag>();

    public IAsyncEnumerable<NodeStateCount> NodeStateCounts(List<long> jobIds) => CompiledStatements.ReadNodeStateCounts(this, jobIds);

    public IAsyncEnumerable<JobStatus> StatusHistories(List<long> jobIds) => CompiledStatements.ReadStatusHistories(this, jobIds);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OrchestratorDbContext).Assembly);
        DbFunctionTranslations.Apply(modelBuilder, Database, this);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Times go in as UTC and come back as UTC on both providers (SQLite would return Unspecified).
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();

        // Enums are stored in the orchestrator's own spelling, so the tables read like the API.
        configurationBuilder.Properties<JobState>().HaveConversion<WireNameConverter<JobState>>().HaveMaxLength(16);
        configurationBuilder.Properties<NodeState>().HaveConversion<WireNameConverter<NodeState>>().HaveMaxLength(16);
        configurationBuilder.Properties<JobType>().HaveConversion<WireNameConverter<JobType>>().HaveMaxLength(32);
        configurationBuilder.Properties<EventType>().HaveConversion<WireNameConverter<EventType>>().HaveMaxLength(32);
    }
}

/// <summary>The embedded default; its migrations live in <c>Persistence/Migrations/Sqlite</c>.</summary>
public sealed class SqliteOrchestratorDbContext(DbContextOptions<SqliteOrchestratorDbContext> options)
    : OrchestratorDbContext(options);

/// <summary>
/// Production's provider; its migrations live in <c>Persistence/Migrations/SqlServer</c>, its own collations and
/// clustering in <see cref="SqlServerModel"/>.
/// </summary>
public sealed class SqlServerOrchestratorDbContext(DbContextOptions<SqlServerOrchestratorDbContext> options)
    : OrchestratorDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        SqlServerModel.Apply(modelBuilder);
    }
}
