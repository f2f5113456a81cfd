namespace Orchestrator.Application.Common.Interfaces;

/// <summary>Absolute URLs of a job's resources, as the orchestrator serves them in <c>id</c> fields.</summary>
public interface IJobLinks
{
    string Job(long jobId);

    string Nodes(long jobId);

    string Report(long jobId);

    string Events(long jobId, long? start = null);
}
