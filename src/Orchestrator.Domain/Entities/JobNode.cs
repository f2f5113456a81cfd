using Orchestrator.Domain.Enums;

namespace Orchestrator.Domain.Entities;

/// <summary>A node taking part in a job, with its run's details and result documents as captured.</summary>
public class JobNode
{
    public long Id { get; set; }

    public long JobId { get; set; }

    public required string Name { get; set; }

    public NodeState State { get; set; }

    /// <summary>The time of the most recent activity on the node (UTC).</summary>
    public DateTime? Timestamp { get; set; }

    public DateTime? StartTimestamp { get; set; }

    public DateTime? FinishTimestamp { get; set; }

    public string? TransactionUuid { get; set; }

    public string? Transport { get; set; }

    /// <summary>The details document exactly as captured.</summary>
    public string? DetailsJson { get; set; }

    /// <summary>The result document exactly as captured, or null before the node finished.</summary>
    public string? ResultJson { get; set; }

    public List<NodeEvent> Events { get; set; } = [];
}
