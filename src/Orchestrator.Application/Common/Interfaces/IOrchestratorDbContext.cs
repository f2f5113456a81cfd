using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Domain.Entities;

namespace Orchestrator.Application.Common.Interfaces;

/// <summary>
/// The tables handlers read, queried directly with LINQ; and the two statements every job document sends, which
/// never change shape and are compiled in Infrastructure (<c>Persistence/CompiledStatements</c>).
/// </summary>
public interface IOrchestratorDbContext
{
    DbSet<Job> Jobs { get; }

    DbSet<JobStatus> JobStatuses { get; }

    DbSet<JobNode> JobNodes { get; }

    DbSet<NodeEvent> NodeEvents { get; }

    /// <summary>Nodes per job and state, counted in SQL: a statement every job document needs, compiled once.</summary>
    IAsyncEnumerable<NodeStateCount> NodeStateCounts(List<long> jobIds);

    /// <summary>The jobs' state histories, each in the order it happened: compiled once, as <see cref="NodeStateCounts"/>.</summary>
    IAsyncEnumerable<JobStatus> StatusHistories(List<long> jobIds);
}
