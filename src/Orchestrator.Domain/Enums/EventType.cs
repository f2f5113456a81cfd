namespace Orchestrator.Domain.Enums;

/// <summary>Job and node events; the wire spelling is snake_case (<c>node_finished</c>).</summary>
public enum EventType
{
    NodeErrored,
    NodeFailed,
    NodeFinished,
    NodeRunning,
    NodeSkipped,
    JobAborted,
    JobStopping,
    JobFinished,
}
