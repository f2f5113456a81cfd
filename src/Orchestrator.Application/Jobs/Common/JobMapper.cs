using Orchestrator.Application.Common.Json;
using Orchestrator.Domain.Entities;
using Riok.Mapperly.Abstractions;

namespace Orchestrator.Application.Jobs.Common;

/// <summary>
/// Entity-to-document mappings of the jobs feature. The IQueryable projections are expression trees EF Core
/// translates to the SELECT list, so only the columns a document needs are read.
/// </summary>
[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class JobMapper
{
    public static partial IQueryable<JobRow> ProjectToRow(this IQueryable<Job> jobs);

    [MapProperty(nameof(Job.OptionsJson), nameof(JobRow.Options))]
    [MapProperty(nameof(Job.OwnerJson), nameof(JobRow.Owner))]
    [MapProperty(nameof(Job.UserdataJson), nameof(JobRow.Userdata))]
    [MapProperty(nameof(Job.EnvironmentName), nameof(JobRow.Environment))]
    public static partial JobRow ToRow(Job job);

    public static partial JobStatusDto ToDto(JobStatus status);

    [MapProperty(nameof(NodeEvent.DetailsJson), nameof(EventDto.Details))]
    public static partial EventDto ToDto(NodeEvent nodeEvent);

    private static RawJson ToRawJson(string text) => new(text);

    private static RawJson? ToNullableRawJson(string? text) => text == null ? null : new RawJson(text);

    private static EnvironmentDto? ToEnvironment(string? name) => name == null ? null : new EnvironmentDto(name);

    private static string ToEventId(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The stored columns of a job document, before its links, history and node counts are added.</summary>
public sealed record JobRow
{
    public required long Id { get; init; }

    public required Domain.Enums.JobType Type { get; init; }

    public required Domain.Enums.JobState State { get; init; }

    public required string Command { get; init; }

    public required RawJson Options { get; init; }

    public required RawJson Owner { get; init; }

    public required string? Description { get; init; }

    public required DateTime Timestamp { get; init; }

    public required EnvironmentDto? Environment { get; init; }

    public required RawJson? Userdata { get; init; }
}
