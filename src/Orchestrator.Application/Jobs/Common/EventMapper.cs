using System.Globalization;
using Orchestrator.Application.Common.Json;
using Orchestrator.Domain.Entities;
using Riok.Mapperly.Abstractions;

namespace Orchestrator.Application.Jobs.Common;

/// <summary>Event documents, which need no request: <c>/events</c>, <c>/report</c> and sync's held events use it.</summary>
[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class EventMapper
{
    [MapProperty(nameof(NodeEvent.DetailsJson), nameof(EventDto.Details))]
    public static partial EventDto ToDto(NodeEvent nodeEvent);

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static RawJson ToRawJson(string text) => new(text);
}
