namespace Orchestrator.Domain.Enums;

/// <summary>A node's state within a job: the job states plus <c>errored</c> and <c>skipped</c>.</summary>
public enum NodeState
{
    New,
    Ready,
    Running,
    Stopping,
    Stopped,
    Finished,
    Failed,
    Errored,
    Skipped,
}
