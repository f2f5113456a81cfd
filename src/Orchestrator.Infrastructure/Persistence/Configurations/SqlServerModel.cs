using Microsoft.EntityFrameworkCore;
using Orchestrator.Domain.Entities;

namespace Orchestrator.Infrastructure.Persistence.Configurations;

/// <summary>
/// What only SQL Server's model has. The names the API filters and orders by compare ordinally (binary, case
/// sensitive), as SQLite's default BINARY collation already does, so both providers give the same answers and the
/// unique index on node names agrees with the importer. A job's nodes and statuses are clustered by job, so reading
/// them is one range of the table rather than a lookup per row.
/// </summary>
internal static class SqlServerModel
{
    public const string OrdinalCollation = "Latin1_General_100_BIN2";

    public static void Apply(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Job>(job =>
        {
            job.Property(j => j.OwnerLogin).UseCollation(OrdinalCollation);
            job.Property(j => j.EnvironmentName).UseCollation(OrdinalCollation);
            job.Property(j => j.TaskName).UseCollation(OrdinalCollation);
        });

        modelBuilder.Entity<JobNode>(node =>
        {
            node.Property(n => n.Name).UseCollation(OrdinalCollation);
            node.HasKey(n => n.Id).IsClustered(false);
            node.HasIndex(n => new { n.JobId, n.Id }).IsUnique().IsClustered();
        });

        modelBuilder.Entity<JobStatus>(status =>
        {
            status.HasKey(s => s.Id).IsClustered(false);
            status.HasIndex(s => new { s.JobId, s.Id }).IsUnique().IsClustered();
        });
    }
}
