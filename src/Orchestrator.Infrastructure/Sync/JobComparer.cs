using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Domain.Entities;

namespace Orchestrator.Infrastructure.Sync;

/// <summary>Whether a job read again is the one the mirror holds, so that a run with nothing new writes nothing.</summary>
internal static class JobComparer
{
    // The fresh job carries the held events plus any new ones, so their count says whether events arrived.
    public static bool Same(Job held, Job fresh) => Fingerprint(held, held.Events.Count) == Fingerprint(fresh, fresh.Events.Count);

    // Every served column of the job, its statuses (in served order) and nodes. Stored beside the upstream's ETags,
    // it says whether the mirror's copy is still the job they were stored with.
    public static string Fingerprint(Job job, int events)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(params object?[] values)
        {
            foreach (var value in values)
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
        }

        Add(job.Type, job.State, job.Command, job.Description, job.EnvironmentName, job.OwnerId, job.OwnerLogin, job.OwnerJson,
            job.OptionsJson, job.UserdataJson, job.TaskName, job.Timestamp, job.FinishedAt, events, job.Statuses.Count, job.Nodes.Count);
        foreach (var status in job.Statuses.OrderBy(s => s.EnterTime).ThenBy(s => s.Id))
            Add(status.State, status.EnterTime, status.ExitTime);
        foreach (var node in job.Nodes.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            Add(node.Name, node.State, node.Timestamp, node.StartTimestamp, node.FinishTimestamp, node.TransactionUuid, node.Transport,
                node.DetailsJson, node.ResultJson);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
