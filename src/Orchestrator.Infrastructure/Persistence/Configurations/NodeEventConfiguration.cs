using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Orchestrator.Domain.Entities;

namespace Orchestrator.Infrastructure.Persistence.Configurations;

public sealed class NodeEventConfiguration : IEntityTypeConfiguration<NodeEvent>
{
    public void Configure(EntityTypeBuilder<NodeEvent> builder)
    {
        builder.ToTable("NodeEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever(); // ids come from the orchestrator, unique across jobs

        // /events pages by id within a job; the report and latest-event-id read by node.
        builder.HasIndex(e => new { e.JobId, e.Id });
        builder.HasIndex(e => new { e.NodeId, e.Id });
    }
}
