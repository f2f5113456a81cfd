using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestrator.Application.Common.Json;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Infrastructure.Sync;

internal sealed record LocalJob(long Id, JobState State, DateTime Timestamp, long? NewestEventId);

/// <summary>A job to read; <see cref="Local"/> is null when the mirror does not hold it.</summary>
internal sealed record WorkItem(long Id, LocalJob? Local, StoredETags? Stored = null);

/// <summary>The documents of a job last read with their ETags, and the fingerprint of the job they made.</summary>
internal sealed record StoredETags(string Fingerprint, IReadOnlyList<(string Path, string ETag)> Documents);

/// <summary>One of a job's upstream documents, parsed, with the index its first item has in the job's whole list.</summary>
internal sealed record UpstreamPage(string Path, JsonDocument Document, int FirstIndex, int Count, string? ETag = null);

/// <summary>A job's upstream documents, put together in the import format's shape for the importer's reader.</summary>
internal sealed partial class UpstreamJob(WorkItem item, UpstreamPage job) : IDisposable
{
    private int _heldEvents;

    public WorkItem Item { get; } = item;

    public long Id => Item.Id;

    public UpstreamPage Job { get; } = job;

    public List<UpstreamPage> NodePages { get; } = [];

    public List<UpstreamPage> EventPages { get; } = [];

    /// <summary><c>{"jobs": [{"job": ..., "nodes": [...], "events": [held..., new...]}]}</c>, each upstream value byte for byte.</summary>
    public byte[] Compose(IEnumerable<NodeEvent> heldEvents)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("jobs");
            writer.WriteStartObject();
            writer.WritePropertyName("job");
            WriteRaw(writer, Job.Document.RootElement);
            writer.WriteStartArray("nodes");
            foreach (var page in NodePages)
            {
                foreach (var node in page.Document.RootElement.GetProperty("items").EnumerateArray())
                    WriteNode(writer, node);
            }
            writer.WriteEndArray();
            writer.WriteStartArray("events");
            _heldEvents = 0;
            foreach (var held in heldEvents.OrderBy(e => e.Id))
            {
                JsonSerializer.Serialize(writer, EventMapper.ToDto(held), OrchestratorJson.Options);
                _heldEvents++;
            }
            foreach (var page in EventPages)
            {
                foreach (var item in page.Document.RootElement.GetProperty("items").EnumerateArray())
                    WriteRaw(writer, item);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Turns <c>$.jobs[0].nodes[12].state: ...</c> into the upstream request and the path in its answer.</summary>
    public string Locate(string problem, Func<string, string> describe)
    {
        var colon = problem.IndexOf(": ", StringComparison.Ordinal);
        var (path, message) = colon < 0 ? (problem, "") : (problem[..colon], problem[(colon + 2)..]);
        var match = ImportPath().Match(path);
        if (!match.Success)
            return $"job {Id}: {problem}";

        var rest = match.Groups[3].Value;
        var part = match.Groups[1].Value;
        if (part == "job")
            return $"job {Id}: {describe(Job.Path)} ${rest}: {message}";

        var pages = part == "nodes" ? NodePages : EventPages;
        if (!match.Groups[2].Success)
            return $"job {Id}: {describe(pages.FirstOrDefault()?.Path ?? Job.Path)} $.items{rest}: {message}";

        var index = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) - (part == "events" ? _heldEvents : 0);
        if (index < 0)
            return $"job {Id}: held event {index + _heldEvents}{rest}: {message}";
        var page = pages.LastOrDefault(p => p.FirstIndex <= index) ?? pages[0];
        return $"job {Id}: {describe(page.Path)} $.items[{index - page.FirstIndex}]{rest}: {message}";
    }

    public void Dispose()
    {
        Job.Document.Dispose();
        foreach (var page in NodePages.Concat(EventPages))
            page.Document.Dispose();
    }

    // The API serves times to the second but a node's duration exactly; the mirror computes the duration from its
    // times, so a start the duration shows to have had a fraction of a second is stored as finish minus duration.
    private static void WriteNode(Utf8JsonWriter writer, JsonElement node)
    {
        if (FractionalStart(node) is not { } start)
        {
            WriteRaw(writer, node);
            return;
        }
        writer.WriteStartObject();
        foreach (var property in node.EnumerateObject())
        {
            writer.WritePropertyName(property.Name);
            if (property.NameEquals("start_timestamp"))
                writer.WriteStringValue(start.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
            else
                WriteRaw(writer, property.Value);
        }
        writer.WriteEndObject();
    }

    private static DateTime? FractionalStart(JsonElement node)
    {
        if (node.ValueKind != JsonValueKind.Object
            || !node.TryGetProperty("duration", out var d) || d.ValueKind != JsonValueKind.Number || !d.TryGetDouble(out var duration) || duration < 0
            || !Time(node, "start_timestamp", out var start) || !Time(node, "finish_timestamp", out var finish))
            return null;
        var gap = Math.Abs((finish - start).TotalSeconds - duration);
        return gap is > 1e-6 and < 1 ? finish - TimeSpan.FromTicks((long)Math.Round(duration * TimeSpan.TicksPerSecond)) : null;

        static bool Time(JsonElement node, string name, out DateTime utc)
        {
            utc = default;
            return node.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && IsoTimestamp.TryParse(value.GetString()!, out utc);
        }
    }

    private static void WriteRaw(Utf8JsonWriter writer, JsonElement element) =>
        writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(element), skipInputValidation: true);

    [GeneratedRegex(@"^\$\.jobs\[0\]\.(job|nodes|events)(?:\[(\d+)\])?(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ImportPath();
}
