using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Orchestrator.Domain.Entities;

namespace Orchestrator.Infrastructure.Persistence.Configurations;

public sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.ToTable("Jobs");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Id).ValueGeneratedNever(); // ids come from the orchestrator

        builder.Property(j => j.Command).HasMaxLength(64);
        builder.Property(j => j.EnvironmentName).HasMaxLength(255);
        builder.Property(j => j.OwnerId).HasMaxLength(255);
        builder.Property(j => j.OwnerLogin).HasMaxLength(255);
        builder.Property(j => j.TaskName).HasMaxLength(255);

        builder.HasMany(j => j.Statuses).WithOne().HasForeignKey(s => s.JobId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(j => j.Nodes).WithOne().HasForeignKey(n => n.JobId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(j => j.Events).WithOne().HasForeignKey(e => e.JobId).OnDelete(DeleteBehavior.Cascade);

        // One index per order_by, each ending in the id that breaks ties, so a page is an index range scan.
        builder.HasIndex(j => new { j.Timestamp, j.Id });
        builder.HasIndex(j => new { j.OwnerLogin, j.Id });
        builder.HasIndex(j => new { j.EnvironmentName, j.Id });
        builder.HasIndex(j => new { j.State, j.Id });
        // Filters; the equality filters also carry the default order, so a filtered first page reads 20 entries.
        builder.HasIndex(j => new { j.Type, j.Timestamp, j.Id });
        builder.HasIndex(j => new { j.OwnerLogin, j.Timestamp, j.Id });
        builder.HasIndex(j => new { j.EnvironmentName, j.Timestamp, j.Id });
        builder.HasIndex(j => new { j.State, j.Timestamp, j.Id });
        // A dashboard's "my running jobs": without it the page walks one filter's index and reads each job's row
        // to check the other (docs/performance.md, Query plans).
        builder.HasIndex(j => new { j.OwnerLogin, j.State, j.Timestamp, j.Id });
        builder.HasIndex(j => new { j.FinishedAt, j.Id });
        builder.HasIndex(j => j.TaskName);
    }
}
