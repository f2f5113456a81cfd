using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Orchestrator.Application.Common.Json;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Infrastructure.Import;

/// <summary>An event id of the file and where it was found, for the check against the database.</summary>
internal sealed record ImportedEventId(long Id, long JobId, string Path);

/// <summary>
/// Walks an import document once, building its entities and collecting every problem on the way (the entities
/// mean nothing unless <see cref="Problems"/> is empty). An entry of <c>jobs</c> over the size limits is not read
/// further, so an oversized value is never turned into a string.
/// </summary>
internal sealed class ImportReader(ImportLimits limits)
{
    private const int NameLength = 255;
    private const int MaxLineLength = 1000;

    private readonly List<string> _problems = [];
    private readonly Dictionary<long, string> _jobIdPaths = [];
    private readonly Dictionary<long, string> _eventIdPaths = [];

    /// <summary>The first <see cref="ImportLimits.MaxProblems"/> problems.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Every problem found, listed or not.</summary>
    public int ProblemCount { get; private set; }

    public List<Job> Jobs { get; } = [];

    public List<ImportedEventId> EventIds { get; } = [];

    public void Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Problem("$", "expected an object");
            return;
        }
        if (!Required(root, "jobs", "$", out var jobs))
            return;
        if (jobs.ValueKind != JsonValueKind.Array)
        {
            Problem("$.jobs", "expected an array");
            return;
        }

        var index = 0;
        foreach (var entry in jobs.EnumerateArray())
        {
            var path = $"$.jobs[{index++}]";
            if (WithinLimits(entry, path))
                ReadEntry(entry, path);
        }
    }

    private bool WithinLimits(JsonElement entry, string path)
    {
        if (JsonMarshal.GetRawUtf8Value(entry).Length > limits.JobBytes)
        {
            Problem(path, $"larger than {limits.JobBytes / (1024 * 1024)} MiB (Import:MaxJobMb)");
            return false;
        }

        // Paths are only built for an entry that has a value over the limit.
        return !HasLongText(entry) || TextWithinLimit(entry, path);
    }

    /// <summary>Measured as written in the file, escapes included.</summary>
    private bool IsLongText(JsonElement element) => JsonMarshal.GetRawUtf8Value(element).Length - 2 > limits.FieldBytes;

    private bool HasLongText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => IsLongText(element),
        JsonValueKind.Object => element.EnumerateObject().Any(p => HasLongText(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(HasLongText),
        _ => false,
    };

    private bool TextWithinLimit(JsonElement element, string path)
    {
        var ok = true;
        switch (element.ValueKind)
        {
            case JsonValueKind.String when IsLongText(element):
                Problem(path, limits.FieldBytes == ImportLimits.HardFieldLimitBytes - 1
                    ? "text of 64 MiB or more is never imported"
                    : $"text longer than {limits.FieldBytes / 1024} KiB (Import:MaxFieldKb)");
                return false;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    ok &= TextWithinLimit(property.Value, path + "." + property.Name);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    ok &= TextWithinLimit(item, $"{path}[{index++}]");
                break;
        }
        return ok;
    }

    private void ReadEntry(JsonElement entry, string path)
    {
        if (!ExpectObject(entry, path))
            return;

        var job = Required(entry, "job", path, out var jobElement) ? ReadJob(jobElement, path + ".job") : null;

        // Nodes and events are checked even when the job object is broken, so that one run reports everything.
        job ??= new Job { Command = "", OwnerJson = "null", OptionsJson = "{}" };
        var nodesByName = ReadNodes(entry, path, job);
        ReadEvents(entry, path, job, nodesByName);
        Jobs.Add(job);
    }

    private Job? ReadJob(JsonElement element, string path)
    {
        if (!ExpectObject(element, path))
            return null;

        var id = ReadJobId(element, path);
        var state = RequiredEnum<JobState>(element, "state", path, "a job state") ?? default;
        var command = RequiredString(element, "command", path, maxLength: 64);
        var job = new Job
        {
            Id = id ?? 0,
            State = state,
            Type = ReadJobType(element, path, command) ?? default,
            Command = command ?? "",
            Description = OptionalString(element, "description", path),
            EnvironmentName = ReadEnvironment(element, path),
            OwnerJson = "null",
            OptionsJson = "{}",
        };

        if (element.TryGetProperty("owner", out var owner))
        {
            job.OwnerJson = owner.GetRawText();
            if (owner.ValueKind == JsonValueKind.Object)
            {
                job.OwnerLogin = OptionalString(owner, "login", path + ".owner", NameLength, strict: false);
                job.OwnerId = OptionalString(owner, "id", path + ".owner", NameLength, strict: false);
            }
        }
        if (element.TryGetProperty("options", out var options))
        {
            job.OptionsJson = options.GetRawText();
            if (options.ValueKind == JsonValueKind.Object)
                job.TaskName = OptionalString(options, "task", path + ".options", NameLength, strict: false);
        }
        if (element.TryGetProperty("userdata", out var userdata))
            job.UserdataJson = userdata.GetRawText();

        job.Statuses = ReadStatuses(element, path);
        var timestamp = OptionalTimestamp(element, "timestamp", path);
        if (timestamp is null && !Present(element, "timestamp", out _))
        {
            timestamp = job.Statuses.Count > 0 ? job.Statuses[^1].EnterTime : null;
            if (timestamp is null)
                Problem(path + ".timestamp", "required when there is no status history");
        }
        job.Timestamp = timestamp ?? default;
        if (state is JobState.Stopped or JobState.Finished or JobState.Failed)
            job.FinishedAt = job.Statuses.LastOrDefault(s => s.State == state)?.EnterTime ?? timestamp;
        return job;
    }

    /// <summary>From <c>name</c>, or else from the last path segment of the <c>id</c> URL.</summary>
    private long? ReadJobId(JsonElement job, string path)
    {
        var fromName = Present(job, "name", out var value);
        if (!fromName && !Present(job, "id", out value))
        {
            Problem(path + ".name", "required (or an id URL ending in the job id)");
            return null;
        }

        var where = path + (fromName ? ".name" : ".id");
        if (!ExpectString(value, where))
            return null;
        var text = value.GetString()!;
        if (!fromName)
        {
            text = text.TrimEnd('/');
            text = text[(text.LastIndexOf('/') + 1)..];
        }
        if (TryParseId(text) is { } id)
            return Unique(_jobIdPaths, id, where, "job");
        Problem(where, fromName ? $"not a job id: {value.GetRawText()}" : $"does not end in a job id: {value.GetRawText()}");
        return null;
    }

    private JobType? ReadJobType(JsonElement job, string path, string? command)
    {
        if (Present(job, "type", out _))
            return RequiredEnum<JobType>(job, "type", path, "a job type");
        if (command is null)
            return null; // the command's own problem is already reported
        if (WireName<JobType>.TryParse(command, out var derived))
            return derived;
        Problem(path + ".type", $"required, since the command \"{command}\" is not a job type");
        return null;
    }

    private string? ReadEnvironment(JsonElement job, string path)
    {
        if (!Present(job, "environment", out var environment))
            return null;
        var envPath = path + ".environment";
        switch (environment.ValueKind)
        {
            case JsonValueKind.String:
                return CheckLength(environment.GetString()!, envPath, NameLength);
            case JsonValueKind.Object:
                return OptionalString(environment, "name", envPath, NameLength);
            default:
                Problem(envPath, "expected an object, a string or null");
                return null;
        }
    }

    private List<JobStatus> ReadStatuses(JsonElement job, string path) =>
        Items(job, "status", path).Select(status => new JobStatus
        {
            State = RequiredEnum<JobState>(status.Item, "state", status.Path, "a job state") ?? default,
            EnterTime = RequiredTimestamp(status.Item, "enter_time", status.Path) ?? default,
            ExitTime = OptionalTimestamp(status.Item, "exit_time", status.Path),
        }).ToList();

    private Dictionary<string, JobNode> ReadNodes(JsonElement entry, string path, Job job)
    {
        var byName = new Dictionary<string, JobNode>(StringComparer.Ordinal);
        var firstNames = new Dictionary<string, (string Name, string Path)>(StringComparer.Ordinal);
        foreach (var (item, itemPath) in Items(entry, "nodes", path))
        {
            var name = RequiredString(item, "name", itemPath, NameLength);
            var node = new JobNode
            {
                Name = name ?? "",
                State = RequiredEnum<NodeState>(item, "state", itemPath, "a node state") ?? default,
                Timestamp = OptionalTimestamp(item, "timestamp", itemPath),
                StartTimestamp = OptionalTimestamp(item, "start_timestamp", itemPath),
                FinishTimestamp = OptionalTimestamp(item, "finish_timestamp", itemPath),
                TransactionUuid = OptionalString(item, "transaction_uuid", itemPath, maxLength: 64),
                Transport = OptionalString(item, "transport", itemPath, maxLength: 32),
                DetailsJson = item.TryGetProperty("details", out var details) ? details.GetRawText() : null,
                ResultJson = Present(item, "result", out var result) ? result.GetRawText() : null,
            };
            job.Nodes.Add(node);

            if (name is null)
                continue;
            // What the unique index on (JobId, Name) calls the same name: ordinal on both providers, and SQL Server
            // compares strings as if padded with spaces, so trailing spaces do not make a name distinct there.
            var key = name.TrimEnd(' ');
            if (firstNames.TryGetValue(key, out var first))
            {
                Problem(itemPath + ".name", first.Name == name
                    ? $"duplicate node name \"{name}\" (also at {first.Path})"
                    : $"duplicate node name \"{name}\" (\"{first.Name}\" at {first.Path}; trailing spaces do not make a name distinct)");
                continue;
            }
            firstNames.Add(key, (name, itemPath + ".name"));
            byName.Add(name, node);
        }
        return byName;
    }

    private void ReadEvents(JsonElement entry, string path, Job job, Dictionary<string, JobNode> nodesByName)
    {
        foreach (var (item, itemPath) in Items(entry, "events", path))
        {
            var id = ReadEventId(item, itemPath);
            var nodeEvent = new NodeEvent
            {
                Id = id ?? 0,
                Type = RequiredEnum<EventType>(item, "type", itemPath, "an event type") ?? default,
                Timestamp = RequiredTimestamp(item, "timestamp", itemPath) ?? default,
                Message = OptionalString(item, "message", itemPath),
                DetailsJson = "{}",
            };
            JobNode? node = null;
            if (item.TryGetProperty("details", out var details))
            {
                nodeEvent.DetailsJson = details.GetRawText();
                if (details.ValueKind == JsonValueKind.Object)
                {
                    var nodeName = OptionalString(details, "node", itemPath + ".details");
                    if (nodeName is not null && !nodesByName.TryGetValue(nodeName, out node))
                        Problem(itemPath + ".details.node", $"no node named \"{nodeName}\" in this job");
                }
            }

            job.Events.Add(nodeEvent);
            node?.Events.Add(nodeEvent);
            if (id is not null)
                EventIds.Add(new ImportedEventId(id.Value, job.Id, itemPath + ".id"));
        }
    }

    private long? ReadEventId(JsonElement item, string path)
    {
        if (!Required(item, "id", path, out var element))
            return null;

        var idPath = path + ".id";
        long? id = element.ValueKind switch
        {
            JsonValueKind.String => TryParseId(element.GetString()!),
            JsonValueKind.Number when element.TryGetInt64(out var number) && number > 0 => number,
            _ => null,
        };
        if (id is not null)
            return Unique(_eventIdPaths, id.Value, idPath, "event");
        Problem(idPath, element.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? $"not an event id: {element.GetRawText()}"
            : "expected a string of digits or an integer");
        return null;
    }

    private long? Unique(Dictionary<long, string> firstPaths, long id, string path, string what)
    {
        if (firstPaths.TryAdd(id, path))
            return id;
        Problem(path, $"duplicate {what} id {id} (also at {firstPaths[id]})");
        return null;
    }

    private static long? TryParseId(string text) =>
        text.Length is > 0 and <= 19
        && text.All(char.IsAsciiDigit)
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
        && id > 0
            ? id
            : null;

    /// <summary>The objects of an optional array <c>parent.name</c>, each with its path.</summary>
    private IEnumerable<(JsonElement Item, string Path)> Items(JsonElement parent, string name, string parentPath)
    {
        var path = $"{parentPath}.{name}";
        if (!Present(parent, name, out var array))
            yield break;
        if (array.ValueKind != JsonValueKind.Array)
        {
            Problem(path, "expected an array");
            yield break;
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{path}[{index++}]";
            if (ExpectObject(item, itemPath))
                yield return (item, itemPath);
        }
    }

    /// <summary>A key counts as present when it is there and not JSON null.</summary>
    private static bool Present(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private bool Required(JsonElement obj, string name, string path, out JsonElement value)
    {
        if (Present(obj, name, out value))
            return true;
        Problem($"{path}.{name}", "required");
        return false;
    }

    private bool ExpectObject(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
            return true;
        Problem(path, "expected an object");
        return false;
    }

    private bool ExpectString(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.String)
            return true;
        Problem(path, "expected a string");
        return false;
    }

    private string? RequiredString(JsonElement obj, string name, string path, int maxLength = int.MaxValue) =>
        Required(obj, name, path, out _) ? OptionalString(obj, name, path, maxLength) : null;

    /// <summary>
    /// A string or null. Not <paramref name="strict"/> (a column taken from inside a stored document), another
    /// JSON type is no problem: the document is kept as it is and the column left empty.
    /// </summary>
    private string? OptionalString(
        JsonElement obj, string name, string path, int maxLength = int.MaxValue, bool strict = true)
    {
        if (!Present(obj, name, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.String)
            return CheckLength(value.GetString()!, $"{path}.{name}", maxLength);
        if (strict)
            Problem($"{path}.{name}", "expected a string");
        return null;
    }

    private string? CheckLength(string value, string path, int maxLength)
    {
        if (value.Length <= maxLength)
            return value;
        Problem(path, $"longer than {maxLength} characters");
        return null;
    }

    private TEnum? RequiredEnum<TEnum>(JsonElement obj, string name, string path, string what)
        where TEnum : struct, Enum
    {
        var text = RequiredString(obj, name, path);
        if (text is null)
            return null;
        if (WireName<TEnum>.TryParse(text, out var value))
            return value;
        Problem($"{path}.{name}", $"not {what}: {obj.GetProperty(name).GetRawText()} (expected one of {string.Join(", ", WireName<TEnum>.All)})");
        return null;
    }

    private DateTime? RequiredTimestamp(JsonElement obj, string name, string path) =>
        Required(obj, name, path, out _) ? OptionalTimestamp(obj, name, path) : null;

    private DateTime? OptionalTimestamp(JsonElement obj, string name, string path)
    {
        if (!Present(obj, name, out var value) || !ExpectString(value, $"{path}.{name}"))
            return null;
        if (IsoTimestamp.TryParse(value.GetString()!, out var utc))
            return utc;
        Problem($"{path}.{name}", $"not a timestamp: {value.GetRawText()}");
        return null;
    }

    private void Problem(string path, string message)
    {
        ProblemCount++;
        if (_problems.Count < limits.Problems)
            _problems.Add(Line(path, message));
    }

    /// <summary>
    /// A problem line safe to print on a terminal: control characters (an escape sequence in a node name) and
    /// invisible reordering marks are written as <c>\uXXXX</c>, and the line is cut at a fixed length.
    /// </summary>
    public static string Line(string path, string message)
    {
        var text = $"{path}: {message}";
        var line = new StringBuilder(Math.Min(text.Length, MaxLineLength) + 8);
        foreach (var c in text)
        {
            if (line.Length >= MaxLineLength)
            {
                line.Append('…');
                break;
            }

            if (char.IsControl(c) || c is '\u200E' or '\u200F' or '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
                line.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else
                line.Append(c);
        }

        return line.ToString();
    }
}
