using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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

    /// <summary>
    /// A hash of exactly what <see cref="Same"/> compares: two jobs it finds the same have the same fingerprint, so
    /// a stored fingerprint says whether the mirror's copy is still the one an upstream ETag was stored with.
    /// <paramref name="events"/> is the job's number of events, all <see cref="Same"/> looks at of them.
    /// </summary>
    public static string Fingerprint(Job job, int events)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(object? value)
        {
            var text = value switch
            {
                null => "\u0001",
                DateTime time => time.Ticks.ToString(CultureInfo.InvariantCulture),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }

        foreach (var value in new object?[]
        {
            job.Type, job.State, job.Command, job.Description, job.EnvironmentName, job.OwnerId, job.OwnerLogin, job.OwnerJson,
            job.OptionsJson, job.UserdataJson, job.TaskName, job.Timestamp, job.FinishedAt, events, job.Statuses.Count, job.Nodes.Count,
        })
            Add(value);
        foreach (var status in job.Statuses.OrderBy(s => s.EnterTime).ThenBy(s => s.ExitTime).ThenBy(s => s.State))
        {
            Add(status.State);
            Add(status.EnterTime);
            Add(status.ExitTime);
        }
        foreach (var node in job.Nodes.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            foreach (var value in new object?[]
            {
                node.Name, node.State, node.Timestamp, node.StartTimestamp, node.FinishTimestamp, node.TransactionUuid, node.Transport, node.DetailsJson, node.ResultJson,
            })
                Add(value);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

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
