namespace Orchestrator.Domain.Enums;

/// <summary>The states a job moves through, spelled on the wire in lower case.</summary>
public enum JobState
{
    New,
    Ready,
    Running,
    Stopping,
    Stopped,
    Finished,
    Failed,
}
