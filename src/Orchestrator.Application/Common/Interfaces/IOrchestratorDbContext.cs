using Microsoft.EntityFrameworkCore;
using Orchestrator.Domain.Entities;

namespace Orchestrator.Application.Common.Interfaces;

/// <summary>The tables handlers read. Handlers query these sets directly; there is no repository between.</summary>
public interface IOrchestratorDbContext
{
    DbSet<Job> Jobs { get; }

    DbSet<JobStatus> JobStatuses { get; }

    DbSet<JobNode> JobNodes { get; }

    DbSet<NodeEvent> NodeEvents { get; }
}
