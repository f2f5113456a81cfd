using System.Globalization;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Common.Json;
using Orchestrator.Application.Jobs.Queries.GetJobNodes;
using Orchestrator.Application.Jobs.Queries.GetJobReport;
using Orchestrator.Application.Jobs.Queries.ListJobs;
using Orchestrator.Domain.Common;
using Orchestrator.Domain.Entities;
using Orchestrator.Domain.Enums;
using Riok.Mapperly.Abstractions;

namespace Orchestrator.Application.Jobs.Common;

/// <summary>
/// Builds every document of the jobs API from entities and row projections. Links need the request, so the
/// mapper is scoped. The node projection is an expression tree EF Core translates to the SELECT list.
/// </summary>
[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public sealed partial class JobMapper(IJobLinks links, TimeProvider clock)
{
    /// <summary>The instant running nodes' durations are measured to: one per request.</summary>
    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    /// <summary>The SELECT list of a page of nodes, the request's instant a parameter of it.</summary>
    public IQueryable<NodeDto> ProjectToDto(IQueryable<JobNode> nodes)
    {
        var now = Now;
        return ProjectToDto(nodes.Select(n => new NodeRow { Node = n, MeasuredAt = now }));
    }

    [MapPropertyFromSource(nameof(JobDto.Id), Use = nameof(JobLink))]
    [MapProperty(nameof(Job.Id), nameof(JobDto.Name))]
    [MapProperty(nameof(Job.OptionsJson), nameof(JobDto.Options))]
    [MapProperty(nameof(Job.OwnerJson), nameof(JobDto.Owner))]
    [MapProperty(nameof(Job.UserdataJson), nameof(JobDto.Userdata))]
    [MapProperty(nameof(Job.EnvironmentName), nameof(JobDto.Environment))]
    [MapPropertyFromSource(nameof(JobDto.Nodes), Use = nameof(NodesLink))]
    [MapPropertyFromSource(nameof(JobDto.Report), Use = nameof(ReportLink))]
    [MapPropertyFromSource(nameof(JobDto.Events), Use = nameof(EventsLink))]
    private partial JobDto ToDto(Job job, int nodeCount, IEnumerable<NodeStateCount> nodeStates, IEnumerable<JobStatus> status);

    /// <summary>A job's document from its row, its node counts per state and its history.</summary>
    public JobDto ToDto(Job job, IReadOnlyCollection<NodeStateCount> nodeStates, IEnumerable<JobStatus> status) =>
        ToDto(job, nodeStates.Sum(count => count.Count), nodeStates, status);

    public partial JobStatusDto ToDto(JobStatus status);

    private partial IQueryable<NodeDto> ProjectToDto(IQueryable<NodeRow> nodes);

    [MapNestedProperties(nameof(NodeRow.Node))]
    [MapProperty([nameof(NodeRow.Node), nameof(JobNode.DetailsJson)], nameof(NodeDto.Details))]
    [MapProperty([nameof(NodeRow.Node), nameof(JobNode.ResultJson)], nameof(NodeDto.Result))]
    [MapProperty([nameof(NodeRow.Node), nameof(JobNode.Events)], nameof(NodeDto.LatestEventId), Use = nameof(NewestEventId))]
    [MapperIgnoreTarget(nameof(NodeDto.Duration))]
    private partial NodeDto ToDto(NodeRow node);

    [MapProperty(nameof(ReportRow.Name), nameof(JobReportItemDto.Node))]
    public partial JobReportItemDto ToReportItem(ReportRow row, IReadOnlyList<EventDto> events);

    public partial JobListPaginationDto ToPagination(ListJobsQuery query, int limit, int total);

    public NextEventsDto NextEvents(long jobId, long next) => new(links.Events(jobId, next), Text(next));

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static RawJson ToRawJson(string text) => new(text);

    private static RawJson? ToNullableRawJson(string? text) => RawJson.From(text);

    private static EnvironmentDto? ToEnvironment(string? name) => name is null ? null : new EnvironmentDto(name);

    private static long? NewestEventId(List<NodeEvent> events) => events.Max(e => (long?)e.Id);

    private string JobLink(Job job) => links.Job(job.Id);

    private LinkDto NodesLink(Job job) => new(links.Nodes(job.Id));

    private LinkDto ReportLink(Job job) => new(links.Report(job.Id));

    private LinkDto EventsLink(Job job) => new(links.Events(job.Id));

    /// <summary>Nodes per state in the states' declared order; null for a job without nodes.</summary>
    private static IReadOnlyDictionary<string, int>? ToNodeStates(IEnumerable<NodeStateCount> nodeStates)
    {
        var states = nodeStates.OrderBy(count => count.State).ToDictionary(count => WireName<NodeState>.Of(count.State), count => count.Count);
        return states.Count == 0 ? null : states;
    }
}

/// <summary>A node and the instant a running node's duration is measured to (a captured value: a SQL parameter, not text).</summary>
public sealed class NodeRow
{
    public required JobNode Node { get; init; }

    public required DateTime MeasuredAt { get; init; }
}

/// <summary>How many of a job's nodes are in one state, counted in SQL.</summary>
public sealed record NodeStateCount(long JobId, NodeState State, int Count);
