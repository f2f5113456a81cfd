using Orchestrator.Domain.Enums;

namespace Orchestrator.Domain.Entities;

/// <summary>One entry of a job's state history; the current state has no exit time.</summary>
public class JobStatus
{
    public long Id { get; set; }

    public long JobId { get; set; }

    public JobState State { get; set; }

    public DateTime EnterTime { get; set; }

    public DateTime? ExitTime { get; set; }
}
