using Orchestrator.Domain.Enums;

namespace Orchestrator.Application.Jobs.Common;

/// <summary>One entry of a job's state history; the current state has <c>exit_time: null</c>.</summary>
public sealed record JobStatusDto
{
    public required JobState State { get; init; }

    public required DateTime EnterTime { get; init; }

    public required DateTime? ExitTime { get; init; }
}
