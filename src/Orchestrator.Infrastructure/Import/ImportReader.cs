using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Orchestrator.Application.Common.Json;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Infrastructure.Import;

/// <summary>An event id of the file, where it was found, for the check against the database.</summary>
internal sealed record ImportedEventId(long Id, long JobId, string Path);

/// <summary>
/// Walks an import document once, building the entities it describes and collecting every problem on the way.
/// The entities are only meaningful when <see cref="Problems"/> is empty. An entry of <c>jobs</c> over the size
/// limits is reported and not read further, so an oversized value is never turned into a string.
/// </summary>
internal sealed class ImportReader(ImportLimits limits)
{
    private const int NameLength = 255;

    /// <summary>A problem line is cut here, whatever value it echoes.</summary>
    private const int MaxLineLength = 1000;

    private static readonly JobState[] DoneStates = [JobState.Stopped, JobState.Finished, JobState.Failed];

    private readonly List<string> _problems = [];
    private readonly Dictionary<long, string> _jobIdPaths = [];
    private readonly Dictionary<long, string> _eventIdPaths = [];

    private int _problemCount;

    /// <summary>The first <see cref="ImportLimits.MaxProblems"/> problems.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Every problem found, listed or not.</summary>
    public int ProblemCount => _problemCount;

    public List<Job> Jobs { get; } = [];

    public List<ImportedEventId> EventIds { get; } = [];

    public void Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Problem("$", "expected an object");
            return;
        }
        if (!Present(root, "jobs", out var jobs))
        {
            Problem("$.jobs", "required");
            return;
        }
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

    private bool HasLongText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => JsonMarshal.GetRawUtf8Value(element).Length - 2 > limits.FieldBytes,
        JsonValueKind.Object => element.EnumerateObject().Any(p => HasLongText(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(HasLongText),
        _ => false,
    };

    /// <summary>Every string value under <paramref name="element"/>, measured as written in the file (escapes included).</summary>
    private bool TextWithinLimit(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when JsonMarshal.GetRawUtf8Value(element).Length - 2 > limits.FieldBytes:
                Problem(path, limits.FieldBytes == ImportLimits.HardFieldLimitBytes - 1
                    ? "text of 64 MiB or more is never imported"
                    : $"text longer than {limits.FieldBytes / 1024} KiB (Import:MaxFieldKb)");
                return false;
            case JsonValueKind.Object:
                var objectOk = true;
                foreach (var property in element.EnumerateObject())
                    objectOk &= TextWithinLimit(property.Value, path + "." + property.Name);
                return objectOk;
            case JsonValueKind.Array:
                var arrayOk = true;
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    arrayOk &= TextWithinLimit(item, $"{path}[{index++}]");
                return arrayOk;
            default:
                return true;
        }
    }

    private void ReadEntry(JsonElement entry, string path)
    {
        if (!ExpectObject(entry, path))
            return;

        Job? job = null;
        if (Present(entry, "job", out var jobElement))
            job = ReadJob(jobElement, path + ".job");
        else
            Problem(path + ".job", "required");

        // Nodes and events are checked even when the job object is broken, so that one run reports everything.
        job ??= new Job { Command = "", OwnerJson = "null", OptionsJson = "{}" };
        var nodesByName = ReadNodes(entry, path + ".nodes", job);
        ReadEvents(entry, path + ".events", job, nodesByName);
        Jobs.Add(job);
    }

    private Job? ReadJob(JsonElement element, string path)
    {
        if (!ExpectObject(element, path))
            return null;

        var id = ReadJobId(element, path);
        var state = RequiredEnum<JobState>(element, "state", path, "a job state");
        var command = RequiredString(element, "command", path, maxLength: 64);
        var type = ReadJobType(element, path, command);
        var description = OptionalString(element, "description", path);
        var environment = ReadEnvironment(element, path);

        string? ownerLogin = null, ownerId = null;
        var ownerJson = "null";
        if (element.TryGetProperty("owner", out var owner))
        {
            ownerJson = owner.GetRawText();
            if (owner.ValueKind == JsonValueKind.Object)
            {
                ownerLogin = OptionalString(owner, "login", path + ".owner", NameLength, strict: false);
                ownerId = OptionalString(owner, "id", path + ".owner", NameLength, strict: false);
            }
        }

        var optionsJson = "{}";
        string? taskName = null;
        if (element.TryGetProperty("options", out var options))
        {
            optionsJson = options.GetRawText();
            if (options.ValueKind == JsonValueKind.Object)
                taskName = OptionalString(options, "task", path + ".options", NameLength, strict: false);
        }
        var userdataJson = element.TryGetProperty("userdata", out var userdata) ? userdata.GetRawText() : null;

        var statuses = ReadStatuses(element, path + ".status");
        var timestamp = OptionalTimestamp(element, "timestamp", path);
        if (timestamp is null && !Present(element, "timestamp", out _))
        {
            timestamp = statuses.Count > 0 ? statuses[^1].EnterTime : null;
            if (timestamp is null)
                Problem(path + ".timestamp", "required when there is no status history");
        }

        DateTime? finishedAt = null;
        if (state is { } s && DoneStates.Contains(s))
            finishedAt = statuses.LastOrDefault(x => x.State == s)?.EnterTime ?? timestamp;

        var job = new Job
        {
            Id = id ?? 0,
            Type = type ?? default,
            State = state ?? default,
            Command = command ?? "",
            Description = description,
            EnvironmentName = environment,
            OwnerId = ownerId,
            OwnerLogin = ownerLogin,
            OwnerJson = ownerJson,
            OptionsJson = optionsJson,
            UserdataJson = userdataJson,
            TaskName = taskName,
            Timestamp = timestamp ?? default,
            FinishedAt = finishedAt,
            Statuses = statuses,
        };
        return job;
    }

    private long? ReadJobId(JsonElement job, string path)
    {
        if (Present(job, "name", out var name))
        {
            var namePath = path + ".name";
            if (name.ValueKind != JsonValueKind.String)
                return TypeProblem<long>(namePath, "a string");
            return Register(TryParseId(name.GetString()!), namePath, $"not a job id: {name.GetRawText()}");
        }
        if (Present(job, "id", out var url))
        {
            var idPath = path + ".id";
            if (url.ValueKind != JsonValueKind.String)
                return TypeProblem<long>(idPath, "a string");
            var text = url.GetString()!.TrimEnd('/');
            var segment = text[(text.LastIndexOf('/') + 1)..];
            return Register(TryParseId(segment), idPath, $"does not end in a job id: {url.GetRawText()}");
        }
        Problem(path + ".name", "required (or an id URL ending in the job id)");
        return null;

        long? Register(long? id, string where, string invalid)
        {
            if (id is null)
            {
                Problem(where, invalid);
                return null;
            }
            if (_jobIdPaths.TryGetValue(id.Value, out var first))
            {
                Problem(where, $"duplicate job id {id} (also at {first})");
                return null;
            }
            _jobIdPaths.Add(id.Value, where);
            return id;
        }
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

    private List<JobStatus> ReadStatuses(JsonElement job, string path)
    {
        var statuses = new List<JobStatus>();
        if (!Present(job, "status", out var array))
            return statuses;
        if (array.ValueKind != JsonValueKind.Array)
        {
            Problem(path, "expected an array");
            return statuses;
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{path}[{index++}]";
            if (!ExpectObject(item, itemPath))
                continue;
            var state = RequiredEnum<JobState>(item, "state", itemPath, "a job state");
            var enter = RequiredTimestamp(item, "enter_time", itemPath);
            var exit = OptionalTimestamp(item, "exit_time", itemPath);
            statuses.Add(new JobStatus { State = state ?? default, EnterTime = enter ?? default, ExitTime = exit });
        }
        return statuses;
    }

    private Dictionary<string, JobNode> ReadNodes(JsonElement entry, string path, Job job)
    {
        var byName = new Dictionary<string, JobNode>(StringComparer.Ordinal);
        var firstNames = new Dictionary<string, (string Name, string Path)>(StringComparer.Ordinal);
        if (!Present(entry, "nodes", out var array))
            return byName;
        if (array.ValueKind != JsonValueKind.Array)
        {
            Problem(path, "expected an array");
            return byName;
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{path}[{index++}]";
            if (!ExpectObject(item, itemPath))
                continue;

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
        if (!Present(entry, "events", out var array))
            return;
        if (array.ValueKind != JsonValueKind.Array)
        {
            Problem(path, "expected an array");
            return;
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{path}[{index++}]";
            if (!ExpectObject(item, itemPath))
                continue;

            var id = ReadEventId(item, itemPath);
            var type = RequiredEnum<EventType>(item, "type", itemPath, "an event type");
            var timestamp = RequiredTimestamp(item, "timestamp", itemPath);
            var message = OptionalString(item, "message", itemPath);
            var detailsJson = "{}";
            JobNode? node = null;
            if (item.TryGetProperty("details", out var details))
            {
                detailsJson = details.GetRawText();
                if (details.ValueKind == JsonValueKind.Object)
                {
                    var nodeName = OptionalString(details, "node", itemPath + ".details");
                    if (nodeName is not null && !nodesByName.TryGetValue(nodeName, out node))
                        Problem(itemPath + ".details.node", $"no node named \"{nodeName}\" in this job");
                }
            }

            var nodeEvent = new NodeEvent
            {
                Id = id ?? 0,
                Type = type ?? default,
                Timestamp = timestamp ?? default,
                Message = message,
                DetailsJson = detailsJson,
            };
            job.Events.Add(nodeEvent);
            node?.Events.Add(nodeEvent);
            if (id is not null)
                EventIds.Add(new ImportedEventId(id.Value, job.Id, itemPath + ".id"));
        }
    }

    private long? ReadEventId(JsonElement item, string path)
    {
        var idPath = path + ".id";
        if (!Present(item, "id", out var element))
        {
            Problem(idPath, "required");
            return null;
        }

        long? id = element.ValueKind switch
        {
            JsonValueKind.String => TryParseId(element.GetString()!),
            JsonValueKind.Number when element.TryGetInt64(out var number) && number > 0 => number,
            _ => null,
        };
        if (id is null)
        {
            Problem(idPath, element.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? $"not an event id: {element.GetRawText()}"
                : "expected a string of digits or an integer");
            return null;
        }
        if (_eventIdPaths.TryGetValue(id.Value, out var first))
        {
            Problem(idPath, $"duplicate event id {id} (also at {first})");
            return null;
        }
        _eventIdPaths.Add(id.Value, idPath);
        return id;
    }

    private static long? TryParseId(string text) =>
        text.Length is > 0 and <= 19
        && text.All(char.IsAsciiDigit)
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
        && id > 0
            ? id
            : null;

    /// <summary>A key counts as present when it is there and not JSON null.</summary>
    private static bool Present(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private bool ExpectObject(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
            return true;
        Problem(path, "expected an object");
        return false;
    }

    private string? RequiredString(JsonElement obj, string name, string path, int maxLength = int.MaxValue)
    {
        if (Present(obj, name, out _))
            return OptionalString(obj, name, path, maxLength);
        Problem($"{path}.{name}", "required");
        return null;
    }

    /// <summary>
    /// Reads a string or null. When <paramref name="strict"/> is false (a column taken from inside a stored
    /// document), another JSON type is no problem: the document is kept as it is and the column left empty.
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

    private DateTime? RequiredTimestamp(JsonElement obj, string name, string path)
    {
        if (Present(obj, name, out _))
            return OptionalTimestamp(obj, name, path);
        Problem($"{path}.{name}", "required");
        return null;
    }

    private DateTime? OptionalTimestamp(JsonElement obj, string name, string path)
    {
        if (!Present(obj, name, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.String)
            return TypeProblem<DateTime>($"{path}.{name}", "a string");
        if (IsoTimestamp.TryParse(value.GetString()!, out var utc))
            return utc;
        Problem($"{path}.{name}", $"not a timestamp: {value.GetRawText()}");
        return null;
    }

    private T? TypeProblem<T>(string path, string expected)
        where T : struct
    {
        Problem(path, $"expected {expected}");
        return null;
    }

    private void Problem(string path, string message)
    {
        _problemCount++;
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
