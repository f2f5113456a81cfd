using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Orchestrator.Domain.Entities;

namespace Orchestrator.Infrastructure.Persistence.Configurations;

public sealed class JobNodeConfiguration : IEntityTypeConfiguration<JobNode>
{
    public void Configure(EntityTypeBuilder<JobNode> builder)
    {
        builder.ToTable("JobNodes");
        builder.HasKey(n => n.Id);

        builder.Property(n => n.Name).HasMaxLength(255);
        builder.Property(n => n.TransactionUuid).HasMaxLength(64);
        builder.Property(n => n.Transport).HasMaxLength(32);

        // Events are deleted with their job; a second cascade path through the node is one SQL Server refuses.
        builder.HasMany(n => n.Events).WithOne().HasForeignKey(e => e.NodeId).OnDelete(DeleteBehavior.NoAction);

        // A node appears once per job; the orderings of /nodes within a job, ties broken by id.
        builder.HasIndex(n => new { n.JobId, n.Name }).IsUnique();
        builder.HasIndex(n => new { n.JobId, n.State, n.Name });
        builder.HasIndex(n => new { n.JobId, n.StartTimestamp, n.Id });
        builder.HasIndex(n => new { n.JobId, n.FinishTimestamp, n.Id });
    }
}
