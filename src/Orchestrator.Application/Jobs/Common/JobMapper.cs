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

    [MapProperty(nameof(NodeEvent.DetailsJson), nameof(EventDto.Details))]
    public static partial EventDto ToDto(NodeEvent nodeEvent);

    private static RawJson ToRawJson(string text) => new(text);

    private static RawJson? ToNullableRawJson(string? text) => text == null ? null : new RawJson(text);

    private static EnvironmentDto? ToEnvironment(string? name) => name == null ? null : new EnvironmentDto(name);

    private static string ToEventId(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The stored columns of a job document, as stored: the document's JSON values and environment are wrapped in
/// memory (<see cref="JobDocuments"/>), so the SELECT list is the columns alone, with no IS NULL beside each.
/// </summary>
public sealed record JobRow
{
    public required long Id { get; init; }

    public required Domain.Enums.JobType Type { get; init; }

    public required Domain.Enums.JobState State { get; init; }

    public required string Command { get; init; }

    public required string OptionsJson { get; init; }

    public required string OwnerJson { get; init; }

    public required string? Description { get; init; }

    public required DateTime Timestamp { get; init; }

    public required string? EnvironmentName { get; init; }

    public required string? UserdataJson { get; init; }
}
