using Orchestrator.Domain.Enums;

namespace Orchestrator.Domain.Entities;

/// <summary>
/// One orchestrator job. The JSON documents (owner, options, userdata) are kept as the text they arrived in;
/// the columns beside them (owner login, environment, task, timestamps) exist for filtering and ordering.
/// </summary>
public class Job
{
    public long Id { get; set; }

    public JobType Type { get; set; }

    public JobState State { get; set; }

    public required string Command { get; set; }

    public string? Description { get; set; }

    public string? EnvironmentName { get; set; }

    public string? OwnerId { get; set; }

    public string? OwnerLogin { get; set; }

    /// <summary>The owner document exactly as captured.</summary>
    public required string OwnerJson { get; set; }

    /// <summary>The options document exactly as captured.</summary>
    public required string OptionsJson { get; set; }

    /// <summary>The userdata document exactly as captured, or null when there was none.</summary>
    public string? UserdataJson { get; set; }

    /// <summary>The task a task job runs (from <c>options.task</c>), for the <c>task</c> filter.</summary>
    public string? TaskName { get; set; }

    /// <summary>When the job last changed state (UTC).</summary>
    public DateTime Timestamp { get; set; }

    /// <summary>When the job entered a done state (UTC), or null while it is not done.</summary>
    public DateTime? FinishedAt { get; set; }

    public List<JobStatus> Statuses { get; set; } = [];

    public List<JobNode> Nodes { get; set; } = [];

    public List<NodeEvent> Events { get; set; } = [];
}
