namespace Orchestrator.Domain.Enums;

/// <summary>The kind of job; the wire spelling is snake_case (<c>plan_task</c>).</summary>
public enum JobType
{
    Deploy,
    Task,
    PlanTask,
    PlanScript,
    PlanUpload,
    PlanCommand,
    PlanWait,
    PlanApply,
    PlanApplyPrep,
}
