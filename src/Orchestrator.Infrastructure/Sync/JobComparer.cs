using Orchestrator.Domain.Entities;

namespace Orchestrator.Infrastructure.Sync;

/// <summary>
/// Whether a job read again from the upstream is the one the mirror holds, column for column, so that a run with
/// nothing new writes nothing. The fresh job carries the held events plus any new ones, so a count says whether
/// events arrived.
/// </summary>
internal static class JobComparer
{
    public static bool Same(Job held, Job fresh) =>
        held.Type == fresh.Type
        && held.State == fresh.State
        && held.Command == fresh.Command
        && held.Description == fresh.Description
        && held.EnvironmentName == fresh.EnvironmentName
        && held.OwnerId == fresh.OwnerId
        && held.OwnerLogin == fresh.OwnerLogin
        && held.OwnerJson == fresh.OwnerJson
        && held.OptionsJson == fresh.OptionsJson
        && held.UserdataJson == fresh.UserdataJson
        && held.TaskName == fresh.TaskName
        && held.Timestamp == fresh.Timestamp
        && held.FinishedAt == fresh.FinishedAt
        && held.Events.Count == fresh.Events.Count
        && held.Statuses.OrderBy(s => s.EnterTime).ThenBy(s => s.Id)
            .SequenceEqual(fresh.Statuses, StatusComparer.Instance)
        && held.Nodes.OrderBy(n => n.Name, StringComparer.Ordinal)
            .SequenceEqual(fresh.Nodes.OrderBy(n => n.Name, StringComparer.Ordinal), NodeComparer.Instance);

    private sealed class StatusComparer : IEqualityComparer<JobStatus>
    {
        public static readonly StatusComparer Instance = new();

        public bool Equals(JobStatus? x, JobStatus? y) =>
            x is not null && y is not null && x.State == y.State && x.EnterTime == y.EnterTime && x.ExitTime == y.ExitTime;

        public int GetHashCode(JobStatus obj) => HashCode.Combine(obj.State, obj.EnterTime);
    }

    private sealed class NodeComparer : IEqualityComparer<JobNode>
    {
        public static readonly NodeComparer Instance = new();

        public bool Equals(JobNode? x, JobNode? y) =>
            x is not null && y is not null
            && x.Name == y.Name
            && x.State == y.State
            && x.Timestamp == y.Timestamp
            && x.StartTimestamp == y.StartTimestamp
            && x.FinishTimestamp == y.FinishTimestamp
            && x.TransactionUuid == y.TransactionUuid
            && x.Transport == y.Transport
            && x.DetailsJson == y.DetailsJson
            && x.ResultJson == y.ResultJson;

        public int GetHashCode(JobNode obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
