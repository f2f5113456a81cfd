using Orchestrator.Domain.Enums;

namespace Orchestrator.Domain.Entities;

/// <summary>
/// An event of a job. Ids come from the orchestrator: unique across all jobs and increasing over time.
/// Job-level events (<c>job_finished</c>, ...) belong to no node.
/// </summary>
public class NodeEvent
{
    public long Id { get; set; }

    public long JobId { get; set; }

    public long? NodeId { get; set; }

    public EventType Type { get; set; }

    public DateTime Timestamp { get; set; }

    public string? Message { get; set; }

    /// <summary>The details document exactly as captured.</summary>
    public required string DetailsJson { get; set; }
}
