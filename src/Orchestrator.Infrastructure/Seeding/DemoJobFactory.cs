using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Infrastructure.Seeding;

/// <summary>
/// Builds demo jobs one at a time from one seeded <see cref="Random"/>. Jobs follow each other in time without
/// overlapping, so event ids, handed out in order, increase with time across all jobs.
/// </summary>
internal sealed class DemoJobFactory
{
    private const string Domain = "example.com";

    // Readable documents: no \u0022 for quotes inside PuppetDB queries.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JobState[] States = Enum.GetValues<JobState>();

    // With SeedOptions.NodesPerJob, one job in BigJobEvery is a fleet-wide run.
    private const int BigJobEvery = 10_000;
    private const int BigJobNodes = 10_000;
    private const int SmallJobMaxNodes = 400;

    private readonly Random _random;
    private readonly int _jobCount;
    private readonly string[] _nodeNames;
    private readonly (string Id, string Login)[] _owners;
    private readonly string[] _extraEnvironments;
    private readonly double? _smallJobMeanNodes;
    private readonly double _extraStepsPerNode;
    private string[]? _fleetNames;
    private DateTime _clock;
    private long _nextEventId = 1;

    // The job being built: its events in the order they were made, and the nodes it skips or stops.
    private readonly List<(DateTime At, int Order, NodeEvent Event, JobNode? Node)> _events = [];
    private readonly List<(JobNode Node, string Message, string Detail)> _skipped = [];

    public DemoJobFactory(SeedOptions options)
    {
        _random = new Random(options.Seed);
        _jobCount = options.Jobs;
        _clock = DateTime.SpecifyKind(options.Epoch ?? SeedOptions.DefaultEpoch, DateTimeKind.Utc);
        _nodeNames = DemoCatalog.Roles
            .SelectMany(role => Enumerable.Range(1, 40).Select(n => $"{role}-{n:00}.{Domain}"))
            .ToArray();

        // Larger datasets have more people and environments.
        _owners = [.. DemoCatalog.Owners, .. ExtraOwners(Math.Clamp(_jobCount / 50, 10, 500) - DemoCatalog.Owners.Length, options.Seed)];
        _extraEnvironments = Enumerable.Range(1, Math.Clamp(_jobCount / 500 - 3, 0, 37))
            .Select(i => $"{DemoCatalog.EnvironmentPrefixes[i % DemoCatalog.EnvironmentPrefixes.Length]}_{i:00}")
            .ToArray();
        if (options.NodesPerJob is { } mean)
        {
            var bigShare = _jobCount >= BigJobEvery ? (BigJobNodes + BigJobNodes / 4.0) / BigJobEvery : 0;
            _smallJobMeanNodes = Math.Max(1, mean - bigShare);
        }
        _extraStepsPerNode = Math.Max(0, ((options.EventsPerNode ?? 2) - 2) / 2);
    }

    public Job Create(long id)
    {
        var forced = ForcedState(id);
        var state = forced ?? PickState();
        var type = PickType();
        var work = new JobWork(type, state, forced is not null);

        var created = _clock;
        var readyAt = created.AddSeconds(_random.Next(1, 3));
        var runAt = readyAt.AddSeconds(_random.Next(1, 6));
        var environment = PickEnvironment(type);
        var owner = PickOwner();
        var nodeNames = PickNodeNames(PickNodeCount(id, state, work.Forced));
        var (optionsJson, taskName, description) = Options(work, environment, nodeNames);

        var job = new Job
        {
            Id = id,
            Type = type,
            State = state,
            Command = WireName<JobType>.Of(type),
            Description = description,
            EnvironmentName = environment,
            OwnerId = owner.Id,
            OwnerLogin = owner.Login,
            OwnerJson = new JsonObject { ["id"] = owner.Id, ["login"] = owner.Login }.ToJsonString(Compact),
            OptionsJson = optionsJson,
            UserdataJson = _random.Next(100) < 15
                ? new JsonObject { ["ticket"] = $"CHG-{_random.Next(1000, 9999)}", ["source"] = "demo" }.ToJsonString(Compact)
                : null,
            TaskName = taskName,
        };

        _events.Clear();
        _skipped.Clear();
        var nodeStates = NodeStates(state, nodeNames.Length, work.Forced);
        var lastActivity = runAt;
        for (var i = 0; i < nodeNames.Length; i++)
        {
            var node = CreateNode(work, nodeNames[i], nodeStates[i], runAt, environment);
            job.Nodes.Add(node);
            if (node.FinishTimestamp is { } finish && finish > lastActivity)
                lastActivity = finish;
            if (node.StartTimestamp is { } start && start > lastActivity)
                lastActivity = start;
        }

        var end = lastActivity.AddSeconds(_random.Next(1, 4));
        var stoppedAt = end.AddSeconds(_random.Next(2, 11));
        // Skipped nodes are only known to be skipped when the job gives up on them.
        var skippedAt = state == JobState.Stopped ? stoppedAt : end;
        foreach (var (node, message, detail) in _skipped)
        {
            node.Timestamp = skippedAt;
            AddNodeEvent(node, skippedAt, EventType.NodeSkipped, message, detail);
        }

        job.Statuses = Statuses(state, created, readyAt, runAt, end, stoppedAt);
        job.Timestamp = job.Statuses[^1].EnterTime;
        job.FinishedAt = state is JobState.Stopped or JobState.Finished or JobState.Failed ? job.Timestamp : null;

        // Job events sort after node events of the same second: job_finished is the last event of a job.
        var jobEventOrder = int.MaxValue / 2;
        foreach (var (at, eventType, message) in JobEvents(id, state, end, stoppedAt))
            _events.Add((at, jobEventOrder++, new NodeEvent { Type = eventType, Timestamp = at, Message = message, DetailsJson = "{}" }, null));

        foreach (var (_, _, nodeEvent, node) in _events.OrderBy(p => p.At).ThenBy(p => p.Order))
        {
            nodeEvent.Id = _nextEventId++;
            job.Events.Add(nodeEvent);
            node?.Events.Add(nodeEvent);
        }

        var finishedAll = job.Statuses[^1].EnterTime > lastActivity ? job.Statuses[^1].EnterTime : lastActivity;
        _clock = finishedAll.AddMinutes(_random.Next(5, 61)).AddSeconds(_random.Next(60));
        return job;
    }

    private sealed record JobWork(JobType Type, JobState State, bool Forced)
    {
        public bool IsDeploy => Type == JobType.Deploy;

        public string? Task { get; set; }
    }

    /// <summary>With enough jobs, evenly spread ids take each job state in turn, so every state is present.</summary>
    private JobState? ForcedState(long id)
    {
        if (_jobCount < 50)
            return null;
        var spacing = _jobCount / States.Length;
        return (id - 1) % spacing == 0 && (id - 1) / spacing < States.Length ? States[(id - 1) / spacing] : null;
    }

    private JobState PickState() => _random.Next(100) switch
    {
        < 5 => JobState.New,
        < 9 => JobState.Ready,
        < 17 => JobState.Running,
        < 20 => JobState.Stopping,
        < 26 => JobState.Stopped,
        < 82 => JobState.Finished,
        _ => JobState.Failed,
    };

    private JobType PickType() => _random.Next(100) switch
    {
        < 45 => JobType.Deploy,
        < 78 => JobType.Task,
        < 90 => JobType.PlanTask,
        < 92 => JobType.PlanScript,
        < 94 => JobType.PlanUpload,
        < 96 => JobType.PlanCommand,
        < 97 => JobType.PlanWait,
        < 99 => JobType.PlanApply,
        _ => JobType.PlanApplyPrep,
    };

    private string? PickEnvironment(JobType type)
    {
        var roll = _random.Next(100);
        if (_extraEnvironments.Length > 0 && roll is >= 62 and < 92)
            return _extraEnvironments[Skewed(_extraEnvironments.Length)];
        return (_extraEnvironments.Length > 0 ? roll switch { < 35 => 0, < 50 => 45, < 62 => 70, _ => 92 } : roll) switch
        {
            < 45 => "production",
            < 70 => "staging",
            < 92 => "development",
            // Deploys always run in an environment; tasks and plans may have none.
            _ => type == JobType.Deploy ? "production" : null,
        };
    }

    /// <summary>The demo's ten people evenly; with more, a few people start most jobs.</summary>
    private (string Id, string Login) PickOwner() =>
        _owners[_owners.Length == DemoCatalog.Owners.Length ? _random.Next(_owners.Length) : Skewed(_owners.Length)];

    /// <summary>An index below <paramref name="count"/>, low ones far likelier (density falling as 1/sqrt).</summary>
    private int Skewed(int count) => Math.Min(count - 1, (int)(_random.NextDouble() * _random.NextDouble() * count));

    private static IEnumerable<(string Id, string Login)> ExtraOwners(int count, int seed)
    {
        // A random of its own, so that the demo's sequence is the same whatever the number of owners.
        var random = new Random(seed ^ 0x5eed);
        var buffer = new byte[16];
        for (var i = 1; i <= count; i++)
        {
            random.NextBytes(buffer);
            yield return (new Guid(buffer).ToString(), $"{DemoCatalog.Roles[i % DemoCatalog.Roles.Length]}-admin-{i:000}");
        }
    }

    private int PickNodeCount(long id, JobState state, bool forced)
    {
        if (forced)
            return _random.Next(3, 11);
        if (_smallJobMeanNodes is { } mean)
        {
            if (id % BigJobEvery == BigJobEvery / 2)
                return BigJobNodes + _random.Next(BigJobNodes / 2 + 1);
            // Exponentially distributed around the mean: most jobs touch a handful of nodes.
            var count = 1 + (int)Math.Round(-Math.Log(1 - _random.NextDouble()) * (mean - 1));
            return _random.Next(100) < 4 && state is JobState.New or JobState.Ready or JobState.Finished or JobState.Failed
                ? 0
                : Math.Min(count, SmallJobMaxNodes);
        }
        var roll = _random.Next(100);
        if (roll < 5 && state is JobState.New or JobState.Ready or JobState.Finished or JobState.Failed)
            return 0;
        if (roll >= 97)
            return _random.Next(50, 81);
        return roll < 40 ? _random.Next(1, 4) : _random.Next(1, 21);
    }

    private string[] PickNodeNames(int count)
    {
        // A partial Fisher-Yates shuffle over a copy: distinct names, sorted so that a job reads naturally.
        var pool = (string[])(count <= _nodeNames.Length ? _nodeNames : FleetNames()).Clone();
        for (var i = 0; i < count; i++)
        {
            var j = _random.Next(i, pool.Length);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        var names = pool[..count];
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    private string[] FleetNames() => _fleetNames ??= DemoCatalog.Roles
        .SelectMany(role => Enumerable.Range(1, (BigJobNodes + BigJobNodes / 2) / DemoCatalog.Roles.Length).Select(n => $"{role}-{n:00000}.{Domain}"))
        .ToArray();

    private NodeState[] NodeStates(JobState state, int count, bool forced)
    {
        var states = new NodeState[count];
        for (var i = 0; i < count; i++)
        {
            var roll = _random.Next(100);
            states[i] = state switch
            {
                JobState.New => NodeState.New,
                JobState.Ready => NodeState.Ready,
                JobState.Running => roll switch { < 40 => NodeState.Finished, < 75 => NodeState.Running, < 90 => NodeState.Ready, _ => NodeState.Failed },
                JobState.Stopping => roll switch { < 40 => NodeState.Finished, < 80 => NodeState.Stopping, _ => NodeState.Ready },
                JobState.Stopped => roll switch { < 40 => NodeState.Finished, < 75 => NodeState.Stopped, _ => NodeState.Skipped },
                JobState.Finished => NodeState.Finished,
                _ => roll switch { < 40 => NodeState.Finished, < 70 => NodeState.Failed, < 90 => NodeState.Errored, _ => NodeState.Skipped },
            };
        }

        if (forced && count >= 3)
        {
            switch (state)
            {
                case JobState.Running: states[0] = NodeState.Running; break;
                case JobState.Stopping: states[0] = NodeState.Stopping; break;
                case JobState.Stopped: states[0] = NodeState.Stopped; break;
                case JobState.Failed:
                    (states[0], states[1], states[2]) = (NodeState.Failed, NodeState.Errored, NodeState.Skipped);
                    break;
            }
        }
        // A failed job has at least one node that did not succeed.
        if (state == JobState.Failed && count > 0 && !states.Any(s => s is NodeState.Failed or NodeState.Errored))
            states[0] = NodeState.Failed;
        return states;
    }

    private JobNode CreateNode(JobWork work, string name, NodeState state, DateTime runAt, string? environment)
    {
        var node = new JobNode
        {
            Name = name,
            State = state,
            Transport = work.Type is JobType.Deploy or JobType.Task || _random.Next(100) < 70 ? "pcp" : _random.Next(2) == 0 ? "ssh" : "winrm",
            DetailsJson = "{}",
        };
        if (state is NodeState.New or NodeState.Ready)
            return node;

        if (state == NodeState.Skipped)
        {
            var reason = work.State == JobState.Stopped ? "the job was stopped" : "a node it depends on failed";
            node.DetailsJson = new JsonObject { ["message"] = $"Skipped {name}: {reason}", ["detail"] = new JsonObject { ["reason"] = reason } }.ToJsonString(Compact);
            _skipped.Add((node, $"Skipped {name}", new JsonObject { ["reason"] = reason }.ToJsonString(Compact)));
            return node;
        }
        if (state == NodeState.Stopped)
        {
            node.DetailsJson = new JsonObject { ["message"] = $"The job was stopped before {name} ran" }.ToJsonString(Compact);
            _skipped.Add((node, $"Skipped {name}: the job was stopped", "{}"));
            return node;
        }

        var start = runAt.AddSeconds(_random.Next(0, 31));
        node.StartTimestamp = start;
        node.Timestamp = start;
        if (work.IsDeploy)
            node.TransactionUuid = NewGuid().ToString();
        var running = work.IsDeploy ? $"Started puppet run on {name} ..." : $"Started {work.Task ?? "plan step"} on {name}";
        var runningDetail = work.IsDeploy
            ? new JsonObject { ["noop"] = false }.ToJsonString(Compact)
            : new JsonObject { ["task"] = work.Task }.ToJsonString(Compact);
        AddNodeEvent(node, start, EventType.NodeRunning, running, runningDetail);

        if (state is NodeState.Running or NodeState.Stopping)
        {
            node.DetailsJson = new JsonObject
            {
                ["run-time"] = _random.Next(5, 240),
                ["message"] = state == NodeState.Running ? running : $"Stopping the run on {name}",
            }.ToJsonString(Compact);
            return node;
        }

        var finish = start.AddSeconds(state == NodeState.Errored ? _random.Next(1, 11) : work.IsDeploy ? _random.Next(20, 241) : _random.Next(2, 61));
        node.FinishTimestamp = finish;
        node.Timestamp = finish;
        AddSteps(work, node, start, finish);
        (EventType type, string message, string result) = state switch
        {
            NodeState.Finished when work.IsDeploy => (EventType.NodeFinished, $"Finished puppet run on {name} - Success!", PuppetRun(environment, failed: false)),
            NodeState.Finished => (EventType.NodeFinished, $"Finished {work.Task ?? "plan step"} on {name}", TaskOutput()),
            NodeState.Failed when work.IsDeploy => (EventType.NodeFailed, $"Error running puppet on {name}: {_random.Next(1, 6)} resources failed", PuppetRun(environment, failed: true)),
            NodeState.Failed => (EventType.NodeFailed, $"Failed {work.Task ?? "plan step"} on {name}", TaskFailure()),
            _ => (EventType.NodeErrored, $"Error on {name}", ErrorObject(name)),
        };
        node.ResultJson = result;
        var details = new JsonObject { ["message"] = message };
        if (state == NodeState.Finished && work.IsDeploy)
            details["report-url"] = $"https://console.{Domain}/#/cm/report/{Hex(20)}";
        if (state == NodeState.Errored)
            details["detail"] = JsonNode.Parse(result);
        node.DetailsJson = details.ToJsonString(Compact);
        AddNodeEvent(node, finish, type, message, result);
        return node;
    }

    /// <summary>Extra plan steps between a node's start and its result, each a started/finished pair (EventsPerNode above 2).</summary>
    private void AddSteps(JobWork work, JobNode node, DateTime start, DateTime finish)
    {
        if (_extraStepsPerNode <= 0)
            return;
        var steps = (int)_extraStepsPerNode + (_random.NextDouble() < _extraStepsPerNode % 1 ? 1 : 0);
        var seconds = (finish - start).TotalSeconds;
        for (var step = 1; step <= steps; step++)
        {
            var at = start.AddSeconds(Math.Floor(seconds * step / (steps + 1)));
            var what = $"step {step} of {work.Task ?? "the run"} on {node.Name}";
            var detail = $$"""{"step":{{step}}}""";
            AddNodeEvent(node, at, EventType.NodeRunning, $"Started {what}", detail);
            AddNodeEvent(node, at, EventType.NodeFinished, $"Finished {what}", detail);
        }
    }

    private (string Options, string? Task, string? Description) Options(JobWork work, string? environment, string[] nodes)
    {
        var scope = new JsonObject { ["nodes"] = new JsonArray(nodes.Select(n => (JsonNode?)n).ToArray()) };
        if (work.IsDeploy)
        {
            var description = Pick(DemoCatalog.DeployDescriptions);
            var deployScope = _random.Next(100) switch
            {
                < 60 => scope,
                < 80 => new JsonObject { ["application"] = Pick(DemoCatalog.Applications) },
                _ => new JsonObject { ["query"] = $"inventory[certname] {{ facts.role = \"{Pick(DemoCatalog.Roles)}\" }}" },
            };
            var options = new JsonObject
            {
                ["concurrency"] = _random.Next(3) == 0 ? _random.Next(1, 11) : null,
                ["noop"] = _random.Next(10) == 0,
                ["trace"] = false,
                ["debug"] = _random.Next(20) == 0,
                ["scope"] = deployScope,
                ["enforce_environment"] = true,
                ["environment"] = environment,
                ["evaltrace"] = false,
                ["target"] = null,
                ["description"] = description,
            };
            return (options.ToJsonString(Compact), null, description);
        }

        var plan = Pick(DemoCatalog.Plans);
        if (work.Type is JobType.Task or JobType.PlanTask)
        {
            var task = Pick(DemoCatalog.Tasks);
            work.Task = task;
            var description = _random.Next(3) == 0 ? null : $"Run {task}";
            var options = new JsonObject
            {
                ["task"] = task,
                ["params"] = TaskParams(task),
                ["scope"] = scope,
                ["environment"] = environment,
                ["description"] = description,
                ["noop"] = false,
            };
            if (work.Type == JobType.PlanTask)
                options["plan_name"] = plan;
            return (options.ToJsonString(Compact), task, description);
        }

        var step = new JsonObject { ["plan_name"] = plan, ["scope"] = scope, ["environment"] = environment };
        switch (work.Type)
        {
            case JobType.PlanScript: step["script"] = "deploy_app/files/migrate.sh"; break;
            case JobType.PlanUpload: step["source"] = "deploy_app/files/app.tar.gz"; step["destination"] = "/opt/app/"; break;
            case JobType.PlanCommand: step["command"] = "systemctl is-active nginx"; break;
            case JobType.PlanWait: step["timeout"] = 120; break;
            default: step["noop"] = false; break;
        }
        var stepDescription = $"{plan}: {WireName<JobType>.Of(work.Type)}";
        step["description"] = stepDescription;
        return (step.ToJsonString(Compact), null, stepDescription);
    }

    private JsonObject TaskParams(string task) => task switch
    {
        "package::status" or "package::install" => new JsonObject
        {
            ["name"] = Pick(DemoCatalog.Packages),
            ["action"] = task == "package::status" ? "status" : "install",
        },
        "service::restart" or "service::status" => new JsonObject { ["name"] = Pick(DemoCatalog.Services) },
        "exec" => new JsonObject { ["command"] = "uptime" },
        "puppet_conf" => new JsonObject { ["action"] = "get", ["section"] = "agent", ["setting"] = "server" },
        _ => [],
    };

    private string PuppetRun(string? environment, bool failed)
    {
        var total = _random.Next(80, 500);
        var changed = failed ? _random.Next(0, 10) : _random.Next(4) == 0 ? _random.Next(1, 60) : 0;
        var failures = failed ? _random.Next(1, 6) : 0;
        return new JsonObject
        {
            ["hash"] = Hex(20),
            ["noop"] = new JsonObject { ["noop"] = false, ["no_noop"] = false },
            ["status"] = failed ? "failed" : changed > 0 ? "changed" : "unchanged",
            ["metrics"] = new JsonObject
            {
                ["corrective_change"] = changed > 0 ? _random.Next(0, changed + 1) : 0,
                ["out_of_sync"] = changed + failures,
                ["restarted"] = changed > 0 ? _random.Next(0, 3) : 0,
                ["skipped"] = 0,
                ["total"] = total,
                ["changed"] = changed,
                ["scheduled"] = 0,
                ["failed_to_restart"] = 0,
                ["failed"] = failures,
            },
            ["environment"] = environment ?? "production",
            ["configuration_version"] = (1_502_024_081 + _random.Next(1_000_000)).ToString(CultureInfo.InvariantCulture),
        }.ToJsonString(Compact);
    }

    private string TaskOutput() => _random.Next(3) switch
    {
        0 => new JsonObject { ["output"] = $"{Pick(DemoCatalog.Packages)} is up to date\n" }.ToJsonString(Compact),
        1 => new JsonObject { ["status"] = "up to date", ["version"] = $"5.{_random.Next(0, 6)}.{_random.Next(0, 20)}-1.el7" }.ToJsonString(Compact),
        _ => new JsonObject { ["status"] = "running", ["enabled"] = true }.ToJsonString(Compact),
    };

    private string TaskFailure() => _random.Next(2) == 0
        ? new JsonObject { ["error"] = Pick(DemoCatalog.TaskFailures) }.ToJsonString(Compact)
        : new JsonObject
        {
            ["_error"] = new JsonObject
            {
                ["msg"] = "The task failed with exit code 1",
                ["kind"] = "puppetlabs.tasks/task-error",
                ["details"] = new JsonObject { ["exit_code"] = 1 },
            },
        }.ToJsonString(Compact);

    private string ErrorObject(string node) => new JsonObject
    {
        ["msg"] = Pick(DemoCatalog.ErrorMessages),
        ["kind"] = "puppetlabs.orchestrator/execution-failure",
        ["details"] = new JsonObject { ["node"] = node },
    }.ToJsonString(Compact);

    private static List<JobStatus> Statuses(JobState state, DateTime created, DateTime readyAt, DateTime runAt, DateTime end, DateTime stoppedAt)
    {
        var path = state switch
        {
            JobState.New => new[] { (JobState.New, created) },
            JobState.Ready => [(JobState.New, created), (JobState.Ready, readyAt)],
            JobState.Running => [(JobState.New, created), (JobState.Ready, readyAt), (JobState.Running, runAt)],
            JobState.Stopping => [(JobState.New, created), (JobState.Ready, readyAt), (JobState.Running, runAt), (JobState.Stopping, end)],
            JobState.Stopped => [(JobState.New, created), (JobState.Ready, readyAt), (JobState.Running, runAt), (JobState.Stopping, end), (JobState.Stopped, stoppedAt)],
            _ => [(JobState.New, created), (JobState.Ready, readyAt), (JobState.Running, runAt), (state, end)],
        };
        return path
            .Select((entry, i) => new JobStatus
            {
                State = entry.Item1,
                EnterTime = entry.Item2,
                ExitTime = i + 1 < path.Length ? path[i + 1].Item2 : null,
            })
            .ToList();
    }

    private IEnumerable<(DateTime At, EventType Type, string Message)> JobEvents(long id, JobState state, DateTime end, DateTime stoppedAt)
    {
        switch (state)
        {
            case JobState.Finished:
                yield return (end, EventType.JobFinished, $"Finished job {id}");
                break;
            case JobState.Failed:
                yield return _random.Next(5) == 0
                    ? (end, EventType.JobAborted, $"Aborted job {id}")
                    : (end, EventType.JobFinished, $"Finished job {id} with failures");
                break;
            case JobState.Stopping:
                yield return (end, EventType.JobStopping, $"Stopping job {id}");
                break;
            case JobState.Stopped:
                yield return (end, EventType.JobStopping, $"Stopping job {id}");
                yield return (stoppedAt, EventType.JobAborted, $"Stopped job {id}");
                break;
        }
    }

    private void AddNodeEvent(JobNode node, DateTime at, EventType type, string message, string detailJson)
    {
        var details = $$"""{"node":{{JsonSerializer.Serialize(node.Name, Compact)}},"detail":{{detailJson}}}""";
        _events.Add((at, _events.Count, new NodeEvent { Type = type, Timestamp = at, Message = message, DetailsJson = details }, node));
    }

    private string Pick(string[] from) => from[_random.Next(from.Length)];

    private string Hex(int count) => Convert.ToHexStringLower(Bytes(count));

    private Guid NewGuid() => new(Bytes(16));

    private byte[] Bytes(int count)
    {
        var buffer = new byte[count];
        _random.NextBytes(buffer);
        return buffer;
    }
}
