namespace Orchestrator.Application.Common.Errors;

/// <summary>The job id is a valid integer, but no job has it (404 <c>unknown-job</c>).</summary>
public sealed class UnknownJobException(long jobId) : Exception($"No job exists for id {jobId}")
{
    public long JobId { get; } = jobId;
}
